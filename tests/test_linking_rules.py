"""The matching rules: one table row per rule, and the invariants of blocking."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rules.matching import (
    DATES_MAY_OVERLAP,
    DATES_OVERLAP,
    DISTANCE,
    NO_COORDINATES,
    SAME_DAY,
    SAME_TYPE,
    TYPE_UNSAID,
    EventFacts,
    candidate,
    candidates,
    date_span,
    one_to_one,
)

RAQQA = (35.9500, 39.0100)
KM_NORTH = 1 / 111.2  # about a kilometre of latitude, in degrees


def event(key, origin="ucdp_ged", *, on=date(2017, 6, 1), end=None, precision="day", country="SY",
          place=RAQQA, north_km=0.0, event_type="other"):  # fmt: skip
    latitude, longitude = place if place else (None, None)
    if place:
        latitude += north_km * KM_NORTH
    return EventFacts(
        key=key, origins=frozenset({origin}), start=on, end=end, precision=precision, country=country,
        latitude=latitude, longitude=longitude, event_type=event_type,
    )  # fmt: skip


GED = {"origin": "ucdp_ged"}
AIRWARS = {"origin": "airwars"}

# (what the rule says, the GED event's fields, the Airwars event's fields, a candidate?, its date and type reasons)
RULES = [
    ("same day, same place, types unsaid", {}, {}, True, SAME_DAY, TYPE_UNSAID),
    ("the same origin is never linked", {}, {"origin": "ucdp_ged"}, False, None, None),
    ("another country", {}, {"country": "IQ"}, False, None, None),
    ("a day apart", {}, {"on": date(2017, 6, 2)}, False, None, None),
    ("a span that covers the day", {"on": date(2017, 5, 30), "end": date(2017, 6, 3)}, {}, True, DATES_OVERLAP,
     TYPE_UNSAID),
    ("a month-precise date covers every day of its month", {}, {"on": date(2017, 6, 1), "precision": "month"},
     True, DATES_MAY_OVERLAP, TYPE_UNSAID),
    ("a month-precise date does not reach the next month", {"on": date(2017, 7, 1)},
     {"on": date(2017, 6, 1), "precision": "month"}, False, None, None),
    ("a week-precise date covers its seven days", {"on": date(2017, 6, 7)},
     {"on": date(2017, 6, 1), "precision": "week"}, True, DATES_MAY_OVERLAP, TYPE_UNSAID),
    ("a year-precise date covers its year", {"on": date(2017, 12, 31)},
     {"on": date(2017, 1, 1), "precision": "year"}, True, DATES_MAY_OVERLAP, TYPE_UNSAID),
    ("4 km apart is within the default radius", {}, {"north_km": 4}, True, SAME_DAY, TYPE_UNSAID),
    ("6 km apart is beyond it", {}, {"north_km": 6}, False, None, None),
    ("without coordinates, the place is not compared", {}, {"place": None}, True, SAME_DAY, TYPE_UNSAID),
    ("the same type", {"event_type": "airstrike"}, {"event_type": "airstrike"}, True, SAME_DAY, SAME_TYPE),
    ("an airstrike is no shelling", {"event_type": "shelling"}, {"event_type": "airstrike"}, False, None, None),
]  # fmt: skip


@pytest.mark.parametrize("rule, ged, airwars, linked, when, kind", RULES, ids=[row[0] for row in RULES])
def test_linking_rules(rule, ged, airwars, linked, when, kind):
    found = candidate(event(1, **{**GED, **ged}), event(2, **{**AIRWARS, **airwars}), radius_km=5)
    assert (found is not None) == linked
    if linked:
        codes = [code for code, _ in found.reasons]
        assert codes[0] == when and codes[-1] == kind
        assert (DISTANCE in codes) != (NO_COORDINATES in codes)


def test_the_radius_is_an_option():
    ged, airwars = event(1, **GED), event(2, **AIRWARS, north_km=8)
    assert candidate(ged, airwars, radius_km=5) is None
    assert candidate(ged, airwars, radius_km=10) is not None


def test_closer_and_more_alike_scores_higher():
    ged = event(1, **GED, event_type="airstrike")
    same_spot = candidate(ged, event(2, **AIRWARS, event_type="airstrike"), radius_km=5)
    further = candidate(ged, event(3, **AIRWARS, event_type="airstrike", north_km=3), radius_km=5)
    unsaid = candidate(ged, event(4, **AIRWARS, north_km=3), radius_km=5)
    vaguer = candidate(ged, event(5, **AIRWARS, north_km=3, precision="month"), radius_km=5)
    assert same_spot.score == 100
    assert same_spot.score > further.score > unsaid.score > vaguer.score > 0
    assert dict(further.reasons)[DISTANCE] == pytest.approx(3, abs=0.05)


def test_a_merged_event_is_not_linked_again_to_a_dataset_it_already_holds():
    merged = EventFacts(
        key=1, origins=frozenset({"ucdp_ged", "airwars"}), start=date(2017, 6, 1), end=None, precision="day",
        country="SY", latitude=RAQQA[0], longitude=RAQQA[1], event_type="other",
    )  # fmt: skip
    assert candidate(merged, event(2, **AIRWARS), radius_km=5) is None
    assert candidate(merged, event(3, origin="acled"), radius_km=5) is not None


def test_one_to_one_keeps_only_pairs_whose_events_have_no_other_candidate():
    events = [
        event(1, **GED), event(2, **AIRWARS),  # a pair on its own
        event(3, **GED, on=date(2017, 7, 1)), event(4, **AIRWARS, on=date(2017, 7, 1)),
        event(5, **AIRWARS, on=date(2017, 7, 1), north_km=1),  # two Airwars candidates for event 3
    ]  # fmt: skip
    found = candidates(events, radius_km=5)
    assert {(item.first, item.second) for item in found} == {(1, 2), (3, 4), (3, 5)}
    assert [(item.first, item.second) for item in one_to_one(found)] == [(1, 2)]


def test_date_spans():
    assert date_span(date(2016, 2, 1), None, "month") == (date(2016, 2, 1), date(2016, 2, 29))
    assert date_span(date(2017, 3, 5), date(2017, 3, 7), "day") == (date(2017, 3, 5), date(2017, 3, 7))


def brute_force(events, radius_km):
    found = (candidate(a, b, radius_km=radius_km) for a, b in itertools.combinations(events, 2))
    return sorted((item for item in found if item), key=lambda item: (-item.score, item.first, item.second))


def built(key, origin, day, days, precision, place, north, east, kind):
    start = date(2017, 1, 1) + timedelta(days=day)
    return EventFacts(
        key=key, origins=frozenset({origin}), start=start, end=start + timedelta(days=days) if days else None,
        precision=precision, country="SY", latitude=RAQQA[0] + north if place else None,
        longitude=RAQQA[1] + east if place else None, event_type=kind,
    )  # fmt: skip


facts = st.builds(
    built,
    key=st.integers(0, 10**6),
    origin=st.sampled_from(["ucdp_ged", "airwars", "acled"]),
    day=st.integers(0, 40),
    days=st.integers(0, 3),
    precision=st.sampled_from(["day", "day", "day", "week", "month"]),
    place=st.booleans(),
    north=st.floats(-1.2, 1.2),
    east=st.floats(-1.2, 1.2),
    kind=st.sampled_from(["other", "airstrike", "shelling"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(facts, max_size=25, unique_by=lambda item: item.key), st.sampled_from([0.5, 5, 40, 150]))
def test_blocking_finds_exactly_what_comparing_every_pair_finds(events, radius_km):
    assert candidates(events, radius_km=radius_km) == brute_force(events, radius_km)


@settings(max_examples=200, deadline=None)
@given(facts, facts)
def test_a_candidate_is_the_same_either_way_round_and_scores_within_0_and_100(a, b):
    found = candidate(a, b, radius_km=5)
    assert found == candidate(b, a, radius_km=5)
    assert found is None or 0 <= found.score <= 100


@settings(max_examples=100, deadline=None)
@given(st.lists(facts, max_size=20, unique_by=lambda item: item.key), st.randoms())
def test_the_order_of_events_never_changes_the_candidates(events, random):
    shuffled = list(events)
    random.shuffle(shuffled)
    assert candidates(shuffled, radius_km=5) == candidates(events, radius_km=5)
