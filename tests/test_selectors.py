"""Reads kept on the querysets: most severe first, counts per level, where each claim stands."""

from datetime import date

import pytest

from tests.factories import claims_made, make_claim, make_event, make_party
from tracker.models import ComparisonGroup, Event, PartyTally
from tracker.rules import discrepancy
from tracker.rules.counts import Interval

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("interval", "level", "expected"),
    [
        (Interval(5, 5), "single", discrepancy.ALONE),
        (Interval(5, 5), "agree", discrepancy.AGREES),
        (Interval(36, 44), "major", discrepancy.ABOVE),  # lo above H = 12
        (Interval(12, 12), "major", discrepancy.BELOW),  # hi below L = 36
        (Interval(10, None), "major", discrepancy.WITHIN),  # allows both 12 and 36
        (Interval(12, 36), "minor", discrepancy.WITHIN),
        (Interval(0, 0), "denial", discrepancy.BELOW),
        (Interval(5, 5), None, None),
    ],
)
def test_where_a_claim_stands_in_its_group(interval, level, expected):
    assert discrepancy.standing(interval, level, 36, 12) == expected


def events_at(*levels):
    """Make one event per level, each dated a day later than the one before."""
    events = []
    with claims_made():
        for day, counts in enumerate(levels, start=1):
            event = make_event(start_date=date(2018, 1, day))
            for count in counts:
                make_claim(event, count=count)
            events.append(event)
    return events


def test_events_come_most_severe_first_then_newest():
    agree, denial, single, major_old, major_new, empty = events_at([5, 5], [0, 9], [3], [4, 40], [4, 40], [])
    order = list(Event.objects.by_severity())
    assert order == [denial, major_new, major_old, single, agree, empty]


def test_open_discrepancies_put_the_widest_ratio_first_within_a_level():
    narrow, wide, _single, minor = events_at([10, 20], [10, 90], [3], [10, 12])
    assert list(Event.objects.open_discrepancies()) == [wide, narrow, minor]


def test_level_counts_name_every_level_and_the_events_without_claims():
    events_at([0, 9], [0, 4], [3], [])
    counts = {row["level"]: row["total"] for row in Event.objects.dashboard_counts()["levels"]}
    assert counts == {"denial": 2, "major": 0, "minor": 0, "single": 1, "agree": 0, None: 1}


def injured_at(event, level):
    """Give an event a claim of the injured, and the injured level the summary stores (set here as it would)."""
    killed = Event.objects.filter(pk=event.pk).values("level", "severity", "ratio", "ratio_rank").get()
    make_claim(event, count=5, outcome="injured")
    severity = discrepancy.SEVERITY[level]
    Event.objects.filter(pk=event.pk).update(**killed, injured_level=level, injured_severity=severity)


def test_the_injured_are_read_by_their_own_level_and_only_where_counted():
    killed_only, major, denial, single = events_at([0, 9], [3], [3], [3])
    for event, level in ((major, "major"), (denial, "denial"), (single, "single")):
        injured_at(event, level)

    assert list(Event.objects.counting("killed")) == list(Event.objects.all())
    assert list(Event.objects.counting("injured").by_severity("injured")) == [denial, major, single]
    assert list(Event.objects.open_discrepancies("injured")) == [denial, major]
    counts = {row["level"]: row["total"] for row in Event.objects.dashboard_counts("injured")["levels"]}
    assert counts == {"denial": 1, "major": 1, "minor": 0, "single": 1, "agree": 0, None: 0}
    assert list(Event.objects.open_discrepancies()) == [killed_only]  # the killed's, as ever


def test_groups_come_worst_first():
    event = make_event()
    make_claim(event, count=5, category="civilian")
    make_claim(event, count=12, category="civilian")
    make_claim(event, count=0, category="combatant")
    make_claim(event, count=8, category="combatant")
    make_claim(event, count=3, category="total")
    assert [group.category for group in ComparisonGroup.objects.filter(event=event).worst_first()] == [
        "combatant", "civilian", "total",
    ]  # fmt: skip


def test_the_party_tally_counts_each_partys_current_claims_where_they_stand():
    ministry, monitor, hospital = make_party(), make_party(), make_party()
    event = make_event()
    make_claim(event, ministry, count=40)
    make_claim(event, monitor, count=4)
    make_claim(event, hospital, count=("range", 4, None, 40))
    make_claim(make_event(), monitor, count=7)
    tallies = {tally.party_id: tally for tally in PartyTally.objects.all()}
    assert tallies[ministry.pk].above == 1
    assert tallies[monitor.pk].below == 1
    assert tallies[monitor.pk].alone == 1
    assert tallies[hospital.pk].within == 1
    assert sum(tally.alone + tally.agrees + tally.above + tally.below + tally.within for tally in tallies.values()) == 4
