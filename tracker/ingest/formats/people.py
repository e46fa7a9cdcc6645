"""The people format (CSV or xlsx): named people and what parties said befell them, one row a fate claim.

Its rows are not claims: its lines carry fate claim rows, which tracker.ingest.people takes.
`export_people --format csv` writes the same columns, so that a file exported, imported and exported
again is the same file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TextIO

from django.utils.translation import gettext_lazy, pgettext_lazy

from tracker.ingest.formats.base import Format, ImportLine, Rows, columns_ignored, columns_repeated, required_missing
from tracker.ingest.formats.claims import source_columns_missing
from tracker.ingest.formulas import formula_escaped

COLUMNS = [
    "person", "other_names", "affiliation", "role", "sex", "age", "age_group",
    "fate", "hedge", "status", "event_ref", "fate_date", "party", "party_kind", "claimed_on", "wording",
    "source_title", "source_url", "source_publisher", "source_date", "source_confidential", "source_relays",
    "retracted", "notes",
]  # fmt: skip
REQUIRED_COLUMNS = ["person", "fate", "party", "claimed_on"]


def header_problems(header: list[str]) -> list[str]:
    """Return what is wrong with a people file's header, in words for the person who made it."""
    return required_missing(header, REQUIRED_COLUMNS) + source_columns_missing(header) + columns_repeated(header)


def fate_lines(rows: Rows) -> Iterator[ImportLine]:
    """Turn (line, row) records of a people file into import lines of one fate claim each."""
    for line, row in rows:
        problems = row.pop(None, [])  # what the table saw wrong with the line
        yield ImportLine(line, [], problems, fates=[{name: row.get(name, "") for name in COLUMNS}])


def write_people_csv(rows: Iterable[dict], file: TextIO) -> None:
    """Write fate claim rows as CSV, no cell run as a formula by a spreadsheet (the importer reads them back)."""
    writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: formula_escaped(row[column]) for column in COLUMNS} for row in rows)


def people_run(**kwargs):
    """Start a people import (tracker.ingest.people), loaded once the registry is: it is one more run of the
    importer, whose modules read the registry as they load."""
    from tracker.ingest.people import PeopleRun

    return PeopleRun(**kwargs)


FORMAT = Format(
    name="people",
    label=gettext_lazy("people: named people and the fate claims about them (.csv or .xlsx)"),
    header_problems=header_problems,
    header_warnings=partial(
        columns_ignored, format=pgettext_lazy("an import format's name", "people"), columns=COLUMNS
    ),
    lines=fate_lines,
    run=people_run,
)
