"""Forms for entering claims, shared by the admin's claim page and the event's claim inline."""

from django import forms
from django.utils.translation import gettext as _

from tracker.models import Claim, can_see_confidential


class SourceChoiceField(forms.ModelChoiceField):
    """Source choices that show a confidential source's name only to those who may see it."""

    user = None

    def label_from_instance(self, source):
        if source.confidential and not (self.user and can_see_confidential(self.user)):
            return _("Confidential source")
        return str(source)


class ClaimForm(forms.ModelForm):
    user = None  # set by the admin on the form class it builds for a request

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
            if self.user is not None:
                # Only sources the user may see can be chosen; a claim keeps the one it has.
                visible = source.queryset.visible_to(self.user)
                source.queryset = visible | source.queryset.filter(pk=self.instance.source_id)
        if "qualifier" in self.fields:
            self.fields["qualifier"].required = False
