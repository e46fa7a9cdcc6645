"""The discrepancy rules of shared/DESIGN.md, one table row per rule, and their invariants."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rules.counts import Count, Interval, interval_for
from tracker.rules.discrepancy import (
    AGREE,
    DENIAL,
    INJURED,
    KILLED,
    MAJOR,
    MINOR,
    SEVERITY,
    SINGLE,
    ClaimFacts,
    ContainmentResult,
    NamedDeath,
    Thresholds,
    event_result,
    level_for,
)

DAY = date(2020, 1, 1)


def claim(
    key, party, count, *, category="civilian", side=None, on=DAY, entered=0, retracted=False, outcome=KILLED,
    subgroup=None,
):  # fmt: skip
    if isinstance(count, int):
        count = Count("exact", best=count)
    return ClaimFacts(
        key=key,
        party=party,
        category=category,
        victim_side=side,
        count=count,
        claimed_on=on,
        entered=(entered, key),
        retracted=retracted,
        outcome=outcome,
        subgroup=subgroup,
    )


@dataclass(frozen=True)
class Of:
    """A claim's subgroup, among the extras of a case's claim: who among the dead or injured it counts."""

    subgroup: str


CHILDREN, WOMEN, COMMANDERS, JOURNALISTS = Of("children"), Of("women"), Of("commanders"), Of("journalists")


def about(n):
    return Count("approximate", best=n)


def at_least(n):
    return Count("at_least", low=n)


def at_most(n):
    return Count("at_most", high=n)


def between(low, high):
    return Count("range", low=low, high=high)


# One row per rule of the design's level table, and its boundaries.
LEVEL_CASES = [
    # (description, counts of the parties, level, ratio)
    ("one party only is uncorroborated", [40], SINGLE, None),
    ("one open-ended party only", [at_least(3)], SINGLE, None),
    ("equal exact counts agree", [12, 12], AGREE, None),
    ("an exact count inside a range agrees", [13, between(12, 15)], AGREE, None),
    ("touching bounds agree (L = H)", [between(10, 12), between(12, 20)], AGREE, None),
    ("open-ended claims always meet", [at_least(5), at_least(500)], AGREE, None),
    ("at most and at least overlapping", [at_most(30), at_least(30)], AGREE, None),
    ("about 40 covers 36", [about(40), 36], AGREE, None),
    ("about 40 covers 44", [about(40), 44], AGREE, None),
    ("zero and zero agree", [0, 0], AGREE, None),
    ("zero and up to 5 agree", [0, at_most(5)], AGREE, None),
    ("a zero against deaths is a denial", [0, 8], DENIAL, None),
    ("a zero against at least one is a denial", [0, at_least(1)], DENIAL, None),
    ("up to 0 against a range is a denial", [at_most(0), between(3, 5)], DENIAL, None),
    ("far apart is major", [40, 12], MAJOR, Decimal("3.33")),
    ("ratio 1.5 and gap 3 exactly is major", [9, 6], MAJOR, Decimal("1.50")),
    ("ratio just under 1.5 is minor", [14, 10], MINOR, Decimal("1.40")),
    ("ratio over 1.5 but gap 2 is minor", [3, 1], MINOR, Decimal("3.00")),
    ("gap 3 but ratio under 1.5 is minor", [23, 20], MINOR, Decimal("1.15")),
    ("about 40 against 45 is minor (L=45, H=44)", [about(40), 45], MINOR, Decimal("1.02")),
    ("at least 20 against up to 18 is minor", [at_least(20), at_most(18)], MINOR, Decimal("1.11")),
    ("three parties: the tightest pair decides", [between(10, 12), 11, 30], MAJOR, Decimal("2.73")),
    ("ratio rounds half up to two decimals", [201, 200], MINOR, Decimal("1.01")),
    ("a denial outranks a far-apart third party", [0, 5, 500], DENIAL, None),
]


@pytest.mark.parametrize(
    ("counts", "level", "ratio"),
    [case[1:] for case in LEVEL_CASES],
    ids=[case[0] for case in LEVEL_CASES],
)
def test_group_level_follows_the_design_table(counts, level, ratio):
    result = event_result([claim(index, f"party {index}", count) for index, count in enumerate(counts)])
    (group,) = result.groups
    assert (group.level, group.ratio) == (level, ratio)
    assert (result.level, result.ratio) == (level, ratio)


INTERVAL_CASES = [
    (Count("exact", best=40), Interval(40, 40)),
    (Count("exact", best=0), Interval(0, 0)),
    (about(40), Interval(36, 44)),
    (about(50), Interval(45, 55)),  # exact arithmetic: never [45, 56]
    (about(45), Interval(40, 50)),  # 40.5 floors to 40, 49.5 ceils to 50
    (about(1), Interval(0, 2)),
    (about(0), Interval(0, 0)),
    (about(10), Interval(9, 11)),
    (about(7), Interval(6, 8)),
    (at_least(12), Interval(12, None)),
    (at_most(30), Interval(0, 30)),
    (between(12, 15), Interval(12, 15)),
    (Count("range", low=12, best=13, high=15), Interval(12, 15)),
]


@pytest.mark.parametrize(("count", "interval"), INTERVAL_CASES, ids=[str(case[0]) for case in INTERVAL_CASES])
def test_interval_per_qualifier(count, interval):
    assert interval_for(count, tolerance=Fraction(1, 10)) == interval


def test_tolerance_is_a_setting():
    assert interval_for(about(40), tolerance=Fraction(1, 4)) == Interval(30, 50)


def test_major_thresholds_are_settings():
    strict = Thresholds(major_ratio=Fraction(2), major_gap=10)
    assert level_for([Interval(12, 12), Interval(40, 40)], strict)[0] == MAJOR
    assert level_for([Interval(9, 9), Interval(6, 6)], strict)[0] == MINOR


def test_latest_claim_of_a_party_is_current():
    result = event_result(
        [
            claim(1, "monitor", 10, on=DAY),
            claim(2, "monitor", 40, on=DAY + timedelta(days=3)),
            claim(3, "ministry", 40, on=DAY + timedelta(days=1)),
        ]
    )
    assert result.current == {2, 3}
    assert result.level == AGREE


def test_ties_on_claim_date_go_to_the_latest_entered():
    result = event_result(
        [claim(1, "monitor", 40, entered=2), claim(2, "monitor", 10, entered=1), claim(3, "ministry", 40)]
    )
    assert result.current == {1, 3}
    assert result.level == AGREE


def test_retracted_claims_are_ignored_but_earlier_claims_stand():
    result = event_result(
        [
            claim(1, "monitor", 40, on=DAY),
            claim(2, "monitor", 10, on=DAY + timedelta(days=5), retracted=True),
            claim(3, "ministry", 40),
        ]
    )
    assert result.current == {1, 3}
    assert result.level == AGREE


def test_a_group_of_retracted_claims_has_no_level():
    result = event_result([claim(1, "monitor", 40, retracted=True)])
    (group,) = result.groups
    assert (group.level, group.party_count, group.claim_count) == (None, 0, 1)
    assert result.level is None


def test_no_claims_no_level():
    result = event_result([])
    assert (result.level, result.ratio, result.classification_dispute, result.groups) == (None, None, False, ())


def test_victim_sides_are_compared_apart():
    # In a clash, A's count of B's dead is never compared with B's count of A's dead.
    result = event_result(
        [
            claim(1, "A", 30, category="combatant", side="B"),
            claim(2, "B", 30, category="combatant", side="B"),
            claim(3, "B", 2, category="combatant", side="A"),
            claim(4, "A", 2, category="combatant", side="A"),
        ]
    )
    assert [group.level for group in result.groups] == [AGREE, AGREE]


def test_categories_are_compared_apart():
    result = event_result([claim(1, "A", 30, category="civilian"), claim(2, "B", 2, category="combatant")])
    assert [group.level for group in result.groups] == [SINGLE, SINGLE]


def test_event_takes_the_most_severe_group_and_no_ratio_for_a_denial():
    result = event_result(
        [
            claim(1, "A", 0, category="civilian"),
            claim(2, "B", 9, category="civilian"),
            claim(3, "A", 40, category="combatant"),
            claim(4, "B", 12, category="combatant"),
            claim(5, "A", 14, category="total"),
            claim(6, "B", 10, category="total"),
        ]
    )
    assert [group.level for group in result.groups] == [MINOR, DENIAL, MAJOR]
    # The ratio belongs to the comparison that sets the level: a denial has none, whatever the others say.
    assert (result.level, result.ratio) == (DENIAL, None)
    assert result.leading == result.groups[1]


def test_a_denial_beside_a_minor_discrepancy_shows_no_ratio():
    result = event_result(
        [
            claim(1, "A", 0, category="civilian"),
            claim(2, "B", 9, category="civilian"),
            claim(3, "A", 20, category="combatant"),
            claim(4, "B", 18, category="combatant"),
        ]
    )
    assert [(group.level, group.ratio) for group in result.groups] == [(DENIAL, None), (MINOR, Decimal("1.11"))]
    assert (result.level, result.ratio) == (DENIAL, None)


def test_the_event_ratio_is_the_largest_among_the_comparisons_at_its_level():
    result = event_result(
        [
            claim(1, "A", 10, category="civilian"),
            claim(2, "B", 20, category="civilian"),  # major, 2.00
            claim(3, "A", 5, category="combatant"),
            claim(4, "B", 50, category="combatant"),  # major, 10.00
            claim(5, "A", 20, category="unknown"),
            claim(6, "B", 19, category="unknown"),  # minor, 1.05: not at the event's level
        ]
    )
    assert (result.level, result.ratio) == (MAJOR, Decimal("10.00"))
    assert (result.leading.category, result.leading.bounds) == ("combatant", (50, 5))


def test_on_equal_rounded_ratios_the_exact_ratio_decides():
    # 2/3 of the way: 1.333… and 1.334 both round to 1.33; the larger exact one leads, with its L and H.
    result = event_result(
        [
            claim(1, "A", 3000, category="civilian"),
            claim(2, "B", 4002, category="civilian"),  # 1.334
            claim(3, "A", 3, category="combatant"),
            claim(4, "B", 4, category="combatant"),  # 1.333…
        ]
    )
    assert [group.ratio for group in result.groups] == [Decimal("1.33"), Decimal("1.33")]
    assert result.leading.bounds == (4002, 3000)


def test_severity_order():
    assert sorted(SEVERITY, key=SEVERITY.get) == [AGREE, SINGLE, MINOR, MAJOR, DENIAL]


def test_stored_bounds_L_and_H():
    (group,) = event_result([claim(1, "A", between(10, 20)), claim(2, "B", at_least(25))]).groups
    assert (group.lo_max, group.hi_min, group.party_count) == (25, 20, 2)
    (open_group,) = event_result([claim(1, "A", at_least(3))]).groups
    assert (open_group.lo_max, open_group.hi_min) == (3, None)


DISPUTE_CASES = [
    # (description, claims as (party, category, count), dispute)
    ("combatants only against civilians only", [("A", "combatant", 40), ("B", "civilian", 12)], True),
    (
        "explicit zero civilians against civilians only",
        [("A", "combatant", 40), ("A", "civilian", 0), ("B", "civilian", 12)],
        True,
    ),
    (
        "explicit zero combatants on the other side",
        [("A", "combatant", 40), ("B", "civilian", 12), ("B", "combatant", 0)],
        True,
    ),
    ("both parties count civilians", [("A", "combatant", 40), ("A", "civilian", 2), ("B", "civilian", 12)], False),
    ("both parties count combatants", [("A", "combatant", 40), ("B", "civilian", 12), ("B", "combatant", 3)], False),
    ("a possible zero is not a claim of deaths", [("A", "combatant", at_most(40)), ("B", "civilian", 12)], False),
    (
        "a civilian count that may be zero is no denial",
        [("A", "combatant", 40), ("A", "civilian", at_most(3)), ("B", "civilian", 12)],
        False,
    ),
    ("one party alone cannot dispute", [("A", "combatant", 40), ("A", "civilian", 0)], False),
    ("totals do not count", [("A", "total", 40), ("B", "civilian", 12)], False),
    ("only combatant claims", [("A", "combatant", 40), ("B", "combatant", 12)], False),
    (
        "a subgroup's deaths are deaths of its category",
        [("A", "combatant", 40), ("B", "civilian", 0), ("B", "civilian", 5, CHILDREN)],
        True,
    ),
    (
        "a party counting children counts civilian deaths, whatever its whole says",
        [("A", "combatant", 40), ("A", "civilian", 0), ("A", "civilian", 3, CHILDREN), ("B", "civilian", 12)],
        False,
    ),
    (
        "a subgroup that may be zero leaves a zero whole as no deaths",
        [("A", "combatant", 40), ("A", "civilian", 0), ("A", "civilian", at_most(3), CHILDREN), ("B", "civilian", 12)],
        True,
    ),
    (
        "commanders alone are combatant deaths",
        [("A", "combatant", 4, COMMANDERS), ("B", "civilian", 12)],
        True,
    ),
    ("the injured are no deaths", [("A", "combatant", 40), ("B", "civilian", 12, INJURED)], False),
    (
        "injured civilians leave a party counting only combatant dead",
        [("A", "combatant", 40), ("A", "civilian", 5, INJURED), ("B", "civilian", 12)],
        True,
    ),
]


@pytest.mark.parametrize(
    ("claims", "dispute"), [case[1:] for case in DISPUTE_CASES], ids=[case[0] for case in DISPUTE_CASES]
)
def test_classification_dispute(claims, dispute):
    facts = containment_facts([(party, category, None, count, *extra) for party, category, count, *extra in claims])
    assert event_result(facts).classification_dispute is dispute


def test_classification_dispute_reads_current_claims_only():
    facts = [
        claim(1, "A", 40, category="combatant"),
        claim(2, "B", 12, category="civilian", on=DAY),
        claim(3, "B", 0, category="civilian", on=DAY + timedelta(days=1)),
    ]
    assert event_result(facts).classification_dispute is False


# Property tests: the invariants that must hold for any claims at all.

# Small numbers often, so that bounds meet exactly and zeros come up, and large ones too.
numbers = st.one_of(st.integers(0, 12), st.integers(0, 500))
counts = st.one_of(
    numbers.map(lambda n: Count("exact", best=n)),
    numbers.map(about),
    numbers.map(at_least),
    numbers.map(at_most),
    st.tuples(numbers, numbers).map(lambda pair: between(min(pair), max(pair))),
)
claim_lists = st.lists(
    st.tuples(
        st.sampled_from("ABCD"),
        st.sampled_from(["total", "civilian", "combatant"]),
        st.sampled_from([None, "A", "B"]),
        counts,
        st.integers(0, 5),
        st.booleans(),
        st.sampled_from([KILLED, KILLED, INJURED]),
        st.sampled_from([None, None, "children", "women"]),
    ),
    max_size=12,
)


def facts_of(rows):
    return [
        claim(key, party, count, category=category, side=side, on=DAY + timedelta(days=day), retracted=retracted,
              outcome=outcome, subgroup=subgroup)
        for key, (party, category, side, count, day, retracted, outcome, subgroup) in enumerate(rows)
    ]  # fmt: skip


def comparable(result):
    return (
        result.level, result.ratio, result.classification_dispute, result.groups, result.current,
        result.containment, result.leading, result.dispute_parties, result.injured_level, result.inconsistencies,
    )  # fmt: skip


@settings(max_examples=300)
@given(claim_lists, st.randoms())
def test_order_of_claims_never_changes_the_result(rows, random):
    facts = facts_of(rows)
    shuffled = facts[:]
    random.shuffle(shuffled)
    assert comparable(event_result(facts)) == comparable(event_result(shuffled))


@settings(max_examples=300)
@given(st.lists(counts, min_size=2, max_size=6), st.data())
def test_a_claim_inside_every_interval_never_raises_severity(group_counts, data):
    facts = [claim(index, f"party {index}", count) for index, count in enumerate(group_counts)]
    before = event_result(facts)
    intervals = [before.intervals[fact.key] for fact in facts]
    lo = max(interval.lo for interval in intervals)
    bounded = [interval.hi for interval in intervals if interval.hi is not None]
    hi = min(bounded, default=lo + 100)
    if lo > hi:
        return  # no value fits every interval: nothing to add
    value = data.draw(st.integers(lo, hi))
    after = event_result([*facts, claim(len(facts), "newcomer", value)])
    assert after.severity <= max(before.severity, SEVERITY[AGREE])
    if before.level != SINGLE:
        assert after.level == before.level


@settings(max_examples=300)
@given(claim_lists)
def test_levels_are_consistent_with_L_and_H(rows):
    facts = facts_of(rows)
    result = event_result(facts)
    for group in result.groups:
        # L and H recomputed here from each party's latest claim, not taken from the result.
        latest = {}
        for fact in sorted(facts, key=lambda fact: (fact.claimed_on, fact.key)):
            key = (group.outcome, group.category, group.victim_side, group.subgroup)
            if group_of(fact) == key and not fact.retracted:
                latest[fact.party] = fact
        intervals = [interval_for(fact.count, tolerance=Fraction(1, 10)) for fact in latest.values()]
        assert group.party_count == len(intervals)
        assert group.lo_max == max((interval.lo for interval in intervals), default=None)
        assert group.hi_min == min((interval.hi for interval in intervals if interval.hi is not None), default=None)
        if group.party_count == 0:
            assert group.level is None
        elif group.party_count == 1:
            assert group.level == SINGLE
        elif group.hi_min is None or group.lo_max <= group.hi_min:
            assert group.level == AGREE
        elif group.hi_min == 0:
            assert group.level == DENIAL and group.ratio is None
        else:
            ratio = Fraction(group.lo_max, group.hi_min)
            far_apart = ratio >= Fraction(3, 2) and group.lo_max - group.hi_min >= 3
            assert group.level == (MAJOR if far_apart else MINOR)
            exact = Decimal(group.lo_max) / Decimal(group.hi_min)
            assert group.ratio == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    # The event's level is its killed comparisons' worst; its injured level, its injured comparisons'.
    for outcome, severity in ((KILLED, result.severity), (INJURED, result.injured_severity)):
        comparisons = [item for item in (*result.groups, *result.containment) if item.outcome == outcome]
        assert severity == max((comparison.severity for comparison in comparisons), default=0)


def group_of(fact):
    return fact.outcome, fact.category, fact.victim_side, fact.subgroup


# Containment (DESIGN.md, revision 2): a party's parts of a whole set against another party's whole.
# Claims are (party, category, victim side, count), or with a fifth item: "retracted", or a day
# offset for a later claim of the same party that supersedes the earlier one.
CONTAINMENT_CASES = [
    # (description, claims, containment found as (whole's category, level, ratio, L, H, parts' party,
    # whole's party), the event's level and ratio)
    (
        "the seed's case: about 40 Islamic State militants against no fighters killed",
        [("ministry", "combatant", "IS", about(40)), ("monitor", "combatant", None, 0)],
        [("combatant", DENIAL, None, 36, 0, "ministry", "monitor")],
        (DENIAL, None),
    ),
    (
        "a total against parts of another category: 12 killed against 40 civilians",
        [("monitor", "total", None, 12), ("ministry", "civilian", None, 40)],
        [("total", MAJOR, Decimal("3.33"), 40, 12, "ministry", "monitor")],
        (MAJOR, Decimal("3.33")),
    ),
    (
        "a total against sided parts: 12 killed against about 40 Islamic State militants",
        [("monitor", "total", None, 12), ("ministry", "combatant", "IS", about(40))],
        [("total", MAJOR, Decimal("3.00"), 36, 12, "ministry", "monitor")],
        (MAJOR, Decimal("3.00")),
    ),
    (
        "a total is the sum of the categories",
        [("A", "civilian", None, 6), ("A", "combatant", None, 7), ("B", "total", None, 12)],
        [("total", MINOR, Decimal("1.08"), 13, 12, "A", "B")],
        (MINOR, Decimal("1.08")),
    ),
    (
        "a total's parts take each category's no-side claim over its sided ones",
        [("A", "civilian", None, 5), ("A", "civilian", "X", 30), ("B", "total", None, 10)],
        [],
        (SINGLE, None),
    ),
    (
        "a total's parts add the victim sides of a category",
        [("A", "combatant", "X", 10), ("A", "combatant", "Y", 10), ("B", "total", None, 15)],
        [("total", MINOR, Decimal("1.33"), 20, 15, "A", "B")],
        (MINOR, Decimal("1.33")),
    ),
    (
        "sided sums against a no-side whole",
        [("A", "combatant", "X", 10), ("A", "combatant", "Y", 8), ("B", "combatant", None, at_most(15))],
        [("combatant", MINOR, Decimal("1.20"), 18, 15, "A", "B")],
        (MINOR, Decimal("1.20")),
    ),
    (
        "sided sums are lower bounds: ranges add their low ends",
        [("A", "civilian", "X", between(3, 9)), ("A", "civilian", "Y", at_least(4)), ("B", "civilian", None, 6)],
        [("civilian", MINOR, Decimal("1.17"), 7, 6, "A", "B")],
        (MINOR, Decimal("1.17")),
    ),
    (
        "parts that fit within the whole are no discrepancy (L = H)",
        [("A", "civilian", "X", 5), ("A", "civilian", "Y", 6), ("B", "civilian", None, about(10))],
        [],
        (SINGLE, None),
    ),
    (
        "an open-ended whole holds any parts",
        [("A", "civilian", None, 400), ("B", "total", None, at_least(5))],
        [],
        (SINGLE, None),
    ),
    (
        "an upper bound is a whole: up to 30 against 45",
        [("A", "combatant", "X", 45), ("B", "combatant", None, at_most(30))],
        [("combatant", MAJOR, Decimal("1.50"), 45, 30, "A", "B")],
        (MAJOR, Decimal("1.50")),
    ),
    (
        "unknown victims are a whole of their own",
        [("A", "unknown", "X", 5), ("B", "unknown", None, 2)],
        [("unknown", MAJOR, Decimal("2.50"), 5, 2, "A", "B")],
        (MAJOR, Decimal("2.50")),
    ),
    (
        "a party's parts are never set against its own whole",
        [("A", "combatant", "X", 40), ("A", "combatant", None, 0)],
        [],
        (SINGLE, None),
    ),
    (
        "but another party's whole is",
        [("A", "combatant", "X", 40), ("A", "combatant", None, 0), ("B", "combatant", None, 0)],
        [("combatant", DENIAL, None, 40, 0, "A", "B")],
        (DENIAL, None),
    ),
    (
        "a total with a side is neither a whole nor a part",
        [("A", "total", "X", 50), ("B", "total", None, 10), ("B", "civilian", "X", 20), ("A", "civilian", None, 5)],
        [("civilian", MAJOR, Decimal("4.00"), 20, 5, "B", "A")],
        (MAJOR, Decimal("4.00")),
    ),
    (
        "a retracted part is ignored",
        [("A", "combatant", "X", 40, "retracted"), ("B", "combatant", None, 0)],
        [],
        (SINGLE, None),
    ),
    (
        "a retracted whole is ignored",
        [("A", "combatant", "X", 40), ("B", "combatant", None, 0, "retracted")],
        [],
        (SINGLE, None),
    ),
    (
        "a superseded part is ignored",
        [("A", "combatant", "X", 40), ("A", "combatant", "X", 0, 1), ("B", "combatant", None, 0)],
        [],
        (SINGLE, None),
    ),
    (
        "a superseded whole is ignored",
        [("A", "combatant", "X", 40), ("B", "combatant", None, 0), ("B", "combatant", None, at_least(40), 1)],
        [],
        (SINGLE, None),
    ),
    (
        "per whole, the most severe pair: a denial over a major",
        [("A", "total", None, 0), ("B", "total", None, 10), ("C", "civilian", None, 30)],
        [("total", DENIAL, None, 30, 0, "C", "A")],
        (DENIAL, None),
    ),
    (
        "then the largest ratio",
        [("A", "civilian", "X", 40), ("B", "civilian", "X", 30), ("C", "civilian", None, 10)],
        [("civilian", MAJOR, Decimal("4.00"), 40, 10, "A", "C")],
        (MAJOR, Decimal("4.00")),
    ),
    (
        "then the largest L",
        [("A", "civilian", "X", 40), ("A", "civilian", None, 10), ("B", "civilian", "Y", 20),
         ("B", "civilian", None, 20)],
        [("civilian", MAJOR, Decimal("2.00"), 40, 20, "A", "B")],
        (MAJOR, Decimal("2.00")),
    ),
    (
        "a denial's largest L leads among denials",
        [("A", "combatant", "X", 36), ("B", "combatant", "Y", 50), ("C", "combatant", None, 0)],
        [("combatant", DENIAL, None, 50, 0, "B", "C")],
        (DENIAL, None),
    ),
    (
        "the event counts containment: a major containment above a minor group",
        [("A", "total", None, 20), ("B", "total", None, 18), ("B", "civilian", None, 40)],
        [("total", MAJOR, Decimal("2.00"), 40, 20, "B", "A")],
        (MAJOR, Decimal("2.00")),
    ),
    (
        "the event's ratio comes from the containment when it is the widest at the event's level",
        [("A", "civilian", None, 10), ("B", "civilian", None, 20), ("B", "total", None, 5)],
        [("total", MAJOR, Decimal("2.00"), 10, 5, "A", "B")],
        (MAJOR, Decimal("2.00")),
    ),
    (
        "each whole has its own containment",
        [("A", "combatant", "X", 36), ("B", "combatant", None, 0), ("B", "total", None, 12),
         ("A", "civilian", None, 30)],
        [("total", MAJOR, Decimal("5.50"), 66, 12, "A", "B"), ("combatant", DENIAL, None, 36, 0, "A", "B")],
        (DENIAL, None),
    ),
]  # fmt: skip


def containment_facts(rows):
    """Claims from rows of (party, category, victim side, count, *extras): "retracted", INJURED, a
    subgroup (Of), or a day offset for a later claim that supersedes the party's earlier one."""
    facts = []
    for key, (party, category, side, count, *extra) in enumerate(rows):
        later = next((item for item in extra if isinstance(item, int)), 0)
        subgroup = next((item.subgroup for item in extra if isinstance(item, Of)), None)
        facts.append(
            claim(key, party, count, category=category, side=side, on=DAY + timedelta(days=later),
                  retracted="retracted" in extra, outcome=INJURED if INJURED in extra else KILLED, subgroup=subgroup)
        )  # fmt: skip
    return facts


def whole_of(item):
    """Name a comparison's whole: its category, after "injured" and before its side and subgroup where set."""
    words = ["injured"] if item.outcome == INJURED else []
    words.append(item.category)
    if item.victim_side is not None:
        words.append(f"({item.victim_side})")
    if item.subgroup is not None:
        words.append(f"of whom {item.subgroup}")
    return " ".join(words)


def found(result):
    return [
        (whole_of(item), item.level, item.ratio, item.lo, item.hi, item.parts_party, item.whole_party)
        for item in result.containment
    ]


@pytest.mark.parametrize(
    ("claims", "containment", "event"),
    [case[1:] for case in CONTAINMENT_CASES],
    ids=[case[0] for case in CONTAINMENT_CASES],
)
def test_containment_follows_the_design(claims, containment, event):
    result = event_result(containment_facts(claims))
    assert found(result) == containment
    assert (result.level, result.ratio) == event


# Named against counted (DESIGN.md, *People and their fates*): the distinct people with a death claim in
# the event are part of every party's killed whole of their status's category, all of them of the total.
NAMED_CASES = [
    # (description, claims as in CONTAINMENT_CASES, the named dead as (person, status), containment found as
    # there with whether its part is the named dead, the event's level and ratio, its named dead)
    (
        "five named commanders against the ministry's two combatants",
        [("ministry", "combatant", None, 2)],
        [(person, "combatant") for person in range(5)],
        [("combatant", MAJOR, Decimal("2.50"), 5, 2, None, "ministry", True)],
        (MAJOR, Decimal("2.50")),
        5,
    ),
    (
        "four named of about 40: within the count",
        [("ministry", "combatant", None, about(40))],
        [(person, "combatant") for person in range(4)],
        [],
        (SINGLE, None),
        4,
    ),
    (
        "one named against no fighters killed: a denial",
        [("monitor", "combatant", None, 0)],
        [(1, "combatant")],
        [("combatant", DENIAL, None, 1, 0, None, "monitor", True)],
        (DENIAL, None),
        1,
    ),
    (
        "an unknown status counts toward the total only",
        [("A", "total", None, 2), ("A", "civilian", None, 0)],
        [(1, "unknown"), (2, "unknown"), (3, "unknown")],
        [("total", MINOR, Decimal("1.50"), 3, 2, None, "A", True)],
        (MINOR, Decimal("1.50")),
        3,
    ),
    (
        "a person counts once, however many parties claim their death",
        [("A", "civilian", None, 1)],
        [(1, "civilian"), (1, "civilian"), (2, "civilian")],
        [("civilian", MINOR, Decimal("2.00"), 2, 1, None, "A", True)],
        (MINOR, Decimal("2.00")),
        2,
    ),
    (
        "a person one party calls a civilian and another a combatant counts in both",
        [("A", "civilian", None, 0), ("A", "combatant", None, 0)],
        [(1, "civilian"), (1, "combatant")],
        [("civilian", DENIAL, None, 1, 0, None, "A", True), ("combatant", DENIAL, None, 1, 0, None, "A", True)],
        (DENIAL, None),
        1,
    ),
    (
        "a whole of one victim side is no whole of the named",
        [("A", "combatant", "IS", 1)],
        [(1, "combatant"), (2, "combatant")],
        [],
        (SINGLE, None),
        2,
    ),
    (
        "an open-ended count is never exceeded",
        [("A", "civilian", None, at_least(1))],
        [(1, "civilian"), (2, "civilian")],
        [],
        (SINGLE, None),
        2,
    ),
    (
        "the injured are no count of the named dead",
        [("A", "civilian", None, 1, INJURED)],
        [(1, "civilian"), (2, "civilian")],
        [],
        (None, None),
        2,
    ),
    (
        "the worst party's whole is kept",
        [("A", "total", None, 1), ("B", "total", None, 3)],
        [(1, "unknown"), (2, "civilian"), (3, "combatant"), (4, "unknown")],
        [("total", MAJOR, Decimal("4.00"), 4, 1, None, "A", True)],
        (MAJOR, Decimal("4.00")),
        4,
    ),
    (
        "a superseded count is no whole: the party's later one is",
        [("A", "civilian", None, 1), ("A", "civilian", None, 5, 1)],
        [(1, "civilian"), (2, "civilian")],
        [],
        (SINGLE, None),
        2,
    ),
    (
        "the named and a party's parts against one whole are two discrepancies, the parts first",
        [("A", "civilian", "X", 5), ("B", "civilian", None, 2)],
        [(1, "civilian"), (2, "civilian"), (3, "civilian")],
        [
            ("civilian", MAJOR, Decimal("2.50"), 5, 2, "A", "B", False),
            ("civilian", MINOR, Decimal("1.50"), 3, 2, None, "B", True),
        ],
        (MAJOR, Decimal("2.50")),
        3,
    ),
    ("no named dead, no named discrepancy", [("A", "civilian", None, 0)], [], [], (SINGLE, None), 0),
]


@pytest.mark.parametrize(
    ("claims", "named", "containment", "event", "named_killed"),
    [case[1:] for case in NAMED_CASES],
    ids=[case[0] for case in NAMED_CASES],
)
def test_the_named_dead_are_part_of_every_count(claims, named, containment, event, named_killed):
    result = event_result(containment_facts(claims), named=[NamedDeath(*death) for death in named])
    assert [(*row, item.named) for row, item in zip(found(result), result.containment, strict=True)] == containment
    assert all(item.parts == () for item in result.containment if item.named)
    assert (result.level, result.ratio) == event
    assert result.named_killed == named_killed


# Who among them, and the injured (DESIGN.md, revision 3): groups keyed by outcome and subgroup too,
# each subgroup set alone against the whole of its outcome, category and side.
WHO_AMONG_CASES = [
    # (description, claims, the groups' levels, containment found as in CONTAINMENT_CASES, the
    # inconsistencies as (party, whole, L, H), the event's level and ratio, its injured level)
    (
        "a subgroup claim does not supersede its party's whole",
        [("A", "civilian", None, 12), ("A", "civilian", None, 4, CHILDREN, 1), ("B", "civilian", None, 12)],
        [("civilian", AGREE), ("civilian of whom children", SINGLE)],
        [], [], (SINGLE, None), None,
    ),
    (
        "the injured are never compared with the killed",
        [("A", "civilian", None, 40), ("B", "civilian", None, 0, INJURED), ("B", "total", None, 5),
         ("A", "civilian", None, 30, INJURED)],
        [("total", SINGLE), ("civilian", SINGLE), ("injured civilian", DENIAL)],
        [("total", MAJOR, Decimal("8.00"), 40, 5, "A", "B")], [], (MAJOR, Decimal("8.00")), DENIAL,
    ),
    (
        "a party's subgroup above another party's whole",
        [("A", "civilian", None, 20, CHILDREN), ("B", "civilian", None, 8)],
        [("civilian", SINGLE), ("civilian of whom children", SINGLE)],
        [("civilian of whom children", MAJOR, Decimal("2.50"), 20, 8, "A", "B")], [], (MAJOR, Decimal("2.50")), None,
    ),
    (
        "commanders against no fighters killed: a denial",
        [("ministry", "combatant", None, 4, COMMANDERS), ("monitor", "combatant", None, 0)],
        [("combatant", SINGLE), ("combatant of whom commanders", SINGLE)],
        [("combatant of whom commanders", DENIAL, None, 4, 0, "ministry", "monitor")], [], (DENIAL, None), None,
    ),
    (
        "a party's own subgroup above its own whole is an inconsistency, not a containment",
        [("A", "civilian", None, 5), ("A", "civilian", None, 8, CHILDREN)],
        [("civilian", SINGLE), ("civilian of whom children", SINGLE)],
        [], [("A", "civilian of whom children", 8, 5)], (SINGLE, None), None,
    ),
    (
        "an inconsistent party's subgroup still exceeds another's whole",
        [("A", "civilian", None, 5), ("A", "civilian", None, 8, CHILDREN), ("B", "civilian", None, 6)],
        [("civilian", MINOR), ("civilian of whom children", SINGLE)],
        [("civilian of whom children", MINOR, Decimal("1.33"), 8, 6, "A", "B")],
        [("A", "civilian of whom children", 8, 5)], (MINOR, Decimal("1.33")), None,
    ),
    (
        "subgroups are never summed, nor added to a total",
        [("A", "civilian", None, 6, CHILDREN), ("A", "civilian", None, 6, WOMEN), ("B", "civilian", None, 10),
         ("B", "total", None, 10)],
        [("total", SINGLE), ("civilian", SINGLE), ("civilian of whom children", SINGLE),
         ("civilian of whom women", SINGLE)],
        [], [], (SINGLE, None), None,
    ),
    (
        "a sided subgroup is set against the whole of its side, and is no part of the sides' sum",
        [("A", "combatant", "X", 5, COMMANDERS), ("B", "combatant", "X", 2), ("C", "combatant", None, 1)],
        [("combatant", SINGLE), ("combatant (X)", SINGLE), ("combatant (X) of whom commanders", SINGLE)],
        [("combatant", MINOR, Decimal("2.00"), 2, 1, "B", "C"),
         ("combatant (X) of whom commanders", MAJOR, Decimal("2.50"), 5, 2, "A", "B")],
        [], (MAJOR, Decimal("2.50")), None,
    ),
    (
        "a subgroup of any category, of a total",
        [("A", "total", None, 3, JOURNALISTS), ("B", "total", None, 1)],
        [("total", SINGLE), ("total of whom journalists", SINGLE)],
        [("total of whom journalists", MINOR, Decimal("3.00"), 3, 1, "A", "B")], [], (MINOR, Decimal("3.00")), None,
    ),
    (
        "per subgroup, the worst pair of parties",
        [("A", "civilian", None, 10, CHILDREN), ("B", "civilian", None, 20, CHILDREN), ("C", "civilian", None, 5)],
        [("civilian", SINGLE), ("civilian of whom children", MAJOR)],
        [("civilian of whom children", MAJOR, Decimal("4.00"), 20, 5, "B", "C")], [], (MAJOR, Decimal("4.00")), None,
    ),
    (
        "an open-ended whole holds any subgroup",
        [("A", "civilian", None, 50, CHILDREN), ("B", "civilian", None, at_least(5))],
        [("civilian", SINGLE), ("civilian of whom children", SINGLE)],
        [], [], (SINGLE, None), None,
    ),
    (
        "the injured have a level of their own, and give the event none",
        [("A", "civilian", None, 40, INJURED), ("B", "civilian", None, 12, INJURED)],
        [("injured civilian", MAJOR)],
        [], [], (None, None), MAJOR,
    ),
    (
        "the level comes from the killed, even where the injured are worse",
        [("A", "civilian", None, 10), ("B", "civilian", None, 9), ("A", "civilian", None, 0, INJURED),
         ("B", "civilian", None, 30, INJURED)],
        [("civilian", MINOR), ("injured civilian", DENIAL)],
        [], [], (MINOR, Decimal("1.11")), DENIAL,
    ),
    (
        "the injured have containment of their own",
        [("A", "civilian", "X", 20, INJURED), ("B", "civilian", None, 5, INJURED), ("B", "civilian", None, 30)],
        [("civilian", SINGLE), ("injured civilian", SINGLE), ("injured civilian (X)", SINGLE)],
        [("injured civilian", MAJOR, Decimal("4.00"), 20, 5, "A", "B")], [], (SINGLE, None), MAJOR,
    ),
    (
        "a party's injured subgroup above its own injured whole",
        [("A", "civilian", None, 3, INJURED), ("A", "civilian", None, 5, INJURED, CHILDREN)],
        [("injured civilian", SINGLE), ("injured civilian of whom children", SINGLE)],
        [], [("A", "injured civilian of whom children", 5, 3)], (None, None), SINGLE,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("claims", "groups", "containment", "inconsistencies", "event", "injured"),
    [case[1:] for case in WHO_AMONG_CASES],
    ids=[case[0] for case in WHO_AMONG_CASES],
)
def test_subgroups_and_the_injured_follow_the_design(claims, groups, containment, inconsistencies, event, injured):
    result = event_result(containment_facts(claims))
    assert [(whole_of(group), group.level) for group in result.groups] == groups
    assert found(result) == containment
    assert [(item.party, whole_of(item), item.lo, item.hi) for item in result.inconsistencies] == inconsistencies
    assert (result.level, result.ratio) == event
    assert result.injured_level == injured


def test_an_inconsistency_names_its_two_claims():
    result = event_result(containment_facts([("A", "civilian", None, 5), ("A", "civilian", None, 8, CHILDREN)]))
    (item,) = result.inconsistencies
    assert (item.part, item.whole) == (1, 0)
    assert result.containment == ()


def test_a_subgroup_containment_names_its_one_part():
    result = event_result(
        containment_facts([("A", "combatant", "X", about(10), COMMANDERS), ("B", "combatant", "X", 2)])
    )
    (item,) = result.containment
    assert [(part.key, part.category, part.victim_side, part.lo) for part in item.parts] == [(0, "combatant", "X", 9)]
    assert (item.whole, item.victim_side, item.subgroup) == (1, "X", "commanders")
    assert result.leading == item


def test_the_seed_case_names_its_parts_and_whole():
    result = event_result(
        [
            claim(1, "ministry", about(40), category="combatant", side="IS"),
            claim(2, "monitor", 0, category="combatant"),
        ]
    )
    assert [group.level for group in result.groups] == [SINGLE, SINGLE]
    (item,) = result.containment
    assert [(part.key, part.category, part.victim_side, part.lo) for part in item.parts] == [(1, "combatant", "IS", 36)]
    assert (item.whole, item.exact_ratio) == (2, None)
    assert result.leading == item


def test_a_total_names_each_part_it_adds():
    result = event_result(
        [
            claim(1, "A", 6, category="civilian"),
            claim(2, "A", 5, category="combatant", side="Y"),
            claim(3, "A", 4, category="combatant", side="X"),
            claim(4, "B", 12, category="total"),
        ]
    )
    (item,) = result.containment
    assert [(part.category, part.victim_side, part.lo) for part in item.parts] == [
        ("civilian", None, 6), ("combatant", "X", 4), ("combatant", "Y", 5),
    ]  # fmt: skip
    assert item.lo == 15


def test_a_group_leads_a_containment_of_the_same_rank():
    # The same L, H and level: the group, being the simpler comparison, is the one shown.
    result = event_result(
        [
            claim(1, "A", 20, category="civilian"),
            claim(2, "B", 10, category="civilian"),
            claim(3, "C", 20, category="combatant", side="X"),
            claim(4, "D", 10, category="combatant"),
        ]
    )
    assert result.leading == result.groups[0]
    assert isinstance(next(iter(result.containment)), ContainmentResult)


def test_containment_does_not_change_the_classification_dispute():
    facts = containment_facts([("A", "combatant", "X", 40), ("A", "civilian", None, 0), ("B", "civilian", None, 12)])
    result = event_result(facts)
    assert result.classification_dispute is True
    assert result.dispute_parties == ({"A"}, {"B"})


def test_no_dispute_names_no_parties():
    result = event_result(containment_facts([("A", "combatant", None, 40), ("B", "combatant", None, 12)]))
    assert result.dispute_parties == (frozenset(), frozenset())


# An independent, brute-force formulation of the rules, as the oracle of the property tests: it
# shares no code with the engine but the interval of a count (tested on its own above).

TOLERANCE = Fraction(1, 10)
MAJOR_RATIO, MAJOR_GAP = Fraction(3, 2), 3
PARTS_OF_TOTAL = ("civilian", "combatant", "unknown")


def brute_current(facts):
    """Each (party, outcome, category, side, subgroup)'s latest claim not retracted: a later one
    overwrites an earlier one."""
    latest = {}
    for fact in sorted(
        (fact for fact in facts if not fact.retracted), key=lambda fact: (fact.claimed_on, fact.entered)
    ):
        latest[(fact.party, *group_of(fact))] = interval_for(fact.count, tolerance=TOLERANCE)
    return latest


def common_value_exists(intervals):
    """Whether some integer lies in every interval: search 0 .. the largest finite bound + 1."""
    top = max((bound for interval in intervals for bound in (interval.lo, interval.hi) if bound is not None), default=0)
    return any(
        all(interval.lo <= value and (interval.hi is None or value <= interval.hi) for interval in intervals)
        for value in range(top + 2)
    )


def half_up(lo, hi):
    """L/H to two decimals, half up, by integer arithmetic: floor(100·L/H + 1/2)."""
    return Decimal((200 * lo + hi) // (2 * hi)) / 100


def apart(lo, hi):
    """Level and exact ratio of a lower bound lo above an upper bound hi."""
    if hi == 0:
        return DENIAL, None
    ratio = Fraction(lo, hi)
    return (MAJOR if ratio >= MAJOR_RATIO and lo - hi >= MAJOR_GAP else MINOR), ratio


def brute_groups(current):
    """(outcome, category, side, subgroup) -> (level, exact ratio, L, H) for every group with a current claim."""
    groups = {}
    for group in {key[1:] for key in current}:
        intervals = [interval for key, interval in current.items() if key[1:] == group]
        lo = max(interval.lo for interval in intervals)
        his = [interval.hi for interval in intervals if interval.hi is not None]
        hi = min(his, default=None)
        if len(intervals) == 1:
            groups[group] = (SINGLE, None, lo, hi)
        elif common_value_exists(intervals):
            groups[group] = (AGREE, None, lo, hi)
        else:
            groups[group] = (*apart(lo, hi), lo, hi)
    return groups


def brute_part_sum(current, party, outcome, whole):
    """The party's lower bound for a whole from its parts without subgroup, or None if it has no such part."""

    def sided(category):
        lows = [
            interval.lo for (p, o, c, s, g), interval in current.items()
            if (p, o, c) == (party, outcome, category) and s is not None and g is None
        ]  # fmt: skip
        return sum(lows) if lows else None

    if whole != "total":
        return sided(whole)
    lows = []
    for category in PARTS_OF_TOTAL:
        unsided = current.get((party, outcome, category, None, None))
        low = unsided.lo if unsided is not None else sided(category)
        if low is not None:
            lows.append(low)
    return sum(lows) if lows else None


def brute_containment(current):
    """(outcome, category, side, subgroup) of the whole -> the list of worst pairs, each (level, exact
    ratio, L, H, parts' party, whole's party): parts added up against wholes with no side, and each
    subgroup alone against the wholes of its side."""
    parties = {key[0] for key in current}
    candidates = {}
    for outcome in (KILLED, INJURED):
        for parts_party in parties:
            for whole_party in parties - {parts_party}:
                for whole in ("total", *PARTS_OF_TOTAL):
                    bound = current.get((whole_party, outcome, whole, None, None))
                    lo = brute_part_sum(current, parts_party, outcome, whole)
                    if bound is None or lo is None or common_value_exists([Interval(lo, None), bound]):
                        continue
                    pair = (*apart(lo, bound.hi), lo, bound.hi, parts_party, whole_party)
                    candidates.setdefault((outcome, whole, None, None), []).append(pair)
    for (parts_party, outcome, category, side, subgroup), part in current.items():
        for whole_party in parties - {parts_party}:
            bound = current.get((whole_party, outcome, category, side, None))
            if subgroup is None or bound is None or common_value_exists([Interval(part.lo, None), bound]):
                continue
            pair = (*apart(part.lo, bound.hi), part.lo, bound.hi, parts_party, whole_party)
            candidates.setdefault((outcome, category, side, subgroup), []).append(pair)
    found = {}
    for whole, pairs in candidates.items():
        worst = max(rank_of(pair) for pair in pairs)
        found[whole] = [pair for pair in pairs if rank_of(pair) == worst]
    return found


def brute_inconsistencies(current):
    """Each party's subgroup whose lower bound passes the upper bound of its own whole, as
    (party, outcome, category, side, subgroup, lo, hi)."""
    return {
        (party, outcome, category, side, subgroup, part.lo, whole.hi)
        for (party, outcome, category, side, subgroup), part in current.items()
        if subgroup is not None
        and (whole := current.get((party, outcome, category, side, None))) is not None
        and whole.hi is not None
        and part.lo > whole.hi
    }


def brute_dispute(current):
    """Whether one party counts combatant dead and no civilian dead while another counts the reverse."""

    def counts_deaths(party, category):
        return any(
            interval.lo >= 1
            for (p, o, c, _s, _g), interval in current.items()
            if (p, o, c) == (party, KILLED, category)
        )

    def counts_none(party, category):
        wholes = [
            interval for (p, o, c, _s, g), interval in current.items()
            if (p, o, c) == (party, KILLED, category) and g is None
        ]  # fmt: skip
        return all(interval.hi == 0 for interval in wholes) and not counts_deaths(party, category)

    parties = {key[0] for key in current}
    combatants = any(counts_deaths(party, "combatant") and counts_none(party, "civilian") for party in parties)
    civilians = any(counts_deaths(party, "civilian") and counts_none(party, "combatant") for party in parties)
    return combatants and civilians


def rank_of(comparison):
    level, ratio, lo, hi = comparison[:4]
    return (SEVERITY[level], -1 if ratio is None else ratio, lo, float("-inf") if hi is None else -hi)


@settings(max_examples=500)
@given(claim_lists)
def test_levels_L_H_and_ratios_match_a_brute_force_oracle(rows):
    facts = facts_of(rows)
    result = event_result(facts)
    current = brute_current(facts)

    groups = brute_groups(current)
    levelled = {
        (group.outcome, group.category, group.victim_side, group.subgroup): group
        for group in result.groups
        if group.level
    }
    assert levelled.keys() == groups.keys()
    for key, (level, ratio, lo, hi) in groups.items():
        group = levelled[key]
        assert (group.level, group.lo_max, group.hi_min) == (level, lo, hi)
        assert group.ratio == (half_up(lo, hi) if ratio is not None else None)

    containment = brute_containment(current)
    by_whole = {(item.outcome, item.category, item.victim_side, item.subgroup): item for item in result.containment}
    assert by_whole.keys() == containment.keys()
    for key, item in by_whole.items():
        chosen = (item.level, item.exact_ratio, item.lo, item.hi, item.parts_party, item.whole_party)
        assert chosen in containment[key]
        assert item.ratio == (half_up(item.lo, item.hi) if item.exact_ratio is not None else None)

    inconsistencies = {
        (item.party, item.outcome, item.category, item.victim_side, item.subgroup, item.lo, item.hi)
        for item in result.inconsistencies
    }
    assert inconsistencies == brute_inconsistencies(current)
    assert result.classification_dispute is brute_dispute(current)

    for outcome in (KILLED, INJURED):
        comparisons = [comparison[:4] for key, comparison in groups.items() if key[0] == outcome]
        comparisons += [pairs[0][:4] for key, pairs in containment.items() if key[0] == outcome]
        worst = max(comparisons, key=rank_of, default=None)
        if outcome == INJURED:
            assert result.injured_level == (worst[0] if worst else None)
        elif worst is None:
            assert (result.level, result.ratio, result.leading) == (None, None, None)
        else:
            level, ratio, lo, hi = worst
            assert result.level == level
            assert result.ratio == (half_up(lo, hi) if ratio is not None else None)
            assert result.leading.bounds == (lo, hi)
            assert result.leading.outcome == KILLED


named_lists = st.lists(
    st.builds(NamedDeath, st.integers(0, 6), st.sampled_from(["civilian", "combatant", "unknown"])), max_size=8
)


def brute_named(current, named):
    """(outcome, category, side, subgroup) of the whole -> the worst pairs, as brute_containment gives them,
    of the named dead of each whole against each party's killed whole of the category with no side."""
    people = {
        "total": {death.person for death in named},
        "civilian": {death.person for death in named if death.status == "civilian"},
        "combatant": {death.person for death in named if death.status == "combatant"},
    }
    found = {}
    for category, persons in people.items():
        pairs = [
            (*apart(len(persons), bound.hi), len(persons), bound.hi, None, party)
            for (party, outcome, whole, side, subgroup), bound in current.items()
            if (outcome, whole, side, subgroup) == (KILLED, category, None, None)
            and not common_value_exists([Interval(len(persons), None), bound])
        ]
        if pairs:
            worst = max(rank_of(pair) for pair in pairs)
            found[(KILLED, category, None, None)] = [pair for pair in pairs if rank_of(pair) == worst]
    return found


@settings(max_examples=300)
@given(claim_lists, named_lists)
def test_the_named_dead_match_a_brute_force_oracle(rows, named):
    facts = facts_of(rows)
    result = event_result(facts, named=named)
    current = brute_current(facts)
    expected = brute_named(current, named)
    named_found = [item for item in result.containment if item.named]
    by_whole = {(item.outcome, item.category, item.victim_side, item.subgroup): item for item in named_found}
    assert by_whole.keys() == expected.keys()
    for key, item in by_whole.items():
        assert (item.level, item.exact_ratio, item.lo, item.hi, item.parts_party, item.whole_party) in expected[key]
    # The claims alone give the same comparisons, and the event's level is the worst of them and the named.
    unnamed = event_result(facts)
    assert tuple(item for item in result.containment if not item.named) == unnamed.containment
    worst = max(
        [rank_of(pairs[0][:4]) for pairs in expected.values()]
        + ([comparison_rank_of(unnamed.leading)] if unnamed.leading else []),
        default=None,
    )
    assert (comparison_rank_of(result.leading) if result.leading else None) == worst
    assert result.named_killed == len({death.person for death in named})


def comparison_rank_of(comparison):
    return rank_of((comparison.level, comparison.exact_ratio, *comparison.bounds))


@settings(max_examples=300)
@given(claim_lists)
def test_a_party_is_never_set_against_itself(rows):
    # One party's claims alone never make a containment discrepancy, however they are split.
    facts = facts_of([("A", *row[1:]) for row in rows])
    assert event_result(facts).containment == ()


def test_a_total_against_parts_of_other_grain():
    # A monitor's "12 killed" against a ministry's 40 militants of one side.
    monitor, ministry, islamic_state = 1, 2, 3
    result = event_result(
        [claim(1, monitor, 12, category="total"), claim(2, ministry, 40, category="combatant", side=islamic_state)],
        Thresholds(),
    )
    assert (result.level, result.ratio) == (MAJOR, Decimal("3.33"))
    (item,) = result.containment
    assert (item.category, item.lo, item.hi, item.parts_party, item.whole_party) == ("total", 40, 12, ministry, monitor)


def test_an_empty_side_beside_a_filled_one_is_a_containment():
    # Staff left the victim side empty on one claim and filled it in on another.
    result = event_result([claim(1, 1, 0), claim(2, 2, 12, side=3)], Thresholds())
    assert result.level == DENIAL
