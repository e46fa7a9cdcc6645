"""The records staff keep: parties, events, sources, and the claims that tie them together."""

import math
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from tracker import visibility
from tracker.models.choices import DatePrecision, EventType, Level, Origin, PartyKind, Qualifier, VictimCategory
from tracker.models.comparisons import ComparisonGroup, ContainmentDiscrepancy
from tracker.models.tallies import STANDING_COLUMNS
from tracker.models.versions import Versioned
from tracker.rules import counts, discrepancy
from tracker.rules.wording import count_from_wording


class PartyQuerySet(models.QuerySet):
    def for_list(self):
        """Return parties with their stored tally (tracker.models.tallies): claims, events, standings."""
        return self.annotate(
            claim_total=Coalesce("tally__claims", 0),
            event_total=Coalesce("tally__events", 0),
            **{f"standing_{name}": Coalesce(f"tally__{name}", 0) for name in STANDING_COLUMNS},
        )

    def with_claims(self):
        """Return the parties that made at least one claim."""
        return self.filter(tally__claims__gt=0)


class Party(Versioned):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices)
    country = CountryField(_("country"), blank=True, help_text=_("Where the party is based, if anywhere."))
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other names the party goes by, one per line; imports match them too."),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""), name="party_name_not_empty",
                violation_error_message=_("A party needs a name."),
            ),
            # Any case: an import matches names so, and would merge "MSF Test" and "msf test".
            # On SQLite, lower() folds only ASCII letters; PostgreSQL folds every alphabet.
            models.UniqueConstraint(
                Lower("name"), name="party_name_unique_any_case",
                violation_error_message=_(
                    "A party with this name already exists, perhaps in other capitals: names are compared "
                    "regardless of case. Use that party, or give this one a name that tells them apart."
                ),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name

    def names(self) -> set[str]:
        """Return the party's name and aliases in lower case, for matching as the name's constraint compares."""
        return {self.name.lower()} | {alias.strip().lower() for alias in self.aliases.splitlines() if alias.strip()}


def decimal_degrees(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


# How staff read events unless they choose otherwise: most severe first, then newest.
MOST_SEVERE_FIRST = ("-severity", "-start_date", "ref")
SEVERITY_RATIO_ORDER = (
    F("severity").desc(), F("ratio_rank").desc(nulls_last=True), F("start_date").desc(), F("ref").asc(),
)  # fmt: skip


class EventQuerySet(models.QuerySet):
    def by_severity(self):
        """Return events most severe first, then newest, as staff read them."""
        return self.order_by(*MOST_SEVERE_FIRST)

    def open_discrepancies(self):
        """Return the events whose counts disagree, most severe first, the widest ratio first within a level."""
        # Within a level the ratio rank orders as the ratio does (a denial's is one value), and an index holds it.
        return self.filter(level__in=discrepancy.DISPUTED).order_by(*SEVERITY_RATIO_ORDER)

    def level_counts(self) -> list[dict]:
        """Return how many of these events stand at each level, most severe first, then those without claims."""
        counted = dict(self.order_by().values_list("level").annotate(total=models.Count("pk")))
        rows = [{"level": level, "label": label, "total": counted.get(level, 0)} for level, label in Level.choices]
        rows.append({"level": None, "label": _("no claims yet"), "total": counted.get(None, 0)})
        return rows

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
                "groups", ComparisonGroup.objects.select_related("victim_side").worst_first(), to_attr="ranked_groups"
            ),
            Prefetch(
                "containment", ContainmentDiscrepancy.objects.filter(sets_level=True), to_attr="leading_containment"
            ),
            Prefetch(
                "claims",
                Claim.objects.current().select_related("party").order_by("party__name"),
                to_attr="current_claims",
            ),
        )


ENDS_BEFORE_START = _("The end date is before the start date.")
COORDINATES_UNPAIRED = _("Give both latitude and longitude, or neither.")


REFERENCE_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def reference_validate(ref: str) -> None:
    """Accept a reference as real datasets write it ("CS134 RS0021", "a/b#c", "حلب-1"): any printable
    text, trimmed. Control characters would be invisible on a page and break a CSV cell."""
    if REFERENCE_UNPRINTABLE.search(ref):
        raise ValidationError(_("A reference cannot hold control characters."), code="unprintable")
    if ref != ref.strip():
        raise ValidationError(_("A reference cannot begin or end with a space."), code="padded")


class Originated(models.Model):
    """A record that knows the dataset it came from and its identifier there, so that a re-import
    finds it again and a link between datasets can be traced."""

    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.MANUAL,
        help_text=_("The dataset the record came from."),
    )  # fmt: skip
    origin_id = models.CharField(
        _("identifier in its origin"), max_length=200, blank=True,
        help_text=_("The record's identifier in that dataset, by which a re-import finds it."),
    )  # fmt: skip

    class Meta:
        abstract = True


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
    party_count = models.PositiveIntegerField(_("parties"), default=0, editable=False)
    claim_count = models.PositiveIntegerField(_("claims"), default=0, editable=False)

    SUMMARY_FIELDS = (
        "level", "severity", "ratio", "ratio_rank", "classification_dispute", "party_count", "claim_count",
    )  # fmt: skip

    history = HistoricalRecords(m2m_fields=[alleged_perpetrators], excluded_fields=list(SUMMARY_FIELDS))
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "ref"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["-severity", "-start_date"], name="event_severity_date"),
            models.Index(fields=["ratio"], name="event_ratio"),
            # The orders by ratio rank have their indexes in migration 0011: SQLite cannot say NULLS LAST in one.
            models.Index(fields=["level"], name="event_level"),
            models.Index(fields=["classification_dispute"], name="event_dispute"),
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
        # The summary belongs to tracker.summaries: an edit from a page loaded before the last
        # claim changed must not write back the summary it was shown.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.SUMMARY_FIELDS
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


class SourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the sources this user may see, as tracker.visibility decides."""
        return visibility.sources_visible_to(user, self)


SOURCE_UNNAMED = _("A source needs a title or a URL.")


class Source(Versioned):
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=16, blank=True, help_text=_("Language code, e.g. en, ar, ru.")
    )
    excerpt = models.TextField(_("excerpt"), blank=True, help_text=_("The passage quoted from the source."))
    archive_url = models.URLField(_("archive URL"), max_length=1000, blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Hidden from everyone without the permission to see confidential sources."),
    )

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("view_confidential_source", _("Can see confidential sources"))]
        indexes = [models.Index(fields=["url"], name="source_url")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title="") | ~Q(url=""),
                name="source_titled_or_linked",
                violation_error_message=SOURCE_UNNAMED,
            ),
        ]

    def __str__(self):
        label = self.title or self.url
        if self.publisher:
            label = f"{label} ({self.publisher})"
        return label

    def clean(self):
        # The constraint's words, on the title (see Event.clean).
        if not self.title and not self.url:
            raise ValidationError({"title": SOURCE_UNNAMED})


class ClaimQuerySet(models.QuerySet):
    def current(self):
        """Return the claims that stand for their party in their comparison group."""
        return self.filter(is_current=True)

    def for_timeline(self):
        """Return claims with their party, side and source, in the order they were made and entered."""
        return self.select_related("party", "victim_side", "source").order_by("claimed_on", "entered_at", "pk")

    def with_group_summary(self):
        """Annotate each claim with its comparison group's stored level, L (lo_max) and H (hi_min)."""
        groups = ComparisonGroup.objects.annotate(side=Coalesce("victim_side_id", 0)).filter(
            event_id=OuterRef("event_id"),
            category=OuterRef("category"),
            side=Coalesce(OuterRef("victim_side_id"), 0),
        )
        return self.annotate(
            group_level=Subquery(groups.values("level")[:1]),
            group_lo_max=Subquery(groups.values("lo_max")[:1]),
            group_hi_min=Subquery(groups.values("hi_min")[:1]),
        )

    # Writes that bypass save() still keep the stored summaries in step: once per event per call,
    # and not at all when only fields the rules ignore change.
    def update(self, **kwargs):
        from tracker.summaries import event_summaries_refresh, rules_read

        if not rules_read(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            # The events are taken before the update, which may change the very fields this queryset
            # filters on. Claims moved to other events are pinned by key, to find where they went.
            events = set(self.order_by().values_list("event_id", flat=True).distinct())
            moving = {"event", "event_id"} & set(kwargs)
            keys = list(self.values_list("pk", flat=True)) if moving else None
            updated = super().update(**kwargs)
            if moving:
                events |= set(self.model.objects.filter(pk__in=keys).values_list("event_id", flat=True))
            event_summaries_refresh(events=events)
        return updated

    def update_without_refresh(self, **kwargs):
        """Update the rows only: for the summaries' own bookkeeping, which refreshes by itself."""
        return super().update(**kwargs)

    def delete(self):
        from tracker.summaries import summaries_deferred

        with transaction.atomic(using=self.db), summaries_deferred():
            return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        from tracker.summaries import event_summaries_refresh

        created = super().bulk_create(objs, *args, **kwargs)
        event_summaries_refresh(events={claim.event_id for claim in created})
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        from tracker.summaries import event_summaries_refresh, rules_read

        if not rules_read(fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        event_ids = set(
            self.model.objects.filter(pk__in=[claim.pk for claim in objs]).values_list("event_id", flat=True)
        )
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        event_summaries_refresh(events=event_ids | {claim.event_id for claim in objs})
        return updated


# What makes two claims the same claim: a party states one count for an event, victim category and
# side on a date in a source. The claims CSV tells claims apart by these and nothing else, and an
# import keys the claims it meets by them (tracker.ingest.ledger); wording, notes and retraction
# are what may change of a claim, not what makes another one.
CLAIM_IDENTITY = (
    "event", "party", "category", "victim_side", "claimed_on", "qualifier", "low", "best", "high", "source",
)  # fmt: skip
CLAIM_STATED_ONCE = "claim_stated_once"  # the constraint that holds it
NO_NUMBER = -1  # stands for an empty number or victim side in the constraint, where NULLs never clash


def claim_identity() -> list:
    """The database's form of CLAIM_IDENTITY: a unique index counts an empty number as a value."""
    nullable = {"victim_side", "low", "best", "high"}
    return [
        Coalesce(F(name), Value(NO_NUMBER), output_field=models.IntegerField()) if name in nullable else F(name)
        for name in CLAIM_IDENTITY
    ]


def numbers_fit_qualifier():
    """The database's form of counts.count_problems: each qualifier's numbers, and their order."""
    null = {name: Q(**{f"{name}__isnull": True}) for name in ("low", "best", "high")}
    given = {name: Q(**{f"{name}__isnull": False}) for name in ("low", "best", "high")}
    shapes = Q()
    for qualifier, required in counts.REQUIRED_NUMBERS.items():
        shape = Q(qualifier=qualifier)
        for name in required:
            shape &= given[name]
        for name in counts.FORBIDDEN_NUMBERS[qualifier]:
            shape &= null[name]
        shapes |= shape
    return shapes


class Claim(Originated, Versioned):
    event = models.ForeignKey(Event, models.CASCADE, related_name="claims", verbose_name=_("event"))
    party = models.ForeignKey(
        Party, models.PROTECT, related_name="claims", verbose_name=_("claimant"),
        help_text=_("Who made the claim."),
    )  # fmt: skip
    source = models.ForeignKey(
        Source, models.PROTECT, related_name="claims", verbose_name=_("source"),
        help_text=_("Where the claim was published."),
    )  # fmt: skip
    claimed_on = models.DateField(_("claim date"), help_text=_("When the party made the claim."))
    category = models.CharField(_("victim category"), max_length=10, choices=VictimCategory.choices)
    victim_side = models.ForeignKey(
        Party, models.PROTECT, null=True, blank=True, related_name="claims_about",
        verbose_name=_("victim side"),
        help_text=_("Whose dead these are, where it matters (in a clash, A's count of B's dead)."),
    )  # fmt: skip
    qualifier = models.CharField(
        _("qualifier"), max_length=12, choices=Qualifier.choices, blank=True,
        help_text=_(
            "Leave empty to read the count from the wording. Exact (“40 killed”, “no civilians”) and "
            "approximate (“around 40”) need the best number; at least (“at least 12”) the low; "
            "at most (“up to 30”) the high; range (“12 to 15”) low and high."
        ),
    )  # fmt: skip
    low = models.PositiveIntegerField(_("low"), null=True, blank=True)
    best = models.PositiveIntegerField(_("best"), null=True, blank=True)
    high = models.PositiveIntegerField(_("high"), null=True, blank=True)
    wording = models.CharField(
        _("wording"), max_length=500, blank=True,
        help_text=_("As reported: “around 40 militants”, “at least 12”, “12-15”, “no civilians”, “forty”."),
    )  # fmt: skip
    retracted = models.BooleanField(_("retracted"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False,
        related_name="claims_entered", verbose_name=_("entered by"),
    )  # fmt: skip
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    # Stored by tracker.summaries: whether this is its party's current claim in its group.
    is_current = models.BooleanField(_("current"), default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["is_current"])
    objects = ClaimQuerySet.as_manager()

    # What the discrepancy rules read of a claim (as attribute names): only a change to one of
    # these refreshes the stored summaries.
    RULE_FIELDS = (
        "event_id", "party_id", "category", "victim_side_id", "qualifier", "low", "best", "high",
        "claimed_on", "entered_at", "retracted",
    )  # fmt: skip

    class Meta:
        # Related managers (event.claims.add()) write through the base manager: let it be the
        # one whose updates refresh the summaries.
        base_manager_name = "objects"
        ordering = ["event", "claimed_on", "entered_at", "pk"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        indexes = [
            models.Index(fields=["event", "category", "victim_side"], name="claim_group"),
            models.Index(fields=["party", "is_current"], name="claim_party_current"),
            models.Index(fields=["party", "event"], name="claim_party_event"),
            models.Index(fields=["party", "-claimed_on", "-entered_at"], name="claim_party_newest"),
            models.Index(fields=["claimed_on"], name="claim_claimed_on"),
            models.Index(fields=["-entered_at"], name="claim_entered_at"),
            models.Index(fields=["origin", "origin_id"], name="claim_origin"),
        ]
        constraints = [
            models.UniqueConstraint(
                *claim_identity(),
                name=CLAIM_STATED_ONCE,
                violation_error_message=_(
                    "This claim is stored already: the same party, event, victim category and side, claim "
                    "date, count and source. Change that claim's wording, notes or retraction instead."
                ),
            ),
            models.CheckConstraint(
                condition=numbers_fit_qualifier(),
                name="claim_numbers_fit_qualifier",
                violation_error_message=_(
                    "The numbers do not fit the qualifier: exact and approximate need a best number "
                    "only, at least a low, at most a high, a range both low and high."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(low__isnull=True) | Q(low__gte=0))
                & (Q(best__isnull=True) | Q(best__gte=0))
                & (Q(high__isnull=True) | Q(high__gte=0)),
                name="claim_counts_not_negative",
                violation_error_message=_("A death count cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=models.F("high")))
                & (Q(low__isnull=True) | Q(best__isnull=True) | Q(low__lte=models.F("best")))
                & (Q(best__isnull=True) | Q(high__isnull=True) | Q(best__lte=models.F("high"))),
                name="claim_counts_ordered",
                violation_error_message=_("The numbers must satisfy low ≤ best ≤ high."),
            ),
        ]

    def __str__(self):
        side = f" ({self.victim_side})" if self.victim_side_id else ""
        return f"{self.party} on {self.event.ref}: {self.interval} {self.category}{side}"

    @classmethod
    def from_db(cls, db, field_names, values):
        claim = super().from_db(db, field_names, values)
        claim.rules_loaded()
        return claim

    def rules_loaded(self):
        """Remember what the rules read of this claim as stored, so that a save that changes none of
        it refreshes nothing, and a move to another event refreshes the event it left too."""
        self._loaded_facts = {name: self.__dict__.get(name) for name in self.RULE_FIELDS}

    def rules_changed(self) -> bool:
        loaded = getattr(self, "_loaded_facts", None)
        return loaded is None or any(self.__dict__.get(name) != value for name, value in loaded.items())

    @property
    def loaded_event_id(self):
        return getattr(self, "_loaded_facts", {}).get("event_id")

    @property
    def count(self) -> counts.Count:
        return counts.Count(self.qualifier, self.low, self.best, self.high)

    @property
    def interval(self) -> counts.Interval:
        return counts.interval_for(self.count, tolerance=settings.TRACKER_APPROXIMATE_TOLERANCE)

    @property
    def standing(self) -> str | None:
        """Where this claim stands in its group, for claims annotated by `with_group_summary()`."""
        if not self.is_current:
            return None
        return discrepancy.standing(self.interval, self.group_level, self.group_lo_max, self.group_hi_min)

    def read_wording(self):
        """Fill in the qualifier and numbers from the wording when the qualifier is left empty."""
        if self.qualifier or not self.wording:
            return None
        count = count_from_wording(self.wording)
        if count is not None:
            self.qualifier, self.low, self.best, self.high = count.qualifier, count.low, count.best, count.high
            self.read_from_wording = True
        return count

    def clean(self):
        if not self.qualifier and self.wording and self.read_wording() is None:
            raise ValidationError(
                {
                    "wording": _(
                        "The count cannot be read from “%(wording)s”. Choose a qualifier and enter "
                        "the numbers, or reword it like “around 40”, “at least 12”, “12-15”."
                    )
                    % {"wording": self.wording}
                }
            )
        problems = counts.count_problems(self.qualifier, self.low, self.best, self.high)
        if problems:
            raise ValidationError(problems)
