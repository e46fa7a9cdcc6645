"""The events' filters on their grades: the organisation's grade (or none), an assessor, the suggested grade
(or none) and an assessment a claim differs from; on the list, its downloads and the API alike."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import claims_made, make_claim, make_event, make_party
from tests.test_assessments import make_assessment
from tracker.filters import EventFilter
from tracker.models import Event

pytestmark = pytest.mark.django_db


def refs(params) -> list[str]:
    filterset = EventFilter(params, queryset=Event.objects.all())
    assert filterset.is_valid(), filterset.errors
    return sorted(event.ref for event in filterset.qs)


@pytest.fixture
def graded():
    """FAIR: the organisation graded it fair, its figures hold both claims, the claims suggest it fair too.
    DIFF: graded weak, a claim above its figure, suggested weak. AW: only Airwars graded it confirmed,
    suggested weak. NONE: no claims, no grade."""
    ministry, monitor, hospital = make_party(name="Ministry"), make_party(name="Monitor"), make_party(name="Hospital")
    airwars = make_party(name="Airwars")
    fair, differs, theirs = make_event(ref="FAIR"), make_event(ref="DIFF"), make_event(ref="AW")
    make_event(ref="NONE")
    fair.alleged_perpetrators.add(ministry)
    with claims_made():
        make_claim(fair, monitor, count=4)
        make_claim(fair, hospital, count=5)
        make_claim(differs, monitor, count=30)
        make_claim(theirs, monitor, count=2)
    make_assessment(fair, grade="fair", civilian_low=4, civilian_high=6)
    make_assessment(differs, grade="contested", civilian_low=3, civilian_high=10, assessed_on=date(2018, 1, 1))
    make_assessment(differs, grade="weak", civilian_low=3, civilian_high=10, assessed_on=date(2018, 2, 1))
    make_assessment(theirs, assessor=airwars, grade="confirmed")
    return {"airwars": airwars}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"grade": "fair"}, ["FAIR"]),
        ({"grade": "weak"}, ["DIFF"]),
        ({"grade": "contested"}, []),  # the initial grade, no longer current
        ({"grade": "confirmed"}, []),  # Airwars' grade is not the organisation's
        ({"grade": "none"}, ["AW", "NONE"]),
        ({"suggested": "fair"}, ["FAIR"]),
        ({"suggested": "weak"}, ["AW", "DIFF"]),
        ({"suggested": "none"}, ["NONE"]),
        ({"assessment": "differs"}, ["DIFF"]),
        ({"assessment": "differs", "grade": "fair"}, []),
    ],
)
def test_the_grade_filters_list_the_events_they_name(graded, params, expected):
    assert refs(params) == expected


def test_an_assessor_lists_the_events_it_assessed(graded):
    assert refs({"assessor": graded["airwars"].pk}) == ["AW"]


@pytest.mark.parametrize("params", [{"grade": "excellent"}, {"suggested": "maybe"}, {"assessment": "agrees"}])
def test_a_value_that_is_no_choice_is_an_error(params):
    filterset = EventFilter(params, queryset=Event.objects.all())
    assert not filterset.is_valid()
    assert list(filterset.errors) == list(params)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("grade=fair", ["FAIR"]), ("suggested=confirmed", []), ("suggested=weak", ["AW", "DIFF"]),
     ("assessment=differs", ["DIFF"])],
)  # fmt: skip
def test_the_list_its_download_and_the_api_filter_alike(reader, graded, query, expected):
    page = reader.get(f"{reverse('event_list')}?{query}").content.decode()
    assert sorted(ref for ref in ("FAIR", "DIFF", "AW", "NONE") if f">{ref}<" in page) == expected
    download = reader.get(f"{reverse('event_download', args=['csv'])}?{query}").content.decode("utf-8-sig")
    assert sorted(row["ref"] for row in csv.DictReader(io.StringIO(download))) == expected
    api = reader.get(f"/api/events/?{query}", HTTP_ACCEPT="application/json").json()
    assert sorted(event["ref"] for event in api["results"]) == expected


def test_the_list_offers_the_assessors_and_the_grades(reader, graded):
    page = reader.get(reverse("event_list")).content.decode()
    assert f'<option value="{graded["airwars"].pk}">Airwars</option>' in page
    assert 'name="suggested"' in page and 'value="differs"' in page
