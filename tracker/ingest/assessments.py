"""Importing assessments: one row an assessment of a stored event, every row checked, all stored or none.

An assessment is found again by its event, assessor and date (an assessor judges an event once a
day): a row that restates a stored one changes nothing, a row that changes its grade, method,
rationale or figures updates it, and any other row adds one. Runs inside `claims_import`, which
the format (tracker.ingest.formats.assessments) hands its lines to; a dataset's own grades (Airwars')
come with its claims, through the claims importer, by `AssessmentsTaken`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from tracker.ingest.formats.base import ImportLine
from tracker.ingest.permissions import ImportPermissions
from tracker.ingest.resolvers import EventResolver, PartyResolver, Resolved
from tracker.ingest.rows import choice_parse, count_number_parse, date_parse, required, shown
from tracker.ingest.validation import model_problems
from tracker.ingest.writer import BatchWriter
from tracker.models import Assessment, AssessmentMethod, Event, Grade, Party
from tracker.models.assessments import FIGURE_COLUMNS, organisation

# What a re-import may change of a stored assessment; its event, assessor and date find it.
RESTATABLE_FIELDS = ("grade", "method", "rationale", *FIGURE_COLUMNS)
# Checked by being looked up; the model would check each relation with a query.
ASSESSMENT_RELATIONS = ["event", "assessor", "entered_by"]


@dataclass
class AssessmentRow:
    """An assessments file's row, read into typed values."""

    event_ref: str
    assessor: str  # empty for the organisation
    assessed_on: date | None
    fields: dict = field(default_factory=dict)  # RESTATABLE_FIELDS


def assessment_row_parse(columns: Mapping[str, str]) -> tuple[AssessmentRow, list[str]]:
    """Read a row's text into values, noting every column that cannot be read."""
    problems: list[str] = []
    ref = required(columns, "event_ref", problems)
    assessed_on = date_parse(required(columns, "assessed_on", problems), "assessed_on", problems)
    fields = {
        "grade": choice_parse(required(columns, "grade", problems), "grade", Grade, problems),
        "method": choice_parse(required(columns, "method", problems), "method", AssessmentMethod, problems),
        "rationale": columns.get("rationale", ""),
        **{name: count_number_parse(columns.get(name, ""), name, problems) for name in FIGURE_COLUMNS},
    }
    return AssessmentRow(ref, columns.get("assessor", "").strip(), assessed_on, fields), problems


class AssessmentsTaken:
    """The assessments an import stores, of events stored or new: those already stored of its events,
    found again by event, assessor and date, and the line that named each, to tell a repeat."""

    def __init__(self, *, report, writer: BatchWriter, permissions: ImportPermissions, user=None):
        self.report = report  # tracker.ingest.importer.ImportReport
        self.writer = writer
        self.permissions = permissions
        self.user = user
        self.stored: dict[tuple, Assessment] = {}  # by (event, assessor, date), of the events looked up
        self.lines: dict[tuple, int] = {}

    def look_ahead(self, events) -> None:
        """Load the stored assessments of these stored events."""
        for assessment in Assessment.objects.filter(event__in=events):
            self.stored[(assessment.event_id, assessment.assessor_id, assessment.assessed_on)] = assessment

    def take(self, line: int, row: AssessmentRow, event: Resolved[Event], assessor: Resolved[Party]) -> list[str]:
        """Check one assessment and queue it to be written; return why it cannot be stored, if it cannot."""
        key = (event.key, assessor.key, row.assessed_on)
        if key in self.lines:
            return [
                _("line %(line)s assesses the same event by the same assessor on the same date")
                % {"line": self.lines[key]}
            ]
        self.lines[key] = line
        stored = self.stored.get(key)
        changed = [name for name in RESTATABLE_FIELDS if stored is None or getattr(stored, name) != row.fields[name]]
        if stored is not None and not changed:
            # Restated as stored: not checked again, as a rationale that the claims suggest since may now ask.
            self.report.unchanged += 1
            return []
        assessment = Assessment(
            pk=stored and stored.pk, event=event.instance, assessor=assessor.instance, assessed_on=row.assessed_on,
            entered_by=self.user, **row.fields,
        )  # fmt: skip
        problems = model_problems(assessment, exclude=ASSESSMENT_RELATIONS)
        if problems:
            return problems
        if stored is None:
            refused = self.permissions.refusal("add", Assessment)
            if refused:
                return [_("adding a new assessment %(refusal)s") % {"refusal": refused}]
            self.writer.add(assessment)
            self.report.created["assessments"] += 1
            return []
        refused = self.permissions.refusal("change", Assessment)
        if refused:
            return [
                _("the assessment is stored already; changing its %(fields)s %(refusal)s")
                % {"fields": ", ".join(changed), "refusal": refused}
            ]
        for name in changed:
            setattr(stored, name, row.fields[name])
        self.writer.update(stored, changed)
        self.report.updated += 1
        return []


class AssessmentRun:
    """One assessments import under way: the events and parties its rows name, and what it stores."""

    def __init__(self, *, report, origin: str, user=None, reason: str = ""):
        self.report = report  # tracker.ingest.importer.ImportReport
        report.records = "assessments"
        self.writer = BatchWriter(user=user, reason=reason)
        self.events = EventResolver(origin=origin)
        self.parties = PartyResolver(writer=self.writer)
        self.organisation = None  # the organisation's party, once a row names it
        self.assessments = AssessmentsTaken(
            report=report, writer=self.writer, permissions=ImportPermissions(user), user=user
        )

    def chunk_take(self, lines: list[ImportLine]) -> None:
        parsed = [
            (item, [assessment_row_parse(columns) for columns in item.assessments] if not item.problems else [])
            for item in lines
        ]
        self.assessments.look_ahead(self.events.look_ahead(row.event_ref for _, rows in parsed for row, _ in rows))
        for item, rows in parsed:
            self.report.rows += 1
            self.report.line_warn(item.line, item.warnings)
            problems = list(item.problems)
            for row, row_problems in rows:
                problems.extend(self.assessment_take(item.line, row, row_problems))
            if problems:
                self.report.line_refuse(item.line, problems)
        self.writer.flush()

    def assessor_find(self, name: str, problems: list[str]):
        """Return the party a row names as assessor: the organisation's for none, else a stored party."""
        if not name or name.casefold() == settings.TRACKER_ORGANISATION.casefold():
            self.organisation = self.organisation or organisation()
            return self.organisation
        party = self.parties.stored(name)
        if party is None:
            problems.append(
                _(
                    "assessor '%(name)s' is not a party in the tracker: add it first, or leave the column empty "
                    "for the organisation (%(organisation)s)"
                )
                % {"name": shown(name), "organisation": settings.TRACKER_ORGANISATION}
            )
        return party

    def assessment_take(self, line: int, row: AssessmentRow, problems: list[str]) -> list[str]:
        """Check one assessment of a stored event and queue it; return why it cannot be stored, if it cannot."""
        problems = list(problems)
        event = self.events.stored(row.event_ref) if row.event_ref else None
        if row.event_ref and event is None:
            problems.append(_("event_ref '%(ref)s' is no event in the tracker") % {"ref": shown(row.event_ref)})
        assessor = self.assessor_find(row.assessor, problems)
        if problems:
            return problems
        return self.assessments.take(line, row, Resolved.stored(event), Resolved.stored(assessor))
