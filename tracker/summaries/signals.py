"""The signal the summaries send once they are stored, for what reads them (the choice cache)."""

from django.dispatch import Signal

# Sent after a refresh or a rebuild has stored summaries and tallies, with the events refreshed
# (`event_ids`, None for a rebuild of every event).
summaries_stored = Signal()
