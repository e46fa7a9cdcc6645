"""What every admin page of the tracker shares: its media, the level badge, confidential sources masked."""

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.forms import Script
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker import visibility
from tracker.admin.forms import ClaimForm
from tracker.models import Claim, Source
from tracker.web.presentation import count_text, ratio_text


class TrackerMedia:
    css = {"all": ["tracker/admin.css"]}
    js = [Script("tracker/wording.js", **{"data-endpoint": reverse_lazy("admin:tracker_claim_read_wording")})]


@admin.display(description=_("level"), ordering="severity")
def level_badge(obj):
    """Show a level as a word on a coloured badge; the word alone carries the meaning."""
    if obj.level is None:
        return format_html('<span class="level level-none">{}</span>', _("no claims"))
    return format_html('<span class="level level-{}">{}</span>', obj.level, obj.get_level_display())


@admin.display(description=_("ratio"), ordering="ratio")
def ratio_shown(obj):
    """Show a ratio as the pages do ("1.67×", "5.1×"), not as a localized decimal ("1,67")."""
    return ratio_text(obj.ratio) or None  # None: the admin's usual mark for no value


def reading_of(claim) -> str:
    """Say how a claim's count reads and the interval it is compared as, the interval kept left to right."""
    if not claim.qualifier:
        return ""
    return format_html(
        _("{count}, compared as {interval}"),
        count=count_text(claim.count),
        interval=format_html('<span dir="ltr">{}</span>', claim.interval),
    )


class ReadableHistory(HistoricalRecordContextHelper):
    """A record's changes in words: a choice by its label, a flag as yes or no, a country by its name."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(value, Country):
            return value.name or "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if value is None or value == "":
            return "—"
        if field.choices and isinstance(value, str):
            return dict(field.flatchoices).get(value, value)
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):  # the objects of a many-to-many field
            return ", ".join(map(str, value)) or "—"
        return value


def record_source_hidden(record, user) -> bool:
    """Whether the source a claim had in this version of it is hidden from the user."""
    try:
        return visibility.source_hidden(record.source, user)
    except ObjectDoesNotExist:  # a source deleted since: judge it hidden rather than guess
        return True


class MaskedSourceHistory(ReadableHistory):
    """A claim's change history that names a confidential source, and shows notes, only as visibility allows.

    A change's notes are hidden when the claim's source, before or after the change, is hidden
    from the user: notes written under a confidential source stay hidden after a move off it.
    """

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.older = None

    def context_for_delta_changes(self, delta):
        self.older = delta.old_record if delta.new_record is self.record else delta.new_record
        return super().context_for_delta_changes(delta)

    def notes_hidden(self) -> bool:
        return any(record_source_hidden(record, self.user) for record in (self.record, self.older) if record)

    def prepare_delta_change_value(self, change, value):
        if change.field == "source" and isinstance(value, Source) and visibility.source_hidden(value, self.user):
            return visibility.CONFIDENTIAL_SOURCE
        if change.field in visibility.HIDDEN_CLAIM_FIELDS and self.notes_hidden():
            return visibility.HIDDEN_NOTES
        return super().prepare_delta_change_value(change, value)


class ConfidentialSourceMixin:
    """Claim forms, read-only pages, lists and histories that show a confidential source, and the
    claim's notes, only as tracker.visibility allows."""

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
                not self.has_change_permission(request, obj) or visibility.claim_source_hidden(obj, request.user)
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
        return visibility.claims_marked(super().get_queryset(request), request.user)

    def lookup_allowed(self, lookup, value, request):
        # A filter in the address (?notes__startswith=a) would answer "1 result" or "0 results"
        # about what the user may not read.
        if visibility.lookup_reveals(lookup, request.user):
            return False
        return super().lookup_allowed(lookup, value, request)

    @staticmethod
    def source_hidden(claim) -> bool:
        # Claims from get_queryset carry the user's answer; any other is hidden if confidential at all.
        return getattr(claim, "source_hidden", claim.source.confidential)

    @admin.display(description=_("source"))
    def source_shown(self, claim):
        return visibility.CONFIDENTIAL_SOURCE if self.source_hidden(claim) else str(claim.source)

    @admin.display(description=_("notes"))
    def notes_shown(self, claim):
        return visibility.HIDDEN_NOTES if self.source_hidden(claim) else claim.notes

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset
