"""Refusing a save made from a stale page: two editors on one record never overwrite each other unawares.

Each form carries the version of the record it was opened on. If the record was saved since, the
save is refused and the message says who changed what, when; the editor reloads and redoes theirs.
"""

from django import forms
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from tracker import visibility


class VersionCheckedForm(forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    user = None  # set by the admin on the form class it builds for a request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    @cached_property
    def changed_data(self):
        # The version is how the page was opened, not a change the editor made.
        return [name for name in super().changed_data if name != "loaded_version"]

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk is None or self.has_error("loaded_version"):
            return cleaned
        if loaded is None:
            # A form that does not say which version it was opened on could be a stale one: it is
            # refused as one, or leaving out the field would be a way around the check.
            raise forms.ValidationError(
                _(
                    "This form did not say which version of the %(record)s it was opened on, so saving it "
                    "could undo someone else's changes. Nothing of yours was saved: reload the page, then "
                    "make your changes again."
                )
                % {"record": self.instance._meta.verbose_name},
                code="stale",
            )
        # Locked until the save commits (the admin saves in one transaction), so that two saves
        # checked at the same moment cannot both pass.
        stored = type(self.instance).objects.select_for_update().filter(pk=self.instance.pk)
        current = stored.values_list("version", flat=True).first()
        if current is not None and current != loaded:
            raise forms.ValidationError(stale_message(self.instance, loaded, self.user), code="stale")
        return cleaned


def stale_message(record, loaded: int, user) -> str:
    """Say who saved the record since the page was opened, when, and what they changed."""
    newest = record.history.order_by("-history_date", "-history_id").first()
    opened = record.history.filter(version=loaded).order_by("-history_date", "-history_id").first()
    changes = []
    if newest is not None and opened is not None:
        # A claim's change is judged as its history is (visibility.PastSecrets); other records hide nothing.
        is_claim = visibility.cites_source(record)
        secrets = visibility.past_secrets([record.pk], user, model=type(record)) if is_claim else None
        for change in newest.diff_against(opened).changes:
            field = record._meta.get_field(change.field)
            value = change.new
            if is_claim and change.field in visibility.HIDDEN_CLAIM_FIELDS and secrets.is_notes_hidden(newest):
                value = visibility.HIDDEN_NOTES
            elif is_claim and change.field == "source" and secrets.is_source_hidden(value):
                value = visibility.CONFIDENTIAL_SOURCE
            elif field.is_relation and value is not None:
                value = field.related_model._base_manager.filter(pk=value).first()
            changes.append(f"{field.verbose_name}: “{'' if value is None else value}”")
    who = newest.history_user if newest is not None and newest.history_user else _("someone")
    when = formats.date_format(newest.history_date, "DATETIME_FORMAT") if newest is not None else ""
    return _(
        "%(who)s saved this %(record)s at %(when)s, after you opened it (%(changes)s). Nothing of yours was "
        "saved: reload the page to see their changes, then make yours again."
    ) % {
        "who": who,
        "record": record._meta.verbose_name,
        "when": when,
        "changes": "; ".join(changes) or _("no field you can see"),
    }


class VersionChecked:
    """A model admin (or inline) whose change forms carry the version they were opened on."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets  # nothing to save, or nothing saved yet
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "loaded_version"]}), *rest]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form
