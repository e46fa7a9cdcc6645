"""The assessments format: one row an assessment of a stored event, all rows stored or none, each bad row
named by its line; a re-import changes nothing, and `export_assessments` writes what it reads back."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.accounts import make_user
from tests.factories import make_claim, make_event, make_party
from tests.helpers import csv_bytes, import_bytes
from tracker.ingest.formats.assessments import COLUMNS
from tracker.models import Assessment, Party
from tracker.models.assessments import organisation

pytestmark = pytest.mark.django_db


def assessment_row(**fields) -> dict:
    row = {
        "event_ref": "SYR-2018-01-RAQ-01", "assessor": "", "grade": "weak", "method": "range",
        "rationale": "One monitor so far.", "assessed_on": "2018-02-01", "civilian_low": "10", "civilian_high": "12",
    }  # fmt: skip
    return row | fields


@pytest.fixture
def event():
    return make_event(ref="SYR-2018-01-RAQ-01")


def imported(*rows, **options):
    return import_bytes(csv_bytes(list(rows)), name="assessments.csv", format="assessments", **options)


def exported(format: str = "csv") -> str:
    out = io.StringIO()
    call_command("export_assessments", stdout=out)
    return out.getvalue()


def test_a_row_is_an_assessment_of_a_stored_event_by_the_organisation_unless_named(event):
    airwars = make_party(name="Airwars")
    report = imported(
        assessment_row(),
        assessment_row(assessor="airwars", grade="Fair", method="source hierarchy", civilian_high="",
                       total_low="30", total_high="40"),
    )  # fmt: skip
    assert report.ok, list(report.errors)
    assert (
        report.summary() == "2 rows: 2 new assessments, 0 assessments updated, 0 assessments already stored unchanged"
    )
    ours = Assessment.objects.get(assessor=organisation())
    assert (ours.event, ours.grade, ours.method, ours.assessed_on) == (event, "weak", "range", date(2018, 2, 1))
    assert (ours.civilian_low, ours.civilian_high, ours.total_low, ours.total_high) == (10, 12, None, None)
    theirs = Assessment.objects.get(assessor=airwars)
    assert (theirs.grade, theirs.method) == ("fair", "source_hierarchy")
    assert (theirs.civilian_low, theirs.civilian_high, theirs.total_low, theirs.total_high) == (10, None, 30, 40)
    assert theirs.history.get().history_type == "+"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"event_ref": "NOWHERE-1"}, "event_ref 'NOWHERE-1' is no event in the tracker"),
        ({"assessor": "Nobody Known"}, "assessor 'Nobody Known' is not a party in the tracker"),
        ({"grade": "likely"}, "grade 'likely' is not one of confirmed, fair, weak, contested, discounted"),
        ({"method": ""}, "method is empty"),
        ({"assessed_on": "01/02/2018"}, "assessed_on '01/02/2018' is not a date as YYYY-MM-DD"),
        ({"civilian_low": "ten"}, "civilian_low 'ten' is not a whole number"),
        ({"civilian_low": "", "civilian_high": "5"}, "civilian_low: A figure's high needs its low"),
        ({"civilian_low": "12", "civilian_high": "10"}, "civilian_high: A figure's high cannot be below its low"),
        ({"grade": "discounted", "rationale": ""}, "rationale: Say why"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_stored(event, fields, message):
    report = imported(assessment_row(assessed_on="2018-01-20"), assessment_row(**fields))
    assert not report.ok
    (error,) = report.errors
    assert error.line == 3
    assert message in error.message
    assert not Assessment.objects.exists()


def test_a_row_repeating_another_s_assessment_is_refused(event):
    report = imported(assessment_row(), assessment_row(grade="fair", rationale="Second source found."))
    assert [(error.line, error.message) for error in report.errors] == [
        (3, "line 2 assesses the same event by the same assessor on the same date")
    ]


def test_a_missing_column_is_named_before_any_row(event):
    report = import_bytes(
        csv_bytes([{"event_ref": "SYR-2018-01-RAQ-01", "grade": "weak"}]), name="a.csv", format="assessments"
    )
    assert [error.message for error in report.errors] == ["missing required columns: method, assessed_on"]


def test_a_re_import_changes_nothing_and_a_changed_row_updates_its_assessment(event):
    rows = [assessment_row(), assessment_row(assessed_on="2018-03-01", grade="fair", rationale="Two sources.")]
    assert imported(*rows).ok
    history = Assessment.history.count()
    again = imported(*rows)
    assert (again.summary(), Assessment.history.count()) == (
        "2 rows: 0 new assessments, 0 assessments updated, 2 assessments already stored unchanged",
        history,
    )
    changed = imported(assessment_row(civilian_high="14"), rows[1])
    assert (changed.created["assessments"], changed.updated, changed.unchanged) == (0, 1, 1)
    assessment = Assessment.objects.get(assessed_on=date(2018, 2, 1))
    assert (assessment.civilian_high, assessment.version) == (14, 2)


def test_a_restated_assessment_is_not_checked_against_claims_made_since(event):
    # Weak, as one monitor's report suggested when it was entered; a second source since suggests fair.
    make_claim(event, count=4)
    assert imported(assessment_row(rationale="")).ok
    make_claim(event, count=5)
    event.alleged_perpetrators.add(make_party(name="Air force"))
    assert imported(assessment_row(rationale="")).unchanged == 1
    refused = imported(assessment_row(rationale="", civilian_high="15"))
    assert "rationale: Say why" in refused.errors[0].message


def test_a_dry_run_stores_nothing(event):
    report = imported(assessment_row(), dry_run=True)
    assert report.ok and report.created["assessments"] == 1
    assert not Assessment.objects.exists()
    assert not Party.objects.exists()  # nor the organisation's party it would make


def test_an_import_needs_the_permission_to_add_or_change_assessments(event):
    user = make_user("clerk", "add_assessment")
    assert imported(assessment_row(), user=user).ok
    refused = imported(assessment_row(grade="fair", rationale="Second source."), user=user)
    assert "needs the permission tracker.change_assessment" in refused.errors[0].message
    assert Assessment.objects.get().entered_by == user


def test_export_import_export_gives_the_same_file(event):
    airwars = make_party(name="Airwars, the monitor")
    make_event(ref="IRQ-2017-02")
    imported(
        assessment_row(rationale='=SUM(A1) and "quotes", a comma\nand a line'),
        assessment_row(event_ref="IRQ-2017-02", assessor=airwars.name, grade="contested", method="pending",
                       civilian_low="", civilian_high="", combatant_low="3", unknown_low="0", unknown_high="0"),
    )  # fmt: skip
    first = exported()
    assert first.splitlines()[0] == ",".join(COLUMNS)
    Assessment.objects.all().delete()
    report = import_bytes(first.encode(), name="assessments.csv", format="assessments")
    assert report.ok and report.created["assessments"] == 2, list(report.errors)
    assert exported() == first
    assert imported_again_unchanged(first)


def imported_again_unchanged(content: str) -> bool:
    report = import_bytes(content.encode(), name="assessments.csv", format="assessments")
    return (report.created["assessments"], report.updated, report.unchanged) == (0, 0, 2)


def test_an_xlsx_export_imports_back(event, tmp_path):
    imported(assessment_row(total_low="30"))
    path = tmp_path / "assessments.xlsx"
    call_command("export_assessments", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    report = import_bytes(path.read_bytes(), name="assessments.xlsx", format="assessments")
    assert (report.ok, report.unchanged) == (True, 1), list(report.errors)


def test_the_admin_import_page_takes_an_assessments_file(admin_client, event):
    upload = io.BytesIO(csv_bytes([assessment_row()]))
    upload.name = "assessments.csv"
    response = admin_client.post(
        reverse("admin:tracker_claim_import"), {"file": upload, "format": "assessments"}, follow=True
    )
    assert "1 row: 1 new assessment" not in response.content.decode()  # a preview first
    job = response.context["job"]
    confirmed = admin_client.post(
        reverse("admin:tracker_claim_import_job", args=[job.pk]), {"confirm": "1"}, follow=True
    )
    assert (
        "1 row: 1 new assessment, 0 assessments updated, 0 assessments already stored unchanged"
        in confirmed.content.decode()
    )
    assert Assessment.objects.get().grade == "weak"
