"""The grades in export_discrepancies (JSON and CSV), the event downloads and the API: the suggested grade,
each assessor's current assessment with its initial grade, figures and the claims against them, and the
organisation's grade and assessor as CSV columns."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import claims_made, make_claim, make_event, make_party
from tests.test_assessments import make_assessment

pytestmark = pytest.mark.django_db

OURS = {
    "assessor": "Our organisation",
    "grade": "weak",
    "initial_grade": "contested",
    "method": "range",
    "figures": [{"category": "civilian", "low": 5, "high": 10}, {"category": "total", "low": 12, "high": None}],
    "against": [
        {"party": "Hospital", "category": "civilian", "standing": "within"},
        {"party": "Ministry", "category": "civilian", "standing": "below"},
        {"party": "Monitor", "category": "civilian", "standing": "above"},
        {"party": "Ministry", "category": "total", "standing": "within"},
    ],
}
AIRWARS = {
    "assessor": "Airwars",
    "grade": "fair",
    "initial_grade": "fair",
    "method": "source_hierarchy",
    "figures": [],
    "against": [],
}


@pytest.fixture
def assessed():
    """Claims above, below and within the organisation's figures; a side claim, a subgroup and a retracted claim
    that none of them reads; the organisation's grade revised, and Airwars' grade without figures."""
    ministry, monitor, hospital = make_party(name="Ministry"), make_party(name="Monitor"), make_party(name="Hospital")
    event = make_event(ref="SYR-GRADED")
    make_event(ref="SYR-PLAIN")
    with claims_made():
        make_claim(event, monitor, count=14)
        make_claim(event, ministry, count=("at_most", None, None, 3))
        make_claim(event, hospital, count=("range", 4, None, 6))
        make_claim(event, ministry, count=40, category="total")
        make_claim(event, monitor, count=99, category="civilian", victim_side=ministry)
        make_claim(event, make_party(name="Clinic"), count=50, retracted=True)
    make_assessment(event, grade="contested", civilian_low=1, assessed_on=date(2018, 1, 1))
    make_assessment(event, civilian_low=5, civilian_high=10, total_low=12, assessed_on=date(2018, 2, 1))
    airwars = make_party(name="Airwars")
    make_assessment(event, assessor=airwars, grade="fair", method="source_hierarchy", assessed_on=date(2018, 1, 5))
    return event


def record_of(records: list[dict], ref: str) -> dict:
    return next(record for record in records if record["ref"] == ref)


def test_export_discrepancies_json_gives_the_suggestion_and_each_assessors_current_assessment(assessed):
    out = io.StringIO()
    call_command("export_discrepancies", "--format", "json", stdout=out)
    records = json.loads(out.getvalue())
    graded, plain = record_of(records, "SYR-GRADED"), record_of(records, "SYR-PLAIN")
    assert (graded["suggested_grade"], graded["assessments"]) == ("weak", [AIRWARS, OURS])
    assert (plain["suggested_grade"], plain["assessments"]) == (None, [])


def test_export_discrepancies_csv_gives_the_suggestion_and_the_organisations_grade_and_name(assessed):
    out = io.StringIO()
    call_command("export_discrepancies", "--format", "csv", stdout=out)
    rows = {row["ref"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    columns = ("suggested_grade", "grade", "assessor")
    assert [rows["SYR-GRADED"][column] for column in columns] == ["weak", "weak", "Our organisation"]
    assert [rows["SYR-PLAIN"][column] for column in columns] == ["", "", ""]


def test_the_event_download_and_the_api_give_the_same_assessments(reader, assessed):
    download = json.loads(reader.get(reverse("event_download", args=["json"])).content)
    assert record_of(download, "SYR-GRADED")["assessments"] == [AIRWARS, OURS]
    listed = reader.get("/api/events/", HTTP_ACCEPT="application/json").json()["results"]
    event = next(item for item in listed if item["ref"] == "SYR-GRADED")
    assert (event["suggested_grade"], event["grade"], event["assessment_differs"]) == ("weak", "weak", True)
    assert event["assessments"] == [AIRWARS, OURS]
    one = reader.get("/api/events/SYR-GRADED/", HTTP_ACCEPT="application/json").json()
    assert one["assessments"] == [AIRWARS, OURS]
