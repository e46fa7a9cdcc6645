"""Track records read from the database: a hand-made record of 3 parties over 8 events, checked number by number.

The fixture (each party's point in brackets where it is not the count itself):

| event | date, country, type       | Ministry          | Monitor              | Hospital         |
|-------|---------------------------|-------------------|----------------------|------------------|
| E1    | 2018-01-01 SY airstrike   | 0                 | 10                   | 12               |
| E2    | 2018-02-01 SY airstrike   | 5                 | 20                   | 25, then 30      |
| E3    | 2018-03-01 SY shelling    | about 40 (40)     | 40                   | 30–50 (40)       |
| E4    | 2018-04-01 IQ airstrike   | 2                 | at least 12 (12)     | 8                |
| E5    | 2018-05-01 SY airstrike   | 10, then 4        | 20                   | 16               |
| E6    | 2018-06-01 SY ground clash| 3 combatants of the Ministry's own | 9 of the Ministry's | —  |
| E7    | 2018-07-01 SY airstrike   | 6                 | 6, retracted         | 6                |
| E8    | 2018-08-01 SY bombing     | —                 | 50                   | 50, retracted    |

Civilians killed, unless said; the organisation assesses E1 (8–12), E2 (at least 20) and E5 (15–25).
"""

import csv
import io
import json
from datetime import date
from fractions import Fraction as F

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.factories import claims_made, make_claim, make_event, make_fate_claim, make_party, make_person
from tracker.exports.track_records import TRACK_RECORD_COLUMNS
from tracker.models import Assessment, Party
from tracker.rules.track_records import NONE, OTHER, OWN, TrackRecord
from tracker.summaries.track_records import TrackFilters, UnknownParty, party_track_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture():
    ministry = make_party(name="Ministry", kind="government")
    monitor = make_party(name="Monitor", kind="monitor")
    hospital = make_party(name="Hospital", kind="medical")
    organisation = make_party(name=settings.TRACKER_ORGANISATION, kind="monitor")
    event = {
        number: make_event(ref=f"E{number}", start_date=date(2018, number, 1), country=country, event_type=kind)
        for number, country, kind in [
            (1, "SY", "airstrike"), (2, "SY", "airstrike"), (3, "SY", "shelling"), (4, "IQ", "airstrike"),
            (5, "SY", "airstrike"), (6, "SY", "ground_clash"), (7, "SY", "airstrike"), (8, "SY", "bombing"),
        ]
    }  # fmt: skip

    def said(number, party, count, *, day=2, **fields):
        make_claim(event[number], party, count=count, claimed_on=date(2018, number, day), **fields)

    with claims_made():
        said(1, ministry, 0), said(1, monitor, 10), said(1, hospital, 12)
        said(2, ministry, 5), said(2, monitor, 20), said(2, hospital, 25), said(2, hospital, 30, day=4)
        said(3, ministry, ("approximate", None, 40, None)), said(3, monitor, 40)
        said(3, hospital, ("range", 30, None, 50))
        said(4, ministry, 2), said(4, monitor, ("at_least", 12, None, None)), said(4, hospital, 8)
        said(5, ministry, 10), said(5, ministry, 4, day=5), said(5, monitor, 20), said(5, hospital, 16)
        said(6, ministry, 3, category="combatant", victim_side=ministry)
        said(6, monitor, 9, category="combatant", victim_side=ministry)
        said(7, ministry, 6), said(7, monitor, 6, retracted=True), said(7, hospital, 6)
        said(8, monitor, 50), said(8, hospital, 50, retracted=True)
    for number, low, high in [(1, 8, 12), (2, 20, None), (5, 15, 25)]:
        Assessment.objects.create(
            event=event[number], assessor=organisation, grade="fair", method="range", civilian_low=low,
            civilian_high=high, assessed_on=date(2018, 9, 1),
        )  # fmt: skip
    # The ministry says a man was killed in E1, the monitor that he lived: a fate conflict (disputed).
    person = make_person(name="Abu Hamza", affiliation=monitor)
    make_fate_claim(person, ministry, "killed", event=event[1], claimed_on=date(2018, 1, 3), status="civilian")
    make_fate_claim(person, monitor, "alive", event=event[1], claimed_on=date(2018, 1, 4), status="civilian")
    # The hospital's death claim about a man nobody else reports alive is in no conflict.
    make_fate_claim(make_person(name="Omar"), hospital, "killed", event=event[2], claimed_on=date(2018, 2, 3))
    return event


def records(**filters):
    return dict(party_track_records(TrackFilters(**filters)))


def test_each_partys_record_over_every_group(fixture):
    assert list(records()) == ["Hospital", "Ministry", "Monitor"]  # by name; the organisation claims nothing
    assert records() == {
        # Compared in E1–E7: below in E1 (denying), E2, E4, E5 (its revised 4) and E6, within in E3 and E7.
        # Ratios 1/5, 1, 1/5, 2/9, 1/3, 1 (none in E1, where it says 0).
        "Ministry": TrackRecord(
            groups=7, above=0, within=2, below=5, median_ratio=F(5, 18), q1=F(1, 5), q3=F(1), denials=1,
            claims=8, retracted=0, revised_up=0, revised_down=1, conflicted_deaths=1,
        ),
        # Compared in E1–E6 (E7's claim retracted, alone in E8): ratios 5/3, 8/7, 1, 12/5, 2, 3.
        "Monitor": TrackRecord(
            groups=6, above=5, within=1, below=0, median_ratio=F(11, 6), q1=F(8, 7), q3=F(12, 5), denials=0,
            claims=8, retracted=1, revised_up=0, revised_down=0,
        ),
        # Compared in E1–E5 and E7: ratios 12/5, 12/5 (its 30, revised up from 25), 1, 8/7, 4/3, 1.
        "Hospital": TrackRecord(
            groups=6, above=4, within=2, below=0, median_ratio=F(26, 21), q1=F(1), q3=F(12, 5), denials=0,
            claims=8, retracted=1, revised_up=1, revised_down=0,
        ),
    }  # fmt: skip
    ministry = records()["Ministry"]
    assert (ministry.too_few, ministry.retracted_share) == (False, 0)
    assert records()["Monitor"].retracted_share == F(1, 8)


def test_filters_on_the_events(fixture):
    iraq = records(country="iq")
    assert (iraq["Ministry"].groups, iraq["Ministry"].below, iraq["Ministry"].median_ratio) == (1, 1, F(1, 5))
    assert iraq["Ministry"].too_few and iraq["Ministry"].conflicted_deaths == 0  # the disputed death was in Syria
    assert iraq["Monitor"].above == iraq["Hospital"].above == 1
    shelling = records(event_type="shelling")
    assert [(record.groups, record.within) for record in shelling.values()] == [(1, 1)] * 3
    summer = records(date_from=date(2018, 5, 1), date_to=date(2018, 7, 1))  # E5, E6, E7
    assert (summer["Ministry"].groups, summer["Ministry"].below, summer["Ministry"].within) == (3, 2, 1)
    assert (summer["Monitor"].groups, summer["Monitor"].claims, summer["Monitor"].retracted) == (2, 3, 1)
    assert summer["Hospital"].groups == 2


def test_filters_on_the_category_and_whose_dead(fixture):
    combatants = records(category="combatant")
    assert set(combatants) == {"Ministry", "Monitor"}
    assert (combatants["Ministry"].below, combatants["Ministry"].median_ratio) == (1, F(1, 3))
    assert (combatants["Monitor"].above, combatants["Monitor"].median_ratio) == (1, F(3))
    own = records(victim_side=OWN)  # E6 counts the ministry's own dead, and another's for the monitor
    assert list(own) == ["Ministry"] and own["Ministry"].below == 1
    other = records(victim_side=OTHER)
    assert other["Monitor"] == TrackRecord(groups=1, above=1, median_ratio=F(3), q1=F(3), q3=F(3), claims=1)
    # The man the ministry says was killed was the monitor's: a death claim about another party's dead.
    assert other["Ministry"] == TrackRecord(conflicted_deaths=1)
    unsided = records(victim_side=NONE)
    assert (unsided["Ministry"].groups, unsided["Monitor"].groups, unsided["Hospital"].groups) == (6, 5, 6)


def test_the_others_can_be_parties_of_one_kind(fixture):
    against_medics = records(others_kind="medical")
    # The ministry against the hospital alone: E1 (denying), E2 5/30, E3 1, E4 2/8, E5 4/16, E7 1; none in E6.
    assert against_medics["Ministry"] == TrackRecord(
        groups=6, above=0, within=2, below=4, median_ratio=F(1, 4), q1=F(1, 4), q3=F(1), denials=1,
        claims=8, revised_down=1, conflicted_deaths=1,
    )  # fmt: skip
    assert against_medics["Hospital"].groups == 0


def test_the_others_can_be_one_named_party(fixture):
    against_monitor = records(others="monitor")
    # The hospital against the monitor alone: E1 12/10, E2 30/20, E3 1, E4 8/12, E5 16/20; none in E7 (retracted).
    assert against_monitor["Hospital"] == TrackRecord(
        groups=5, above=2, within=1, below=2, median_ratio=F(1), q1=F(4, 5), q3=F(6, 5), claims=8, retracted=1,
        revised_up=1,
    )  # fmt: skip
    assert against_monitor["Monitor"].groups == 0
    assert records(others="Monitor", others_kind="medical")["Ministry"].groups == 0  # no party is both
    with pytest.raises(UnknownParty):
        records(others="Nobody")


def test_against_an_assessor(fixture):
    judged = records(against=settings.TRACKER_ORGANISATION.upper())
    assert judged["Ministry"] == TrackRecord(
        groups=3, below=3, median_ratio=F(9, 40), q1=F(1, 5), q3=F(1, 4), denials=1, claims=8, revised_down=1,
        conflicted_deaths=1,
    )  # fmt: skip
    assert (judged["Monitor"].within, judged["Monitor"].median_ratio) == (3, 1)
    assert (judged["Hospital"].q1, judged["Hospital"].median_ratio, judged["Hospital"].q3) == (F(1), F(6, 5), F(27, 20))
    with pytest.raises(UnknownParty):
        records(against="Nobody")


def test_reads_a_few_queries_whatever_the_parties(fixture, django_assert_max_num_queries):
    Party.objects.bulk_create(Party(name=f"Bystander {n}", kind="media") for n in range(20))
    with django_assert_max_num_queries(8):  # and the data version the answer is kept under
        records(against=settings.TRACKER_ORGANISATION, others_kind="monitor")


@pytest.mark.parametrize(
    "filters", [{}, {"category": "civilian"}, {"victim_side": "own"}, {"against": settings.TRACKER_ORGANISATION}]
)
def test_one_partys_record_read_from_its_own_events_is_its_record_among_all(fixture, filters):
    """A party's page reads only the events where it claims: its record must be the one every party's gives."""
    every = records(**filters)
    for party in Party.objects.filter(name__in=every):
        assert party_track_records(TrackFilters(**filters, parties=frozenset({party.pk}))) == [
            (party.name, every[party.name])
        ]


def test_every_partys_records_are_kept_until_the_data_changes(fixture, django_assert_max_num_queries):
    first = records()
    with django_assert_max_num_queries(1):  # the data version: the records are kept under it
        assert records() == first
    hospital, ministry = Party.objects.get(name="Hospital"), Party.objects.get(name="Ministry")
    event = make_event(ref="E9")
    make_claim(event, hospital, count=10, category="civilian")
    make_claim(event, ministry, count=0, category="civilian")
    assert records()["Ministry"].groups == first["Ministry"].groups + 1


# --- export_track_records ---------------------------------------------------------------------------------


def exported(*options, format="json"):
    stdout = io.StringIO()
    call_command("export_track_records", "--format", format, *options, stdout=stdout)
    return stdout.getvalue()


def test_the_export_writes_one_object_per_party_with_its_figures_rounded(fixture):
    ministry, monitor = json.loads(exported())[1:]
    assert ministry == {
        "party": "Ministry", "groups": 7, "above": 0, "within": 2, "below": 5, "median_ratio": 0.278, "q1": 0.2,
        "q3": 1.0, "denials": 1, "retracted_share": 0.0, "revised_up": 0, "revised_down": 1,
        "deaths_in_conflict": 1, "too_few": False,
    }  # fmt: skip
    assert (monitor["median_ratio"], monitor["q1"], monitor["q3"]) == (1.833, 1.143, 2.4)
    assert monitor["retracted_share"] == 0.125


def test_the_export_as_csv_under_filters(fixture):
    rows = list(csv.reader(io.StringIO(exported("--country", "IQ", "--event-type", "airstrike", format="csv"))))
    assert rows[0] == list(TRACK_RECORD_COLUMNS)
    assert rows[1:] == [
        ["Hospital", "1", "1", "0", "0", "1.143", "1.143", "1.143", "0", "0.000", "0", "0", "0", "true"],
        ["Ministry", "1", "0", "0", "1", "0.200", "0.200", "0.200", "0", "0.000", "0", "0", "0", "true"],
        ["Monitor", "1", "1", "0", "0", "2.400", "2.400", "2.400", "0", "0.000", "0", "0", "0", "true"],
    ]


@pytest.mark.parametrize(
    "options, groups",
    [
        (["--category", "combatant"], {"Ministry": 1, "Monitor": 1}),
        (["--victim-side", "own"], {"Ministry": 1}),
        (["--date-from", "2018-05-01", "--date-to", "2018-07-01"], {"Hospital": 2, "Ministry": 3, "Monitor": 2}),
        (["--others-kind", "medical"], {"Hospital": 0, "Ministry": 6, "Monitor": 5}),
        (["--others", "Hospital"], {"Hospital": 0, "Ministry": 6, "Monitor": 5}),
        (["--against", "our organisation"], {"Hospital": 3, "Ministry": 3, "Monitor": 3}),
    ],
)
def test_each_option_filters_the_export(fixture, options, groups):
    assert {record["party"]: record["groups"] for record in json.loads(exported(*options))} == groups


def test_no_ratio_is_null(fixture):
    ministry = json.loads(exported("--category", "civilian", "--date-to", "2018-01-31"))[1]  # E1, where it says 0
    assert (ministry["party"], ministry["median_ratio"], ministry["q1"]) == ("Ministry", None, None)
    assert ministry["denials"] == 1


def test_the_export_refuses_an_assessor_it_does_not_know(fixture):
    with pytest.raises(CommandError, match="No party is named 'Nobody'"):
        exported("--against", "Nobody")


def test_the_export_to_a_file_runs_no_party_name_as_a_formula(fixture, tmp_path):
    Party.objects.filter(name="Hospital").update(name="=Hospital")
    target = tmp_path / "records.csv"
    call_command("export_track_records", "--format", "csv", "--output", str(target), stderr=io.StringIO())
    assert "'=Hospital" in target.read_text(encoding="utf-8")
