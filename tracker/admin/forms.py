"""Forms for entering claims and fate claims, shared by their own pages and the inlines that enter them."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from tracker import visibility
from tracker.admin.versions import VersionCheckedForm
from tracker.models import Claim, FateClaim, FateStatus, Hedge, Outcome, StatedPrecision
from tracker.models.claims import CLAIM_STATED_ONCE


class SourceChoiceField(forms.ModelChoiceField):
    """Source choices that name a confidential source only to those who may see it."""

    user = None

    def label_from_instance(self, source):
        return visibility.source_label(source, self.user)


class SourcedForm(VersionCheckedForm):
    """A claim's or a fate claim's form, whose source is chosen among those the user may see, and whose dates
    left without a precision (a page drawn before dates had one) are a day's."""

    DEFAULTS = {"claimed_on_precision": StatedPrecision.DAY}  # left out, a field is given its default

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source" in self.fields:
            source = self.fields["source"]
            source.user = self.user
            # Only sources the user may see can be chosen; a claim keeps the one it has.
            visible = visibility.sources_visible_to(self.user, source.queryset)
            source.queryset = visible | source.queryset.filter(pk=self.instance.source_id)
        # A new card left untouched by a post without the field (a page drawn before it was added) stays untouched.
        for name, default in self.DEFAULTS.items():
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].empty_value = default

    def clean_source(self):
        source = self.cleaned_data["source"]
        held = self.instance.source if self.instance.source_id else None
        # Moving a claim off a source hidden from the user would show its notes with the new one.
        if held is not None and source != held and visibility.is_source_hidden(held, self.user):
            raise forms.ValidationError(
                _("This claim's source is confidential: only those who may see confidential sources can change it.")
            )
        return source


class ClaimForm(SourcedForm):
    # As in the claims CSV: left out, the claim counts the killed, on a date stated to the day.
    DEFAULTS = {"outcome": Outcome.KILLED, "claimed_on_precision": StatedPrecision.DAY}

    class Meta:
        model = Claim
        fields = [
            "event", "party", "outcome", "category", "victim_side", "subgroup", "claimed_on", "claimed_on_precision",
            "source", "wording", "qualifier", "low", "best", "high", "retracted", "notes",
        ]  # fmt: skip
        field_classes = {"source": SourceChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "qualifier" in self.fields:
            self.fields["qualifier"].required = False


class FateClaimForm(SourcedForm):
    DEFAULTS = {
        "claimed_on_precision": StatedPrecision.DAY, "fate_date_precision": StatedPrecision.DAY,
        "hedge": Hedge.STATED, "status": FateStatus.UNKNOWN,
    }  # fmt: skip

    class Meta:
        model = FateClaim
        fields = [
            "person", "event", "party", "fate", "hedge", "status", "fate_date", "fate_date_precision", "claimed_on",
            "claimed_on_precision", "source", "wording", "retracted", "notes",
        ]  # fmt: skip
        field_classes = {"source": SourceChoiceField}


class ClaimPageForm(ClaimForm):
    """A claim's own page, which may also add the claims of the breakdown its wording holds."""

    add_breakdown = forms.BooleanField(
        label=_("Also add the claims of the breakdown"),
        required=False,
        help_text=_(
            "Where the wording holds more than one claim (“12 civilians, including 4 children”), also add "
            "the others (children 4), with this claim's party, event, source, date and side."
        ),
    )


class BoundedInlineFormSet(BaseInlineFormSet):
    """An inline whose page takes the forms of its stored records and at most `added_at_most` more.

    Django builds as many forms as the posted TOTAL_FORMS says, up to 1,000 beyond its maximum: a
    forged count would make one request build, check and draw a thousand forms, minutes of work.
    More forms than this are refused with Django's "Please submit at most … forms".
    """

    added_at_most = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored records are read once for the page's forms; counting them here adds no query.
        most = len(self.get_queryset()) + self.added_at_most
        self.max_num, self.absolute_max = min(self.max_num, most), min(self.absolute_max, most)


class ClaimFormSet(BoundedInlineFormSet):
    """An event's claims as saved together: none may be a claim stored already, nor two of them one claim.

    A claim form on its own checks this through the model's constraint; in an event's inline,
    Django leaves out the constraints that name the event, so the form set checks them here.
    """

    added_at_most = 50  # new claims entered on one event's page at once

    def clean(self):
        super().clean()
        identity = next(constraint for constraint in Claim._meta.constraints if constraint.name == CLAIM_STATED_ONCE)
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or form.errors:
                continue
            claim, key = form.instance, form.instance.identity_key()
            try:
                if key in seen:
                    raise ValidationError(identity.get_violation_error_message())
                if claim.event_id is not None:
                    identity.validate(Claim, claim)
            except ValidationError as error:
                form.add_error(None, error)
            seen.add(key)


class FateClaimFormSet(BoundedInlineFormSet):
    added_at_most = 50  # new fate claims entered on one page at once, as claims
