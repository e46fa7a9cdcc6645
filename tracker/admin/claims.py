"""Claims: one claim's page, the list, the wording preview, and the import page's address."""

from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tracker.admin.common import CheckedFormFields, CheckedLookups, ConfidentialSourceMixin, TrackerMedia, reading_of
from tracker.admin.events import report_readings
from tracker.admin.forms import ClaimPageForm
from tracker.admin.imports import claims_import_view, import_job_view
from tracker.admin.reviews import mark_reviewed
from tracker.admin.versions import VersionChecked
from tracker.models import Claim, Outcome, VictimCategory
from tracker.models.claims import breakdown_beyond, claims_breakdown_add
from tracker.presentation.numbers import count_in_text, left_to_right, part_in_text
from tracker.rules.counts import interval_for
from tracker.rules.wording import count_from_wording


@admin.register(Claim)
class ClaimAdmin(CheckedLookups, CheckedFormFields, VersionChecked, ConfidentialSourceMixin, SimpleHistoryAdmin):
    list_display = [
        "event", "party", "outcome", "category", "victim_side", "subgroup", "reported", "claimed_on", "is_current",
        "retracted", "review_state",
    ]  # fmt: skip
    actions = [mark_reviewed]
    list_filter = [
        "review_state",
        "outcome",
        "category",
        "subgroup",
        "qualifier",
        "retracted",
        "is_current",
        "party__kind",
    ]
    list_select_related = ["event", "party", "victim_side", "subgroup"]
    search_fields = ["event__ref", "event__title", "party__name", "wording"]
    autocomplete_fields = ["event", "party", "victim_side", "source"]
    date_hierarchy = "claimed_on"
    readonly_fields = [
        "reading",
        "is_current",
        "entered_by",
        "entered_at",
        "review_state",
        "reviewed_by",
        "reviewed_at",
    ]
    fieldsets = [
        (None, {"fields": [
            "event", "party", "outcome", "category", "victim_side", "subgroup",
            ("claimed_on", "claimed_on_precision"), "source",
        ]}),
        (_("Count"), {
            "description": _(
                "Type the wording as reported and leave the qualifier empty to have the count read "
                "from it, or choose the qualifier and enter the numbers yourself."
            ),
            "fields": ["wording", "qualifier", ("low", "best", "high"), "reading", "add_breakdown"],
        }),
        (None, {"fields": [
            "retracted", "notes", "is_current", ("entered_by", "entered_at"),
            ("review_state", "reviewed_by", "reviewed_at"),
        ]}),
    ]  # fmt: skip
    Media = TrackerMedia
    form = ClaimPageForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A claim being added has no reading, standing or entry record yet: show none of them.
        computed = set(self.readonly_fields)

        def entered(field):
            return computed.isdisjoint(field if isinstance(field, tuple) else [field])

        return [(name, {**options, "fields": list(filter(entered, options["fields"]))}) for name, options in fieldsets]

    @admin.display(description=_("count"), ordering="best")
    def reported(self, claim):
        return claim.wording or count_in_text(claim.count)

    @admin.display(description=_("read as"))
    def reading(self, claim):
        return reading_of(claim)

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
        report_readings(request, [obj])
        if form.cleaned_data.get("add_breakdown"):
            added, refused = claims_breakdown_add(claim=obj, entered_by=request.user)
            for claim in added:
                messages.success(request, _("Added the claim “%(claim)s”.") % {"claim": claim})
            for reason in refused:
                messages.warning(request, _("A claim of the breakdown was not added: %(reason)s") % {"reason": reason})

    def get_urls(self):
        read_wording = self.admin_site.admin_view(self.read_wording_view)
        import_page = self.admin_site.admin_view(partial(claims_import_view, model_admin=self))
        return [
            path("read-wording/", read_wording, name="tracker_claim_read_wording"),
            path("import/", import_page, name="tracker_claim_import"),
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(partial(import_job_view, model_admin=self)),
                name="tracker_claim_import_job",
            ),
            *super().get_urls(),
        ]

    def read_wording_view(self, request):
        """Say how a wording will be read, for the preview shown as staff type it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        wording = request.GET.get("wording", "").strip()
        outcome = request.GET.get("outcome") or Outcome.KILLED
        count = count_from_wording(wording, outcome=outcome) if wording else None
        qualifier_chosen = _("The qualifier and numbers chosen are kept; empty the qualifier to read the wording.")
        if count is None:
            message = _("No count can be read from this wording: choose a qualifier and enter the numbers.")
            return JsonResponse(
                {"understood": False, "message": str(message) if wording else "", "qualifier_chosen": qualifier_chosen}
            )
        interval = interval_for(count, tolerance=settings.TRACKER_APPROXIMATE_TOLERANCE)
        return JsonResponse(
            {
                "understood": True,
                "qualifier_chosen": qualifier_chosen,
                "qualifier": count.qualifier,
                "low": count.low,
                "best": count.best,
                "high": count.high,
                "message": _("Read as %(count)s, compared as %(interval)s.")
                % {"count": count_in_text(count), "interval": left_to_right(str(interval))},
                **breakdown_answer(wording, category=request.GET.get("category", ""), outcome=outcome),
            }
        )


def breakdown_answer(wording: str, *, category: str, outcome: str) -> dict:
    """The claims a wording holds beside the one being entered, as the preview offers to add them."""
    beyond = breakdown_beyond(wording, category=category, outcome=outcome) if category else []
    if not beyond:
        return {"breakdown": [], "breakdown_message": ""}
    arabic = get_language() == "ar"

    def said(part, subgroup):
        text = part_in_text(part, subgroup and (subgroup.name_ar if arabic and subgroup.name_ar else subgroup.name))
        return f"{text} ({VictimCategory(part.category).label.lower()})" if subgroup else text

    return {
        "breakdown": [
            {
                "category": part.category,
                "subgroup": subgroup and subgroup.pk,
                "outcome": part.outcome,
                "qualifier": part.count.qualifier,
                "low": part.count.low,
                "best": part.count.best,
                "high": part.count.high,
            }
            for part, subgroup in beyond
        ],
        "breakdown_message": _("This wording also says: %(breakdown)s. Add them as claims?")
        % {"breakdown": ", ".join(said(part, subgroup) for part, subgroup in beyond)},
        "breakdown_add": _("Add as claims"),
        "breakdown_tick": _("Add them on saving"),
    }
