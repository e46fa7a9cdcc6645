"""The track record rules of shared/DESIGN.md (*Claimant track record*): a table row per rule, and invariants."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rules.counts import Count, Interval
from tracker.rules.discrepancy import ABOVE, BELOW, WITHIN, ClaimFacts
from tracker.rules.grading import Figure
from tracker.rules.track_records import (
    NONE,
    OTHER,
    OWN,
    Group,
    TrackRecord,
    median,
    point,
    quartiles,
    track_records,
)

DAY = date(2020, 1, 1)
TOLERANCE = Fraction(1, 10)
keys = iter(range(1, 1_000_000))


def claim(party, count, *, side=None, on=DAY, entered=0, retracted=False, category="civilian"):
    if isinstance(count, int):
        count = Count("exact", best=count)
    key = next(keys)
    return ClaimFacts(
        key=key, party=party, category=category, victim_side=side, count=count, claimed_on=on,
        entered=(entered, key), retracted=retracted,
    )  # fmt: skip


def records(*groups, **options):
    return track_records(
        [group if isinstance(group, Group) else Group(tuple(group)) for group in groups], tolerance=TOLERANCE, **options
    )


def at_least(low):
    return Count("at_least", low=low)


def between(low, high):
    return Count("range", low=low, high=high)


@pytest.mark.parametrize(
    "own, others, standing, ratio, denies",
    [
        pytest.param(20, [10, 10], ABOVE, Fraction(2), False, id="above: its lo above the others' point"),
        pytest.param(between(5, 15), [10], WITHIN, Fraction(1), False, id="within"),
        pytest.param(4, [10, 12], BELOW, Fraction(4, 11), False, id="below: its hi under the others' point"),
        pytest.param(0, [3, 10], BELOW, None, True, id="denial: it says 0, another at least 1"),
        pytest.param(0, [between(0, 4)], BELOW, None, False, id="no denial when no other says there were deaths"),
        pytest.param(at_least(12), [10], ABOVE, Fraction(6, 5), False, id="open-ended: its point is its lo"),
        pytest.param(10, [at_least(30)], BELOW, Fraction(1, 3), False, id="an open-ended other: its point is its lo"),
        pytest.param(Count("approximate", best=40), [44], WITHIN, Fraction(10, 11), False, id="about 40 is 36 to 44"),
        pytest.param(
            between(12, 13), [10, 15], WITHIN, Fraction(1), False, id="the median of two others lies between them"
        ),
        pytest.param(12, [10, 15], BELOW, Fraction(24, 25), False, id="12 is below 12.5, the mean of 10 and 15"),
        pytest.param(10, [4, 10, 30], WITHIN, Fraction(1), False, id="the median of three is the middle one"),
        pytest.param(0, [0], WITHIN, None, False, id="zero points: within, no ratio, no denial"),
        pytest.param(5, [0], ABOVE, None, False, id="the others' point is zero: no ratio"),
    ],
)
def test_where_a_party_stands_in_a_group(own, others, standing, ratio, denies):
    group = [claim("P", own), *(claim(f"other {index}", count) for index, count in enumerate(others))]
    record = records(group)["P"]
    assert (record.groups, record.above, record.within, record.below) == (
        1, standing == ABOVE, standing == WITHIN, standing == BELOW,
    )  # fmt: skip
    assert record.median_ratio == ratio
    assert record.denials == denies


def test_a_party_alone_in_a_group_is_not_counted():
    record = records([claim("P", 10)], [claim("P", 20), claim("Q", 10)])["P"]
    assert (record.groups, record.above, record.claims) == (1, 1, 2)


def test_only_current_claims_are_compared():
    group = [
        claim("P", 50, on=DAY),
        claim("P", 10, on=DAY + timedelta(days=1)),  # replaces its 50
        claim("Q", 30, on=DAY),
        claim("Q", 10, on=DAY + timedelta(days=2), retracted=True),  # stands for nothing
    ]
    assert records(group)["P"] == TrackRecord(
        groups=1, below=1, median_ratio=Fraction(1, 3), q1=Fraction(1, 3), q3=Fraction(1, 3), claims=2, revised_down=1
    )


def test_points_medians_and_quartiles_are_exact():
    assert point(Interval(3, 4)) == Fraction(7, 2)
    assert point(Interval(7, None)) == 7
    assert point(Figure("civilian", 5, None)) == 5
    assert median([Fraction(1), Fraction(2)]) == Fraction(3, 2)
    # Tukey's hinges: with an odd count the middle value belongs to both halves.
    assert quartiles([Fraction(n) for n in (1, 2, 3, 4, 5)]) == (2, 3, 4)
    assert quartiles([Fraction(n) for n in (1, 2, 3, 4)]) == (Fraction(3, 2), Fraction(5, 2), Fraction(7, 2))
    assert quartiles([Fraction(n) for n in (5, 1, 3)]) == (2, 3, 4)
    assert quartiles([Fraction(7)]) == (7, 7, 7)


def test_figures_over_many_groups():
    groups = [
        [claim("P", 20), claim("Q", 10)],  # above, 2
        [claim("P", 30), claim("Q", 10)],  # above, 3
        [claim("P", 10), claim("Q", 10)],  # within, 1
        [claim("P", 5), claim("Q", 10)],  # below, 1/2
        [claim("P", 0), claim("Q", 10)],  # below, denies, no ratio
    ]
    record = records(*groups)["P"]
    assert (record.groups, record.above, record.within, record.below, record.denials) == (5, 2, 1, 2, 1)
    assert (record.q1, record.median_ratio, record.q3) == (Fraction(3, 4), Fraction(3, 2), Fraction(5, 2))
    assert not record.too_few
    assert records(*groups[:4])["P"].too_few


def test_retracted_share_and_revisions():
    group = [
        claim("P", 10, on=DAY),
        claim("P", 12, on=DAY + timedelta(days=1)),  # up
        claim("P", 99, on=DAY + timedelta(days=2), retracted=True),  # no revision: it replaces nothing
        claim("P", 12, on=DAY + timedelta(days=3), entered=1),  # the same point: neither
        claim("P", between(5, 7), on=DAY + timedelta(days=3), entered=2),  # down (entered later the same day)
        claim("Q", 6),
    ]
    record = records(group)["P"]
    assert (record.claims, record.retracted, record.retracted_share) == (5, 1, Fraction(1, 5))
    assert (record.revised_up, record.revised_down) == (1, 1)
    assert record.within == 1


def test_victim_side_is_the_partys_own_dead_another_s_or_none():
    own = [claim("P", 10, side="P"), claim("Q", 20, side="P")]  # P's dead: P's own, Q's another's
    none = [claim("P", 10), claim("Q", 10)]
    assert records(own, none, victim_side=OWN)["P"].groups == 1
    assert "Q" not in records(own, none, victim_side=OWN)
    assert records(own, none, victim_side=OTHER)["Q"].above == 1
    assert "P" not in records(own, none, victim_side=OTHER)
    assert records(own, none, victim_side=NONE)["P"].within == 1
    assert records(own, none)["P"].groups == 2


def test_the_others_can_be_limited_to_some_parties():
    group = [claim("P", 10), claim("monitor", 20), claim("ministry", 0)]
    assert records(group, is_other=lambda party: party == "monitor")["P"].below == 1
    assert records(group)["P"].median_ratio == 1  # the median of 20 and 0 is 10
    assert records([claim("P", 10), claim("ministry", 0)], is_other=lambda party: party == "monitor")["P"].groups == 0


def test_against_an_assessor_sets_each_party_against_its_figure():
    figure = Figure("civilian", 10, 20)
    groups = [
        Group((claim("P", 25), claim("Q", 25)), figure),  # above the high: above, ratio 25/15
        Group((claim("P", 12), claim("Q", 0)), figure),  # within the figure, though above its point
        Group((claim("P", 0),), figure),  # alone, but compared: below, a denial
        Group((claim("P", at_least(3)),), Figure("civilian", 2, None)),  # the figure's point is its low: 3/2
        Group((claim("P", 40, side="Q"),), figure),  # a sided group is never set against a figure
        Group((claim("P", 40), claim("Q", 1))),  # no figure: not compared
        Group((claim("Airwars", 40),), figure),  # the assessor is never set against itself
    ]
    found = records(*groups, assessor="Airwars")
    record = found["P"]
    assert (record.groups, record.above, record.within, record.below, record.denials) == (4, 1, 2, 1, 1)
    assert (record.q1, record.median_ratio, record.q3) == (Fraction(23, 20), Fraction(3, 2), Fraction(19, 12))
    assert found["Q"].below == 1 and found["Q"].denials == 1
    assert found["Airwars"].groups == 0


def test_death_claims_in_a_fate_conflict_are_carried_per_party():
    found = records([claim("P", 10), claim("Q", 10)], conflicted_deaths={"P": 2, "R": 1})
    assert found["P"].conflicted_deaths == 2
    assert found["Q"].conflicted_deaths == 0
    assert found["R"] == TrackRecord(conflicted_deaths=1)


counts = st.one_of(
    st.integers(0, 60).map(lambda n: Count("exact", best=n)),
    st.integers(0, 60).map(lambda n: Count("approximate", best=n)),
    st.integers(0, 60).map(at_least),
    st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda pair: between(min(pair), max(pair))),
)
group_rows = st.lists(
    st.lists(
        st.tuples(
            st.sampled_from(["P", "Q", "R", "S"]),
            counts,
            st.sampled_from([None, "P", "Q"]),
            st.integers(0, 3),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ),
    max_size=8,
)


@settings(max_examples=200)
@given(group_rows, st.sampled_from([None, OWN, OTHER, NONE]), st.randoms())
def test_figures_do_not_depend_on_the_order_claims_were_entered_in(rows, side, random):
    groups = []
    for index, group in enumerate(rows):
        category_side = group[0][2]  # every claim of a group counts the same side
        groups.append(
            Group(
                tuple(
                    claim(party, count, side=category_side, on=DAY + timedelta(days=day), retracted=retracted)
                    for party, count, _side, day, retracted in group
                ),
                Figure("civilian", index, index + 5) if index % 2 else None,
            )
        )
    shuffled = [Group(tuple(random.sample(group.claims, len(group.claims))), group.assessed) for group in groups]
    random.shuffle(shuffled)
    for options in ({}, {"assessor": "S"}, {"is_other": lambda party: party != "R"}):
        assert records(*groups, victim_side=side, **options) == records(*shuffled, victim_side=side, **options)
