"""Review, four eyes: a record is entered, then reviewed by a user other than who last changed it.

Who last changed a record is read from its history (simple_history's `history_user` of its newest
historical record): every write path records its user there already (the admin's request, an
import's uploader, a merge's decider), so no second column has to be kept in step with it. A
review is written by `update()`, which makes no historical record and counts up no version: the
review is not a change, neither undoing itself nor making the reviewer the last to change it.
Every save is a change, and sends the record back to `entered`; an import's bulk writes do the
same through `review_undo()` (tracker.ingest.writer).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracker.models.freshness import data_changed

REVIEW_PERMISSION = "tracker.review_record"
REVIEW_FIELDS = ("review_state", "reviewed_by", "reviewed_at")  # kept out of the records' history

NO_PERMISSION = _(
    "You may not review records: that needs the permission to review records, which Editors and Administrators have."
)
OWN_CHANGE = _("“%(record)s” was last changed by you: another reviewer must review it.")


def reviewed_said(count: int) -> str:
    return ngettext("Marked %(count)d record reviewed.", "Marked %(count)d records reviewed.", count) % {"count": count}


class ReviewState(models.TextChoices):
    ENTERED = "entered", _("Entered")
    REVIEWED = "reviewed", _("Reviewed")


class Reviewed(models.Model):
    """A record that waits, once entered or changed, for a review by someone other than who last changed it."""

    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.ENTERED, editable=False,
        help_text=_("Entered until a user other than who last changed it reviews it; any change enters it again."),
    )  # fmt: skip
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False, related_name="+",
        verbose_name=_("reviewed by"),
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields = self.review_undo()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *fields}
        super().save(*args, **kwargs)

    def review_undo(self) -> tuple[str, ...]:
        """Send this record back to `entered`, as any change does; return the fields that hold it."""
        self.review_state, self.reviewed_by, self.reviewed_at = ReviewState.ENTERED, None, None
        return REVIEW_FIELDS


def with_last_changer(records: models.QuerySet) -> models.QuerySet:
    """Annotate each record with `changed_by_id`: the user of its newest historical record."""
    newest = records.model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
    return records.annotate(changed_by_id=Subquery(newest.values("history_user")[:1]))


def review_refusal(record, *, user) -> str | None:
    """Say why this user may not review a record annotated by `with_last_changer()`, or None if they may."""
    if not user.has_perm(REVIEW_PERMISSION):
        return str(NO_PERMISSION)
    if record.changed_by_id is not None and record.changed_by_id == user.pk:
        return str(OWN_CHANGE % {"record": record})
    return None


@dataclass
class ReviewResult:
    reviewed: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (record, why) pairs


def records_review(records: models.QuerySet, *, user) -> ReviewResult:
    """Mark these records reviewed by this user, those still entered that the user did not last change;
    return those reviewed and, for each refused, why."""
    result = ReviewResult()
    for record in with_last_changer(records.filter(review_state=ReviewState.ENTERED)).order_by("pk"):
        why = review_refusal(record, user=user)
        if why:
            result.refused.append((record, why))
        else:
            result.reviewed.append(record)
    if result.reviewed:
        # By update(): a review is no change, so it makes no history, counts up no version and refreshes no summary.
        records.model.objects.filter(pk__in=[record.pk for record in result.reviewed]).update(
            review_state=ReviewState.REVIEWED, reviewed_by=user, reviewed_at=timezone.now()
        )
        data_changed()  # the review queue and the pages' review marks change
    return result
