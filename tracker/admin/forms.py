"""Forms for entering claims, shared by the admin's claim page and the event's claim inline."""

from django import forms
from django.utils.translation import gettext as _

from tracker import visibility
from tracker.admin.versions import VersionCheckedForm
from tracker.models import Claim


class SourceChoiceField(forms.ModelChoiceField):
    """Source choices that name a confidential source only to those who may see it."""

    user = None

    def label_from_instance(self, source):
        return visibility.source_label(source, self.user)


class ClaimForm(VersionCheckedForm):
    class Meta:
        model = Claim
        fields = [
            "event", "party", "category", "victim_side", "claimed_on", "source",
            "wording", "qualifier", "low", "best", "high", "retracted", "notes",
        ]  # fmt: skip
        field_classes = {"source": SourceChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source" in self.fields:
            source = self.fields["source"]
            source.user = self.user
            # Only sources the user may see can be chosen; a claim keeps the one it has.
            visible = source.queryset.visible_to(self.user)
            source.queryset = visible | source.queryset.filter(pk=self.instance.source_id)
        if "qualifier" in self.fields:
            self.fields["qualifier"].required = False

    def clean_source(self):
        source = self.cleaned_data["source"]
        held = self.instance.source if self.instance.source_id else None
        # Moving a claim off a source hidden from the user would show its notes with the new one.
        if held is not None and source != held and visibility.source_hidden(held, self.user):
            raise forms.ValidationError(
                _("This claim's source is confidential: only those who may see confidential sources can change it.")
            )
        return source
