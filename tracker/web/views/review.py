"""The review queue: claims, fate claims and assessments entered or changed and awaiting review, to mark
reviewed by someone other than who last changed them (tracker.models.reviews), one by one or all those shown.

Anyone who reads the pages may open it; reviewing asks the permission to review records.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from tracker.models import Assessment, Claim, FateClaim, ReviewState
from tracker.models.reviews import NO_PERMISSION, REVIEW_PERMISSION, records_review, reviewed_said, with_last_changer
from tracker.presentation.numbers import count_in_text
from tracker.web.views.mixins import TrackerAccess

QUEUE_SHOWN = 100  # of each kind, the longest waiting first: "review all shown" reviews these
KINDS = {"claim": Claim, "fate_claim": FateClaim, "assessment": Assessment}
# What each kind's row names beside its event.
RELATED = {"claim": ("party", "subgroup"), "fate_claim": ("party", "person"), "assessment": ("assessor",)}


class QueueFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False,
        choices=[
            ("", _("Claims, fate claims and assessments")), ("claim", _("Claims")), ("fate_claim", _("Fate claims")),
            ("assessment", _("Assessments")),
        ],
    )  # fmt: skip
    event = forms.CharField(label=_("Event reference"), required=False, max_length=200)


class ReviewChoice(forms.Form):
    """The records a review button sends: those shown, each kind by key, or only one of them."""

    claim = forms.TypedMultipleChoiceField(coerce=int, required=False)
    fate_claim = forms.TypedMultipleChoiceField(coerce=int, required=False)
    assessment = forms.TypedMultipleChoiceField(coerce=int, required=False)
    only = forms.RegexField(r"^(claim|fate_claim|assessment)-[0-9]{1,18}$", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in KINDS:
            # Any key a database holds: records gone or reviewed since are skipped, not refused.
            self.fields[name].valid_value = str.isdigit


def awaiting(kind: str, event_ref: str):
    """Return the records of this kind awaiting review, of the event named if any, the longest waiting first."""
    records = KINDS[kind].objects.filter(review_state=ReviewState.ENTERED).select_related("event")
    if event_ref:
        records = records.filter(event__ref=event_ref)
    records = records.select_related(*RELATED[kind])
    return with_last_changer(records).order_by("entered_at", "pk")


class ReviewQueueView(TrackerAccess, TemplateView):
    template_name = "tracker/review_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = QueueFilter(self.request.GET or None)
        chosen = form.cleaned_data if form.is_valid() else {}
        kinds = [chosen["kind"]] if chosen.get("kind") else list(KINDS)
        user = self.request.user
        sections = []
        for kind in kinds:
            records = awaiting(kind, chosen.get("event", "").strip())
            shown = list(records[:QUEUE_SHOWN])
            for record in shown:
                record.own_change = record.changed_by_id is not None and record.changed_by_id == user.pk
                record.count_shown = count_in_text(record.count) if kind == "claim" else ""
            sections.append({"kind": kind, "label": KINDS[kind]._meta.verbose_name_plural, "records": shown,
                             "total": records.count()})  # fmt: skip
        context.update(
            form=form, sections=sections, may_review=user.has_perm(REVIEW_PERMISSION), shown_at_most=QUEUE_SHOWN
        )
        return context

    def post(self, request, *args, **kwargs):
        back = HttpResponseRedirect(request.get_full_path())
        if not request.user.has_perm(REVIEW_PERMISSION):
            messages.error(request, NO_PERMISSION)
            return back
        form = ReviewChoice(request.POST)
        if not form.is_valid():
            messages.error(request, _("This review could not be read: reload the page."))
            return back
        chosen = {kind: form.cleaned_data[kind] for kind in KINDS}
        if form.cleaned_data["only"]:
            kind, key = form.cleaned_data["only"].rsplit("-", 1)
            chosen = {kind: [int(key)]}
        reviewed = 0
        for kind, keys in chosen.items():
            result = records_review(KINDS[kind].objects.filter(pk__in=keys), user=request.user)
            reviewed += len(result.reviewed)
            for _record, why in result.refused:
                messages.error(request, why)
        if reviewed:
            messages.success(request, reviewed_said(reviewed))
        return back
