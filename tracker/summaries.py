"""Keeping the stored discrepancy summaries in step with the claims.

Every write to a claim (save, delete, the queryset's update and bulk writes, the importer)
ends in `event_summaries_refresh`, which runs the pure rules of tracker.rules.discrepancy on the
touched events and stores their results, so that lists filter and sort without computing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.db import connection, models, transaction

from tracker import summaries_sql, tallies
from tracker.choices import choices_forget
from tracker.models import Claim, ComparisonGroup, ContainmentDiscrepancy, Event
from tracker.rules import discrepancy
from tracker.rules.counts import Count

CHUNK = 500
# PostgreSQL computes a set of events at once: a chunk is as large as keeps its temporary tables small.
SQL_CHUNK = 20_000
# A denial's ratio is unbounded (none is stored): lists sort and filter it as above any ratio.
DENIAL_RANK = Decimal(10) ** 19
FACT_FIELDS = ["pk", *Claim.RULE_FIELDS]

_deferred: ContextVar[set | None] = ContextVar("deferred_summary_events", default=None)


def rules_read(fields) -> bool:
    """Whether a write to these claim fields (names or attribute names) can change a rule's result."""
    return any(f"{name}_id" in Claim.RULE_FIELDS or name in Claim.RULE_FIELDS for name in fields)


def thresholds() -> discrepancy.Thresholds:
    return discrepancy.Thresholds(
        tolerance=settings.TRACKER_APPROXIMATE_TOLERANCE,
        major_ratio=settings.TRACKER_MAJOR_RATIO,
        major_gap=settings.TRACKER_MAJOR_GAP,
    )


def claim_facts(row: dict) -> discrepancy.ClaimFacts:
    """Return the engine's view of a claim from its `FACT_FIELDS` values."""
    return discrepancy.ClaimFacts(
        key=row["pk"],
        party=row["party_id"],
        category=row["category"],
        victim_side=row["victim_side_id"],
        count=Count(row["qualifier"], row["low"], row["best"], row["high"]),
        claimed_on=row["claimed_on"],
        entered=(row["entered_at"], row["pk"]),
        retracted=row["retracted"],
    )


def event_facts(event_ids: Iterable[int]) -> dict[int, list[discrepancy.ClaimFacts]]:
    """Return, per event, the engine's view of its claims as stored now."""
    facts: dict[int, list] = {event_id: [] for event_id in event_ids}
    for row in Claim.objects.filter(event_id__in=list(facts)).values(*FACT_FIELDS).iterator(2000):
        facts[row["event_id"]].append(claim_facts(row))
    return facts


def event_results(facts: dict[int, list[discrepancy.ClaimFacts]]) -> dict[int, discrepancy.EventResult]:
    """Compute the results of the events from their claims."""
    rules = thresholds()
    return {event_id: discrepancy.event_result(claims, rules) for event_id, claims in facts.items()}


@contextmanager
def summaries_deferred() -> Iterator[None]:
    """Refresh each event touched inside the block once, at its end, instead of at every write."""
    if _deferred.get() is not None:
        yield
        return
    touched: set = set()
    token = _deferred.set(touched)
    try:
        yield
    finally:
        _deferred.reset(token)
    event_summaries_refresh(events=touched)


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def event_summaries_refresh(*, events: Iterable[int | Event] | None = None) -> int:
    """Recompute and store the summaries of these events (all events when None); return how many."""
    in_sql = connection.vendor == "postgresql"
    if events is None:
        event_ids = Event.objects.order_by("pk").values_list("pk", flat=True).iterator(SQL_CHUNK)
        if not in_sql:
            tallies.tallies_clear()
    else:
        event_ids = sorted({getattr(event, "pk", event) for event in events if event is not None})
        pending = _deferred.get()
        if pending is not None:
            pending.update(event_ids)
            return 0
    refreshed = 0
    for chunk in chunked(event_ids, SQL_CHUNK if in_sql else CHUNK):
        with transaction.atomic():
            refreshed += event_summaries_store(chunk)
    if events is None and in_sql:
        # The SQL rewrites only the shares that differ, so a rebuild keeps them and counts the totals
        # afresh from them at the end (rather than empty every tally first, as the rules' path does).
        with transaction.atomic():
            summaries_sql.totals_recount()
        choices_forget()
    return refreshed


def event_summaries_store(event_ids: list[int]) -> int:
    """Lock these events, compute and store their summaries (set-based in SQL on PostgreSQL, by the pure
    rules elsewhere); return how many were still there to lock."""
    # Refreshes of one event wait for each other, so that each reads the claims the other committed.
    # "No key" leaves alone the key-share locks that inserting a claim takes on its event, and the
    # order by key keeps two refreshes from waiting on each other. The SQL locks them alike.
    if connection.vendor == "postgresql":
        locked, parties_moved = summaries_sql.summaries_store(
            event_ids=event_ids, thresholds=thresholds(), denial_rank=DENIAL_RANK
        )
        if parties_moved:
            choices_forget()  # the claimants listed may have changed
        return locked
    locking = Event.objects.select_for_update(no_key=True).filter(pk__in=event_ids).order_by("pk")
    locked = list(locking.values_list("pk", flat=True))
    facts = event_facts(locked)
    store_results(event_results(facts), facts)
    return len(locked)


def event_summary(result: discrepancy.EventResult) -> dict:
    """Return the stored summary of an event, by field name (the fields of `Event.SUMMARY_FIELDS`)."""
    return {
        "level": result.level,
        "severity": result.severity,
        "ratio": result.ratio,
        "ratio_rank": ratio_rank(result.level, result.ratio),
        "classification_dispute": result.classification_dispute,
        "party_count": len(result.parties),
        "claim_count": sum(group.claim_count for group in result.groups),
    }


def ratio_rank(level: str | None, ratio: Decimal | None) -> Decimal | None:
    """Return the ratio as lists sort and filter on it: a denial's, unbounded, above every ratio."""
    return DENIAL_RANK if level == discrepancy.DENIAL else ratio


def store_results(results: dict[int, discrepancy.EventResult], facts: dict[int, list]) -> None:
    existing = list(results)  # locked by the caller, so still there
    # One UPDATE per distinct summary rather than bulk_update's CASE per event: most events of a
    # batch share a few summaries, and Django builds bulk_update's expressions slowly.
    events_by_summary: dict[tuple, list[int]] = defaultdict(list)
    for event_id in existing:
        events_by_summary[tuple(event_summary(results[event_id]).items())].append(event_id)
    for summary, event_ids in events_by_summary.items():
        Event.objects.filter(pk__in=event_ids).update(**dict(summary))

    ComparisonGroup.objects.filter(event_id__in=existing).delete()
    ComparisonGroup.objects.bulk_create(
        ComparisonGroup(
            event_id=event_id,
            category=group.category,
            victim_side_id=group.victim_side,
            level=group.level,
            severity=group.severity,
            ratio=group.ratio,
            lo_max=group.lo_max,
            hi_min=group.hi_min,
            party_count=group.party_count,
            claim_count=group.claim_count,
            sets_level=group is results[event_id].leading,
        )
        for event_id in existing
        for group in results[event_id].groups
    )
    store_containment(results, existing)
    current = frozenset().union(*(results[event_id].current for event_id in existing))
    claims = Claim.objects.filter(event_id__in=existing)
    claims.filter(is_current=False, pk__in=current).update_without_refresh(is_current=True)
    claims.filter(is_current=True).exclude(pk__in=current).update_without_refresh(is_current=False)
    tallies.tallies_store({event_id: tallies.event_shares(facts[event_id], results[event_id]) for event_id in existing})


def store_containment(results: dict[int, discrepancy.EventResult], existing: list[int]) -> None:
    """Store each event's containment discrepancies, with the claims each one adds up."""
    ContainmentDiscrepancy.objects.filter(event_id__in=existing).delete()
    found = [(event_id, item) for event_id in existing for item in results[event_id].containment]
    if not found:
        return
    stored = ContainmentDiscrepancy.objects.bulk_create(
        ContainmentDiscrepancy(
            event_id=event_id,
            category=item.category,
            level=item.level,
            severity=item.severity,
            ratio=item.ratio,
            lo=item.lo,
            hi=item.hi,
            parts_party_id=item.parts_party,
            whole_party_id=item.whole_party,
            whole_claim_id=item.whole,
            sets_level=item is results[event_id].leading,
        )
        for event_id, item in found
    )
    Parts = ContainmentDiscrepancy.parts.through
    Parts.objects.bulk_create(
        Parts(containmentdiscrepancy_id=row.pk, claim_id=part.key)
        for row, (_event_id, item) in zip(stored, found, strict=True)
        for part in item.parts
    )


def claim_saved(sender, instance: Claim, created=False, update_fields=None, raw=False, **kwargs):
    if raw:  # loaded from a backup, which holds the summaries too
        return
    if not created and ((update_fields is not None and not rules_read(update_fields)) or not instance.rules_changed()):
        return
    # A claim moved to another event leaves its old event to be refreshed too.
    event_summaries_refresh(events={instance.event_id, instance.loaded_event_id})
    instance.rules_loaded()


def claim_deleted(sender, instance: Claim, origin=None, **kwargs):
    # When the event itself is being deleted there is nothing left to summarise.
    deleting_event = isinstance(origin, Event) or (isinstance(origin, models.QuerySet) and origin.model is Event)
    if not deleting_event:
        event_summaries_refresh(events={instance.event_id})
