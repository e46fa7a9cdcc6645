"""Events: one incident each, with the summary of its claims that tracker.summaries stores."""

import math
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from tracker.models.choices import DatePrecision, EventType, Grade, Level, Outcome
from tracker.models.comparisons import ComparisonGroup, ContainmentDiscrepancy
from tracker.models.origins import Originated
from tracker.models.parties import Party
from tracker.models.versions import Versioned
from tracker.rules import discrepancy


def decimal_degrees(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


# The stored level and severity that lists read for each outcome: an event's own are those of its killed
# counts (deaths are what the tracker is for); its injured counts have their own beside them. Only the
# killed have a ratio.
OUTCOME_SUMMARY = {
    Outcome.KILLED: ("level", "severity"),
    Outcome.INJURED: ("injured_level", "injured_severity"),
}


SEVERITY_RATIO_ORDER = (
    F("severity").desc(), F("ratio_rank").desc(nulls_last=True), F("start_date").desc(), F("ref").asc(),
)  # fmt: skip


def most_severe_first(outcome: str = Outcome.KILLED) -> tuple:
    """How staff read events unless they choose otherwise: most severe first by the outcome's counts, then newest.

    For the killed, within a level the widest ratio first, and among denials the most deaths denied
    (tracker.summaries.ranking), by the index that orders the dashboard's worst first.
    """
    if outcome == Outcome.KILLED:
        return SEVERITY_RATIO_ORDER
    _level, severity = OUTCOME_SUMMARY[outcome]
    return (f"-{severity}", "-start_date", "ref")


MOST_SEVERE_FIRST = most_severe_first()


class EventQuerySet(models.QuerySet):
    def by_severity(self, outcome: str = Outcome.KILLED):
        """Return events most severe first by their counts of an outcome (the killed unless told), then newest."""
        return self.order_by(*most_severe_first(outcome))

    def counting(self, outcome: str):
        """Return the events a list of this outcome shows: every event for the killed (one without claims
        yet among them), for the injured those with a standing count of the injured (one not retracted)."""
        if outcome == Outcome.KILLED:
            return self
        # The stored level says it, by an index: a search through the claims cost three times the admin's list.
        level, _severity = OUTCOME_SUMMARY[outcome]
        return self.filter(**{f"{level}__isnull": False})

    def open_discrepancies(self, outcome: str = Outcome.KILLED):
        """Return the events whose counts of an outcome disagree, most severe first (`most_severe_first`)."""
        level, _severity = OUTCOME_SUMMARY[outcome]
        return self.filter(**{f"{level}__in": discrepancy.DISPUTED}).by_severity(outcome)

    def dashboard_counts(self, outcome: str = Outcome.KILLED) -> dict:
        """Return what the dashboard counts of these events, in one pass over them: the events at each level of
        an outcome's counts, most severe first, then those without such counts (as `counting` lists them); the
        classification disputes; the reports that do not add up; and the events per grade of the organisation's
        (its current one, stored on each event)."""
        level, _severity = OUTCOME_SUMMARY[outcome]

        def count(**where):
            # Counting a column the `event_counts` index holds, never null, rather than the key, which it does
            # not: PostgreSQL then answers from the index alone (Django allows no COUNT(*) with a filter).
            return models.Count("classification_dispute", filter=Q(**where))

        totals = self.order_by().aggregate(
            **{f"level_{value}": count(**{level: value}) for value in Level.values},
            **{f"grade_{value}": count(grade=value) for value in Grade.values},
            unlevelled=count(**{f"{level}__isnull": True}),
            disputes=count(classification_dispute=True),
            inconsistent=count(inconsistent=True),
        )
        levels = [{"level": value, "label": label, "total": totals[f"level_{value}"]} for value, label in Level.choices]
        # The injured's list (`counting`) holds only events with a count of the injured: none stands without one.
        unlevelled = totals["unlevelled"] if outcome == Outcome.KILLED else 0
        levels.append({"level": None, "label": _("no claims yet"), "total": unlevelled})
        return {
            "levels": levels,
            "disputes": totals["disputes"],
            "inconsistent": totals["inconsistent"],
            "grades": {value: totals[f"grade_{value}"] for value in Grade.values},
        }

    def same_day_and_place(self, event):
        """Return the other events that start the same day at the same place as this one: the same
        location name in any case, or coordinates within about a kilometre."""
        place = Q(location_name__iexact=event.location_name.strip())
        if event.latitude is not None and event.longitude is not None:
            latitude, longitude = float(event.latitude), float(event.longitude)
            # A box of ±1 km: a degree of latitude is 111 km everywhere, one of longitude shrinks with it.
            north_south = 1 / 111.32
            east_west = north_south / max(math.cos(math.radians(latitude)), 0.01)
            place |= Q(
                latitude__range=(decimal_degrees(latitude - north_south), decimal_degrees(latitude + north_south)),
                longitude__range=(decimal_degrees(longitude - east_west), decimal_degrees(longitude + east_west)),
            )
        return self.filter(place, start_date=event.start_date).exclude(pk=event.pk).order_by("ref")

    def for_list(self):
        """Return events with what a list row shows: groups worst first, the containment discrepancy that
        sets the level if one does, and the current claims' parties."""
        return self.prefetch_related(
            Prefetch(
                "groups",
                ComparisonGroup.objects.select_related("victim_side", "subgroup").worst_first(),
                to_attr="ranked_groups",
            ),
            Prefetch(
                "containment",
                ContainmentDiscrepancy.objects.filter(sets_level=True).select_related("victim_side", "subgroup"),
                to_attr="leading_containment",
            ),
            Prefetch(
                "claims",
                # The claims' model by its relation: tracker.models.claims is built on this module.
                self.model.claims.rel.related_model.objects.current()
                .select_related("party", "subgroup")
                .order_by("party__name"),
                to_attr="current_claims",
            ),
        )


ENDS_BEFORE_START = _("The end date is before the start date.")
COORDINATES_UNPAIRED = _("Give both latitude and longitude, or neither.")


REFERENCE_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# The path segments a browser resolves rather than follows: the event page of "../../admin" is /admin/.
# Percent-encoding them would not help, as browsers read "%2e" in a path as a dot.
DOT_SEGMENTS = {".", ".."}
REFERENCE_DOT_SEGMENT = _(
    "A reference cannot be “.” or “..”, nor hold one between slashes: a link to its event would lead elsewhere."
)


def reference_validate(ref: str) -> None:
    """Accept a reference as real datasets write it ("CS134 RS0021", "a/b#c", "حلب-1"): any printable
    text, trimmed. Control characters would be invisible on a page and break a CSV cell; a "." or
    ".." between slashes would take the event's link to another page."""
    if REFERENCE_UNPRINTABLE.search(ref):
        raise ValidationError(_("A reference cannot hold control characters."), code="unprintable")
    if ref != ref.strip():
        raise ValidationError(_("A reference cannot begin or end with a space."), code="padded")
    if DOT_SEGMENTS.intersection(ref.split("/")):
        raise ValidationError(REFERENCE_DOT_SEGMENT, code="dot_segment")


class Event(Originated, Versioned):
    ref = models.CharField(
        _("reference"),
        max_length=200,
        validators=[reference_validate],
        help_text=_("A stable human key, e.g. SYR-2017-09-DEZ-01, or the dataset's own code."),
    )
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("How precisely the date is known; a month-precise event is dated its first day."),
    )
    # Unbounded: Airwars describes some places in a sentence (243 characters), and a limit serves nobody.
    location_name = models.TextField(_("location"))
    admin_region = models.CharField(_("admin region"), max_length=200, blank=True)
    country = CountryField(_("country"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )  # fmt: skip
    event_type = models.CharField(_("event type"), max_length=20, choices=EventType.choices, default=EventType.OTHER)
    description = models.TextField(_("description"), blank=True)
    alleged_perpetrators = models.ManyToManyField(
        Party, blank=True, related_name="alleged_events", verbose_name=_("alleged perpetrators")
    )

    # Stored discrepancy summary, kept in step with the claims by tracker.summaries.
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, null=True, editable=False)
    severity = models.PositiveSmallIntegerField(_("severity"), default=0, editable=False)
    # As wide as a containment discrepancy's ratio, which may set it.
    ratio = models.DecimalField(_("ratio"), max_digits=21, decimal_places=2, null=True, editable=False)
    # What lists sort and filter "ratio" on: the ratio, and a denial (whose ratio is unbounded)
    # above every ratio. Stored so that ordering by it reads an index.
    ratio_rank = models.DecimalField(_("ratio rank"), max_digits=22, decimal_places=2, null=True, editable=False)
    classification_dispute = models.BooleanField(_("classification dispute"), default=False, editable=False)
    # The injured are compared among themselves, never with the killed: their own level, beside the event's.
    injured_level = models.CharField(
        _("level of the injured counts"), max_length=10, choices=Level.choices, null=True, editable=False
    )
    injured_severity = models.PositiveSmallIntegerField(_("severity of the injured counts"), default=0, editable=False)
    inconsistent = models.BooleanField(
        _("a party's report is inconsistent"), default=False, editable=False,
        help_text=_("Some party counts more of a subgroup than of the whole it belongs to."),
    )  # fmt: skip
    party_count = models.PositiveIntegerField(_("parties"), default=0, editable=False)
    claim_count = models.PositiveIntegerField(_("claims"), default=0, editable=False)
    named_killed = models.PositiveIntegerField(
        _("named dead"), default=0, editable=False,
        help_text=_("The named people with a death claim in the event (a party's current, stated claim)."),
    )  # fmt: skip
    # The grades, kept in step by tracker.summaries.grades so that lists filter on them without computing:
    # the grade the current claims suggest (tracker.rules.grading), the organisation's current grade, and
    # whether some party's claim lies above or below one of the organisation's current figures.
    suggested_grade = models.CharField(
        _("suggested grade"), max_length=10, choices=Grade.choices, null=True, editable=False
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, null=True, editable=False)
    assessment_differs = models.BooleanField(
        _("a claim differs from the assessment"), default=False, editable=False,
        help_text=_("Some party's claim lies above or below a figure of the organisation's current assessment."),
    )  # fmt: skip

    SUMMARY_FIELDS = (
        "level", "severity", "ratio", "ratio_rank", "classification_dispute", "injured_level", "injured_severity",
        "inconsistent", "party_count", "claim_count", "named_killed",
    )  # fmt: skip
    # Kept by tracker.summaries.grades, after the summaries (the backends' SQL does not write them).
    GRADE_FIELDS = ("suggested_grade", "grade", "assessment_differs")

    history = HistoricalRecords(m2m_fields=[alleged_perpetrators], excluded_fields=[*SUMMARY_FIELDS, *GRADE_FIELDS])
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "ref"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("download_audit", _("Can download the audit trail of every record's changes"))]
        indexes = [
            models.Index(fields=["-severity", "-start_date"], name="event_severity_date"),
            models.Index(fields=["ratio"], name="event_ratio"),
            # The orders by ratio rank have their indexes in migration 0011: SQLite cannot say NULLS LAST in one.
            models.Index(fields=["level"], name="event_level"),
            models.Index(fields=["classification_dispute"], name="event_dispute"),
            models.Index(fields=["injured_level"], name="event_injured_level"),
            models.Index(fields=["inconsistent"], name="event_inconsistent"),
            models.Index(fields=["suggested_grade"], name="event_suggested_grade"),
            models.Index(fields=["grade"], name="event_grade"),
            models.Index(fields=["assessment_differs"], name="event_assessment_differs"),
            # What the dashboard counts (EventQuerySet.dashboard_counts), read from the index alone.
            models.Index(
                fields=["level", "injured_level", "grade", "classification_dispute", "inconsistent"],
                name="event_counts",
            ),
            models.Index(fields=["start_date"], name="event_start_date"),
            models.Index(fields=["country"], name="event_country"),
            models.Index(fields=["origin", "origin_id"], name="event_origin"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ref"],
                name="event_ref_unique",
                violation_error_message=_("An event with this reference already exists."),
            ),
            models.UniqueConstraint(
                fields=["origin", "origin_id"],
                condition=~Q(origin_id=""),
                name="event_origin_id_unique",
                violation_error_message=_("An event with this identifier in this dataset already exists."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
                violation_error_message=ENDS_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="event_coordinates_paired",
                violation_error_message=COORDINATES_UNPAIRED,
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="event_latitude_range",
                violation_error_message=_("Latitude lies between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="event_longitude_range",
                violation_error_message=_("Longitude lies between -180 and 180."),
            ),
        ]

    def __str__(self):
        return f"{self.ref} — {self.title}"

    def save(self, *args, **kwargs):
        # The summary and grades belong to tracker.summaries: an edit from a page loaded before the last
        # claim changed must not write back the summary it was shown.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in (*self.SUMMARY_FIELDS, *self.GRADE_FIELDS)
            ]
        super().save(*args, **kwargs)

    def clean(self):
        # The constraints' words, on the field to mend: the admin shows them beside it, an import
        # names its column, and without a query per event (Django checks constraints by query).
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ENDS_BEFORE_START
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude" if self.latitude is None else "longitude"] = COORDINATES_UNPAIRED
        if errors:
            raise ValidationError(errors)
