"""Review in the admin: the "Mark as reviewed" action of the claims and assessments lists, and its messages."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from tracker.models.reviews import NO_PERMISSION, REVIEW_PERMISSION, ReviewResult, records_review, reviewed_said


def review_report(request, result: ReviewResult) -> None:
    """Say how many records were reviewed, and each one refused with why."""
    if result.reviewed:
        messages.success(request, reviewed_said(len(result.reviewed)))
    for _record, why in result.refused:
        messages.error(request, why)


def records_review_said(request, *querysets) -> None:
    """Review the records of these querysets as the request's user, saying what was done and refused."""
    if not request.user.has_perm(REVIEW_PERMISSION):
        messages.error(request, NO_PERMISSION)
        return
    result = ReviewResult()
    for records in querysets:
        done = records_review(records, user=request.user)
        result.reviewed += done.reviewed
        result.refused += done.refused
    review_report(request, result)


@admin.action(description=_("Mark as reviewed"))
def mark_reviewed(model_admin, request, queryset):
    records_review_said(request, queryset)
