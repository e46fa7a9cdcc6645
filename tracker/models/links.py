"""Links between datasets: staff decisions on candidate pairs of events, and the aliases a merge leaves."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models.choices import Origin
from tracker.models.events import Event


class LinkStatus(models.TextChoices):
    ACCEPTED = "accepted", _("accepted: merged")
    REJECTED = "rejected", _("rejected: not one incident")
    UNDONE = "undone", _("undone")


class EventLinkQuerySet(models.QuerySet):
    def decided(self):
        """Return the decisions that stand: accepted merges not undone, and rejections."""
        return self.exclude(status=LinkStatus.UNDONE)

    def rejected_pairs(self) -> set[tuple[int, int]]:
        """Return the pairs of event keys staff said are not one incident, smaller key first."""
        return set(self.filter(status=LinkStatus.REJECTED).values_list("first_id", "second_id"))


class EventLink(models.Model):
    """A decision on two events that may be one incident: `first` (the kept event of a merge, the one
    entered first) and `second` (merged into it, then deleted; restored by an undo, under its own key).

    The events are referred to by key without a database constraint, so that a rejection of a pair
    and the record of a merge outlive the merged event and hold again when an undo restores it.
    """

    first = models.ForeignKey(
        Event, models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("kept event")
    )
    second = models.ForeignKey(
        Event, models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("merged event")
    )
    first_ref = models.TextField(_("kept event's reference"))
    second_ref = models.TextField(_("merged event's reference"))
    status = models.CharField(_("status"), max_length=10, choices=LinkStatus.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # What an undo needs to restore both events exactly: the merged event's fields and perpetrators,
    # the claims and aliases it had, and the perpetrators the merge added to the kept event.
    merged = models.JSONField(_("merged event as it was"), default=dict, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    history = HistoricalRecords()
    objects = EventLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("event link")
        verbose_name_plural = _("event links")
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"], condition=~Q(status="undone"), name="event_link_decided_once",
                violation_error_message=_("These two events have already been linked or kept apart."),
            ),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="event_link_first_is_older",
                violation_error_message=_("The kept event is the one entered first."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.first_ref} ↔ {self.second_ref} ({self.get_status_display()})"


class EventAlias(models.Model):
    """The reference and origin identifier of an event merged into another: imports of either
    dataset find the kept event by them."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="aliases", verbose_name=_("event"))
    link = models.ForeignKey(EventLink, models.CASCADE, related_name="aliases", verbose_name=_("merge"))
    ref = models.TextField(_("reference"))
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    origin_id = models.CharField(_("identifier in its origin"), max_length=200, blank=True)

    class Meta:
        ordering = ["ref"]
        verbose_name = _("event alias")
        verbose_name_plural = _("event aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["ref"], name="event_alias_ref_unique",
                violation_error_message=_("This reference is already another event's alias."),
            ),
            models.UniqueConstraint(
                fields=["origin", "origin_id"], condition=~Q(origin_id=""), name="event_alias_origin_id_unique",
                violation_error_message=_("This identifier is already another event's alias."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.ref
