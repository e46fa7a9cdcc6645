"""Links between datasets: the candidate pairs of events proposed for review, staff decisions on them,
and the aliases a merge leaves."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.fields.json import KT
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

    def with_undo_checks(self):
        """Annotate what an undo of each merge depends on, in the one query that lists them: `has_kept_event`
        (not merged into another since), `has_later_merge` (into the same kept event) and
        `is_merged_ref_taken` (an event entered since holds the merged event's reference or identifier)."""
        later = EventLink.objects.filter(
            first_id=OuterRef("first_id"), status=LinkStatus.ACCEPTED, pk__gt=OuterRef("pk")
        )
        identifier_taken = Event.objects.filter(
            origin=OuterRef("merged_origin"), origin_id=OuterRef("merged_origin_id")
        ).exclude(origin_id="")
        return self.annotate(
            merged_origin=KT("merged__event__fields__origin"),
            merged_origin_id=KT("merged__event__fields__origin_id"),
        ).annotate(
            has_kept_event=Exists(Event.objects.filter(pk=OuterRef("first_id"))),
            has_later_merge=Exists(later),
            is_merged_ref_taken=Exists(Event.objects.filter(ref=OuterRef("second_ref"))) | Exists(identifier_taken),
        )


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
    """The record of an event merged into another, as its dataset gave it: its reference and origin
    identifier, by which imports of either dataset find the kept event, and its title, places and
    description, which the kept event's page shows beside its own and its search finds."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="aliases", verbose_name=_("event"))
    link = models.ForeignKey(EventLink, models.CASCADE, related_name="aliases", verbose_name=_("merge"))
    ref = models.TextField(_("reference"))
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    origin_id = models.CharField(_("identifier in its origin"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    location_name = models.TextField(_("location"), blank=True)
    admin_region = models.CharField(_("admin region"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    RECORD_FIELDS = ("title", "location_name", "admin_region", "description")  # as the merged event had them

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


class LinkCandidateQuerySet(models.QuerySet):
    def standing(self):
        """Return the candidates still to decide: both events stored, and the pair neither merged nor kept apart."""
        # Checked on reading, not only when proposing: a decision or a merge may have come since.
        decided = EventLink.objects.decided().filter(first_id=OuterRef("first_id"), second_id=OuterRef("second_id"))
        return self.filter(
            Exists(Event.objects.filter(pk=OuterRef("first_id"))),
            Exists(Event.objects.filter(pk=OuterRef("second_id"))),
            ~Exists(decided),
        )


class LinkCandidate(models.Model):
    """Two events of different datasets that the matching rules (tracker.rules.matching) found may be one
    incident, as `link_events` or the refresh after an import last proposed them: the review reads these
    rather than searching every event on each request.

    The events are referred to by key without a database constraint, as on EventLink: a merge or a
    deletion leaves the candidates of the event it removes to the next proposal, and meanwhile they are
    not shown (see `standing`); an undo that restores the event shows them again.
    """

    first = models.ForeignKey(
        Event, models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("event entered first")
    )
    second = models.ForeignKey(
        Event, models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("other event")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # When proposed, neither event was in another candidate. A decision since may make another pair
    # one-to-one: the next proposal says so; it never makes a flagged pair ambiguous.
    is_one_to_one = models.BooleanField(_("one-to-one"), default=False)
    # The radius the pair was found within: a decision checks the pair again at the same radius.
    radius_km = models.FloatField(_("radius (km)"))
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    objects = LinkCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "first_id", "second_id"]
        verbose_name = _("link candidate")
        verbose_name_plural = _("link candidates")
        indexes = [models.Index(fields=["-score", "first", "second"], name="link_candidate_best_first")]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="link_candidate_once"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="link_candidate_first_is_older"),
        ]

    def __str__(self):
        return f"{self.first_id} ↔ {self.second_id} ({self.score})"
