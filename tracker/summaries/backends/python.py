"""The summaries as the pure rules of tracker.rules.discrepancy compute them, event by event.

The rules are the one written definition of every stored result; this backend runs them and
stores what they return. It is SQLite's path, and the oracle the PostgreSQL backend is tested against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from tracker.models import Claim, ComparisonGroup, ContainmentDiscrepancy, Event, Inconsistency
from tracker.rules import discrepancy
from tracker.rules.counts import Count
from tracker.summaries import ranking, tallies
from tracker.summaries.fates import events_named_dead

CHUNK = 500
FACT_FIELDS = ["pk", *Claim.RULE_FIELDS]


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
        outcome=row["outcome"],
        subgroup=row["subgroup_id"],
    )


def claim_facts_by_event(event_ids: Iterable[int]) -> dict[int, list[discrepancy.ClaimFacts]]:
    """Return, per event, the engine's view of its claims as stored now."""
    facts: dict[int, list] = {event_id: [] for event_id in event_ids}
    for row in Claim.objects.filter(event_id__in=list(facts)).values(*FACT_FIELDS).iterator(2000):
        facts[row["event_id"]].append(claim_facts(row))
    return facts


def event_results(
    facts: dict[int, list[discrepancy.ClaimFacts]], rules: discrepancy.Thresholds
) -> dict[int, discrepancy.EventResult]:
    """Compute the results of the events from their claims and their named dead."""
    named = events_named_dead(list(facts))
    return {event_id: discrepancy.event_result(claims, rules, named[event_id]) for event_id, claims in facts.items()}


def summaries_store(*, event_ids: list[int], thresholds: discrepancy.Thresholds) -> int:
    """Lock these events, compute their results by the pure rules and store them; return how many
    were still there to lock."""
    # Refreshes of one event wait for each other, so that each reads the claims the other committed.
    # "No key" leaves alone the key-share locks that inserting a claim takes on its event, and the
    # order by key keeps two refreshes from waiting on each other.
    locking = Event.objects.select_for_update(no_key=True).filter(pk__in=event_ids).order_by("pk")
    locked = list(locking.values_list("pk", flat=True))
    facts = claim_facts_by_event(locked)
    store_results(event_results(facts, thresholds), facts)
    return len(locked)


def rebuild_begin() -> None:
    """Empty every tally: the rebuild's refreshes fill them again, event by event."""
    tallies.tallies_clear()


def rebuild_end() -> None:
    """Nothing to finish: the refreshes moved the totals as they went."""


def event_summary(result: discrepancy.EventResult) -> dict:
    """Return the stored summary of an event, by field name (the fields of `Event.SUMMARY_FIELDS`)."""
    return {
        "level": result.level,
        "severity": result.severity,
        "ratio": result.ratio,
        "ratio_rank": ranking.ratio_rank(
            result.level, result.ratio, result.leading.bounds[0] if result.leading else None
        ),
        "classification_dispute": result.classification_dispute,
        "injured_level": result.injured_level,
        "injured_severity": result.injured_severity,
        "inconsistent": bool(result.inconsistencies),
        "party_count": len(result.parties),
        "claim_count": sum(group.claim_count for group in result.groups),
        "named_killed": result.named_killed,
    }


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
            outcome=group.outcome,
            category=group.category,
            victim_side_id=group.victim_side,
            subgroup_id=group.subgroup,
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
    store_inconsistencies(results, existing)
    current = frozenset().union(*(results[event_id].current for event_id in existing))
    claims = Claim.objects.filter(event_id__in=existing)
    # Whether a claim is current is the rules' result, not what they read: these updates announce nothing.
    claims.filter(is_current=False, pk__in=current).update(is_current=True)
    claims.filter(is_current=True).exclude(pk__in=current).update(is_current=False)
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
            outcome=item.outcome,
            category=item.category,
            victim_side_id=item.victim_side,
            subgroup_id=item.subgroup,
            level=item.level,
            severity=item.severity,
            ratio=item.ratio,
            lo=item.lo,
            hi=item.hi,
            parts_party_id=item.parts_party,
            whole_party_id=item.whole_party,
            whole_claim_id=item.whole,
            sets_level=item is results[event_id].leading,
            named=item.named,
        )
        for event_id, item in found
    )
    Parts = ContainmentDiscrepancy.parts.through
    Parts.objects.bulk_create(
        Parts(containmentdiscrepancy_id=row.pk, claim_id=part.key)
        for row, (_event_id, item) in zip(stored, found, strict=True)
        for part in item.parts
    )


def store_inconsistencies(results: dict[int, discrepancy.EventResult], existing: list[int]) -> None:
    """Store each event's inconsistencies: a party's subgroup above its own whole."""
    Inconsistency.objects.filter(event_id__in=existing).delete()
    Inconsistency.objects.bulk_create(
        Inconsistency(
            event_id=event_id,
            party_id=item.party,
            outcome=item.outcome,
            category=item.category,
            victim_side_id=item.victim_side,
            subgroup_id=item.subgroup,
            lo=item.lo,
            hi=item.hi,
            part_claim_id=item.part,
            whole_claim_id=item.whole,
        )
        for event_id in existing
        for item in results[event_id].inconsistencies
    )
