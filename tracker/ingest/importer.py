"""Importing claims: every row checked, and the whole file stored or nothing at all.

A file is read by its format (tracker.ingest.formats) into lines of claim rows, a chunk of
lines at a time, which a run takes (runs; a format whose rows are no claims names its own). For
each chunk the rows are parsed (rows), what they name is looked up in a few queries (resolvers,
and the ledger for the claims already stored), each claim is entered in the ledger under the one
claim key, and what is new or changed is written (writer).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from tracker.ingest.formats import get_format
from tracker.ingest.limits import ImportLimits
from tracker.ingest.runs import ImportRun
from tracker.ingest.samples import ClaimSamples
from tracker.ingest.serial import imports_serialise
from tracker.ingest.signals import claims_imported
from tracker.ingest.tables import BadFile, read_table, separator_doubt
from tracker.models import Claim
from tracker.models.freshness import data_changes_deferred
from tracker.models.signals import claims_changes_batched
from tracker.summaries import chunked

LOOK_AHEAD = 2_000  # lines whose events, claims and sources are loaded together


@dataclass
class LineNote:
    line: int
    message: str

    def __str__(self):
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class LineNotes:
    """Notes on lines in the order met, listed up to a limit and only counted past it, so that a file
    of bad rows cannot make a report, a page or a terminal's output of any size."""

    def __init__(self, *, limit: int):
        self.limit = limit
        self.listed: list[LineNote] = []
        self.omitted = 0

    def append(self, note: LineNote) -> None:
        if len(self.listed) < self.limit:
            self.listed.append(note)
        else:
            self.omitted += 1

    def extend(self, notes: Iterable[LineNote]) -> None:
        for note in notes:
            self.append(note)

    def __iter__(self):
        return iter(self.listed)

    def __len__(self) -> int:
        return len(self.listed)

    def __getitem__(self, index: int) -> LineNote:
        return self.listed[index]

    @property
    def total(self) -> int:
        return len(self.listed) + self.omitted


def problems_joined(problems: list[str]) -> str:
    """Join a line's problems in one note, with the semicolon of the user's language (Arabic's is "؛")."""
    return pgettext("between the problems of one line", "; ").join(problems)


def notes_listed() -> LineNotes:
    return LineNotes(limit=ImportLimits.from_settings().max_notes_listed)


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run, and its bad rows (the first of them, past the limit)."""

    dry_run: bool = False
    rows: int = 0
    created: Counter = field(default_factory=Counter)  # events, parties, sources, claims (or assessments)
    reused: Counter = field(default_factory=Counter)  # events, parties, sources already stored
    updated: int = 0  # records already stored that the file changes: a claim's retraction, wording or notes
    unchanged: int = 0  # records already stored as they are in the file
    records: str = "claims"  # what the file's rows are: "claims", "assessments", or "people" (fate claims)
    errors: LineNotes = field(default_factory=notes_listed)
    warnings: LineNotes = field(default_factory=notes_listed)
    samples: ClaimSamples = field(default_factory=ClaimSamples)  # the first new and changed claims

    @property
    def ok(self) -> bool:
        return not self.errors.total

    @property
    def stored(self) -> bool:
        return self.ok and not self.dry_run

    def line_refuse(self, line: int, problems: list[str]) -> None:
        """Note why a line cannot be stored: every problem it has, in one note."""
        self.errors.append(LineNote(line, problems_joined(problems)))

    def line_warn(self, line: int, warnings: list[str]) -> None:
        self.warnings.extend(LineNote(line, warning) for warning in warnings)

    def summary(self) -> str:
        if self.records == "assessments":
            return self.assessments_summary()
        made, updated = self.people_made() if self.records == "people" else self.claims_made()
        return _("%(rows)s: new %(made)s; %(updated)s, %(unchanged)s") % {
            "rows": ngettext("%(count)s row", "%(count)s rows", self.rows) % {"count": self.rows},
            "made": ", ".join(made),
            "updated": updated,
            "unchanged": ngettext(
                "%(count)s already stored unchanged", "%(count)s already stored unchanged", self.unchanged
            )
            % {"count": self.unchanged},
        }

    def claims_made(self) -> tuple[list[str], str]:
        """Say what a claims import made, record by record, and how many of its claims it updated."""
        created = self.created
        counted = [
            ngettext("%(count)s event", "%(count)s events", created["events"]) % {"count": created["events"]},
            ngettext("%(count)s party", "%(count)s parties", created["parties"]) % {"count": created["parties"]},
            ngettext("%(count)s source", "%(count)s sources", created["sources"]) % {"count": created["sources"]},
            ngettext("%(count)s claim", "%(count)s claims", created["claims"]) % {"count": created["claims"]},
        ]
        if created["assessments"]:  # a dataset's own grades, where its format gives them (Airwars')
            counted.append(
                ngettext("%(count)s assessment", "%(count)s assessments", created["assessments"])
                % {"count": created["assessments"]}
            )
        updated = ngettext("%(count)s claim updated", "%(count)s claims updated", self.updated)
        return counted, updated % {"count": self.updated}

    def people_made(self) -> tuple[list[str], str]:
        """Say what a people import made, record by record, and how many of its fate claims it updated."""
        created = self.created
        counted = [
            ngettext("%(count)s person", "%(count)s people", created["people"]) % {"count": created["people"]},
            ngettext("%(count)s other name", "%(count)s other names", created["other_names"])
            % {"count": created["other_names"]},
            ngettext("%(count)s fate claim", "%(count)s fate claims", created["fate_claims"])
            % {"count": created["fate_claims"]},
            ngettext("%(count)s party", "%(count)s parties", created["parties"]) % {"count": created["parties"]},
            ngettext("%(count)s source", "%(count)s sources", created["sources"]) % {"count": created["sources"]},
        ]
        updated = ngettext("%(count)s fate claim updated", "%(count)s fate claims updated", self.updated)
        return counted, updated % {"count": self.updated}

    def assessments_summary(self) -> str:
        created = self.created["assessments"]
        return _("%(rows)s: %(made)s, %(updated)s, %(unchanged)s") % {
            "rows": ngettext("%(count)s row", "%(count)s rows", self.rows) % {"count": self.rows},
            "made": ngettext("%(count)s new assessment", "%(count)s new assessments", created) % {"count": created},
            "updated": ngettext("%(count)s assessment updated", "%(count)s assessments updated", self.updated)
            % {"count": self.updated},
            "unchanged": ngettext(
                "%(count)s assessment already stored unchanged",
                "%(count)s assessments already stored unchanged",
                self.unchanged,
            )
            % {"count": self.unchanged},
        }

    def as_dict(self) -> dict:
        """Return the report as JSON values, to be kept with an import job."""
        return {
            "dry_run": self.dry_run, "rows": self.rows, "created": dict(self.created), "reused": dict(self.reused),
            "updated": self.updated, "unchanged": self.unchanged,
            "errors": [[note.line, note.message] for note in self.errors], "errors_omitted": self.errors.omitted,
            "warnings": [[note.line, note.message] for note in self.warnings],
            "warnings_omitted": self.warnings.omitted, "samples": self.samples.as_dict(), "records": self.records,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, values: dict) -> ImportReport:
        """Return a report kept by `as_dict`, to be shown as a fresh one is."""
        report = cls(
            dry_run=values["dry_run"], rows=values["rows"], created=Counter(values["created"]),
            reused=Counter(values["reused"]), updated=values["updated"], unchanged=values["unchanged"],
            samples=ClaimSamples(**values["samples"]), records=values.get("records", "claims"),
        )  # fmt: skip
        for notes, kind in ((report.errors, "errors"), (report.warnings, "warnings")):
            notes.listed = [LineNote(line, message) for line, message in values[kind]]
            notes.omitted = values[f"{kind}_omitted"]
        return report


def claims_import(
    *,
    rows: Iterable[tuple[int, dict[str, str]]],
    header: list[str],
    format: str = "claims",
    dry_run: bool = False,
    user=None,
    reason: str = "",
) -> ImportReport:
    """Import a table's (line, row) records in a registered format whole or not at all.

    A dry run checks and counts as an import would, then stores nothing.
    """
    report = ImportReport(dry_run=dry_run)
    reader = get_format(format)
    problems = reader.header_problems(header)
    if problems:
        doubt = separator_doubt(header)
        problems.extend([doubt] if doubt else [])
        report.errors.append(LineNote(1, problems_joined(problems)))
        return report
    report.warnings.extend(LineNote(1, warning) for warning in reader.header_warnings(header))
    with transaction.atomic():
        if not dry_run:
            # Before the first read, so that what this import reads includes what an import before it stored.
            imports_serialise()
        with data_changes_deferred(), claims_changes_batched(sender=Claim) as changes:
            run = (reader.run or ImportRun)(report=report, origin=reader.origin, user=user, reason=reason)
            try:
                for chunk in chunked(reader.lines(rows), LOOK_AHEAD):
                    run.chunk_take(chunk)
            except BadFile as error:
                report.errors.append(LineNote(error.line, str(error)))
            if not report.stored:
                changes.discard()  # a dry run or a bad file rolls back: nothing to summarise
        if report.stored:
            transaction.on_commit(partial(claims_imported.send, sender=ImportReport, report=report), robust=True)
        else:
            transaction.set_rollback(True)
    return report


def file_import(
    *,
    file: BinaryIO,
    name: str,
    format: str = "claims",
    dry_run: bool = False,
    user=None,
    reason: str = "",
    progress=None,
) -> ImportReport:
    """Import a .csv or .xlsx file opened as bytes, in a registered format, whole or not at all.

    `progress`, when given, wraps the stream of (line, row) records (a progress bar, say).
    """
    try:
        header, rows = read_table(file, name=name, limits=ImportLimits.from_settings())
    except BadFile as error:
        report = ImportReport(dry_run=dry_run)
        report.errors.append(LineNote(error.line, str(error)))
        return report
    if progress is not None:
        rows = progress(rows)
    return claims_import(rows=rows, header=header, format=format, dry_run=dry_run, user=user, reason=reason)
