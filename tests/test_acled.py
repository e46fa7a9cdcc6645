"""Importing ACLED's CSV export: each event and the claim of ACLED, with the quirks real exports have."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.helpers import claims_exported, csv_bytes
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "data" / "acled_export.csv"


def acled_import(content: bytes | None = None, **options):
    content = EXPORT.read_bytes() if content is None else content
    return file_import(file=io.BytesIO(content), name="acled.csv", format="acled", **options)


def export_rows() -> list[dict]:
    return list(csv.DictReader(io.StringIO(EXPORT.read_text(encoding="utf-8-sig"), newline="")))


@pytest.fixture
def imported():
    report = acled_import()
    assert report.ok, list(report.errors)
    return report


def test_an_acled_event_becomes_an_event_and_the_claim_of_acled(imported):
    event = Event.objects.get(ref="SYR90001")

    assert (event.origin, event.origin_id, event.country.code, event.start_date) == (
        "acled", "SYR90001", "SY", date(2025, 5, 16),
    )  # fmt: skip
    assert (event.event_type, event.date_precision, event.location_name) == ("airstrike", "day", "Damascus - Mezzeh")
    claim = event.claims.get()
    assert (claim.party.name, claim.party.kind, claim.origin, claim.origin_id) == (
        "ACLED", "monitor", "acled", "SYR90001",
    )  # fmt: skip
    assert (claim.category, claim.qualifier, claim.best, claim.claimed_on) == (
        "civilian", "exact", 3, date(2025, 5, 16),
    )  # fmt: skip


def test_quoted_notes_with_commas_quotes_and_line_breaks_are_kept_whole(imported):
    event = Event.objects.get(ref="SYR90001")
    notes = export_rows()[0]["notes"]

    assert "\n" in notes and "," in notes and '"' in notes
    assert event.claims.get().source.excerpt == notes
    assert f"Notes: {notes}" in event.description


def test_fatalities_are_civilian_where_civilians_are_targeted_else_total(imported):
    categories = dict(Claim.objects.values_list("event__ref", "category"))

    assert categories == {"SYR90001": "civilian", "SYR90002": "total", "SYR90003": "total", "SYR90004": "total"}
    assert Claim.objects.get(event__ref="SYR90004").best == 0  # a protest without deaths: ACLED says none


def test_time_precision_sets_the_date_precision_and_a_month_is_dated_its_first_day(imported):
    events = {event.ref: event for event in Event.objects.all()}

    assert (events["SYR90002"].date_precision, events["SYR90002"].start_date) == ("week", date(2025, 5, 18))
    assert (events["SYR90003"].date_precision, events["SYR90003"].start_date) == ("month", date(2025, 4, 1))
    assert "ACLED's date: 20 April 2025" in events["SYR90003"].description
    assert Claim.objects.get(event__ref="SYR90003").claimed_on == date(2025, 4, 20)


def test_sub_event_types_map_to_event_types(imported):
    assert dict(Event.objects.values_list("ref", "event_type")) == {
        "SYR90001": "airstrike", "SYR90002": "shelling", "SYR90003": "ground_clash", "SYR90004": "other",
    }  # fmt: skip


def test_who_killed_become_alleged_perpetrators_with_their_kind(imported):
    def perpetrators(ref):
        return {(party.name, party.kind) for party in Event.objects.get(ref=ref).alleged_perpetrators.all()}

    assert perpetrators("SYR90001") == {("Military Forces of Israel (2022-)", "state_military")}
    assert perpetrators("SYR90002") == {("Military Forces of Syria (2024-)", "state_military")}  # by name
    assert perpetrators("SYR90003") == {
        ("Military Forces of Syria (2024-)", "state_military"), ("SDF: Syrian Democratic Forces", "armed_group"),
    }  # fmt: skip
    assert perpetrators("SYR90004") == set()


def test_importing_the_export_again_changes_nothing(imported):
    before = claims_exported()

    again = acled_import()

    assert again.ok and sum(again.created.values()) == 0 and again.unchanged == 4
    assert claims_exported() == before


def test_bad_rows_are_named_by_their_line_and_nothing_is_stored():
    rows = export_rows()
    rows[1].update(event_date="31 Septober 2025")
    rows[2].update(fatalities="a dozen", time_precision="4")
    rows[3].update(iso="", country="Atlantis")

    report = acled_import(csv_bytes(rows, bom=True))

    assert not report.ok and not Event.objects.exists()
    errors = {error.line: error.message for error in report.errors}
    assert set(errors) == {3, 4, 5}  # the notes' line break does not shift the lines a spreadsheet shows
    assert "event_date '31 Septober 2025'" in errors[3]
    assert "fatalities 'a dozen'" in errors[4] and "time_precision '4'" in errors[4]
    assert "country 'Atlantis'" in errors[5]


def test_an_export_without_acled_columns_is_refused_by_its_header():
    report = acled_import(b"event_id_cnty,fatalities\nSYR1,3\n")

    assert not report.ok and "not an ACLED export: missing columns" in report.errors[0].message


def test_the_command_takes_the_acled_format(capsys):
    call_command("import_claims", str(EXPORT), "--format", "acled")

    assert "new 4 events" in capsys.readouterr().out
    assert Event.objects.filter(origin="acled").count() == 4
