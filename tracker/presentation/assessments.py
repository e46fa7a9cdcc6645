"""What a reader sees of an event's assessments: each assessor's current judgement, its figures and where
each party's claim stands against them, beside the grade the claims suggest; and the dashboard's headline figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import visibility
from tracker.models import Assessment, Grade, Source, VictimCategory
from tracker.models.assessments import by_organisation, grade_meaning, is_organisation, suggested_for
from tracker.presentation import charts
from tracker.presentation.numbers import range_text
from tracker.rules import discrepancy, grading, independence

# A hidden source named among others, where its title would be.
A_CONFIDENTIAL_SOURCE = gettext_lazy("a confidential source")

# Airwars counts only these grades in its headline figures, and so do the dashboard's.
HEADLINE_GRADES = (Grade.CONFIRMED, Grade.FAIR)


def standing_word(standing: str) -> str:
    return {
        discrepancy.ABOVE: _("above"),
        discrepancy.BELOW: _("below"),
        discrepancy.WITHIN: _("within"),
    }[standing]


def figure_text(low: int, high: int | None) -> str:
    """Return an assessed figure: "12 – 20", "12", or "at least 12" where the high is open."""
    if high is None:
        return _("at least %(low)s") % {"low": low}
    return range_text(low, high)


@dataclass
class FigureShown:
    figure: grading.Figure
    category: str
    text: str
    against: list[tuple[str, str]]  # (party's name, where its claim stands, in words)


@dataclass
class AssessmentShown:
    assessment: Assessment
    grade: str
    meaning: str
    initial: str  # the initial grade's label where it differs from the current one, else ""
    figures: list[FigureShown]
    by_organisation: bool


@dataclass
class AssessmentSection:
    assessments: list[AssessmentShown]
    suggested: str | None  # the suggested grade's label
    suggested_meaning: str
    differs: bool  # the organisation's current grade is not the suggested one


def compared(claims) -> list[grading.ComparedClaim]:
    """Return an event's current claims, loaded for its page, as the comparison with an assessment reads them."""
    return [
        grading.ComparedClaim(
            claim.party.name,
            claim.category,
            claim.interval.lo,
            claim.interval.hi,
            victim_side=claim.victim_side_id,
            outcome=claim.outcome,
            subgroup=claim.subgroup_id,
        )
        for claim in claims
    ]


def assessment_section(event, current_claims, perpetrators, relays) -> AssessmentSection:
    """Return the event's assessments as its page shows them; `current_claims` are its current claims, loaded,
    `perpetrators` the ids of its alleged perpetrators and `relays` the chains of relays from their sources."""
    claims = compared(current_claims)
    shown = []
    assessments = event.assessments.current().with_initial_grade().select_related("assessor", "entered_by")
    for assessment in assessments.order_by("assessor__name"):
        against = grading.claims_against(assessment.figures(), claims)
        figures = [
            FigureShown(
                figure,
                VictimCategory(figure.category).label,
                figure_text(figure.low, figure.high),
                [(row.party, standing_word(row.standing)) for row in against if row.category == figure.category],
            )
            for figure in assessment.figures()
        ]
        first = assessment.initial_grade
        shown.append(
            AssessmentShown(
                assessment,
                assessment.get_grade_display(),
                grade_meaning(assessment.grade),
                Grade(first).label if first and first != assessment.grade else "",
                figures,
                is_organisation(assessment.assessor),
            )
        )
    suggested = suggested_for(current_claims, perpetrators, relays)
    our_grade = next((row.assessment.grade for row in shown if row.by_organisation), None)
    return AssessmentSection(
        shown,
        Grade(suggested).label if suggested else None,
        grade_meaning(suggested),
        our_grade is not None and our_grade != suggested,
    )


def assessed_bars(section: AssessmentSection) -> dict[str, list[charts.IntervalBar]]:
    """Return each assessor's figures as bars of the charts, by victim category, labelled apart from the claims."""
    bars: dict[str, list[charts.IntervalBar]] = {}
    for row in section.assessments:
        label = _("%(assessor)s (assessment)") % {"assessor": row.assessment.assessor.name}
        for shown in row.figures:
            figure = shown.figure
            bar = charts.IntervalBar(label, figure.low, figure.high, shown.text, assessed=True)
            bars.setdefault(figure.category, []).append(bar)
    return bars


@dataclass
class OriginShown:
    """One independent origin among an event's sources, with the sources that only relay it."""

    name: str
    relayed_by: list[str]


def source_name(source: Source, user) -> str:
    """Name a source as the user may see it: a hidden one only as "a confidential source"."""
    if visibility.is_source_hidden(source, user):
        return str(A_CONFIDENTIAL_SOURCE)
    return source.title or source.url or source.publisher


def source_origins(current_claims, relays: dict, user) -> list[OriginShown]:
    """Group the sources of an event's current claims by their independent origin (tracker.rules.independence),
    each origin first, then the sources that relay it, directly or down a chain."""
    loaded = {claim.source_id: claim.source for claim in current_claims}
    origin_of = independence.origins({**dict.fromkeys(loaded), **relays})
    others = set(origin_of) - set(loaded)  # relayed, but cited by no current claim of the event
    sources = {**loaded, **Source.objects.in_bulk(others)} if others else loaded
    grouped: dict[int, list[int]] = {}
    for source, origin in origin_of.items():
        grouped.setdefault(origin, [])
        if source != origin:
            grouped[origin].append(source)
    shown = [
        OriginShown(source_name(sources[origin], user), sorted(source_name(sources[pk], user) for pk in relayed))
        for origin, relayed in grouped.items()
    ]
    return sorted(shown, key=lambda origin: origin.name)


def headline_figures(grade_totals: dict[str, int]) -> dict:
    """Return the organisation's current judgement of the events: the sums of its assessed civilian low and
    high over the events it grades confirmed or fair, how many of those leave the high open, and the events
    per grade (`grade_totals`, counted on the events' stored grades by EventQuerySet.dashboard_counts). The
    figures count the killed, whichever outcome the dashboard counts by."""
    headline = by_organisation(Assessment.objects.current()).filter(grade__in=HEADLINE_GRADES)
    counted = headline.aggregate(
        low=Sum("civilian_low"),
        high=Sum("civilian_high"),
        open=Count("pk", filter=Q(civilian_low__isnull=False, civilian_high__isnull=True)),
    )
    return {
        "low": counted["low"] or 0,
        "high": counted["high"] or 0,
        "open": counted["open"],
        "grades": [
            {"grade": value, "label": label, "meaning": grade_meaning(value), "total": grade_totals[value]}
            for value, label in Grade.choices
        ],
    }
