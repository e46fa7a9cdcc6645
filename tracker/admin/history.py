"""An event's history as one timeline: changes to the event itself and to each of its claims.

An event's claims are entered on the event's page, so its history has to say what happened to
them: which claim was added, changed (field by field) or deleted, by whom and when. Claims'
sources and notes are shown only as tracker.visibility allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import ModelChange

from tracker import visibility
from tracker.admin.common import MaskedSourceHistory, ReadableHistory
from tracker.models import Claim, Event
from tracker.presentation.numbers import count_in_text

# What a new claim's or event's entry lists, in this order: enough to tell it from the others.
CLAIM_CREATED_FIELDS = (
    "party", "category", "victim_side", "wording", "qualifier", "low", "best", "high", "claimed_on", "source",
    "retracted", "notes",
)  # fmt: skip
EVENT_CREATED_FIELDS = (
    "ref", "title", "event_type", "start_date", "end_date", "date_precision", "location_name", "admin_region",
    "country", "latitude", "longitude", "description",
)  # fmt: skip


def related_name(record, name: str) -> str:
    try:
        return str(getattr(record, name))
    except ObjectDoesNotExist:  # deleted since
        return "—"


def is_set(value) -> bool:
    """Whether a field has a value worth listing: a count of 0 has one, an unticked box has none."""
    return not (value is None or value is False or value == "")


@dataclass
class HistoryEntry:
    """One line of an event's history: a version of the event or of one of its claims."""

    record: object  # a historical record of the event or of a claim
    older: object | None  # the version before it, of the same object
    is_claim: bool
    changes: list[dict] = field(default_factory=list)  # {"field", "old", "new"}, filled for the page shown
    values: list[dict] = field(default_factory=list)  # {"field", "new"}: what a claim was added with

    @property
    def kind(self):
        return _("Claim") if self.is_claim else _("Event")

    @property
    def label(self) -> str:
        """Name the event, or the claim by its party, category, side and count (the event goes without saying)."""
        record = self.record
        if not self.is_claim:
            return str(record.instance)
        side = f" ({related_name(record, 'victim_side')})" if record.victim_side_id else ""
        count = count_in_text(record.instance.count) if record.qualifier else record.wording
        return f"{related_name(record, 'party')}, {record.get_category_display()}{side}: {count}"

    @property
    def url(self) -> str:
        if self.is_claim:
            return reverse("admin:tracker_claim_history", args=[self.record.id])
        return reverse("admin:tracker_event_simple_history", args=[self.record.id, self.record.history_id])

    def describe(self, *, secrets: visibility.PastSecrets) -> None:
        """Put this entry's changes into words, hiding what visibility says to hide from the reader."""
        if self.is_claim:
            model, created_fields = Claim, CLAIM_CREATED_FIELDS
            helper = MaskedSourceHistory(Claim, self.record, secrets=secrets)
        else:
            model, created_fields = Event, EVENT_CREATED_FIELDS
            helper = ReadableHistory(Event, self.record)
        if self.older is not None and self.record.history_type == "~":
            delta = self.record.diff_against(self.older, foreign_keys_are_objs=True)
            self.changes = helper.context_for_delta_changes(delta)
        elif self.record.history_type == "+":
            # What it was added with, whole: no before to compare, so nothing to shorten.
            self.values = [
                {"field": capfirst(model._meta.get_field(name).verbose_name), "new": value_text(helper, name, value)}
                for name, value in ((name, getattr(self.record, name)) for name in created_fields)
                if is_set(value)
            ]


def entries_describe(entries, user) -> None:
    """Describe these entries for the user, asking once what the past versions of their claims hide."""
    secrets = visibility.past_secrets({entry.record.id for entry in entries if entry.is_claim}, user)
    for entry in entries:
        entry.describe(secrets=secrets)


def value_text(helper, name: str, value) -> str:
    """Return a field's value as the helper words it (masked as visibility says), in full."""
    return str(helper.prepare_delta_change_value(ModelChange(name, None, value), value))


def versions_paired(records, *, is_claim: bool) -> list[HistoryEntry]:
    """Pair each version with the one before it of the same object; records come oldest first."""
    latest = {}
    entries = []
    for record in records:
        entries.append(HistoryEntry(record=record, older=latest.get(record.id), is_claim=is_claim))
        latest[record.id] = record
    return entries


def event_history(event_id, *, with_claims: bool) -> list[HistoryEntry]:
    """Return the versions of an event and (if asked) of every claim it ever had, newest first."""
    versions = Event.history.filter(id=event_id).select_related("history_user")
    entries = versions_paired(versions.order_by("history_date", "history_id"), is_claim=False)
    if with_claims:
        claims = (
            Claim.history.filter(event_id=event_id)
            .select_related("history_user", "party", "victim_side", "source")
            .order_by("history_date", "history_id")
        )
        entries += versions_paired(claims, is_claim=True)
    # Newest first; within one save, the claims after the event they were entered with.
    entries.sort(key=lambda entry: (entry.record.history_date, entry.is_claim, entry.record.history_id), reverse=True)
    return entries
