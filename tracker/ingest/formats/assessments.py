"""The assessments format (CSV or xlsx): an assessor's judgement of stored events, one row an assessment.

Its rows are not claims: its lines carry assessment rows, which tracker.ingest.assessments takes.
`export_assessments` writes the same columns, so that a file exported, imported and exported again
is the same file.
"""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy, pgettext_lazy

from tracker.ingest.assessments import AssessmentRun
from tracker.ingest.formats.base import (
    Format,
    columns_ignored,
    columns_repeated,
    record_lines,
    required_missing,
    rows_csv_write,
)
from tracker.models.assessments import FIGURE_COLUMNS

COLUMNS = ["event_ref", "assessor", "grade", "method", "rationale", "assessed_on", *FIGURE_COLUMNS]
REQUIRED_COLUMNS = ["event_ref", "grade", "method", "assessed_on"]


def header_problems(header: list[str]) -> list[str]:
    """Return what is wrong with an assessments file's header, in words for the person who made it."""
    return required_missing(header, REQUIRED_COLUMNS) + columns_repeated(header)


write_assessments_csv = partial(rows_csv_write, columns=COLUMNS)


FORMAT = Format(
    name="assessments",
    label=gettext_lazy("assessments: an assessor's grade and figures of stored events (.csv or .xlsx)"),
    header_problems=header_problems,
    header_warnings=partial(
        columns_ignored, format=pgettext_lazy("an import format's name", "assessments"), columns=COLUMNS
    ),
    lines=partial(record_lines, columns=COLUMNS, records="assessments"),
    run=AssessmentRun,
)
