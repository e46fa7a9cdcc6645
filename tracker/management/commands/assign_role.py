from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracker import roles


class Command(BaseCommand):
    help = (
        "Give a user their roles: viewer, editor or administrator (replacing the roles they had), "
        "and with --confidential the permission to see confidential sources. Editors and "
        "administrators get the admin's staff flag; viewers lose it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role_names", metavar="role", nargs="+", choices=["viewer", "editor", "administrator"])
        parser.add_argument("--confidential", action="store_true", help="may also see confidential sources")

    def handle(self, *args, username, role_names: list[str], confidential: bool, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user '{username}'; create one with createsuperuser or in the admin") from None
        named = [role.capitalize() for role in role_names]
        roles.role_assign(user=user, roles=named, confidential=confidential)
        grant = " and may see confidential sources" if confidential else ""
        self.stdout.write(f"{username} is now {', '.join(named)}{grant}.")
