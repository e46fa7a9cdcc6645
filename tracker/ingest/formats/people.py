"""The people format (CSV or xlsx): named people and what parties said befell them, one row a fate claim.

Its rows are not claims: its lines carry fate claim rows, which tracker.ingest.people takes.
`export_people --format csv` writes the same columns, so that a file exported, imported and exported
again is the same file.
"""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy, pgettext_lazy

from tracker.ingest.formats.base import (
    Format,
    columns_ignored,
    columns_repeated,
    record_lines,
    required_missing,
    rows_csv_write,
)
from tracker.ingest.formats.claims import source_columns_missing

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


write_people_csv = partial(rows_csv_write, columns=COLUMNS)


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
    lines=partial(record_lines, columns=COLUMNS, records="fates"),
    run=people_run,
)
