from django.core.management.base import BaseCommand

from tracker.summaries import event_summaries_refresh
from tracker.summaries.fates import people_fates_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every event's stored discrepancy summary and every person's fate conflicts, e.g. after "
        "changing the thresholds or TRACKER_FATE_DAYS."
    )

    def handle(self, *args, **options):
        refreshed = event_summaries_refresh()
        people = people_fates_rebuild()
        named = "person" if people == 1 else "people"
        self.stdout.write(
            self.style.SUCCESS(
                f"Refreshed the summaries of {refreshed} events and the fate conflicts of {people} {named}."
            )
        )
