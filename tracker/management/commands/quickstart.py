import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from tracker.demo import demo_load
from tracker.models import Event


class Command(BaseCommand):
    help = (
        "Prepare a new local tracker on first run: load the demo when there are no events, and "
        "create an 'admin' account with a random password (printed once) when there is no user."
    )

    def handle(self, *args, **options):
        if not Event.objects.exists():
            report = demo_load()
            self.stdout.write(f"Loaded the demo data: {report.summary()}.")
        users = get_user_model()
        if users.objects.exists():
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser("admin", email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated the account 'admin' with the password\n\n"
                f"    {password}\n\n"
                "Note it now: it is shown only this once. Change it in the admin under Users.\n"
            )
        )
