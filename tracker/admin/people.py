"""Named people, with their other names and fate claims inline, and the fate claims' own list and pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tracker.admin.common import (
    CheckedFormFields,
    CheckedLookups,
    ConfidentialSourceMixin,
    TrackerMedia,
    formset_entered_save,
)
from tracker.admin.forms import BoundedInlineFormSet, FateClaimForm, FateClaimFormSet
from tracker.admin.reviews import mark_reviewed
from tracker.admin.versions import VersionChecked, VersionCheckedForm
from tracker.models import FateClaim, OtherName, Person

# What a fate claim's card asks, after the person or the event it is entered on.
FATE_CLAIM_FIELDS = [
    "party", "fate", "hedge", "status", "fate_date", "fate_date_precision", "claimed_on", "claimed_on_precision",
    "source", "wording", "retracted",
]  # fmt: skip


class FoldedNameSearch:
    """A search that finds a person by any spelling of a name or other name (tracker.rules.names), beside the
    admin's own search of its `search_fields`."""

    person_lookup = "pk__in"  # how the admin's records are reached from the people found

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            named = Person.objects.named(search_term).values("pk")
            found = found | queryset.filter(**{self.person_lookup: named})
        return found, may_have_duplicates


class FateClaimInlineBase(CheckedFormFields, VersionChecked, ConfidentialSourceMixin, admin.StackedInline):
    """Fate claims as cards, as an event's claims are: each field with its label, wrapping to fit the screen."""

    model = FateClaim
    form = FateClaimForm
    formset = FateClaimFormSet
    template = "admin/edit_inline/cards.html"
    extra = 1
    autocomplete_fields = ["party", "source"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "event", "party", "source")


class PersonFateClaimInline(FateClaimInlineBase):
    fk_name = "person"
    fields = ["event", *FATE_CLAIM_FIELDS]
    autocomplete_fields = ["event", *FateClaimInlineBase.autocomplete_fields]


class EventFateClaimInline(FateClaimInlineBase):
    """The named people an event's fate claims speak of, entered on the event's page."""

    fk_name = "event"
    extra = 0  # most events name no one: a card is added when one is named
    fields = ["person", *FATE_CLAIM_FIELDS]
    autocomplete_fields = ["person", *FateClaimInlineBase.autocomplete_fields]


class OtherNameInline(CheckedFormFields, admin.TabularInline):
    model = OtherName
    formset = type("OtherNameFormSet", (BoundedInlineFormSet,), {"added_at_most": 20})
    fields = ["name"]
    extra = 1


@admin.register(Person)
class PersonAdmin(FoldedNameSearch, CheckedLookups, CheckedFormFields, VersionChecked, SimpleHistoryAdmin):
    form = VersionCheckedForm
    list_display = [
        "name", "affiliation", "role", "reported_deaths", "killed_twice", "alive_after_death", "disputed",
        "review_state",
    ]  # fmt: skip
    list_filter = ["review_state", "killed_twice", "alive_after_death", "disputed", "age_group", "sex"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "role"]
    autocomplete_fields = ["affiliation"]
    readonly_fields = [
        "reported_deaths", "killed_twice", "alive_after_death", "disputed", "review_state", "reviewed_by",
        "reviewed_at",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["name", "affiliation", "role", ("sex", "age", "age_group"), "notes"]}),
        (_("Fate conflicts (computed from the fate claims)"), {
            "fields": ["reported_deaths", ("killed_twice", "alive_after_death", "disputed")],
        }),
        (None, {"fields": [("review_state", "reviewed_by", "reviewed_at")]}),
    ]  # fmt: skip
    inlines = [OtherNameInline, PersonFateClaimInline]
    actions = [mark_reviewed]
    Media = TrackerMedia

    def save_formset(self, request, form, formset, change):
        formset_entered_save(request, formset)


@admin.register(FateClaim)
class FateClaimAdmin(
    FoldedNameSearch, CheckedLookups, CheckedFormFields, VersionChecked, ConfidentialSourceMixin, SimpleHistoryAdmin
):
    form = FateClaimForm
    person_lookup = "person__in"
    list_display = [
        "person", "party", "fate", "hedge", "status", "event", "fate_date", "claimed_on", "retracted", "review_state",
    ]  # fmt: skip
    list_filter = [
        "review_state",
        "fate",
        ("party", admin.RelatedOnlyFieldListFilter),
        "hedge",
        "status",
        "retracted",
    ]
    list_select_related = ["person", "party", "event"]
    search_fields = ["event__ref", "party__name", "wording"]
    autocomplete_fields = ["person", "event", "party", "source"]
    date_hierarchy = "claimed_on"
    readonly_fields = ["entered_by", "entered_at", "review_state", "reviewed_by", "reviewed_at"]
    fieldsets = [
        (None, {"fields": [
            "person", "party", "fate", "hedge", "status", "event", ("fate_date", "fate_date_precision"),
            ("claimed_on", "claimed_on_precision"), "source", "wording",
        ]}),
        (None, {"fields": [
            "retracted", "notes", ("entered_by", "entered_at"), ("review_state", "reviewed_by", "reviewed_at"),
        ]}),
    ]  # fmt: skip
    actions = [mark_reviewed]
    Media = TrackerMedia

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A fate claim being added has no entry or review record yet.
        return [*fieldsets[:1], (None, {"fields": ["retracted", "notes"]})]

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
