"""Importing claims from CSV and xlsx: one importer, all or nothing, line numbers as a spreadsheet shows them."""

import io
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import claim_row, csv_bytes, xlsx_bytes
from tracker.ingest.formats.claims import COLUMNS
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, Party, Source

pytestmark = pytest.mark.django_db


def import_bytes(content: bytes, name: str = "claims.csv", **options):
    return file_import(file=io.BytesIO(content), name=name, **options)


def test_csv_with_bom_and_crlf_imports_every_row():
    rows = [
        claim_row(),
        claim_row(party="Raqqa Hospital", party_kind="medical", best="", qualifier="", wording="at least 9"),
    ]
    report = import_bytes(csv_bytes(rows, bom=True))

    assert report.ok, report.errors
    claims = Claim.objects.order_by("party__name")
    assert [(claim.party.name, claim.qualifier, claim.low, claim.best) for claim in claims] == [
        ("Raqqa Hospital", "at_least", 9, None),
        ("Raqqa Monitor", "exact", None, 12),
    ]
    assert Event.objects.get().level == "agree"


def test_importing_the_same_file_twice_changes_nothing():
    content = csv_bytes([claim_row(), claim_row(category="total", best="15")])
    import_bytes(content)
    history_before = Claim.history.count()

    report = import_bytes(content)

    assert report.ok
    assert report.unchanged == 2 and sum(report.created.values()) == 0
    assert report.reused == {"events": 1, "parties": 1, "sources": 1}
    assert (Claim.objects.count(), Source.objects.count(), Event.objects.count()) == (2, 1, 1)
    assert Claim.history.count() == history_before


def test_one_bad_row_stores_nothing_and_names_every_bad_line():
    rows = [claim_row(), claim_row(best="-3"), claim_row(claimed_on="06/01/2018"), claim_row(category="total")]
    report = import_bytes(csv_bytes(rows))

    assert not report.ok
    assert [note.line for note in report.errors] == [3, 4]
    assert "negative" in report.errors[0].message
    assert "YYYY-MM-DD" in report.errors[1].message
    assert not Claim.objects.exists() and not Event.objects.exists() and not Party.objects.exists()


def test_dry_run_counts_what_it_would_create_and_stores_nothing():
    report = import_bytes(csv_bytes([claim_row(), claim_row(category="total")]), dry_run=True)

    assert report.ok and not report.stored
    assert report.created == {"events": 1, "parties": 1, "sources": 1, "claims": 2}
    assert not Event.objects.exists()


def test_every_new_object_is_kept_in_the_history_with_the_import_as_reason(editor):
    import_bytes(csv_bytes([claim_row()]), user=editor, reason="import of claims.csv")

    for model in (Event, Party, Source, Claim):
        record = model.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+",
            editor,
            "import of claims.csv",
        )
    assert Claim.objects.get().entered_by == editor


def test_a_changed_note_updates_the_stored_claim():
    import_bytes(csv_bytes([claim_row()]))
    report = import_bytes(csv_bytes([claim_row(notes="confirmed by a second monitor")]))

    assert report.updated == 1
    assert Claim.objects.get().notes == "confirmed by a second monitor"


def test_columns_outside_the_claims_format_are_ignored_with_a_warning():
    row = claim_row(source_excerpt="smuggled in", event_description="not a claims column")
    report = import_bytes(csv_bytes([row]))

    assert report.ok
    assert "source_excerpt" in report.warnings[0].message and report.warnings[0].line == 1
    assert Source.objects.get().excerpt == "" and Event.objects.get().description == ""


def test_a_file_with_no_claims_header_is_refused_on_line_1():
    report = import_bytes(b"name,number\nfoo,1\n")

    assert [note.line for note in report.errors] == [1]
    assert "missing required column(s)" in report.errors[0].message


def test_xlsx_reads_numbers_and_dates_as_a_spreadsheet_holds_them():
    header = ["event_ref", "event_title", "event_date", "country", "location", "latitude", "longitude",
              "party", "party_kind", "category", "qualifier", "low", "high", "claimed_on", "source_title"]  # fmt: skip
    good = ["SYR-X-1", "Strike", datetime(2018, 1, 5), "SY", "Raqqa", 35.95, 39.01,
            "Raqqa Monitor", "monitor", "civilian", "range", 12.0, 15, date(2018, 1, 6), "Daily report"]  # fmt: skip
    report = import_bytes(xlsx_bytes([header, good, [], [*good[:11], 15, 12, *good[13:]]]), "claims.xlsx")

    assert [note.line for note in report.errors] == [4]  # the blank line 3 is skipped but counted
    assert "above the high number" in report.errors[0].message

    report = import_bytes(xlsx_bytes([header, good]), "claims.xlsx")
    assert report.ok, report.errors
    claim = Claim.objects.select_related("event").get()
    assert (claim.low, claim.high, claim.claimed_on) == (12, 15, date(2018, 1, 6))
    assert (str(claim.event.latitude), claim.event.start_date) == ("35.950000", date(2018, 1, 5))


def test_a_file_that_is_not_a_workbook_is_a_bad_file():
    report = import_bytes(b"event_ref,party\n", "claims.xlsx")
    assert not report.ok and "xlsx" in report.errors[0].message


def test_other_file_types_are_refused():
    report = import_bytes(b"{}", "claims.json")
    assert not report.ok and ".csv (UTF-8) or .xlsx" in report.errors[0].message


def test_command_lists_bad_rows_and_fails(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_bytes(csv_bytes([claim_row(), claim_row(category="dead")]))
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_claims", str(path), stderr=stderr)

    assert "claims.csv: line 3: category 'dead' is not one of" in stderr.getvalue()
    assert not Claim.objects.exists()


def test_command_imports_xlsx_and_reports_what_it_made(tmp_path):
    path = tmp_path / "claims.xlsx"
    row = claim_row()
    path.write_bytes(xlsx_bytes([list(row), list(row.values())]))
    stdout = io.StringIO()

    call_command("import_claims", str(path), stdout=stdout)

    assert "Imported claims.xlsx: 1 rows: new 1 events, 1 parties, 1 sources, 1 claims" in stdout.getvalue()


def test_every_claims_column_is_known_to_the_reader():
    # The exporter writes COLUMNS; a file of exactly those columns must import without a warning.
    report = import_bytes(csv_bytes([claim_row()], columns=COLUMNS))
    assert report.ok and not report.warnings
