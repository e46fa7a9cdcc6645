"""Assertions shared by the tests: the stored results are what computing them afresh gives."""

from collections import Counter

from django.db.models import Count
from django.db.models.functions import TruncMonth

from tracker.models import (
    Claim,
    ComparisonGroup,
    ContainmentDiscrepancy,
    Event,
    Inconsistency,
    MonthTally,
    PartyTally,
)
from tracker.models.tallies import LEVEL_COLUMNS, STANDING_COLUMNS
from tracker.rules.counts import Count as ClaimCount
from tracker.rules.discrepancy import ClaimFacts, ContainmentResult, event_result
from tracker.summaries import thresholds
from tracker.summaries.fates import events_named_dead


def recomputed(event):
    """Apply the rules afresh to the event's claims as stored, independent of the stored summary."""
    facts = [
        ClaimFacts(
            key=claim.pk,
            party=claim.party_id,
            category=claim.category,
            victim_side=claim.victim_side_id,
            count=ClaimCount(claim.qualifier, claim.low, claim.best, claim.high),
            claimed_on=claim.claimed_on,
            entered=(claim.entered_at, claim.pk),
            retracted=claim.retracted,
            outcome=claim.outcome,
            subgroup=claim.subgroup_id,
        )
        for claim in Claim.objects.filter(event=event)
    ]
    # Its named dead, by the fate rules over every fate claim of the people named in it.
    return event_result(facts, thresholds(), events_named_dead([event.pk])[event.pk])


def leading_stored(event):
    """The stored comparison marked as setting the event's level, as (kind, outcome, category, side, subgroup)."""
    return [
        (kind, item.outcome, item.category, item.victim_side_id, item.subgroup_id)
        for kind, comparisons in (("group", event.groups), ("containment", event.containment))
        for item in comparisons.filter(sets_level=True)
    ]


def leading_expected(result):
    leading = result.leading
    if leading is None:
        return []
    kind = "containment" if isinstance(leading, ContainmentResult) else "group"
    return [(kind, leading.outcome, leading.category, leading.victim_side, leading.subgroup)]


def assert_summaries_in_step():
    """Every event's stored summary, groups, current claims and containment are what the rules give now."""
    for event in Event.objects.all():
        result = recomputed(event)
        stored = (
            event.level, event.severity, event.ratio, event.classification_dispute, event.injured_level,
            event.injured_severity, event.inconsistent, event.party_count, event.claim_count,
        )  # fmt: skip
        expected = (
            result.level, result.severity, result.ratio, result.classification_dispute, result.injured_level,
            result.injured_severity, bool(result.inconsistencies), len(result.parties),
            sum(group.claim_count for group in result.groups),
        )  # fmt: skip
        assert stored == expected, event.ref
        stored_groups = sorted(
            ComparisonGroup.objects.filter(event=event).values_list(
                "outcome", "category", "victim_side_id", "subgroup_id", "level", "ratio", "lo_max", "hi_min",
                "party_count", "claim_count",
            ),
            key=str,
        )  # fmt: skip
        expected_groups = sorted(
            (
                (g.outcome, g.category, g.victim_side, g.subgroup, g.level, g.ratio, g.lo_max, g.hi_min,
                 g.party_count, g.claim_count)
                for g in result.groups
            ),
            key=str,
        )  # fmt: skip
        assert stored_groups == expected_groups, event.ref
        assert set(event.claims.current().values_list("pk", flat=True)) == result.current, event.ref
        stored_containment = sorted(
            (
                item.outcome, item.category, str(item.victim_side_id), str(item.subgroup_id), item.level,
                item.severity, item.ratio, item.lo, item.hi, item.parts_party_id, item.whole_party_id,
                item.whole_claim_id, frozenset(part.pk for part in item.parts.all()),
            )
            for item in ContainmentDiscrepancy.objects.filter(event=event)
        )  # fmt: skip
        expected_containment = sorted(
            (
                item.outcome, item.category, str(item.victim_side), str(item.subgroup), item.level, item.severity,
                item.ratio, item.lo, item.hi, item.parts_party, item.whole_party, item.whole,
                frozenset(part.key for part in item.parts),
            )
            for item in result.containment
        )  # fmt: skip
        assert stored_containment == expected_containment, event.ref
        stored_inconsistencies = sorted(
            Inconsistency.objects.filter(event=event).values_list(
                "party_id", "outcome", "category", "victim_side_id", "subgroup_id", "lo", "hi", "part_claim_id",
                "whole_claim_id",
            ),
            key=str,
        )  # fmt: skip
        expected_inconsistencies = sorted(
            (
                (item.party, item.outcome, item.category, item.victim_side, item.subgroup, item.lo, item.hi,
                 item.part, item.whole)
                for item in result.inconsistencies
            ),
            key=str,
        )  # fmt: skip
        assert stored_inconsistencies == expected_inconsistencies, event.ref
        assert leading_stored(event) == leading_expected(result), event.ref
    assert not ComparisonGroup.objects.exclude(event__in=Event.objects.all()).exists()
    assert not ContainmentDiscrepancy.objects.exclude(event__in=Event.objects.all()).exists()
    assert not Inconsistency.objects.exclude(event__in=Event.objects.all()).exists()


def counted_party_tallies() -> dict[int, dict]:
    """Count, over every claim as stored, what the party tally should hold (the old per-request count)."""
    tallies: dict[int, Counter] = {}
    for claim in Claim.objects.with_group_summary().select_related("event"):
        tally = tallies.setdefault(claim.party_id, Counter())
        tally["claims"] += 1
        if claim.standing is not None:
            tally[claim.standing] += 1
    events = Claim.objects.order_by().values_list("party_id", "event_id", "event__level").distinct()
    for party, _event, level in events:
        tallies[party]["events"] += 1
        if level is not None:
            tallies[party][LEVEL_COLUMNS[level]] += 1
    columns = ("claims", "events", *STANDING_COLUMNS, *LEVEL_COLUMNS.values())
    return {party: {name: tally[name] for name in columns} for party, tally in tallies.items()}


def stored_party_tallies() -> dict[int, dict]:
    columns = ("claims", "events", *STANDING_COLUMNS, *LEVEL_COLUMNS.values())
    return {
        row["party_id"]: {name: row[name] for name in columns}
        for row in PartyTally.objects.filter(claims__gt=0).values("party_id", *columns)
    }


def counted_months() -> dict:
    per_month = Claim.objects.order_by().annotate(month=TruncMonth("claimed_on")).values_list("month")
    return dict(per_month.annotate(total=Count("pk")))


def stored_months() -> dict:
    return dict(MonthTally.objects.filter(claims__gt=0).values_list("month", "claims"))


def assert_tallies_in_step():
    """The stored party and month tallies are what a count over every claim gives."""
    assert stored_party_tallies() == counted_party_tallies()
    assert stored_months() == counted_months()
