"""Claims: one party's statement of a death count for one event, in a source."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models.choices import Outcome, Qualifier, VictimCategory, stated_on_first_day, stated_precision
from tracker.models.comparisons import ComparisonGroup
from tracker.models.events import Event
from tracker.models.facts import AnnouncedQuerySet, RuleFacts
from tracker.models.origins import Originated
from tracker.models.parties import Party
from tracker.models.reviews import REVIEW_FIELDS, Reviewed
from tracker.models.signals import claims_announcer, claims_changes_batched
from tracker.models.sources import Source
from tracker.models.subgroups import Subgroup
from tracker.models.versions import Versioned
from tracker.rules import counts, discrepancy
from tracker.rules.dates import first_day
from tracker.rules.wording import Part, breakdown_from_wording, count_from_wording


class ClaimQuerySet(AnnouncedQuerySet):
    def current(self):
        """Return the claims that stand for their party in their comparison group."""
        return self.filter(is_current=True)

    def for_timeline(self):
        """Return claims with their party, side, subgroup and source, in the order they were made and entered."""
        return self.select_related("party", "victim_side", "subgroup", "source").order_by(
            "claimed_on", "entered_at", "pk"
        )

    def with_group_summary(self):
        """Annotate each claim with its comparison group's stored level, L (lo_max) and H (hi_min)."""
        groups = ComparisonGroup.objects.annotate(
            side=Coalesce("victim_side_id", 0), part=Coalesce("subgroup_id", 0)
        ).filter(
            event_id=OuterRef("event_id"),
            outcome=OuterRef("outcome"),
            category=OuterRef("category"),
            side=Coalesce(OuterRef("victim_side_id"), 0),
            part=Coalesce(OuterRef("subgroup_id"), 0),
        )
        return self.annotate(
            group_level=Subquery(groups.values("level")[:1]),
            group_lo_max=Subquery(groups.values("lo_max")[:1]),
            group_hi_min=Subquery(groups.values("hi_min")[:1]),
        )

    announced = "event_id"
    announcer = claims_announcer


# What makes two claims the same claim: a party states one count of the killed or the injured for an
# event, victim category, side and subgroup on a date in a source. The claims CSV tells claims apart
# by these and nothing else, and an import keys the claims it meets by them (tracker.ingest.ledger);
# wording, notes and retraction are what may change of a claim, not what makes another one.
CLAIM_IDENTITY = (
    "event", "party", "outcome", "category", "victim_side", "subgroup", "claimed_on", "qualifier", "low", "best",
    "high", "source",
)  # fmt: skip
CLAIM_STATED_ONCE = "claim_stated_once"  # the constraint that holds it
NO_NUMBER = -1  # stands for an empty number or victim side in the constraint, where NULLs never clash


def claim_identity() -> list:
    """The database's form of CLAIM_IDENTITY: a unique index counts an empty number as a value."""
    nullable = {"victim_side", "subgroup", "low", "best", "high"}
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


def claimant_field(related_name: str) -> models.ForeignKey:
    """The party who made a claim (of a count, or of a person's fate)."""
    return models.ForeignKey(
        Party, models.PROTECT, related_name=related_name, verbose_name=_("claimant"), help_text=_("Who made the claim.")
    )


def source_field(related_name: str) -> models.ForeignKey:
    """The source a claim cites, which tracker.visibility may hide, and the claim's notes with it."""
    return models.ForeignKey(
        Source, models.PROTECT, related_name=related_name, verbose_name=_("source"),
        help_text=_("Where the claim was published."),
    )  # fmt: skip


def claim_date_field() -> models.DateField:
    return models.DateField(_("claim date"), help_text=_("When the party made the claim."))


class Claim(Originated, RuleFacts, Reviewed, Versioned):
    event = models.ForeignKey(Event, models.CASCADE, related_name="claims", verbose_name=_("event"))
    party = claimant_field("claims")
    source = source_field("claims")
    claimed_on = claim_date_field()
    claimed_on_precision = stated_precision()
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.KILLED,
        help_text=_("Whether the claim counts the killed or the injured; the two are never compared."),
    )  # fmt: skip
    category = models.CharField(_("victim category"), max_length=10, choices=VictimCategory.choices)
    victim_side = models.ForeignKey(
        Party, models.PROTECT, null=True, blank=True, related_name="claims_about",
        verbose_name=_("victim side"),
        help_text=_("Whose dead these are, where it matters (in a clash, A's count of B's dead)."),
    )  # fmt: skip
    subgroup = models.ForeignKey(
        Subgroup, models.PROTECT, null=True, blank=True, related_name="claims", verbose_name=_("of whom"),
        help_text=_(
            "Empty for the whole toll. A subgroup (children, commanders) for a claim of who among them: "
            "“12 civilians, including 4 children” is a civilian claim of 12 and a children claim of 4."
        ),
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

    history = HistoricalRecords(excluded_fields=["is_current", *REVIEW_FIELDS])
    objects = ClaimQuerySet.as_manager()

    # What the discrepancy rules read of a claim (as attribute names): only a change to one of
    # these refreshes the stored summaries.
    RULE_FIELDS = (
        "event_id", "party_id", "outcome", "category", "victim_side_id", "subgroup_id", "qualifier", "low",
        "best", "high", "claimed_on", "entered_at", "retracted",
    )  # fmt: skip

    class Meta:
        # Related managers (event.claims.add()) write through the base manager: let it be the
        # one whose updates refresh the summaries.
        base_manager_name = "objects"
        ordering = ["event", "claimed_on", "entered_at", "pk"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        # One permission reviews every kind of reviewed record (claims, assessments): it is asked of the reviewer.
        permissions = [("review_record", _("Can review claims and assessments"))]
        indexes = [
            models.Index(fields=["event", "outcome", "category", "victim_side", "subgroup"], name="claim_group"),
            models.Index(fields=["party", "is_current"], name="claim_party_current"),
            models.Index(fields=["party", "event"], name="claim_party_event"),
            models.Index(fields=["party", "-claimed_on", "-entered_at"], name="claim_party_newest"),
            models.Index(fields=["claimed_on"], name="claim_claimed_on"),
            models.Index(fields=["-entered_at"], name="claim_entered_at"),
            models.Index(fields=["origin", "origin_id"], name="claim_origin"),
            models.Index(fields=["review_state", "event"], name="claim_review_state"),
        ]
        constraints = [
            stated_on_first_day("claimed_on", "claim_date_first_day"),
            models.UniqueConstraint(
                *claim_identity(),
                name=CLAIM_STATED_ONCE,
                violation_error_message=_(
                    "This claim is stored already: the same party, event, outcome, victim category, side and "
                    "subgroup, claim date, count and source. Change that claim's wording, notes or retraction instead."
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
        part = f", of whom {self.subgroup}" if self.subgroup_id else ""
        injured = " injured" if self.outcome == Outcome.INJURED else ""
        return f"{self.party} on {self.event.ref}: {self.interval} {self.category}{injured}{side}{part}"

    def identity_key(self, *, event_id: int | None = None) -> tuple:
        """Return what makes this claim the claim it is (`CLAIM_IDENTITY`, by primary keys), on its
        event or as it would stand on another (a merge's)."""
        values = {name: getattr(self, self._meta.get_field(name).attname) for name in CLAIM_IDENTITY}
        if event_id is not None:
            values["event"] = event_id
        return tuple(values[name] for name in CLAIM_IDENTITY)

    @property
    def loaded_event_id(self):
        return self.loaded_fact("event_id")

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
        subgroup = self.subgroup.code if self.subgroup_id else None
        count = count_from_wording(self.wording, outcome=self.outcome, subgroup=subgroup)
        if count is not None:
            self.qualifier, self.low, self.best, self.high = count.qualifier, count.low, count.best, count.high
            self.read_from_wording = True
        return count

    def clean(self):
        if self.claimed_on:  # a day entered with month or year precision stands for its month or year
            self.claimed_on = first_day(self.claimed_on, self.claimed_on_precision)
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
        if self.subgroup_id and self.category and not self.subgroup.fits(self.category):
            problems["subgroup"] = _("“%(subgroup)s” is a subgroup of %(category)s victims, not of %(claimed)s.") % {
                "subgroup": self.subgroup,
                "category": self.subgroup.get_category_display().lower(),
                "claimed": self.get_category_display().lower(),
            }
        if problems:
            raise ValidationError(problems)


def breakdown_beyond(
    wording: str, *, category: str, outcome: str = Outcome.KILLED
) -> list[tuple[Part, Subgroup | None]]:
    """Return the claims a wording holds beside the one of this category and outcome read from it, each
    with its stored subgroup; a part whose subgroup staff no longer list, or whose category the wording
    leaves unsaid, is left out."""
    parts = breakdown_from_wording(wording, category=category or None, outcome=outcome or Outcome.KILLED)
    if parts is None:
        return []
    subgroups = Subgroup.objects.in_bulk([part.subgroup for part in parts if part.subgroup], field_name="code")
    own = next((p for p in parts if (p.category, p.subgroup, p.outcome) == (category, None, outcome)), None)
    return [
        (part, subgroups.get(part.subgroup))
        for part in parts
        if part is not own and part.category and (part.subgroup is None or part.subgroup in subgroups)
    ]


def claims_breakdown_add(*, claim: Claim, entered_by) -> tuple[list[Claim], list[str]]:
    """Add the claims of the breakdown a stored claim's wording holds, with its party, event, source,
    date and side; return those added and, for each left out, why (stored already, or unfit)."""
    added, refused = [], []
    with transaction.atomic(), claims_changes_batched(sender=Claim):
        for part, subgroup in breakdown_beyond(claim.wording, category=claim.category, outcome=claim.outcome):
            extra = Claim(
                event=claim.event, party=claim.party, source=claim.source, claimed_on=claim.claimed_on,
                victim_side=claim.victim_side, wording=claim.wording, outcome=part.outcome, category=part.category,
                subgroup=subgroup, qualifier=part.count.qualifier, low=part.count.low, best=part.count.best,
                high=part.count.high, entered_by=entered_by,
            )  # fmt: skip
            try:
                extra.full_clean()
            except ValidationError as error:
                refused.append("; ".join(message for messages in error.message_dict.values() for message in messages))
                continue
            extra.save()
            added.append(extra)
    return added, refused
