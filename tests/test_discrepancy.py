"""The discrepancy rules of shared/DESIGN.md, one table row per rule, and their invariants."""

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
    MAJOR,
    MINOR,
    SEVERITY,
    SINGLE,
    ClaimFacts,
    Thresholds,
    event_result,
    level_for,
)

DAY = date(2020, 1, 1)


def claim(key, party, count, *, category="civilian", side=None, on=DAY, entered=0, retracted=False):
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
    )


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


def test_event_takes_the_most_severe_group_and_the_largest_ratio():
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
    assert (result.level, result.ratio) == (DENIAL, Decimal("3.33"))


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
]


@pytest.mark.parametrize(
    ("claims", "dispute"), [case[1:] for case in DISPUTE_CASES], ids=[case[0] for case in DISPUTE_CASES]
)
def test_classification_dispute(claims, dispute):
    facts = [claim(index, party, count, category=category) for index, (party, category, count) in enumerate(claims)]
    assert event_result(facts).classification_dispute is dispute


def test_classification_dispute_reads_current_claims_only():
    facts = [
        claim(1, "A", 40, category="combatant"),
        claim(2, "B", 12, category="civilian", on=DAY),
        claim(3, "B", 0, category="civilian", on=DAY + timedelta(days=1)),
    ]
    assert event_result(facts).classification_dispute is False


# Property tests: the invariants that must hold for any claims at all.

counts = st.one_of(
    st.integers(0, 500).map(lambda n: Count("exact", best=n)),
    st.integers(0, 500).map(about),
    st.integers(0, 500).map(at_least),
    st.integers(0, 500).map(at_most),
    st.tuples(st.integers(0, 500), st.integers(0, 500)).map(lambda pair: between(min(pair), max(pair))),
)
claim_lists = st.lists(
    st.builds(
        lambda party, category, side, count, day, retracted: (party, category, side, count, day, retracted),
        st.sampled_from("ABCD"),
        st.sampled_from(["total", "civilian", "combatant"]),
        st.sampled_from([None, "A", "B"]),
        counts,
        st.integers(0, 5),
        st.booleans(),
    ),
    max_size=12,
)


def facts_of(rows):
    return [
        claim(key, party, count, category=category, side=side, on=DAY + timedelta(days=day), retracted=retracted)
        for key, (party, category, side, count, day, retracted) in enumerate(rows)
    ]


def comparable(result):
    return (result.level, result.ratio, result.classification_dispute, result.groups, result.current)


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
            if (fact.category, fact.victim_side) == (group.category, group.victim_side) and not fact.retracted:
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
    assert result.severity == max((group.severity for group in result.groups), default=0)
