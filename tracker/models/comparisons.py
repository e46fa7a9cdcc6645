"""The stored results of the discrepancy rules, kept in step with the claims by tracker.summaries."""

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tracker.models.choices import Level, Outcome, VictimCategory

# The comparison that sets its event's level comes first (it is the worst by the rules' exact
# ratios, which two decimals may not tell apart), then the others most severe first.
WORST_FIRST = ("-sets_level", "-severity", models.F("ratio").desc(nulls_last=True))


def unset_as_minus_one(*names):
    """Optional keys as a unique constraint compares them: an empty one as -1, where NULLs never clash."""
    return [Coalesce(name, Value(-1), output_field=models.IntegerField()) for name in names]


class ComparisonGroupQuerySet(models.QuerySet):
    def worst_first(self):
        """Return groups most severe first, the widest ratio first within a level."""
        return self.order_by(*WORST_FIRST, "pk")


class ComparisonGroup(models.Model):
    """The stored result of one comparison group: an event's claims of one outcome, category, side and subgroup."""

    event = models.ForeignKey("tracker.Event", models.CASCADE, related_name="groups", verbose_name=_("event"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.KILLED)
    category = models.CharField(_("victim category"), max_length=10, choices=VictimCategory.choices)
    victim_side = models.ForeignKey(
        "tracker.Party", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("victim side")
    )
    subgroup = models.ForeignKey(
        "tracker.Subgroup", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("of whom")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, null=True)
    severity = models.PositiveSmallIntegerField(_("severity"), default=0)
    ratio = models.DecimalField(_("ratio"), max_digits=12, decimal_places=2, null=True)
    lo_max = models.PositiveIntegerField(_("largest lower bound (L)"), null=True)
    hi_min = models.PositiveIntegerField(
        _("smallest upper bound (H)"), null=True, help_text=_("Empty when every claim is open-ended.")
    )
    party_count = models.PositiveIntegerField(_("parties"), default=0)
    claim_count = models.PositiveIntegerField(_("claims"), default=0)
    sets_level = models.BooleanField(
        _("sets the event's level"), default=False, help_text=_("The event's level and ratio are this comparison's.")
    )

    objects = ComparisonGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("comparison group")
        verbose_name_plural = _("comparison groups")
        ordering = ["event", "pk"]
        constraints = [
            # One group per event, outcome, category, side and subgroup (an empty side or subgroup as -1,
            # where NULLs never clash): the summaries' SQL partitions by these, and the pages key a group by them.
            models.UniqueConstraint(
                "event", "outcome", "category", *unset_as_minus_one("victim_side", "subgroup"),
                name="group_once_per_event_outcome_category_side_subgroup",
                violation_error_message=_(
                    "This event has a comparison group of this outcome, category, side and subgroup already."
                ),
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["category", "-severity"], name="group_category_severity"),
            models.Index(fields=["level"], name="group_level"),
            models.Index(fields=["ratio"], name="group_ratio"),
            models.Index(fields=["event", "sets_level"], name="group_sets_level"),
        ]

    def __str__(self):
        side = f" ({self.victim_side})" if self.victim_side_id else ""
        part = f", {self.subgroup}" if self.subgroup_id else ""
        return f"{self.event.ref}: {self.get_category_display()}{side}{part} {self.get_outcome_display()}"

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        """L and H, as every comparison has them."""
        return self.lo_max, self.hi_min


class ContainmentQuerySet(models.QuerySet):
    def worst_first(self):
        """Return containment discrepancies most severe first, the widest ratio first within a level."""
        return self.order_by(*WORST_FIRST, "-lo", "hi", "pk")


class ContainmentDiscrepancy(models.Model):
    """The stored result of a containment check: one party's parts of a whole above another party's whole.

    At most one per event and whole (an outcome and category with no victim side, summed from its
    parts), and one per event, whole and subgroup (a subgroup of an outcome, category and side,
    set alone against the claims of that whole): the worst pair of parties.
    """

    event = models.ForeignKey("tracker.Event", models.CASCADE, related_name="containment", verbose_name=_("event"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.KILLED)
    category = models.CharField(
        _("category of the whole"), max_length=10, choices=VictimCategory.choices,
        help_text=_(
            "The whole is the claims of this category with no subgroup, and with no victim side unless a "
            "subgroup is the part."
        ),
    )  # fmt: skip
    victim_side = models.ForeignKey(
        "tracker.Party",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("victim side of the whole"),
    )
    subgroup = models.ForeignKey(
        "tracker.Subgroup", models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("subgroup counted as the part"),
        help_text=_("Empty when the parts are the whole's categories or sides, added up."),
    )  # fmt: skip
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    severity = models.PositiveSmallIntegerField(_("severity"))
    # A sum of counts can pass what one count may be: room for it, and for its ratio.
    ratio = models.DecimalField(_("ratio"), max_digits=21, decimal_places=2, null=True)
    lo = models.PositiveBigIntegerField(_("sum of the parts (L)"))
    hi = models.PositiveIntegerField(_("upper bound of the whole (H)"))
    parts_party = models.ForeignKey(
        "tracker.Party", models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("party counting the parts"), help_text=_("Empty when the parts are the named dead."),
    )  # fmt: skip
    whole_party = models.ForeignKey(
        "tracker.Party", models.CASCADE, related_name="+", verbose_name=_("party counting the whole")
    )
    parts = models.ManyToManyField(
        "tracker.Claim", related_name="+", verbose_name=_("claims counted as parts"),
        help_text=_("The current claims whose lower bounds add up to L."),
    )  # fmt: skip
    whole_claim = models.ForeignKey(
        "tracker.Claim", models.CASCADE, related_name="+", verbose_name=_("claim of the whole")
    )
    sets_level = models.BooleanField(
        _("sets the event's level"), default=False, help_text=_("The event's level and ratio are this comparison's.")
    )
    # The named dead against counted: L is the people with a death claim in the event, no party's claims.
    named = models.BooleanField(
        _("the parts are the named dead"), default=False,
        help_text=_("L counts the named people with a death claim in the event, whoever claims it."),
    )  # fmt: skip

    objects = ContainmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("containment discrepancy")
        verbose_name_plural = _("containment discrepancies")
        ordering = ["event", "pk"]
        indexes = [
            models.Index(fields=["category", "-severity"], name="containment_category_severity"),
            models.Index(fields=["level"], name="containment_level"),
            models.Index(fields=["ratio"], name="containment_ratio"),
            models.Index(fields=["event", "sets_level"], name="containment_sets_level"),
        ]
        constraints = [
            models.UniqueConstraint(
                "event", "outcome", "category", *unset_as_minus_one("victim_side", "subgroup"), "named",
                name="containment_one_per_whole_and_part",
                violation_error_message=_("An event has one containment result per whole and subgroup."),
            ),
            models.CheckConstraint(
                condition=models.Q(lo__gt=models.F("hi")), name="containment_parts_exceed_whole",
                violation_error_message=_("A containment discrepancy is parts that add up to more than the whole."),
            ),
            models.CheckConstraint(
                condition=~models.Q(parts_party=models.F("whole_party")), name="containment_two_parties",
                violation_error_message=_("A party's parts are never set against its own whole."),
            ),
            models.CheckConstraint(
                condition=Q(named=True, parts_party__isnull=True) | Q(named=False, parts_party__isnull=False),
                name="containment_named_of_no_party",
                violation_error_message=_("The named dead are counted by no one party; claims added up are."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.event.ref}: {self.get_category_display()} ({self.level})"

    @property
    def bounds(self) -> tuple[int, int]:
        """L and H, as every comparison has them."""
        return self.lo, self.hi


class Inconsistency(models.Model):
    """One party's own report that does not add up: its subgroup above its own whole ("8 children
    among 5 civilians"). A flag on the event, not a level: it is one party at odds with itself."""

    event = models.ForeignKey("tracker.Event", models.CASCADE, related_name="inconsistencies", verbose_name=_("event"))
    party = models.ForeignKey("tracker.Party", models.CASCADE, related_name="+", verbose_name=_("party"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.KILLED)
    category = models.CharField(_("victim category"), max_length=10, choices=VictimCategory.choices)
    victim_side = models.ForeignKey(
        "tracker.Party", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("victim side")
    )
    subgroup = models.ForeignKey("tracker.Subgroup", models.CASCADE, related_name="+", verbose_name=_("subgroup"))
    lo = models.PositiveIntegerField(_("subgroup's lower bound"))
    hi = models.PositiveIntegerField(_("whole's upper bound"))
    part_claim = models.ForeignKey(
        "tracker.Claim", models.CASCADE, related_name="+", verbose_name=_("subgroup's claim")
    )
    whole_claim = models.ForeignKey("tracker.Claim", models.CASCADE, related_name="+", verbose_name=_("whole's claim"))

    class Meta:
        verbose_name = _("inconsistency")
        verbose_name_plural = _("inconsistencies")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lo__gt=models.F("hi")), name="inconsistency_part_exceeds_whole",
                violation_error_message=_("An inconsistency is a subgroup above its own whole."),
            ),
            models.UniqueConstraint(
                fields=["event", "part_claim"], name="inconsistency_once_per_part",
                violation_error_message=_("A subgroup's claim is set against its party's whole once."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.event.ref}: {self.party}, {self.subgroup} {self.lo} > {self.hi}"
