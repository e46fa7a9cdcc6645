"""Writing assessments out in the assessments format: what it writes, `import_claims --format assessments`
reads back unchanged."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from tracker.exports.spreadsheets import XLSX_CONTENT_TYPE, iter_with_header, xlsx_write
from tracker.ingest.formats.assessments import COLUMNS, write_assessments_csv
from tracker.models import Assessment
from tracker.models.assessments import FIGURE_COLUMNS

ASSESSMENT_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}

# What a row reads of an assessment, its event and its assessor, as plain values.
ROW_FIELDS = ("event__ref", "assessor__name", "grade", "method", "rationale", "assessed_on", *FIGURE_COLUMNS)


def assessment_rows(assessments=None) -> Iterator[dict]:
    """Yield every assessment as a row of the assessments format, by event, assessor and date."""
    assessments = assessments if assessments is not None else Assessment.objects.all()
    ordered = assessments.order_by("event__ref", "assessor__name", "assessed_on").values_list(*ROW_FIELDS)
    for values in ordered.iterator(5000):
        row = dict(zip(COLUMNS, values, strict=True))
        row["assessed_on"] = row["assessed_on"].isoformat()
        yield {column: "" if value is None else str(value) for column, value in row.items()}


def spreadsheet_value(column: str, text: str):
    """Return an assessments file's value as a spreadsheet should hold it: a figure a number, the date a date."""
    if text == "":
        return None
    if column in FIGURE_COLUMNS:
        return int(text)
    if column == "assessed_on":
        return date.fromisoformat(text)
    return text


def assessments_write(rows: Iterable[dict], *, format: str, stream: IO) -> None:
    """Write assessment rows: "csv" to a text stream, "xlsx" to a binary one (numbers as numbers)."""
    if format == "csv":
        write_assessments_csv(rows, stream)
    elif format == "xlsx":
        table = ([spreadsheet_value(column, row[column]) for column in COLUMNS] for row in rows)
        xlsx_write(iter_with_header(COLUMNS, table), stream, sheet_title="assessments")
    else:
        raise ValueError(f"unknown assessments format {format!r}")
