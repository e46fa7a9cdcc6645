"""Data entry for staff: events with their claims inline, parties, sources, each with its history."""

import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db import models
from django.forms import Script
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker.counts import interval_for
from tracker.forms import ClaimForm
from tracker.imports import IMPORT_FORMATS, file_import
from tracker.models import Claim, ComparisonGroup, Event, Party, Source, can_see_confidential
from tracker.summaries import summaries_deferred
from tracker.wording import count_from_wording

admin.site.site_header = _("Casualty-claim discrepancy tracker")
admin.site.site_title = _("Claims tracker")
admin.site.index_title = _("Data entry")


class TrackerMedia:
    css = {"all": ["tracker/admin.css"]}
    js = [Script("tracker/wording.js", **{"data-endpoint": reverse_lazy("admin:tracker_claim_read_wording")})]


@admin.display(description=_("level"), ordering="severity")
def level_badge(obj):
    """Show a level as a word on a coloured badge; the word alone carries the meaning."""
    if obj.level is None:
        return format_html('<span class="level level-none">{}</span>', _("no claims"))
    return format_html('<span class="level level-{}">{}</span>', obj.level, obj.get_level_display())


def reading_of(claim) -> str:
    return f"{claim.count} → {claim.interval}" if claim.qualifier else ""


CONFIDENTIAL_SOURCE = _("Confidential source")
HIDDEN_NOTES = _("Hidden with the confidential source.")


class MaskedSourceHistory(HistoricalRecordContextHelper):
    """A claim's change history that names a confidential source only to those who may see it."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def prepare_delta_change_value(self, change, value):
        if not can_see_confidential(self.user):
            if change.field == "source" and isinstance(value, Source) and value.confidential:
                return CONFIDENTIAL_SOURCE
            if change.field == "notes" and self.record.source.confidential:
                return HIDDEN_NOTES
        return super().prepare_delta_change_value(change, value)


class ConfidentialSourceMixin:
    """Claim forms, read-only pages and histories that name a confidential source, and show the
    claim's notes, only to those who may see it."""

    form = ClaimForm
    HIDDEN_FIELDS = {"source": "source_shown", "notes": "notes_shown"}

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedSourceHistory(self.model, historical_record, user=request.user)

    def hides_fields(self, request, obj) -> bool:
        """Whether the page shows the source and notes as read-only values, which it must mask.

        An editable source is masked by its form field, and on a page that names no claim
        (an event's inline) the notes are not shown at all.
        """
        if isinstance(obj, Claim):
            return obj.pk is not None and (
                not self.has_change_permission(request, obj) or obj.source_hidden_from(request.user)
            )
        return not self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.hides_fields(request, obj):
            return fieldsets

        def masked(field):
            if isinstance(field, tuple | list):
                return type(field)(masked(name) for name in field)
            return self.HIDDEN_FIELDS.get(field, field)

        return [
            (name, {**options, "fields": [masked(field) for field in options["fields"]]}) for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + list(self.HIDDEN_FIELDS.values()) if self.hides_fields(request, obj) else readonly

    def get_queryset(self, request):
        # Display methods get no request: each claim carries whether its source is hidden from this user.
        hidden = models.Value(not can_see_confidential(request.user))
        return (
            super()
            .get_queryset(request)
            .annotate(
                source_masked=models.Case(
                    models.When(source__confidential=True, then=hidden),
                    default=models.Value(False),
                    output_field=models.BooleanField(),
                )
            )
        )

    @admin.display(description=_("source"))
    def source_shown(self, claim):
        return CONFIDENTIAL_SOURCE if getattr(claim, "source_masked", claim.source.confidential) else str(claim.source)

    @admin.display(description=_("notes"))
    def notes_shown(self, claim):
        return HIDDEN_NOTES if getattr(claim, "source_masked", claim.source.confidential) else claim.notes

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset


class ClaimInline(ConfidentialSourceMixin, admin.TabularInline):
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
class EventAdmin(SimpleHistoryAdmin):
    list_display = [
        "ref", "title", "start_date", "country", level_badge, "ratio", "classification_dispute",
        "party_count", "claim_count",
    ]  # fmt: skip
    list_display_links = ["ref", "title"]
    list_filter = ["level", "classification_dispute", EventCountryFilter, "event_type", EventClaimCategoryFilter]
    search_fields = ["ref", "title", "location_name"]
    date_hierarchy = "start_date"
    ordering = ["-severity", "-start_date", "ref"]
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
                % {"wording": claim.wording, "count": claim.count, "interval": claim.interval},
            )


@admin.register(Claim)
class ClaimAdmin(ConfidentialSourceMixin, SimpleHistoryAdmin):
    list_display = [
        "event", "party", "category", "victim_side", "reported", "claimed_on", "is_current", "retracted",
    ]  # fmt: skip
    list_filter = ["category", "qualifier", "retracted", "is_current", "party__kind"]
    list_select_related = ["event", "party", "victim_side"]
    search_fields = ["event__ref", "event__title", "party__name", "wording"]
    autocomplete_fields = ["event", "party", "victim_side", "source"]
    date_hierarchy = "claimed_on"
    readonly_fields = ["reading", "is_current", "entered_by", "entered_at"]
    fieldsets = [
        (None, {"fields": ["event", "party", "category", "victim_side", "claimed_on", "source"]}),
        (_("Count"), {
            "description": _(
                "Type the wording as reported and leave the qualifier empty to have the count read "
                "from it, or choose the qualifier and enter the numbers yourself."
            ),
            "fields": ["wording", "qualifier", ("low", "best", "high"), "reading"],
        }),
        (None, {"fields": ["retracted", "notes", "is_current", ("entered_by", "entered_at")]}),
    ]  # fmt: skip
    Media = TrackerMedia

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
        return claim.wording or str(claim.count)

    @admin.display(description=_("read as"))
    def reading(self, claim):
        return reading_of(claim)

    def delete_queryset(self, request, queryset):
        with summaries_deferred():
            super().delete_queryset(request, queryset)

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
        report_readings(request, [obj])

    def get_urls(self):
        read_wording = self.admin_site.admin_view(self.read_wording_view)
        import_page = self.admin_site.admin_view(partial(claims_import_view, model_admin=self))
        return [
            path("read-wording/", read_wording, name="tracker_claim_read_wording"),
            path("import/", import_page, name="tracker_claim_import"),
            *super().get_urls(),
        ]

    def read_wording_view(self, request):
        """Say how a wording will be read, for the preview shown as staff type it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        wording = request.GET.get("wording", "").strip()
        count = count_from_wording(wording) if wording else None
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
                "message": _("Read as %(count)s, compared as %(interval)s.") % {"count": count, "interval": interval},
            }
        )


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "aliases"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "publisher", "published_on", "language", "confidential"]
    list_filter = ["confidential", "language", "publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # The history pages read past versions directly, past get_queryset: guard them here.
        if obj is not None and not Source.objects.filter(pk=obj.pk).visible_to(request.user).exists():
            return False
        return super().has_view_history_or_change_history_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Only those who may see confidential sources may mark one so, or unmark it.
        return [] if can_see_confidential(request.user) else ["confidential"]


# Importing claims from a file: upload, a dry-run preview, then confirm. The same service as
# `manage.py import_claims`; the uploaded file waits in the temporary folder between the steps.

IMPORT_PERMISSIONS = ["tracker.add_claim", "tracker.add_event", "tracker.add_party", "tracker.add_source"]
PENDING_IMPORTS = Path(tempfile.gettempdir()) / "tracker-imports"
PENDING_FOR = 24 * 60 * 60  # seconds an unconfirmed preview's file is kept


class ClaimsFileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .csv (UTF-8) or .xlsx file: the claims format, or a UCDP GED CSV."),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
    )
    format = forms.ChoiceField(label=_("Format"), choices=list(IMPORT_FORMATS.items()), initial="claims")


def pending_path(token: str, name: str) -> Path:
    return PENDING_IMPORTS / f"{token}{Path(name).suffix.lower()}"


def pending_pruned() -> None:
    """Delete the files of previews never confirmed: they may hold sensitive data."""
    stale_before = time.time() - PENDING_FOR
    for upload in PENDING_IMPORTS.glob("*"):
        if upload.stat().st_mtime < stale_before:
            upload.unlink(missing_ok=True)


def claims_import_view(request, model_admin):
    """Show the upload form; on upload, a dry-run preview; on confirmation, the import itself."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import claims"),
        "opts": model_admin.model._meta,
        "formats": IMPORT_FORMATS,
    }
    if request.method == "POST" and "confirm" in request.POST:
        return confirm_import(request, context)
    form = ClaimsFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, format = form.cleaned_data["file"], form.cleaned_data["format"]
        token = uuid.uuid4().hex
        PENDING_IMPORTS.mkdir(mode=0o700, exist_ok=True)
        pending_pruned()
        path = pending_path(token, upload.name)
        with path.open("wb") as stored:
            for chunk in upload.chunks():
                stored.write(chunk)
        report = import_file(path, name=upload.name, format=format, dry_run=True, user=request.user)
        if report.ok:
            request.session[f"claims-import-{token}"] = {"name": upload.name, "format": format}
        else:
            path.unlink(missing_ok=True)
        context.update(report=report, token=token, name=upload.name, format=format)
    context["form"] = form
    return TemplateResponse(request, "admin/tracker/claim/import.html", context)


def import_file(path: Path, *, name: str, format: str, dry_run: bool, user):
    with path.open("rb") as stream:
        return file_import(
            file=stream, name=name, format=format, dry_run=dry_run, user=user, reason=f"import of {name} in the admin"
        )


def confirm_import(request, context):
    token = request.POST.get("token", "")
    pending = request.session.pop(f"claims-import-{token}", None) if token.isalnum() else None
    path = pending_path(token, pending["name"]) if pending else None
    if path is None or not path.exists():
        messages.error(request, _("That preview has expired or was already imported; upload the file again."))
        return redirect("admin:tracker_claim_import")
    try:
        report = import_file(path, name=pending["name"], format=pending["format"], dry_run=False, user=request.user)
    finally:
        path.unlink(missing_ok=True)
    if not report.ok:  # the data changed since the preview
        context.update(report=report, name=pending["name"], format=pending["format"], form=ClaimsFileForm())
        return TemplateResponse(request, "admin/tracker/claim/import.html", context)
    messages.success(
        request, _("Imported %(name)s: %(summary)s.") % {"name": pending["name"], "summary": report.summary()}
    )
    return redirect("admin:tracker_claim_changelist")
