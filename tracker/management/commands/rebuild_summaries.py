from django.core.management.base import BaseCommand

from tracker.summaries import event_summaries_refresh


class Command(BaseCommand):
    help = "Recompute every event's stored discrepancy summary, e.g. after changing the thresholds."

    def handle(self, *args, **options):
        refreshed = event_summaries_refresh()
        self.stdout.write(self.style.SUCCESS(f"Refreshed the summaries of {refreshed} events."))
