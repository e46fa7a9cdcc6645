from django.core.management.base import BaseCommand, CommandError

from tracker.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo data: the Deir ez-Zor claim of the sample article, its field commanders' fate claims, and "
        "illustrative events (marked as such) that show every discrepancy level. Loading it again changes nothing."
    )

    def handle(self, *args, **options):
        report = demo_load()
        if not report.ok:
            raise CommandError("The demo data could not be loaded: " + "; ".join(map(str, report.errors)))
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {report.summary()}."))
