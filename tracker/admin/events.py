"""Events, with their claims entered inline and their computed comparison groups."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from tracker import roles
from tracker.admin.assessments import AssessmentInline
from tracker.admin.common import (
    CheckedFormFields,
    CheckedLookups,
    ConfidentialSourceMixin,
    TrackerMedia,
    formset_entered_save,
    level_badge,
    ratio_shown,
    reading_of,
)
from tracker.admin.forms import BoundedInlineFormSet, ClaimFormSet
from tracker.admin.history import entries_describe, event_history
from tracker.admin.links import one_to_one_links_accept
from tracker.admin.people import EventFateClaimInline
from tracker.admin.versions import VersionChecked, VersionCheckedForm
from tracker.models import Claim, ComparisonGroup, Event
from tracker.models.events import MOST_SEVERE_FIRST
from tracker.presentation.numbers import count_in_text, left_to_right


class ClaimInline(CheckedFormFields, VersionChecked, ConfidentialSourceMixin, admin.StackedInline):
    """An event's claims as cards, each field with its label, wrapping to fit a laptop or a phone."""

    model = Claim
    formset = ClaimFormSet
    template = "admin/edit_inline/cards.html"
    extra = 1
    fields = [
        "party", "outcome", "category", "victim_side", "subgroup", "wording", "qualifier", "low", "best", "high",
        "reading", "claimed_on", "claimed_on_precision", "source", "retracted",
    ]  # fmt: skip
    readonly_fields = ["reading"]
    autocomplete_fields = ["party", "victim_side", "source"]
    show_change_link = True

    @admin.display(description=_("read as"))
    def reading(self, claim):
        return reading_of(claim)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party", "victim_side", "subgroup", "source")


class ComparisonGroupInline(admin.TabularInline):
    model = ComparisonGroup
    formset = BoundedInlineFormSet
    verbose_name_plural = _("Discrepancy by comparison group (computed from the claims)")
    fields = [
        "outcome", "category", "victim_side", "subgroup", level_badge, ratio_shown, "lo_max", "hi_min",
        "party_count", "claim_count",
    ]  # fmt: skip
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("victim_side", "subgroup")


class EventCountryFilter(admin.SimpleListFilter):
    """Countries that have events, rather than every country in the world."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Event.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class EventClaimCategoryFilter(admin.SimpleListFilter):
    title = _("claims about")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return Claim._meta.get_field("category").choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(pk__in=Claim.objects.filter(category=self.value()).values("event_id"))
        return queryset


@admin.register(Event)
class EventAdmin(CheckedLookups, CheckedFormFields, VersionChecked, SimpleHistoryAdmin):
    form = VersionCheckedForm
    list_display = [
        "ref", "title", "start_date", "country", level_badge, ratio_shown, "classification_dispute",
        "party_count", "claim_count",
    ]  # fmt: skip
    list_display_links = ["ref", "title"]
    list_filter = [
        "level", "injured_level", "classification_dispute", "inconsistent", EventCountryFilter, "event_type",
        EventClaimCategoryFilter, "origin",
    ]  # fmt: skip
    # An event merged into another is found by its own record too.
    search_fields = [
        "ref", "title", "location_name", "=origin_id",
        "aliases__ref", "aliases__title", "aliases__location_name", "=aliases__origin_id",
    ]  # fmt: skip
    date_hierarchy = "start_date"
    ordering = MOST_SEVERE_FIRST
    autocomplete_fields = ["alleged_perpetrators"]
    # An import sets where an event came from; a hand-made event is "entered by hand".
    readonly_fields = [
        level_badge, ratio_shown, "classification_dispute", "injured_level", "inconsistent", "party_count",
        "claim_count", "origin", "origin_id",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["ref", "title", "event_type", "description", "alleged_perpetrators"]}),
        (_("When"), {"fields": [("start_date", "end_date", "date_precision")]}),
        (_("Where"), {"fields": ["location_name", "admin_region", "country", ("latitude", "longitude")]}),
        (_("Origin"), {"fields": [("origin", "origin_id")]}),
        (_("Discrepancy"), {
            "fields": [
                level_badge, ratio_shown, "classification_dispute", "injured_level", "inconsistent",
                ("party_count", "claim_count"),
            ],
        }),
    ]  # fmt: skip
    inlines = [ClaimInline, EventFateClaimInline, ComparisonGroupInline, AssessmentInline]
    actions = [one_to_one_links_accept]
    list_per_page = 50
    object_history_template = "admin/tracker/event/object_history.html"
    object_history_list_template = "admin/tracker/event/object_history_list.html"
    Media = TrackerMedia

    def has_link_permission(self, request):
        return request.user.has_perms(roles.LINK_PERMISSIONS)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "location_name":  # unbounded, yet a place name is one line
            kwargs["widget"] = forms.TextInput(attrs={"class": "vTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and not set(form.changed_data) - {"loaded_version"}:
            # Saved only to add or edit its claims: the event is left as it was, so that its history
            # (whose timeline lists the claims' own changes, tracker/admin/history.py) gets no bare
            # "Changed" line, nor its version a bump that would make other open pages stale for nothing.
            return
        super().save_model(request, obj, form, change)
        if not change or set(form.changed_data) & DATE_AND_PLACE:
            warn_of_duplicates(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        """The event's history with its claims' (added, changed, deleted) in one timeline."""
        try:
            event_id = Event._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        with_claims = self.admin_site.get_model_admin(Claim).has_view_or_change_permission(request)
        entries = event_history(event_id, with_claims=with_claims)
        paginator = Paginator(entries, self.history_list_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        entries_describe(page.object_list, request.user)
        context = {
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "pagination_required": paginator.num_pages > 1,
            "with_claims": with_claims,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def save_formset(self, request, form, formset, change):
        report_readings(request, formset_entered_save(request, formset))


# A new event, or one whose date or place changed, is checked for another on the same day and place.
DATE_AND_PLACE = {"start_date", "location_name", "latitude", "longitude"}


def warn_of_duplicates(request, event):
    """Warn, linking to them, of other events on the same day at the same place: perhaps the same incident.

    A warning and not a refusal: two strikes on one town in one day do happen.
    """
    others = list(Event.objects.same_day_and_place(event))
    if not others:
        return
    addresses = ((reverse("admin:tracker_event_change", args=[other.pk]), other) for other in others)
    links = format_html_join(", ", '<a href="{}">{}</a>', addresses)
    message = ngettext(
        "Another event starts the same day at the same place: %(events)s. If it is the same incident, "
        "enter the claims there and delete this event.",
        "Other events start the same day at the same place: %(events)s. If one is the same incident, "
        "enter the claims there and delete this event.",
        len(others),
    )
    # The message is escaped, the links are built safe.
    messages.warning(request, mark_safe(conditional_escape(message) % {"events": links}))


def report_readings(request, claims):
    """Tell the user how each count typed as words was read."""
    for claim in claims:
        if getattr(claim, "read_from_wording", False):
            messages.info(
                request,
                _("Read “%(wording)s” as %(count)s, compared as %(interval)s.")
                % {
                    "wording": claim.wording,
                    "count": count_in_text(claim.count),
                    "interval": left_to_right(str(claim.interval)),
                },
            )
