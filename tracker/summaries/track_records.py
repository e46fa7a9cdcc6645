"""Each party's track record over a filter, read from the database and worked out by the pure rules.

The rules of tracker.rules.track_records are the one definition; this module only chooses the rows they
read, set-based and as tuples (no model instances): every claim of the killed of a whole category (no
subgroup: a subgroup's claim would count the same dead twice) in the events and categories the filter
keeps, retracted and superseded ones too (the rules pick the current claims, and count retractions and
revisions); the kind of the parties that may stand as the others; an assessor's current figures; and the
death claims about people whose fate claims are in conflict. A few queries, whatever the number of parties.

On PostgreSQL, against the others, the same figures are worked out in the database instead
(tracker.summaries.track_records_sql), from the same claims: at a million claims, loading them into Python
takes longer than any page may.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q

from tracker.models import Assessment, Claim, FateClaim, Party, Person
from tracker.models.assessments import FIGURE_COLUMNS
from tracker.models.freshness import data_version
from tracker.rules import fates
from tracker.rules.counts import Count
from tracker.rules.discrepancy import KILLED, ClaimFacts
from tracker.rules.grading import Figure
from tracker.rules.track_records import NONE, OWN, Group, TrackRecord, track_records
from tracker.summaries import track_records_sql
from tracker.summaries.grades import figures_of

OTHERS = "others"  # `against` the other parties' claims, not an assessor's figures


@dataclass(frozen=True)
class TrackFilters:
    """What a track record is taken over; every field left empty keeps everything."""

    category: str | None = None
    victim_side: str | None = None  # OWN, OTHER or NONE, from each party's point of view
    country: str | None = None
    date_from: date | None = None  # on the event's start date, both ends included
    date_to: date | None = None
    event_type: str | None = None
    others_kind: str | None = None  # the kind of party the others must be
    others: str | None = None  # the one party the others must be, by name
    against: str = OTHERS  # or an assessor's name
    # Only these parties' records (by key), read from the events where one of them claims: a party's page
    # reads its own events, not every claim. Empty: every party's.
    parties: frozenset = frozenset()

    def events(self) -> Q:
        """The events kept, as a condition on a claim's (or a fate claim's) `event`."""
        kept = Q()
        if self.country:
            kept &= Q(event__country=self.country.upper())
        if self.date_from:
            kept &= Q(event__start_date__gte=self.date_from)
        if self.date_to:
            kept &= Q(event__start_date__lte=self.date_to)
        if self.event_type:
            kept &= Q(event__event_type=self.event_type)
        return kept


class UnknownParty(LookupError):
    """A filter names no party."""


def party_named(name: str) -> Party:
    """Return the party of this name, in any case."""
    party = Party.objects.filter(name__iexact=name).first()
    if party is None:
        raise UnknownParty(f"No party is named {name!r}.")
    return party


def others_of(filters: TrackFilters) -> set | None:
    """Return which parties may stand as the others (None: any), from the others' kind and name."""
    kept = set()
    if filters.others_kind:
        kept = set(Party.objects.filter(kind=filters.others_kind).values_list("pk", flat=True))
    if filters.others:
        named = {party_named(filters.others).pk}
        kept = kept & named if filters.others_kind else named
    return kept if filters.others_kind or filters.others else None


# What the rules read of a claim, in this order.
CLAIM_COLUMNS = (
    "pk", "event_id", "party_id", "category", "victim_side_id", "qualifier", "low", "best", "high", "claimed_on",
    "entered_at", "retracted",
)  # fmt: skip


def claim_facts(pk, _event_id, party_id, category, side, qualifier, low, best, high, claimed_on, entered_at, retracted):
    """Return a claim's row of CLAIM_COLUMNS as the rules read it."""
    count = Count(qualifier, low, best, high)
    return ClaimFacts(
        key=pk, party=party_id, category=category, victim_side=side, count=count, claimed_on=claimed_on,
        entered=(entered_at, pk), retracted=retracted,
    )  # fmt: skip


def kept_claims(filters: TrackFilters):
    """Return the claims the filter keeps: of the killed of a whole category, in the events and category kept."""
    claims = Claim.objects.filter(filters.events(), outcome=KILLED, subgroup__isnull=True)
    if filters.category:
        claims = claims.filter(category=filters.category)
    if filters.parties:
        # Every claim of the events where one of the parties claims: all its groups, whole.
        theirs = claims.filter(party__in=filters.parties).order_by().values("event_id")
        claims = claims.filter(event_id__in=theirs)
    return claims.order_by().values_list(*CLAIM_COLUMNS)


def claim_groups(filters: TrackFilters) -> dict[tuple, list[ClaimFacts]]:
    """Return the claims the filter keeps, by comparison group (event, category, victim side)."""
    groups = defaultdict(list)
    for row in kept_claims(filters):
        facts = claim_facts(*row)
        groups[row[1], facts.category, facts.victim_side].append(facts)
    return groups


def assessed_figures(assessor: Party, filters: TrackFilters) -> dict[tuple, Figure]:
    """Return the assessor's current figures of the events the filter keeps, by (event, category)."""
    assessments = Assessment.objects.current().filter(filters.events(), assessor=assessor)
    return {
        (event_id, figure.category): figure
        for event_id, *columns in assessments.values_list("event_id", *FIGURE_COLUMNS)
        for figure in figures_of(columns)
    }


# What the fate rules read of a fate claim, in this order.
FATE_COLUMNS = (
    "pk", "person_id", "party_id", "fate", "fate_date", "event__start_date", "claimed_on", "entered_at", "event_id",
    "hedge", "retracted",
)  # fmt: skip


def fate_report(pk, _person, party_id, fate, fate_date, event_date, claimed_on, entered_at, event_id, hedge, retracted):
    """Return a fate claim's row of FATE_COLUMNS as the fate rules read it (its event's date for want of its own)."""
    return fates.FateReport(
        key=pk, party=party_id, fate=fate, day=fate_date or event_date, claimed_on=claimed_on, entered_at=entered_at,
        event=event_id, hedge=hedge, retracted=retracted,
    )  # fmt: skip


def conflicted_deaths(filters: TrackFilters) -> Counter:
    """Return, per party, its death claims (current, stated, killed or fatally wounded) about people whose fate
    claims are in conflict, among those the filter keeps: in its events (a fate claim with no event is kept
    only when no event is filtered on), of its category (the person's status then; any for `total`), of its
    victim side (the person's affiliation: the party's own, another party, none)."""
    claims = FateClaim.objects.filter(person__in=Person.objects.in_conflict())
    kept = claims.filter(filters.events())
    if filters.category and filters.category != "total":
        kept = kept.filter(status=filters.category)
    if filters.victim_side == NONE:
        kept = kept.filter(person__affiliation__isnull=True)
    elif filters.victim_side == OWN:
        kept = kept.filter(person__affiliation=F("party_id"))
    elif filters.victim_side:
        kept = kept.filter(person__affiliation__isnull=False).exclude(person__affiliation=F("party_id"))
    counted = set(kept.values_list("pk", flat=True))
    reports = defaultdict(list)
    for row in claims.values_list(*FATE_COLUMNS):
        reports[row[1]].append(fate_report(*row))
    return Counter(
        report.party
        for person_reports in reports.values()
        for report in fates.death_reports(fates.current_reports(person_reports))
        if report.key in counted
    )


def rules_records(filters: TrackFilters, assessor: Party | None, others: set | None) -> dict:
    """Return each party's track record by the pure rules, over the claims the filter keeps."""
    figures = assessed_figures(assessor, filters) if assessor else {}
    return track_records(
        (
            Group(tuple(claims), figures.get((event_id, category)))
            for (event_id, category, _), claims in claim_groups(filters).items()
        ),
        tolerance=settings.TRACKER_APPROXIMATE_TOLERANCE,
        victim_side=filters.victim_side,
        is_other=others.__contains__ if others is not None else None,
        assessor=assessor.pk if assessor else None,
        conflicted_deaths=conflicted_deaths(filters),
    )


def sql_records(filters: TrackFilters, others: set | None) -> dict:
    """Return each party's track record against the others, worked out in PostgreSQL, over the claims kept."""
    return track_records_sql.party_records(
        kept_claims(filters),
        tolerance=settings.TRACKER_APPROXIMATE_TOLERANCE,
        victim_side=filters.victim_side,
        others=others,
        conflicted_deaths=conflicted_deaths(filters),
    )


# Every party's records read every claim the filter keeps (seconds at a million claims): kept in the cache
# under the data version they were read at, which any write counts up, so a kept answer is never stale.
EVERY_PARTY_KEPT_FOR = 24 * 60 * 60


def party_track_records(filters: TrackFilters = TrackFilters()) -> list[tuple[str, TrackRecord]]:
    """Return the track record of each party with a claim the filter keeps (or a death claim in conflict), by
    party name; only those of `filters.parties` if it names any."""
    if filters.parties:
        return records_read(filters)
    key = "track-records:" + hashlib.sha256(f"{data_version()}|{filters!r}".encode()).hexdigest()
    records = cache.get(key)
    if records is None:
        records = records_read(filters)
        cache.set(key, records, EVERY_PARTY_KEPT_FOR)
    return records


def records_read(filters: TrackFilters) -> list[tuple[str, TrackRecord]]:
    """Return the track records `party_track_records` gives, read from the database."""
    assessor = None if filters.against.casefold() == OTHERS else party_named(filters.against)
    others = others_of(filters)
    if connection.vendor == "postgresql" and assessor is None:
        records = sql_records(filters, others)
    else:
        records = rules_records(filters, assessor, others)
    if filters.parties:
        records = {party: record for party, record in records.items() if party in filters.parties}
    names = dict(Party.objects.filter(pk__in=records).values_list("pk", "name"))
    return sorted(((names[party], record) for party, record in records.items()), key=lambda item: item[0].casefold())
