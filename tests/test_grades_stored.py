"""The grades stored on events and kept in step with every write: the suggested grade (claims, alleged
perpetrators, sources' relays), the organisation's current grade and whether a claim differs from its
figures (assessments, claims), and a rebuild; on SQLite through the rules' backend, on PostgreSQL through
its SQL backend, both equal to the rule computed for one event."""

from datetime import date

import pytest

from tests.accounts import make_user
from tests.factories import claims_made, make_claim, make_event, make_party, make_source
from tests.helpers import csv_bytes, import_bytes
from tests.test_assessments import make_assessment
from tests.test_linking import ged_and_airwars, only_candidate
from tracker import linking
from tracker.models import Event
from tracker.models.assessments import grade_suggestion
from tracker.summaries import event_summaries_refresh

pytestmark = pytest.mark.django_db


def stored(event) -> tuple:
    return Event.objects.values_list(*Event.GRADE_FIELDS).get(pk=event.pk)


@pytest.fixture
def strike():
    ministry, monitor = make_party(name="Ministry", kind="state_military"), make_party(name="Monitor")
    return {"event": make_event(), "ministry": ministry, "monitor": monitor}


def test_a_claim_of_civilian_harm_stores_a_suggestion_and_its_retraction_takes_it_away(strike):
    event = strike["event"]
    assert stored(event) == (None, None, False)
    claim = make_claim(event, strike["monitor"], count=4)
    assert stored(event) == ("weak", None, False)
    claim.retracted = True
    claim.save()
    assert stored(event) == (None, None, False)


def test_alleged_perpetrators_added_or_removed_change_the_stored_suggestion(strike):
    event, ministry = strike["event"], strike["ministry"]
    make_claim(event, ministry, count=3)
    assert stored(event)[0] == "weak"
    event.alleged_perpetrators.add(ministry)
    assert stored(event)[0] == "confirmed"
    ministry.alleged_events.remove(event)  # from the party's side
    assert stored(event)[0] == "weak"
    event.alleged_perpetrators.set([ministry, strike["monitor"]])
    assert stored(event)[0] == "confirmed"
    ministry.alleged_events.clear()  # the monitor alone is named, and it claims nothing
    assert stored(event)[0] == "weak"
    event.alleged_perpetrators.add(make_party(name="Militia"))
    assert stored(event)[0] == "contested"
    event.alleged_perpetrators.clear()
    assert stored(event)[0] == "weak"


def test_a_source_made_a_relay_of_another_takes_away_the_corroboration(strike):
    event, monitor = strike["event"], strike["monitor"]
    event.alleged_perpetrators.add(strike["ministry"])
    tass, paper = make_source(title="TASS"), make_source(title="Paper")
    with claims_made():
        make_claim(event, monitor, count=4, source=tass)
        make_claim(event, make_party(name="Hospital"), count=5, source=paper)
    assert stored(event)[0] == "fair"  # two independent sources
    paper.relays = tass
    paper.save()
    assert stored(event)[0] == "weak"
    paper.relays = None
    paper.save()
    assert stored(event)[0] == "fair"


def test_a_relay_further_up_a_chain_refreshes_the_events_citing_its_relayers(strike):
    event = strike["event"]
    event.alleged_perpetrators.add(strike["ministry"])
    tass, agency, paper = make_source(title="TASS"), make_source(title="Agency"), make_source(title="Paper")
    agency.relays = tass
    agency.save()
    with claims_made():
        make_claim(event, strike["monitor"], count=4, source=tass)
        make_claim(event, make_party(name="Hospital"), count=5, source=paper)
    assert stored(event)[0] == "fair"
    paper.relays = agency  # paper → agency → TASS: one origin
    paper.save()
    assert stored(event)[0] == "weak"


def test_the_organisations_assessment_stores_its_grade_and_whether_a_claim_differs(strike):
    event = strike["event"]
    with claims_made():
        make_claim(event, strike["monitor"], count=12)
        make_claim(event, strike["ministry"], count=("range", 8, None, 10))
    first = make_assessment(event, grade="fair", civilian_low=8, civilian_high=12, assessed_on=date(2018, 2, 1))
    assert stored(event) == ("weak", "fair", False)  # both claims within 8–12
    later = make_assessment(event, grade="weak", civilian_low=11, civilian_high=None, assessed_on=date(2018, 3, 1))
    assert stored(event) == ("weak", "weak", True)  # the ministry's 8–10 lies below 11
    later.delete()
    assert stored(event) == ("weak", "fair", False)
    first.civilian_high = 11
    first.save()
    assert stored(event) == ("weak", "fair", True)  # the monitor's 12 lies above 11
    first.delete()
    assert stored(event) == ("weak", None, False)


def test_a_claim_changed_after_the_assessment_changes_whether_it_differs(strike):
    event = strike["event"]
    claim = make_claim(event, strike["monitor"], count=12)
    make_assessment(event, grade="weak", civilian_low=10, civilian_high=14)
    assert stored(event)[2] is False
    claim.best = 20
    claim.save()
    assert stored(event)[2] is True


def test_another_assessors_grade_and_figures_are_not_the_organisations(strike):
    event = strike["event"]
    make_claim(event, strike["monitor"], count=12)
    make_assessment(event, assessor=make_party(name="Airwars"), grade="fair", civilian_low=1, civilian_high=2)
    assert stored(event) == ("weak", None, False)


def test_a_side_subgroup_or_injured_claim_never_differs_from_the_figures(strike):
    event = strike["event"]
    with claims_made():
        make_claim(event, strike["monitor"], count=5)
        make_claim(event, strike["ministry"], count=50, victim_side=strike["monitor"])
        make_claim(event, strike["ministry"], count=60, outcome="injured")
    make_assessment(event, civilian_low=5, civilian_high=5)
    assert stored(event)[2] is False


def test_a_rebuild_stores_the_grades_afresh(strike):
    event = strike["event"]
    make_claim(event, strike["monitor"], count=12)
    make_assessment(event, grade="fair", civilian_low=1, civilian_high=2)
    Event.objects.update(suggested_grade=None, grade=None, assessment_differs=False)
    event_summaries_refresh()
    assert stored(event) == ("weak", "fair", True)


def test_the_stored_suggestion_is_the_rules_for_each_case_on_this_database(strike):
    """The summaries' backend of this database (SQL on PostgreSQL) stores what the rule computes for one event."""
    ministry, monitor = strike["ministry"], strike["monitor"]
    cases = [make_event() for _ in range(5)]
    cases[0].alleged_perpetrators.add(ministry)
    cases[1].alleged_perpetrators.add(ministry, monitor)
    cases[2].alleged_perpetrators.add(ministry)
    with claims_made():
        make_claim(cases[0], ministry, count=2)  # confirmed
        make_claim(cases[1], make_party(name="Hospital"), count=2)  # contested
        make_claim(cases[2], monitor, count=("approximate", None, 3, None))  # fair: two sources
        make_claim(cases[2], make_party(name="Clinic"), count=("at_least", 1, None, None))
        make_claim(cases[3], monitor, count=0)  # no harm: none
        make_claim(cases[4], monitor, count=("at_most", None, None, 4))  # lo 0: none
    Event.objects.update(suggested_grade=None)
    event_summaries_refresh(events=cases)
    expected = ["confirmed", "contested", "fair", None, None]
    assert [grade_suggestion(event.pk) for event in cases] == expected
    assert [stored(event)[0] for event in cases] == expected


def test_a_merge_moves_the_organisations_grade_with_its_assessment_and_an_undo_takes_it_back():
    ged, airwars = ged_and_airwars()
    make_assessment(airwars, grade="fair")
    editor = make_user("editor")
    link = linking.event_link_accept(candidate=only_candidate(), user=editor)
    assert stored(ged)[1] == "fair"
    restored = linking.event_link_undo(link=link, user=editor)
    assert (stored(ged)[1], stored(restored)[1]) == (None, "fair")


def test_an_import_of_assessments_stores_the_grades_of_their_events(strike):
    event = strike["event"]
    make_claim(event, strike["monitor"], count=12)
    base = {"event_ref": event.ref, "assessor": "", "grade": "fair", "method": "range", "rationale": "Two sources."}
    report = import_bytes(
        csv_bytes([base | {"assessed_on": "2018-02-01", "civilian_low": "10", "civilian_high": "14"}]),
        name="assessments.csv",
        format="assessments",
    )
    assert report.ok, list(report.errors)
    assert stored(event) == ("weak", "fair", False)
    changed = base | {"assessed_on": "2018-02-01", "civilian_low": "1", "civilian_high": "2"}
    assert import_bytes(csv_bytes([changed]), name="assessments.csv", format="assessments").ok
    assert stored(event) == ("weak", "fair", True)  # an assessment the import updated
