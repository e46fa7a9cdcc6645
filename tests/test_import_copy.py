"""Imports of many rows: written by COPY on PostgreSQL to the same rows and history as INSERTs give,
all or nothing when a bad line lies past chunks already written, and a re-import writes nothing."""

import csv
import io

import pytest
from django.db import connection, transaction

from tests.helpers import NOTHING, claim_row, csv_bytes, import_bytes, many_claims, stored_counts
from tracker.ingest import importer, writer
from tracker.ingest.formats.claims import COLUMNS
from tracker.models import Claim, Event, Party, Source

pytestmark = pytest.mark.django_db

ROWS = 1_200  # three chunks of the importer's look-ahead below


def stored_rows() -> dict[str, list]:
    """Every row an import writes, history included, by what it holds rather than by its keys
    (keys are drawn from sequences, which a rolled-back import does not give back)."""
    relations = {"event": "event__ref", "party": "party__name", "victim_side": "victim_side__name",
                 "source": "source__url", "entered_by": "entered_by__username"}  # fmt: skip
    # Set when a row is made: the same import run twice differs there only.
    made_at = {"id", "history_id", "history_date", "entered_at"}
    rows = {}
    for model in (Event, Party, Source, Claim):
        for table in (model, model.history.model):
            names = [
                relations.get(field.name, field.attname)
                for field in table._meta.concrete_fields
                if field.attname not in made_at
            ]
            rows[table.__name__] = sorted(table.objects.values(*names), key=repr)
    return rows


def imported_rows(content: bytes, **options) -> dict[str, list]:
    """Import a file, note what it stored, and take it back."""
    with transaction.atomic():
        report = import_bytes(content, **options)
        assert report.ok
        rows = stored_rows()
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(importer, "LOOK_AHEAD", 500)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_stores_the_rows_and_history_that_inserts_store(monkeypatch, editor, small_chunks):
    content = many_claims(ROWS)
    options = {"user": editor, "reason": "import of many.csv"}

    copied = imported_rows(content, **options)
    monkeypatch.setattr(writer, "copies", lambda: False)
    inserted = imported_rows(content, **options)

    assert copied == inserted
    for model in ("HistoricalEvent", "HistoricalParty", "HistoricalSource", "HistoricalClaim"):
        made = {(row["history_type"], row["history_user_id"], row["history_change_reason"]) for row in copied[model]}
        assert made == {("+", editor.pk, "import of many.csv")}
    assert len(copied["HistoricalClaim"]) == len(copied["Claim"]) == ROWS


def test_a_bad_line_past_chunks_written_leaves_nothing_and_is_named(small_chunks):
    rows = list(csv.DictReader(io.StringIO(many_claims(ROWS).decode())))
    rows[1_000]["category"] = "wounded"

    report = import_bytes(csv_bytes(rows, columns=COLUMNS))

    assert [(note.line, note.message) for note in report.errors] == [
        (1_002, "category 'wounded' is not one of total, civilian, combatant, unknown")
    ]
    assert stored_counts() == NOTHING


def test_a_re_import_of_many_rows_writes_nothing_and_no_history(small_chunks):
    content = many_claims(ROWS)
    import_bytes(content)
    before, claims = stored_counts(), stored_rows()

    report = import_bytes(content)

    assert report.ok and (report.unchanged, report.updated, sum(report.created.values())) == (ROWS, 0, 0)
    assert stored_counts() == before
    assert stored_rows() == claims


def test_a_stored_claim_restated_as_stored_then_otherwise_is_refused():
    import_bytes(csv_bytes([claim_row()]))

    report = import_bytes(csv_bytes([claim_row(), claim_row(notes="revised")]))

    assert [(note.line, note.message) for note in report.errors] == [
        (3, "states again the claim of line 2, with another retraction, wording or notes; state each claim once")
    ]
    assert Claim.objects.get().notes == ""
