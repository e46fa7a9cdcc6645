"""Parties, sources and the subgroups claims break a toll into."""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tracker import visibility
from tracker.admin.common import CheckedFormFields, CheckedLookups, ReadableHistory
from tracker.admin.versions import VersionChecked, VersionCheckedForm
from tracker.models import Party, Source, Subgroup
from tracker.models.choices import StatedPrecision


@admin.register(Party)
class PartyAdmin(CheckedLookups, CheckedFormFields, VersionChecked, SimpleHistoryAdmin):
    form = VersionCheckedForm
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "aliases"]

    # The list's search and every look-up of a party (the autocompletes) put the party named or aliased as typed
    # first: "IS" finds IS before "Isis River Authority".
    def get_queryset(self, request):
        typed = typed_search(request)
        if not typed:
            return super().get_queryset(request)
        # As ModelAdmin.get_queryset, with the rank its ordering needs made first.
        return self.model._default_manager.ranked(typed).order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["match_rank", "name"] if typed_search(request) else super().get_ordering(request)


def typed_search(request) -> str:
    """What the user typed into the admin list's search or an autocomplete, if anything."""
    return (request.GET.get(SEARCH_VAR) or request.GET.get("term") or "").strip()


class VisiblePublisherFilter(admin.SimpleListFilter):
    """Publishers of the sources the user may see: the stock filter would list every source's."""

    title = _("publisher")
    parameter_name = "publisher"

    def lookups(self, request, model_admin):
        publishers = model_admin.get_queryset(request).exclude(publisher="").order_by("publisher")
        return [(name, name) for name in publishers.values_list("publisher", flat=True).distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(publisher=self.value()) if self.value() else queryset


class SourceForm(VersionCheckedForm):
    """A source, whose relayed source is chosen among those the user may see, and whose loop of relays
    is named without naming a source hidden from them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "published_on_precision" in self.fields:
            # Left out, as on a page from before dates had a precision, the date is a day's.
            self.fields["published_on_precision"].required = False
        relays = self.fields.get("relays")
        if relays is None:
            return  # a page that only shows the source
        relays.label_from_instance = partial(visibility.source_label, user=self.user)
        # A source keeps the one it relays, shown as "Confidential source" to whoever may not see it.
        visible = visibility.sources_visible_to(self.user, relays.queryset)
        relays.queryset = visible | relays.queryset.filter(pk=self.instance.relays_id)

    def clean_published_on_precision(self):
        return self.cleaned_data["published_on_precision"] or StatedPrecision.DAY

    def clean_relays(self):
        relayed = self.cleaned_data["relays"]
        # The chain's words here, with hidden sources masked: the model would name them all.
        problem = self.instance.relay_loop_problem(
            relayed and relayed.pk,
            label=lambda source: (
                str(visibility.CONFIDENTIAL_SOURCE) if visibility.is_source_hidden(source, self.user) else source.label
            ),
        )
        if problem:
            raise forms.ValidationError(problem)
        return relayed


class RelayMaskedHistory(ReadableHistory):
    """A source's changes, in words, naming the source it relayed only where the user may see that one."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def prepare_delta_change_value(self, change, value):
        if change.field == "relays" and isinstance(value, Source) and visibility.is_source_hidden(value, self.user):
            return visibility.CONFIDENTIAL_SOURCE
        return super().prepare_delta_change_value(change, value)


@admin.register(Source)
class SourceAdmin(CheckedLookups, CheckedFormFields, VersionChecked, SimpleHistoryAdmin):
    form = SourceForm
    list_display = ["__str__", "publisher", "published_on", "language", "confidential"]
    list_filter = ["confidential", "language", VisiblePublisherFilter]
    search_fields = ["title", "publisher", "url"]
    autocomplete_fields = ["relays"]
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return visibility.sources_visible_to(request.user, super().get_queryset(request))

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # The history pages read past versions directly, past get_queryset: guard them here. A source
        # that was ever confidential keeps its past (the title before it was redacted, say) hidden.
        if obj is not None and visibility.is_past_source_hidden(obj.pk, request.user):
            return False
        return super().has_view_history_or_change_history_permission(request, obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return RelayMaskedHistory(self.model, historical_record, user=request.user)

    def get_readonly_fields(self, request, obj=None):
        # Only those who may see confidential sources may mark one so, or unmark it.
        return [] if visibility.sees_confidential(request.user) else ["confidential"]


@admin.register(Subgroup)
class SubgroupAdmin(CheckedLookups, CheckedFormFields, VersionChecked, SimpleHistoryAdmin):
    form = VersionCheckedForm
    list_display = ["code", "name", "name_ar", "category"]
    list_filter = ["category"]
    search_fields = ["code", "name", "name_ar"]

    def has_delete_permission(self, request, obj=None):
        # A subgroup that claims count stays: deleting it would change what those claims say.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.claims.exists())
