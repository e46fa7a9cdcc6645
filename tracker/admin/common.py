"""What every admin page of the tracker shares: its media, the level badge, checked fields and filters,
confidential sources masked."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms import Script
from django.http import HttpResponseBadRequest
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker import visibility
from tracker.admin.forms import ClaimForm
from tracker.models import Claim, FateClaim, Source
from tracker.models.signals import claims_changes_batched, fates_changes_batched
from tracker.models.text import text_validate
from tracker.presentation.diffs import words_changed
from tracker.presentation.numbers import count_in_text, ratio_text


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
    """Show a ratio as the pages do ("1.67×", "5.1×"), not as a localized decimal ("1,67"), kept left to
    right on a right-to-left page (else Arabic reads "×5.1")."""
    if obj.ratio is None:
        # The admin's mark for no value: None would read "None" as a read-only field (an event's groups).
        return admin.site.empty_value_display
    return format_html('<bdi dir="ltr">{}</bdi>', ratio_text(obj.ratio))


def reading_of(claim) -> str:
    """Say how a claim's count reads and the interval it is compared as, the interval kept left to right."""
    if not claim.qualifier:
        return ""
    return format_html(
        _("{count}, compared as {interval}"),
        count=count_in_text(claim.count),
        interval=format_html('<bdi dir="ltr">{}</bdi>', claim.interval),
    )


class CheckedLookups:
    """List filters from the address checked against their fields before any query runs, so that
    `?start_date__year=2147483648` or `?ratio__gte=1e999999` gets a 400 with the reason, not a
    database error."""

    DATE_PARTS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}
    NOT_VALUES = {"isnull", "ordering"}

    def changelist_view(self, request, extra_context=None):
        problem = self.lookup_problem(request.GET)
        if problem:
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return super().changelist_view(request, extra_context)

    def lookup_problem(self, params) -> str | None:
        for param, values in params.lists():
            field, lookup = self.lookup_field(param)
            if field is None:
                continue  # the admin's own parameters (q, o, p, e)
            items = [item for value in values for item in (value.split(",") if lookup == "in" else [value])]
            for item in items:
                if not self.lookup_value_fits(field, lookup, item):
                    return _("The filter “%(param)s” cannot be “%(value)s”.") % {"param": param, "value": item}
        return None

    def lookup_field(self, param: str):
        """Return the field a filter parameter ends on (through relations) and the lookup after it."""
        model, field, parts = self.model, None, param.split("__")
        while parts:
            try:
                field = model._meta.get_field(parts[0])
            except FieldDoesNotExist:
                break
            parts.pop(0)
            if not (field.is_relation and parts):
                break
            model = field.related_model
        return field, "__".join(parts)

    def lookup_value_fits(self, field, lookup: str, value: str) -> bool:
        if lookup in self.NOT_VALUES:
            return True
        if lookup in self.DATE_PARTS:
            low, high = self.DATE_PARTS[lookup]
            return value.isdigit() and low <= int(value) <= high
        return is_value_for(getattr(field, "target_field", field) if field.is_relation else field, value)


def is_value_for(field, value: str) -> bool:
    """Whether a value sent in a request is one a model field could be compared with or hold: a number
    within its column's range, a date that is one; any text for a text field."""
    if isinstance(field, models.CharField | models.TextField) or not hasattr(field, "to_python"):
        return True
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class KeysCheckedAutocomplete:
    """An autocomplete that shows no option for a posted value that cannot be a key of its model.

    Django's looks the posted values up to redraw a form with its errors, and a value such as
    `party=x` or a number beyond the column's range fails that query: the page would be a server
    error instead of the field's "Select a valid choice".
    """

    def optgroups(self, name, value, attr=None):
        related = self.field.remote_field.model._meta
        key = related.get_field(getattr(self.field.remote_field, "field_name", related.pk.attname))
        return super().optgroups(name, [item for item in value if is_value_for(key, str(item))], attr)


class CheckedAutocompleteSelect(KeysCheckedAutocomplete, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(KeysCheckedAutocomplete, AutocompleteSelectMultiple):
    pass


class KeysCheckedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several records that refuses a value that cannot be a key ("Select a valid choice")
    before looking the values up: a number beyond the column's range fails the lookup itself (on
    SQLite, an OverflowError)."""

    def _check_values(self, value):
        related = self.queryset.model._meta
        key = related.get_field(self.to_field_name) if self.to_field_name else related.pk
        for item in value:
            if not is_value_for(key, str(item)):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)


class CheckedFormFields:
    """The form fields of a tracker admin page: text refuses what no record may hold, as the import
    refuses it (tracker.models.text), and a choice of records answers a value that is no key with
    "Select a valid choice", never a server error. Text is written in its own direction: an English
    title in an Arabic page (or the reverse) starts where it should, not cut off at the wrong end."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.CharField):
            formfield.validators.append(text_validate)
            # Addresses read left to right in any language; everything else as its first strong letter says.
            direction = "ltr" if isinstance(formfield, forms.URLField | forms.EmailField) else "auto"
            if isinstance(formfield.widget, forms.TextInput | forms.Textarea | forms.URLInput | forms.EmailInput):
                formfield.widget.attrs.setdefault("dir", direction)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeysCheckedMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadableHistory(HistoricalRecordContextHelper):
    """A record's changes in words: a choice by its label, a flag as yes or no, a country by its name, an
    empty field as a dash, and a long text by the words that changed in it."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(value, Country):
            return value.name or "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"  # a foreign key that was empty is no deleted object
        if field.choices and isinstance(value, str):
            return dict(field.flatchoices).get(value, value)
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):  # the objects of a many-to-many field
            return ", ".join(map(str, value)) or "—"
        return value

    def stringify_delta_change_values(self, change, old, new):
        texts = isinstance(old, str) and isinstance(new, str)
        if texts and max(len(old), len(new)) > self.max_displayed_delta_change_chars:
            return words_changed(old, new)
        return super().stringify_delta_change_values(change, old, new)


class MaskedSourceHistory(ReadableHistory):
    """A claim's change history that names a confidential source, and shows notes, only as visibility allows.

    Each version is judged by the source it had then (`visibility.PastSecrets`), and a change's notes
    by the versions before and after it: notes written under a confidential source stay hidden after
    the claim moves off it, or the source is made public, and after they are rewritten.
    """

    def __init__(self, *args, secrets: visibility.PastSecrets, **kwargs):
        super().__init__(*args, **kwargs)
        self.secrets = secrets
        self.older = None

    def context_for_delta_changes(self, delta):
        self.older = delta.old_record if delta.new_record is self.record else delta.new_record
        return super().context_for_delta_changes(delta)

    def is_notes_hidden(self) -> bool:
        # The change runs from the version before to this one: either may hold notes to hide.
        older = self.older
        if older is None and self.record.history_type != "+":  # a version added has none before it
            older = self.record.prev_record
        return any(self.secrets.is_notes_hidden(version) for version in (self.record, older) if version)

    def prepare_delta_change_value(self, change, value):
        if change.field == "source" and isinstance(value, Source) and self.secrets.is_source_hidden(value.pk):
            return visibility.CONFIDENTIAL_SOURCE
        if change.field in visibility.HIDDEN_CLAIM_FIELDS and self.is_notes_hidden():
            return visibility.HIDDEN_NOTES
        return super().prepare_delta_change_value(change, value)


class ConfidentialSourceMixin:
    """Claim and fate claim forms, read-only pages, lists and histories that show a confidential source, and
    the claim's notes, only as tracker.visibility allows."""

    form = ClaimForm
    HIDDEN_FIELDS = {"source": "source_shown", "notes": "notes_shown"}

    def get_historical_record_context_helper(self, request, historical_record):
        # Called for each version of the one claim whose history is shown: what to hide is asked once.
        if getattr(request, "past_secrets", None) is None:
            request.past_secrets = visibility.past_secrets([historical_record.id], request.user, model=self.model)
        return MaskedSourceHistory(self.model, historical_record, secrets=request.past_secrets)

    def hides_fields(self, request, obj) -> bool:
        """Whether the page shows the source and notes as read-only values, which it must mask.

        An editable source is masked by its form field, and on a page that names no claim
        (an event's inline) the notes are not shown at all.
        """
        if visibility.cites_source(obj):
            if getattr(request, "past_version", False):
                past_version_marked(obj, request.user)
                hidden = obj.source_hidden or obj.notes_hidden
            else:
                hidden = visibility.is_claim_source_hidden(obj, request.user)
            return obj.pk is not None and (not self.has_change_permission(request, obj) or hidden)
        return not self.has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.past_version = True  # a past version is masked by what its source ever was
        return super().history_form_view(request, object_id, version_id, extra_context)

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
    def is_source_hidden(claim) -> bool:
        # Claims from get_queryset carry the user's answer; any other is hidden if confidential at all.
        return getattr(claim, "source_hidden", claim.source.confidential)

    @admin.display(description=_("source"))
    def source_shown(self, claim):
        return visibility.CONFIDENTIAL_SOURCE if self.is_source_hidden(claim) else str(claim.source)

    @admin.display(description=_("notes"))
    def notes_shown(self, claim):
        # A past version may hide its notes under a source shown (kept from a confidential one).
        hidden = getattr(claim, "notes_hidden", None)
        if hidden is None:
            hidden = self.is_source_hidden(claim)
        return visibility.HIDDEN_NOTES if hidden else claim.notes

    def get_form(self, request, obj=None, **kwargs):
        if getattr(request, "past_version", False) and visibility.cites_source(obj):
            past_version_marked(obj, request.user)
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset


def past_version_marked(claim, user) -> None:
    """Give a claim's past version `source_hidden` and `notes_hidden`, what the page's display methods read
    (as `get_queryset` marks a claim of today), judged by the source it had then."""
    if not hasattr(claim, "notes_hidden"):
        secrets = visibility.past_secrets([claim.pk], user, model=type(claim))
        claim.source_hidden = secrets.is_source_hidden(claim.source_id)
        claim.notes_hidden = secrets.is_notes_hidden(claim)


def formset_entered_save(request, formset) -> list:
    """Save an inline's records, each new one entered by the request's user where it says who entered it; the
    claims' events and the fate claims' people are summarised once at the end, not once per record. Return
    the records saved."""
    records = formset.save(commit=False)
    for record in records:
        if record.pk is None and hasattr(record, "entered_by_id"):
            record.entered_by = request.user
    with claims_changes_batched(sender=Claim), fates_changes_batched(sender=FateClaim):
        formset.save()
    return records
