"""The audit trail, for Administrators: every recorded change to the tracker's records, as a CSV.

A row per field a change set: who, when, which record, the value before and after, and the reason
given (an import names its file). A record added lists the values it was added with; a record
deleted, one row. Confidential sources, and the notes of claims written on them, are masked as in
every history (tracker.visibility decides): an audit is read by Administrators, who need not hold
the grant.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, time

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import ModelChange

from tracker import visibility
from tracker.admin.common import MaskedSourceHistory, ReadableHistory
from tracker.ingest.formulas import formula_escaped
from tracker.models import Assessment, Claim, Event, EventLink, FateClaim, OtherName, Party, Person, Source, Subgroup

AUDIT_PERMISSION = "tracker.download_audit"
AUDITED = {
    model._meta.model_name: model
    for model in (Event, Claim, Party, Source, Assessment, Subgroup, EventLink, Person, OtherName, FateClaim)
}
CITING = (Claim, FateClaim)  # records citing a source, whose notes are hidden with a confidential one
COLUMNS = ["when", "user", "record", "record_id", "record_label", "action", "field", "old", "new", "reason"]
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
UNLISTED_FIELDS = {"id", "version"}  # the lost-update counter changes with every save and says nothing
OBJECTS_AT_ONCE = 500  # records whose versions are read, and masked, together


class AuditForm(forms.Form):
    user = forms.ModelChoiceField(
        get_user_model().objects.order_by("username"), required=False, empty_label=gettext_lazy("Anyone"),
        label=gettext_lazy("Changed by"),
    )  # fmt: skip
    record = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Records"),
        choices=[("", gettext_lazy("Every kind of record"))]
        + [(name, capfirst(model._meta.verbose_name_plural)) for name, model in AUDITED.items()],
    )
    date_from = forms.DateField(
        required=False, label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=gettext_lazy("To"), help_text=gettext_lazy("Both days included."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The first day comes after the last."))
        return data


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audited_versions(model, *, user, date_from, date_to) -> Iterator[tuple[object, object | None]]:
    """Yield each version within the filters with the one before it of the same record (or None),
    reading the records' versions a batch of records at a time."""
    versions = model.history.all()
    chosen = versions
    if user is not None:
        chosen = chosen.filter(history_user=user)
    if date_from:
        chosen = chosen.filter(history_date__gte=day_start(date_from))
    if date_to:
        chosen = chosen.filter(history_date__lt=day_start(date_to) + timezone.timedelta(days=1))
        versions = versions.filter(history_date__lt=day_start(date_to) + timezone.timedelta(days=1))
    related = [field.name for field in model.history.model._meta.fields if field.is_relation]
    ids = list(chosen.order_by("id").values_list("id", flat=True).distinct())
    for start in range(0, len(ids), OBJECTS_AT_ONCE):
        batch = ids[start : start + OBJECTS_AT_ONCE]
        records = versions.filter(id__in=batch).select_related(*related).order_by("id", "history_date", "history_id")
        chosen_ids = set(chosen.filter(id__in=batch).values_list("history_id", flat=True))
        older = None
        for record in records:
            before = older if older is not None and older.id == record.id else None
            if record.history_id in chosen_ids:
                yield record, before
            older = record


class AuditHistory(ReadableHistory):
    """A record's change in words, naming no source that is hidden from the reader."""

    def __init__(self, *args, hidden_sources: frozenset, **kwargs):
        super().__init__(*args, **kwargs)
        self.hidden_sources = hidden_sources

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, Source) and value.pk in self.hidden_sources:
            return visibility.CONFIDENTIAL_SOURCE
        return super().prepare_delta_change_value(change, value)


def version_rows(model, record, older, helper) -> Iterator[tuple[str, str, str]]:
    """Yield (field, old, new) of a version: what it changed, what it was added with, or one empty row."""
    if record.history_type == "~" and older is not None:
        for change in record.diff_against(older, foreign_keys_are_objs=True).changes:
            if change.field not in UNLISTED_FIELDS:
                old, new = text(helper, change, change.old), text(helper, change, change.new)
                yield field_label(model, change.field), old, new
    elif record.history_type == "+":
        for field in record.tracked_fields:
            value = getattr(record, field.name, None)
            if field.name not in UNLISTED_FIELDS and value not in (None, "", False):
                change = ModelChange(field.name, None, value)
                yield field_label(model, field.name), "", text(helper, change, value)
    else:
        yield "", "", ""


def field_label(model, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def text(helper, change, value) -> str:
    return str(helper.prepare_delta_change_value(change, value))


def audit_rows(models, *, reader, user=None, date_from=None, date_to=None) -> Iterator[list[str]]:
    """Yield the audit's rows, oldest change first within each kind of record, masked for the reader."""
    for model in models:
        batch = []
        for record, older in audited_versions(model, user=user, date_from=date_from, date_to=date_to):
            batch.append((record, older))
            if len(batch) == OBJECTS_AT_ONCE:
                yield from batch_rows(model, batch, reader)
                batch = []
        yield from batch_rows(model, batch, reader)


def batch_rows(model, batch, reader) -> Iterator[list[str]]:
    """Yield the rows of a batch of versions, asking once what they hide from the reader."""
    if not batch:
        return
    source_ids = {record.id for record, _ in batch} if model is Source else set()
    source_ids |= {getattr(record, "source_id", None) for record, _ in batch}
    source_ids |= {getattr(record, "relays_id", None) for record, _ in batch}
    hidden_sources = visibility.past_sources_hidden(source_ids, reader)
    secrets = (
        visibility.past_secrets({record.id for record, _ in batch}, reader, model=model) if model in CITING else None
    )
    for record, older in batch:
        if model in CITING:
            helper = MaskedSourceHistory(model, record, secrets=secrets)
            helper.older = older
        else:
            helper = AuditHistory(model, record, hidden_sources=hidden_sources)
        hidden_record = model is Source and record.id in hidden_sources
        label = str(visibility.CONFIDENTIAL_SOURCE) if hidden_record else str(record.instance)
        for field, old, new in version_rows(model, record, older, helper):
            if hidden_record and field:
                old, new = (str(visibility.CONFIDENTIAL_SOURCE) if value else "" for value in (old, new))
            yield [
                record.history_date.isoformat(), record.history_user.get_username() if record.history_user else "",
                model._meta.model_name, str(record.id), label, ACTIONS[record.history_type], field, old, new,
                record.history_change_reason or "",
            ]  # fmt: skip


def audit_view(request):
    """The audit's form; the CSV under its filters once it is sent. Served inside the admin (admin.site.admin_view)."""
    if not request.user.has_perm(AUDIT_PERMISSION):
        raise PermissionDenied
    form = AuditForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        models = [AUDITED[data["record"]]] if data["record"] else list(AUDITED.values())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        response.write("\ufeff")  # so that Excel reads UTF-8
        writer = csv.writer(response, lineterminator="\n")
        writer.writerow(COLUMNS)
        rows = audit_rows(
            models, reader=request.user, user=data["user"], date_from=data["date_from"], date_to=data["date_to"]
        )
        writer.writerows([formula_escaped(cell) for cell in row] for row in rows)
        return response
    context = {**admin.site.each_context(request), "title": _("Audit trail"), "form": form}
    return TemplateResponse(request, "admin/audit.html", context)
