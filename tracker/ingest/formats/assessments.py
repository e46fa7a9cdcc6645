"""The assessments format (CSV or xlsx): an assessor's judgement of stored events, one row an assessment.

Its rows are not claims: its lines carry assessment rows, which tracker.ingest.assessments takes.
`export_assessments` writes the same columns, so that a file exported, imported and exported again
is the same file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TextIO

from django.utils.translation import gettext_lazy, pgettext_lazy

from tracker.ingest.assessments import AssessmentRun
from tracker.ingest.formats.base import Format, ImportLine, Rows, columns_ignored, columns_repeated, required_missing
from tracker.ingest.formulas import formula_escaped
from tracker.models.assessments import FIGURE_COLUMNS

COLUMNS = ["event_ref", "assessor", "grade", "method", "rationale", "assessed_on", *FIGURE_COLUMNS]
REQUIRED_COLUMNS = ["event_ref", "grade", "method", "assessed_on"]


def header_problems(header: list[str]) -> list[str]:
    """Return what is wrong with an assessments file's header, in words for the person who made it."""
    return required_missing(header, REQUIRED_COLUMNS) + columns_repeated(header)


def assessment_lines(rows: Rows) -> Iterator[ImportLine]:
    """Turn (line, row) records of an assessments file into import lines of one assessment each."""
    for line, row in rows:
        problems = row.pop(None, [])  # what the table saw wrong with the line
        yield ImportLine(line, [], problems, assessments=[{name: row.get(name, "") for name in COLUMNS}])


def write_assessments_csv(rows: Iterable[dict], file: TextIO) -> None:
    """Write assessment rows as CSV, no cell run as a formula by a spreadsheet (the importer reads them back)."""
    writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: formula_escaped(row[column]) for column in COLUMNS} for row in rows)


FORMAT = Format(
    name="assessments",
    label=gettext_lazy("assessments: an assessor's grade and figures of stored events (.csv or .xlsx)"),
    header_problems=header_problems,
    header_warnings=partial(
        columns_ignored, format=pgettext_lazy("an import format's name", "assessments"), columns=COLUMNS
    ),
    lines=assessment_lines,
    run=AssessmentRun,
)
