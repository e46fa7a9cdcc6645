"""What an import format is: a name, a label for people, and how its table becomes claim rows."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from django.utils.functional import Promise
from django.utils.translation import ngettext

from tracker.ingest.formulas import formula_escaped
from tracker.models.choices import Origin

Rows = Iterable[tuple[int, dict[str, str]]]


@dataclass
class ImportLine:
    """One line of an input file: the claim rows it holds, and what its format noticed on it.

    A claim row maps the claims format's column names to their text, as `tracker.ingest.rows`
    reads them; other formats may also give `event_description`, `source_excerpt`,
    `victim_side_kind`, `origin_id` (the record's identifier in its dataset, for the event and
    the claim) and `event_perpetrator_kinds` (the alleged perpetrators of a new event, one
    `name|kind` a line, so that a new party gets its kind), which a claims file cannot set. A
    claims file names an event's alleged perpetrators in `event_perpetrators`, names alone.
    """

    line: int
    claims: list[dict[str, str]]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Event rows (the event columns of a claim row) of a line that names an event but counts no
    # deaths: a dataset's record that another dataset's counts may be set against.
    events: list[dict[str, str]] = field(default_factory=list)
    # Assessment rows (the assessments format's columns): for a format whose run takes them, or, with
    # `origin_id` and `assessor_kind` (of a new assessor), a dataset's grades of its own events.
    assessments: list[dict[str, str]] = field(default_factory=list)
    # Fate claim rows (the people format's columns), which tracker.ingest.people takes.
    fates: list[dict[str, str]] = field(default_factory=list)


def record_lines(rows: Rows, *, columns: list[str], records: str) -> Iterator[ImportLine]:
    """Turn (line, row) records of a file whose rows are no claims into import lines of one record each, held in
    the line's `records` field (its run takes them), with every column of the format."""
    for line, row in rows:
        problems = row.pop(None, [])  # what the table saw wrong with the line
        yield ImportLine(line, [], problems, **{records: [{name: row.get(name, "") for name in columns}]})


def rows_csv_write(rows: Iterable[dict], file: TextIO, *, columns: list[str]) -> None:
    """Write a format's rows as CSV, no cell run as a formula by a spreadsheet (the importer reads them back as
    given)."""
    writer = csv.DictWriter(file, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: formula_escaped(row[column]) for column in columns} for row in rows)


def no_warnings(header: list[str]) -> list[str]:
    return []


def columns_ignored(header: list[str], *, format: Promise, columns: list[str]) -> list[str]:
    """Return the warning of a header naming columns outside a format (`format` its name, translated), if it does."""
    unknown = [name for name in header if name and name not in columns]
    if not unknown:
        return []
    return [
        ngettext(
            "a column not in the %(format)s format, ignored: %(columns)s",
            "columns not in the %(format)s format, ignored: %(columns)s",
            len(unknown),
        )
        % {"format": format, "columns": ", ".join(unknown)}
    ]


def columns_missing(header: list[str], required: list[str], *, dataset: str) -> list[str]:
    """Return why a header is not the dataset's: the required columns it lacks, if any."""
    missing = [name for name in required if name not in header]
    if not missing:
        return []
    return [
        ngettext(
            "not %(dataset)s: missing column %(columns)s", "not %(dataset)s: missing columns %(columns)s", len(missing)
        )
        % {"dataset": dataset, "columns": ", ".join(missing)}
    ]


def required_missing(header: list[str], required: list[str]) -> list[str]:
    """Return the problem of a header that lacks required columns of a file made for the tracker, if it does."""
    missing = [name for name in required if name not in header]
    if not missing:
        return []
    return [
        ngettext("missing required column: %(columns)s", "missing required columns: %(columns)s", len(missing))
        % {"columns": ", ".join(missing)}
    ]


def columns_repeated(header: list[str]) -> list[str]:
    """Return the problem of a header that names a column twice, if it does: which of the two to read is unknown."""
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if not repeated:
        return []
    return [
        ngettext("repeated column: %(columns)s", "repeated columns: %(columns)s", len(repeated))
        % {"columns": ", ".join(repeated)}
    ]


def shortened(text: str, length: int) -> str:
    """Return text cut to a field's length, with an ellipsis where it was cut."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@dataclass(frozen=True)
class Format:
    """An import format: how a table's header is checked and its rows read as claim rows."""

    name: str  # as `import_claims --format` and the admin's form take it
    label: Promise  # for people, translated: gettext_lazy("…")
    header_problems: Callable[[list[str]], list[str]]  # why the header cannot be read; none if it can
    lines: Callable[[Rows], Iterator[ImportLine]]  # (line, row) records in, one ImportLine per record out
    header_warnings: Callable[[list[str]], list[str]] = no_warnings  # what is read all the same
    origin: str = Origin.CLAIMS_FILE  # the dataset its events and claims are marked as coming from
    # What takes its lines, a chunk at a time, for a format whose rows are not claims: a class called as
    # run(report=, origin=, user=, reason=) with a chunk_take(lines) method; None for the claims importer.
    run: Callable | None = None


FORMATS: dict[str, Format] = {}


def register(format: Format) -> Format:
    """Make a format known to the command, the admin's import page and the docs' list."""
    if format.name in FORMATS:
        raise ValueError(f"an import format named {format.name!r} is already registered")
    FORMATS[format.name] = format
    return format


def get_format(name: str) -> Format:
    """Return the registered format of this name; a KeyError names the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"no import format {name!r}; known: {', '.join(FORMATS)}") from None
