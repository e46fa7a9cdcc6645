"""Stored tallies that pages read instead of counting claims: per party, and claims per month.

Each tally has two tables: the share of each event (rewritten whenever tracker.summaries refreshes
the event), and the totals, moved by the difference between an event's old and new share. So a
refresh touches only the rows of its events' parties and months, and a page reads one row per
party or month, never the claims.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.models.choices import Level

# Where a current claim stands in its group (tracker.rules.discrepancy.STANDINGS), as columns.
STANDING_COLUMNS = ("alone", "agrees", "above", "below", "within")
# How many of a party's events stand at each level, as columns.
LEVEL_COLUMNS = {level: f"events_{level}" for level in Level.values}


class StandingCounts(models.Model):
    """How many current claims stand at each place in their groups (a column per standing)."""

    alone = models.PositiveIntegerField(default=0)
    agrees = models.PositiveIntegerField(default=0)
    above = models.PositiveIntegerField(default=0)
    below = models.PositiveIntegerField(default=0)
    within = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class PartyEventTally(StandingCounts):
    """One party's share of one event: its claims there, where its current ones stand, the event's level."""

    event = models.ForeignKey("tracker.Event", models.CASCADE, related_name="+")
    party = models.ForeignKey("tracker.Party", models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=Level.choices, null=True)
    claims = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "party"], name="party_event_tally_unique")]

    def __str__(self):
        return f"{self.party_id} in {self.event_id}: {self.claims}"


class PartyTally(StandingCounts):
    """A party's totals over every event: what the parties page and a party's page show."""

    party = models.OneToOneField("tracker.Party", models.CASCADE, primary_key=True, related_name="tally")
    claims = models.PositiveIntegerField(_("claims"), default=0)
    events = models.PositiveIntegerField(_("events"), default=0)
    events_denial = models.PositiveIntegerField(default=0)
    events_major = models.PositiveIntegerField(default=0)
    events_minor = models.PositiveIntegerField(default=0)
    events_single = models.PositiveIntegerField(default=0)
    events_agree = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-claims"], name="party_tally_claims")]

    def __str__(self):
        return f"{self.party_id}: {self.claims}"


class EventMonthTally(models.Model):
    """One event's claims made in one month (by claim date)."""

    event = models.ForeignKey("tracker.Event", models.CASCADE, related_name="+")
    month = models.DateField()
    claims = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "month"], name="event_month_tally_unique")]

    def __str__(self):
        return f"{self.event_id} in {self.month:%Y-%m}: {self.claims}"


class MonthTally(models.Model):
    """Every claim made in one month (by claim date): the dashboard's chart."""

    month = models.DateField(primary_key=True)
    claims = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.claims}"
