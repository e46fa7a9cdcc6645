"""Events, with their claims entered inline and their computed comparison groups."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from tracker.admin.common import CheckedLookups, ConfidentialSourceMixin, TrackerMedia, level_badge, reading_of
from tracker.admin.versions import VersionChecked, VersionCheckedForm
from tracker.models import Claim, ComparisonGroup, Event
from tracker.models.records import MOST_SEVERE_FIRST
from tracker.summaries import summaries_deferred
from tracker.web.presentation import count_text


class ClaimInline(VersionChecked, ConfidentialSourceMixin, admin.TabularInline):
    model = Claim
    extra = 1
    fields = [
        "party", "category", "victim_side", "wording", "qualifier", "low", "best", "high",
        "reading", "claimed_on", "source", "retracted",
    ]  # fmt: skip
    readonly_fields = ["reading"]
    autocomplete_fields = ["party", "victim_side", "source"]
    show_change_link = True

    @admin.display(description=_("read as"))
    def reading(self, claim):
        return reading_of(claim)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party", "victim_side", "source")


class ComparisonGroupInline(admin.TabularInline):
    model = ComparisonGroup
    verbose_name_plural = _("Discrepancy by comparison group (computed from the claims)")
    fields = ["category", "victim_side", level_badge, "ratio", "lo_max", "hi_min", "party_count", "claim_count"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("victim_side")


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
class EventAdmin(CheckedLookups, VersionChecked, SimpleHistoryAdmin):
    form = VersionCheckedForm
    list_display = [
        "ref", "title", "start_date", "country", level_badge, "ratio", "classification_dispute",
        "party_count", "claim_count",
    ]  # fmt: skip
    list_display_links = ["ref", "title"]
    list_filter = ["level", "classification_dispute", EventCountryFilter, "event_type", EventClaimCategoryFilter]
    search_fields = ["ref", "title", "location_name"]
    date_hierarchy = "start_date"
    ordering = MOST_SEVERE_FIRST
    autocomplete_fields = ["alleged_perpetrators"]
    readonly_fields = [level_badge, "ratio", "classification_dispute", "party_count", "claim_count"]
    fieldsets = [
        (None, {"fields": ["ref", "title", "event_type", "description", "alleged_perpetrators"]}),
        (_("When"), {"fields": [("start_date", "end_date", "date_precision")]}),
        (_("Where"), {"fields": ["location_name", "admin_region", "country", ("latitude", "longitude")]}),
        (_("Discrepancy"), {
            "fields": [level_badge, "ratio", "classification_dispute", ("party_count", "claim_count")],
        }),
    ]  # fmt: skip
    inlines = [ClaimInline, ComparisonGroupInline]
    list_per_page = 50
    Media = TrackerMedia

    def save_formset(self, request, form, formset, change):
        claims = formset.save(commit=False)
        for claim in claims:
            if claim.pk is None:
                claim.entered_by = request.user
        with summaries_deferred():
            formset.save()
        report_readings(request, claims)


def report_readings(request, claims):
    """Tell the user how each count typed as words was read."""
    for claim in claims:
        if getattr(claim, "read_from_wording", False):
            messages.info(
                request,
                _("Read “%(wording)s” as %(count)s, compared as %(interval)s.")
                % {"wording": claim.wording, "count": count_text(claim.count), "interval": claim.interval},
            )
