"""The claims format of the design (CSV or xlsx): its columns, reading its rows, writing it back."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tracker.ingest.formats.base import (
    Format,
    ImportLine,
    Rows,
    columns_ignored,
    columns_repeated,
    required_missing,
    rows_csv_write,
)

COLUMNS = [
    "event_ref", "event_title", "event_date", "event_date_end", "date_precision", "event_type",
    "country", "admin1", "location", "latitude", "longitude", "event_perpetrators",
    "party", "party_kind", "outcome", "category", "victim_side", "subgroup",
    "qualifier", "low", "best", "high", "wording", "claimed_on",
    "source_title", "source_url", "source_publisher", "source_date", "source_confidential",
    "source_relays", "retracted", "notes",
]  # fmt: skip
REQUIRED_COLUMNS = ["event_ref", "party", "category", "claimed_on"]


def header_problems(header: list[str]) -> list[str]:
    """Return what is wrong with a header row, in words for the person who made the file."""
    problems = required_missing(header, REQUIRED_COLUMNS)
    if "qualifier" not in header and "wording" not in header:
        problems.append(_("needs a 'qualifier' or a 'wording' column for the count"))
    return problems + source_columns_missing(header) + columns_repeated(header)


def source_columns_missing(header: list[str]) -> list[str]:
    """Return the problem of a header without a column to name a row's source by, if it has none."""
    if "source_title" not in header and "source_url" not in header:
        return [_("needs a 'source_title' or a 'source_url' column")]
    return []


def claim_lines(rows: Rows) -> Iterator[ImportLine]:
    """Turn (line, row) records of a claims file into import lines of one claim each.

    Columns outside the format are dropped: a claims file cannot set what only other formats
    give (an event's description, a source's excerpt).
    """
    for line, row in rows:
        problems = row.pop(None, [])  # what the table saw wrong with the line
        claim = {name: value for name, value in row.items() if name in COLUMNS}
        yield ImportLine(line, [claim], problems)


write_claims_csv = partial(rows_csv_write, columns=COLUMNS)


FORMAT = Format(
    name="claims",
    label=gettext_lazy("the claims format (.csv or .xlsx)"),
    header_problems=header_problems,
    header_warnings=partial(
        columns_ignored, format=pgettext_lazy("an import format's name", "claims"), columns=COLUMNS
    ),
    lines=claim_lines,
)
