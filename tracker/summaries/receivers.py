"""What the summaries do when the models announce a change, connected in TrackerConfig.ready()."""

from tracker.summaries import event_summaries_refresh
from tracker.summaries.tallies import EventShares, tallies_store


def claims_summarise(sender, event_ids, **kwargs) -> None:
    """Refresh the summaries of the events whose claims changed (tracker.models.signals.claims_changed)."""
    event_summaries_refresh(events=event_ids)


def event_tallies_forget(sender, instance, **kwargs) -> None:
    """Take a deleted event's shares out of the totals (its share rows go with it)."""
    tallies_store({instance.pk: EventShares()})
