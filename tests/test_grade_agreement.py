"""`grade_agreement`: how often the suggested grade equals an assessor's, as a table of grade by grade."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_claim, make_event, make_party, make_source
from tracker.models import Assessment, Event
from tracker.models.assessments import grade_suggestion, grade_suggestions, organisation

pytestmark = pytest.mark.django_db


def agreement(*args) -> list[str]:
    out = io.StringIO()
    call_command("grade_agreement", *args, stdout=out)
    return out.getvalue().splitlines()


def graded(event, assessor, grade: str, *, on=date(2018, 1, 1)) -> Assessment:
    return Assessment.objects.create(
        event=event, assessor=assessor, grade=grade, method="source_hierarchy", rationale="as published",
        assessed_on=on,
    )  # fmt: skip


@pytest.fixture
def airwars():
    """Four events Airwars graded, whose claims suggest confirmed, weak, fair and nothing."""
    airwars = make_party(name="Airwars")
    coalition = make_party(name="U.S.-led Coalition", kind="state_military")
    monitor = make_party(name="SOHR")
    conceded = make_event(ref="CS1")
    conceded.alleged_perpetrators.add(coalition)
    make_claim(conceded, airwars, count=3, category="civilian")
    make_claim(conceded, coalition, count=1, category="civilian")
    one_source = make_event(ref="CS2")
    one_source.alleged_perpetrators.add(coalition)
    make_claim(one_source, airwars, count=2, category="civilian")
    two_sources = make_event(ref="CS3")
    two_sources.alleged_perpetrators.add(coalition)
    make_claim(two_sources, airwars, count=2, category="civilian", source=make_source(title="Airwars incident CS3"))
    make_claim(two_sources, monitor, count=4, category="civilian", source=make_source(title="SOHR report"))
    nothing = make_event(ref="CS4")
    graded(conceded, airwars, "confirmed")
    graded(one_source, airwars, "weak", on=date(2017, 12, 1))
    graded(one_source, airwars, "fair")  # the current grade: the latest
    graded(two_sources, airwars, "fair")
    graded(nothing, airwars, "discounted")
    graded(conceded, organisation(), "weak")  # another assessor's, not counted
    return airwars


def test_the_table_sets_the_assessors_current_grade_against_the_suggestion(airwars):
    assert agreement("--assessor", "airwars") == [
        "| Airwars' grade \\ suggested | confirmed | fair | weak | contested | discounted | none | total |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        "| confirmed | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| fair | 0 | 1 | 1 | 0 | 0 | 0 | 2 |",
        "| weak | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| contested | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| discounted | 0 | 0 | 0 | 0 | 0 | 1 | 1 |",
        "| total | 1 | 1 | 1 | 0 | 0 | 1 | 4 |",
        "",
        "The suggested grade equals Airwars' for 2 of 4 events (50.0 %).",
    ]


def test_without_an_assessor_the_table_is_the_organisations(airwars):
    table = agreement()
    assert table[2] == "| confirmed | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    assert table[4] == "| weak | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"
    assert table[-1].endswith("for 0 of 1 events (0.0 %).")


def test_the_suggestions_at_once_are_those_of_each_event_alone(airwars):
    by_event = grade_suggestions(Event.objects.all())
    assert by_event == {event_id: grade_suggestion(event_id) for event_id in by_event}
    assert set(by_event.values()) == {"confirmed", "fair", "weak", None} and len(by_event) == 4


def test_an_unknown_assessor_is_refused_by_name():
    with pytest.raises(CommandError, match="No party is named 'Nobody'"):
        agreement("--assessor", "Nobody")
