"""Assessments: an organisation's judgement of one event, its grade, its own figures and how it decided."""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models.choices import GRADE_MEANINGS, AssessmentMethod, Grade, PartyKind, VictimCategory
from tracker.models.claims import Claim
from tracker.models.events import Event
from tracker.models.parties import Party
from tracker.models.reviews import REVIEW_FIELDS, Reviewed
from tracker.models.sources import Source
from tracker.models.versions import Versioned
from tracker.rules import grading
from tracker.rules.discrepancy import DISPUTED

# The categories an assessment may give a figure for, in the order the design lists them; each has a
# low and a high column (`civilian_low`, `civilian_high`…), as the assessments file has.
FIGURE_CATEGORIES = (VictimCategory.CIVILIAN, VictimCategory.COMBATANT, VictimCategory.UNKNOWN, VictimCategory.TOTAL)
FIGURE_COLUMNS = tuple(f"{category}_{end}" for category in FIGURE_CATEGORIES for end in ("low", "high"))

RATIONALE_NEEDED = _(
    "Say why: a grade of “discounted”, and a grade other than the one the claims suggest (%(suggested)s), "
    "needs a rationale."
)
ASSESSED_THAT_DAY = _(
    "This assessor has assessed this event on this date already: change that assessment, or date this one later."
)
HIGH_WITHOUT_LOW = _("A figure's high needs its low: give the low, or leave both empty.")
HIGH_BELOW_LOW = _("A figure's high cannot be below its low.")


def organisation() -> Party:
    """Return the party that assesses for the organisation running the tracker (the setting
    TRACKER_ORGANISATION), made a monitor the first time it is asked for."""
    name = settings.TRACKER_ORGANISATION
    party, _created = Party.objects.get_or_create(name__iexact=name, defaults={"name": name, "kind": PartyKind.MONITOR})
    return party


def is_organisation(party: Party) -> bool:
    """Whether this party is the organisation's (TRACKER_ORGANISATION, matched ignoring case as organisation() does)."""
    return party.name.casefold() == settings.TRACKER_ORGANISATION.casefold()


def by_organisation(assessments):
    """Return the organisation's assessments among these, its party read in the same query: a page that only
    reads them makes no party."""
    return assessments.filter(assessor__in=Party.objects.filter(name__iexact=settings.TRACKER_ORGANISATION))


def grade_meaning(grade: str | None) -> str:
    """Say what a grade means, in the user's language; nothing for no grade."""
    return GRADE_MEANINGS[grade] if grade else ""


# Each grade with its meaning, as the grade's help: "confirmed: a party alleged to be responsible…".
GRADES_EXPLAINED = format_lazy(
    " ".join(["{}: {}."] * len(Grade.choices)),
    *(part for value, label in Grade.choices for part in (label, GRADE_MEANINGS[value])),
)


class AssessmentQuerySet(models.QuerySet):
    def current(self):
        """Return each assessor's current assessment of each event: its latest by assessment date."""
        later = Assessment.objects.filter(
            event=OuterRef("event"), assessor=OuterRef("assessor"), assessed_on__gt=OuterRef("assessed_on")
        )
        return self.filter(~Exists(later))

    def initial(self):
        """Return each assessor's first assessment of each event: its initial grade."""
        earlier = Assessment.objects.filter(
            event=OuterRef("event"), assessor=OuterRef("assessor"), assessed_on__lt=OuterRef("assessed_on")
        )
        return self.filter(~Exists(earlier))

    def with_initial_grade(self):
        """Annotate each assessment with its assessor's initial grade of its event (`initial_grade`)."""
        first = Assessment.objects.initial().filter(event=OuterRef("event"), assessor=OuterRef("assessor"))
        return self.annotate(initial_grade=Subquery(first.values("grade")[:1]))


def figure_constraints(category: str) -> list[models.CheckConstraint]:
    """Hold one category's figure whole: no high without a low, and never a high below the low."""
    low, high = f"{category}_low", f"{category}_high"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{high}__isnull": True}) | Q(**{f"{low}__isnull": False}),
            name=f"assessment_{category}_high_has_low",
            violation_error_message=HIGH_WITHOUT_LOW,
        ),
        models.CheckConstraint(
            condition=Q(**{f"{high}__isnull": True}) | Q(**{f"{high}__gte": models.F(low)}),
            name=f"assessment_{category}_ordered",
            violation_error_message=HIGH_BELOW_LOW,
        ),
    ]


def figure_field(category: str, end: str) -> models.PositiveIntegerField:
    label = VictimCategory(category).label
    if end == "low":
        return models.PositiveIntegerField(
            format_lazy(_("{category}, low"), category=label),
            null=True,
            blank=True,
            help_text=_("The fewest killed the assessor believes likely; empty for no figure."),
        )
    return models.PositiveIntegerField(
        format_lazy(_("{category}, high"), category=label),
        null=True,
        blank=True,
        help_text=_("The most killed the assessor believes likely; empty with a low for “at least” the low."),
    )


class Assessment(Reviewed, Versioned):
    """An assessor's judgement of one event as of a date: the grade, the figures it believes, and its method.

    Figures are columns, one low and one high per category (a fixed list): a headline sums a
    column, the comparison with claims reads a row, and the admin edits them inline on the event
    (which cannot nest a second inline of figures). An assessor judges an event once a day; a
    later date is a revision, and the earliest stays as the initial grade.
    """

    event = models.ForeignKey(Event, models.CASCADE, related_name="assessments", verbose_name=_("event"))
    assessor = models.ForeignKey(
        Party,
        models.PROTECT,
        related_name="assessments",
        verbose_name=_("assessor"),
        help_text=_("Who judges: the organisation's own party, or another recorder whose grade is kept."),
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, help_text=GRADES_EXPLAINED)
    method = models.CharField(
        _("method"),
        max_length=20,
        choices=AssessmentMethod.choices,
        help_text=_(
            "How the figures were decided where reports conflict: a low–high range, the majority of sources, "
            "the most reliable source, a team decision, or pending (the case stays open)."
        ),
    )
    rationale = models.TextField(
        _("rationale"),
        blank=True,
        help_text=_(
            "Why this grade and these figures; needed for “discounted” and for a grade other than the suggested one."
        ),
    )
    civilian_low = figure_field(VictimCategory.CIVILIAN, "low")
    civilian_high = figure_field(VictimCategory.CIVILIAN, "high")
    combatant_low = figure_field(VictimCategory.COMBATANT, "low")
    combatant_high = figure_field(VictimCategory.COMBATANT, "high")
    unknown_low = figure_field(VictimCategory.UNKNOWN, "low")
    unknown_high = figure_field(VictimCategory.UNKNOWN, "high")
    total_low = figure_field(VictimCategory.TOTAL, "low")
    total_high = figure_field(VictimCategory.TOTAL, "high")
    assessed_on = models.DateField(
        _("assessment date"), default=timezone.localdate, help_text=_("The date of the judgement.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="assessments_entered",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=REVIEW_FIELDS)
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["event", "assessor", "assessed_on"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["grade"], name="assessment_grade"),
            models.Index(fields=["assessor", "event"], name="assessment_assessor_event"),
            # The pending judgements, which keep their events on the To assess page (to_assess).
            models.Index(
                fields=["assessor", "event", "assessed_on"],
                condition=Q(method=AssessmentMethod.PENDING),
                name="assessment_pending",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "assessor", "assessed_on"],
                name="assessment_once_a_day",
                violation_error_message=ASSESSED_THAT_DAY,
            ),
            *(constraint for category in FIGURE_CATEGORIES for constraint in figure_constraints(category)),
        ]

    def __str__(self):
        return f"{self.assessor} on {self.event.ref}, {self.assessed_on}: {self.get_grade_display()}"

    def figures(self) -> list[grading.Figure]:
        """Return the figures given, in the order of FIGURE_CATEGORIES."""
        return [
            grading.Figure(category, low, getattr(self, f"{category}_high"))
            for category in FIGURE_CATEGORIES
            if (low := getattr(self, f"{category}_low")) is not None
        ]

    def against(self) -> list[grading.Against]:
        """Return where each party's current claim stands against this assessment's figures."""
        return grading.claims_against(self.figures(), compared_claims(self.event_id))

    def clean(self):
        errors = {}
        for category in FIGURE_CATEGORIES:
            low, high = getattr(self, f"{category}_low"), getattr(self, f"{category}_high")
            if high is not None and low is None:
                errors[f"{category}_low"] = HIGH_WITHOUT_LOW
            elif high is not None and high < low:
                errors[f"{category}_high"] = HIGH_BELOW_LOW
        if self.event_id is not None and self.grade and not self.rationale.strip():
            suggested = grade_suggestion(self.event_id)
            if self.grade == Grade.DISCOUNTED or self.grade != suggested:
                shown = Grade(suggested).label if suggested else _("none")
                errors["rationale"] = RATIONALE_NEEDED % {"suggested": shown}
        if errors:
            raise ValidationError(errors)


def current_claims(event_id: int):
    """Return an event's current claims, each party's in order of the party's name."""
    return Claim.objects.current().filter(event_id=event_id).order_by("party__name", "pk")


def graded_claim(claim: Claim) -> grading.GradedClaim:
    """Return a current claim as the suggested grade reads it."""
    return grading.GradedClaim(
        claim.party_id, claim.category, claim.interval.lo, claim.source_id, outcome=claim.outcome,
        subgroup=claim.subgroup_id,
    )  # fmt: skip


def graded_claims(claims) -> list[grading.GradedClaim]:
    """Return current claims as the suggested grade reads them."""
    return [graded_claim(claim) for claim in claims]


def compared_claims(event_id: int) -> list[grading.ComparedClaim]:
    """Return an event's current claims as their comparison with an assessment reads them, each party by name."""
    compared = []
    for claim in current_claims(event_id).select_related("party"):
        interval = claim.interval
        compared.append(
            grading.ComparedClaim(
                claim.party.name,
                claim.category,
                interval.lo,
                interval.hi,
                victim_side=claim.victim_side_id,
                outcome=claim.outcome,
                subgroup=claim.subgroup_id,
            )
        )
    return compared


def source_relays(source_ids) -> dict[int, int | None]:
    """Return the chains of relays from these sources, as a map from each source on them to the one it relays."""
    relays: dict[int, int | None] = {}
    step = set(source_ids)
    while step:
        found = dict(Source.objects.filter(pk__in=step).values_list("pk", "relays_id"))
        relays.update(found)
        step = {relayed for relayed in found.values() if relayed is not None and relayed not in relays}
    return relays


def grade_suggestion(event_id: int) -> str | None:
    """Return the grade an event's current claims suggest (tracker.rules.grading), or None."""
    perpetrators = Event.alleged_perpetrators.through.objects.filter(event_id=event_id).values_list(
        "party_id", flat=True
    )
    return suggested_for(current_claims(event_id), set(perpetrators))


def suggested_for(claims, perpetrators, relays=None) -> str | None:
    """Return the grade these current claims of an event suggest, given the ids of its alleged perpetrators
    and, where a page has read them already, the chains of relays from their sources (source_relays)."""
    graded = graded_claims(claims)
    if relays is None:
        relays = source_relays({claim.source for claim in graded})
    return grading.suggested_grade(graded, perpetrators, relays)


def grade_suggestions(events) -> dict[int, str | None]:
    """Return the grade each of these events' current claims suggest, by event: grade_suggestion for a
    queryset of events at once, in a few queries (the agreement with an assessor's grades reads thousands)."""
    claims = defaultdict(list)
    for claim in Claim.objects.current().filter(event__in=events).order_by("event_id", "party__name", "pk"):
        claims[claim.event_id].append(graded_claim(claim))
    perpetrators = defaultdict(set)
    alleged = Event.alleged_perpetrators.through.objects.filter(event__in=events)
    for event_id, party_id in alleged.values_list("event_id", "party_id"):
        perpetrators[event_id].add(party_id)
    relays = source_relays({claim.source for graded in claims.values() for claim in graded})
    return {
        event_id: grading.suggested_grade(claims[event_id], perpetrators[event_id], relays)
        for event_id in events.values_list("pk", flat=True)
    }


def to_assess(events):
    """Return these events that wait for the organisation's judgement: their counts disagree or some current
    claim reports civilians killed, and the organisation has no current assessment of them, or one still pending.

    Read on the events' stored grades, through the index of migration 0021: the claims suggest a grade exactly
    when one of them reports civilians killed (tracker.rules.grading.suggested_grade), and the event's grade is
    the organisation's current one, so that only the pending assessments are read beside them.
    """
    pending = by_organisation(Assessment.objects.current()).filter(method=AssessmentMethod.PENDING)
    waiting = Q(level__in=DISPUTED) | Q(suggested_grade__isnull=False)
    return events.filter(waiting).filter(Q(grade__isnull=True) | Q(pk__in=pending.values("event_id")))
