"""The stored results of the discrepancy rules, kept in step with the claims by tracker.summaries."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.models.choices import Level, VictimCategory


class ComparisonGroupQuerySet(models.QuerySet):
    def worst_first(self):
        """Return groups most severe first, the widest ratio first within a level."""
        return self.order_by("-severity", models.F("ratio").desc(nulls_last=True), "pk")


class ComparisonGroup(models.Model):
    """The stored result of one comparison group: an event's claims of one category and side."""

    event = models.ForeignKey("tracker.Event", models.CASCADE, related_name="groups", verbose_name=_("event"))
    category = models.CharField(_("victim category"), max_length=10, choices=VictimCategory.choices)
    victim_side = models.ForeignKey(
        "tracker.Party", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("victim side")
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

    objects = ComparisonGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("comparison group")
        verbose_name_plural = _("comparison groups")
        ordering = ["event", "pk"]
        indexes = [
            models.Index(fields=["category", "-severity"], name="group_category_severity"),
            models.Index(fields=["level"], name="group_level"),
            models.Index(fields=["ratio"], name="group_ratio"),
        ]

    def __str__(self):
        side = f" ({self.victim_side})" if self.victim_side_id else ""
        return f"{self.event.ref}: {self.get_category_display()}{side}"
