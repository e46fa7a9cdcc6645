"""PostgreSQL's set-based track records give the very figures of the pure rules (the one definition).

On the hand-made fixture of tests/test_track_records.py under every filter, and on random claims: every
qualifier, retractions, revisions, sides, ties of dates, medians between two points.
"""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import claims_made, make_claim, make_event, make_party
from tests.test_track_records import fixture  # noqa: F401 (the fixture the filters are tried on)
from tracker.rules.track_records import NONE, OTHER, OWN
from tracker.summaries.track_records import TrackFilters, others_of, party_track_records, rules_records, sql_records

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's path; elsewhere the pure rules are the only one"
    ),
]


def both(filters: TrackFilters) -> tuple[dict, dict]:
    """Return each party's record over the filter, by SQL and by the pure rules."""
    others = others_of(filters)
    return sql_records(filters, others), rules_records(filters, None, others)


FILTERS = [
    TrackFilters(),
    TrackFilters(category="civilian"),
    TrackFilters(category="combatant"),
    TrackFilters(victim_side=OWN),
    TrackFilters(victim_side=OTHER),
    TrackFilters(victim_side=NONE),
    TrackFilters(country="iq"),
    TrackFilters(date_from=date(2018, 3, 1), date_to=date(2018, 6, 30)),
    TrackFilters(event_type="airstrike"),
    TrackFilters(others_kind="monitor"),
    TrackFilters(others="Hospital"),
    TrackFilters(others_kind="medical", others="Monitor"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_the_fixture_gives_the_rules_figures_under_each_filter(fixture, filters):  # noqa: F811
    by_sql, by_rules = both(filters)
    assert by_sql == by_rules


def test_the_figures_are_read_in_a_fixed_number_of_queries(fixture):  # noqa: F811
    """Against the others the figures are one query, whatever the parties, groups and claims."""
    with CaptureQueriesContext(connection) as before:
        records = dict(party_track_records(TrackFilters()))
    with claims_made():
        for number in range(10):
            make_claim(fixture[1], make_party(name=f"Party {number}"), count=number)
            make_claim(make_event(), make_party(name=f"Alone {number}"), count=number)
    with CaptureQueriesContext(connection) as after:
        more = dict(party_track_records(TrackFilters()))
    assert len(more) == len(records) + 20 and more["Ministry"].groups == records["Ministry"].groups == 7
    assert len(after) == len(before)
    assert sum("WITH kept AS" in query["sql"] for query in after.captured_queries) == 1


def test_the_query_leaves_the_callers_transaction_its_settings(fixture):  # noqa: F811
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()
        party_track_records(TrackFilters())
        cursor.execute("SHOW enable_nestloop")
        assert cursor.fetchone() == ("on",)
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone() == work_mem


counts = st.one_of(
    st.integers(0, 40).map(lambda best: ("exact", None, best, None)),
    st.integers(0, 40).map(lambda best: ("approximate", None, best, None)),
    st.integers(0, 40).map(lambda low: ("at_least", low, None, None)),
    st.integers(0, 40).map(lambda high: ("at_most", None, None, high)),
    st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda pair: ("range", min(pair), None, max(pair))),
)
claim_rows = st.lists(
    st.tuples(
        st.integers(0, 2),  # event
        st.sampled_from(["P", "Q", "R", "S"]),
        counts,
        st.sampled_from([("civilian", None), ("combatant", "P"), ("combatant", "Q"), ("total", None)]),
        st.integers(0, 2),  # day claimed
        st.booleans(),  # retracted
    ),
    max_size=24,
)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=claim_rows)
def test_random_claims_give_the_rules_figures(rows):
    with transaction.atomic():
        parties = {name: make_party(name=name, kind="monitor" if name in "PQ" else "government") for name in "PQRS"}
        events = [make_event(start_date=date(2019, 1, number + 1)) for number in range(3)]
        with claims_made():
            for event, party, count, (category, side), day, retracted in rows:
                make_claim(
                    events[event], parties[party], count=count, category=category,
                    victim_side=parties[side] if side else None, claimed_on=date(2019, 2, 1) + timedelta(days=day),
                    retracted=retracted,
                )  # fmt: skip
        for filters in (TrackFilters(), TrackFilters(victim_side=OWN), TrackFilters(victim_side=NONE)):
            by_sql, by_rules = both(filters)
            assert by_sql == by_rules
        by_sql, by_rules = both(TrackFilters(others_kind="monitor", victim_side=OTHER))
        assert by_sql == by_rules
        transaction.set_rollback(True)
