"""Linking events across datasets: finding candidates among the stored events, and the decisions
staff take on them (accept merges two events, reject keeps them apart for good, undo restores both).

The rules that say which events may be one incident are pure, in tracker.rules.linking; this
module feeds them the stored events and writes what staff decide, with history and summaries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core import serializers
from django.db import transaction
from django.utils.translation import gettext as _

from tracker.models import Claim, Event, EventAlias, EventLink, LinkStatus
from tracker.rules import linking

HISTORY_REASON_CHARS = 100  # django-simple-history's column


class LinkRefused(Exception):
    """A decision that cannot be taken as asked; its message says why, for the user."""


@dataclass(frozen=True)
class Proposal:
    """The candidates standing now (rejected pairs left out), and which of them are one-to-one."""

    candidates: list[linking.Candidate]
    one_to_one: list[linking.Candidate]


def event_facts(events=None) -> list[linking.EventFacts]:
    """Return what the rules read of these events (all by default); an event's origins include those
    merged into it."""
    events = Event.objects.all() if events is None else events
    merged_origins = defaultdict(set)
    for event_id, origin in EventAlias.objects.filter(event__in=events).values_list("event_id", "origin"):
        merged_origins[event_id].add(origin)
    rows = events.order_by().values_list(
        "pk", "origin", "start_date", "end_date", "date_precision", "country", "latitude", "longitude", "event_type"
    )
    facts = []
    for pk, origin, start, end, precision, country, latitude, longitude, event_type in rows:
        fact = linking.EventFacts(
            key=pk, origins=frozenset({origin, *merged_origins[pk]}), start=start, end=end, precision=precision,
            country=str(country), latitude=None if latitude is None else float(latitude),
            longitude=None if longitude is None else float(longitude), event_type=event_type,
        )  # fmt: skip
        facts.append(fact)
    return facts


def link_proposal(*, radius_km: float | None = None) -> Proposal:
    """Return the candidates among the stored events, best first, without the pairs staff rejected."""
    radius = settings.TRACKER_LINK_RADIUS_KM if radius_km is None else radius_km
    rejected = EventLink.objects.rejected_pairs()
    found = [
        candidate
        for candidate in linking.candidates(event_facts(), radius_km=radius)
        if (candidate.first, candidate.second) not in rejected
    ]
    return Proposal(candidates=found, one_to_one=linking.one_to_one(found))


def pair_candidate(first_pk: int, second_pk: int, *, radius_km: float | None = None) -> linking.Candidate | None:
    """Return the candidate two stored events make now, or None (gone, kept apart, or no longer alike)."""
    if EventLink.objects.decided().filter(first_id=min(first_pk, second_pk), second_id=max(first_pk, second_pk)):
        return None
    facts = event_facts(Event.objects.filter(pk__in=[first_pk, second_pk]))
    if len(facts) != 2:
        return None
    radius = settings.TRACKER_LINK_RADIUS_KM if radius_km is None else radius_km
    return linking.candidate(*facts, radius_km=radius)


def history_reason(text: str) -> str:
    return text if len(text) <= HISTORY_REASON_CHARS else text[: HISTORY_REASON_CHARS - 1] + "…"


def pair_locked(first_pk: int, second_pk: int) -> tuple[Event, Event]:
    """Return the two events locked for the decision, the one entered first (the smaller key) first."""
    events = {event.pk: event for event in Event.objects.select_for_update().filter(pk__in=[first_pk, second_pk])}
    if len(events) < 2 or first_pk == second_pk:
        raise LinkRefused(_("One of these events no longer exists: it may have been merged already."))
    low, high = sorted(events)
    return events[low], events[high]


@transaction.atomic
def event_link_reject(*, candidate: linking.Candidate, user) -> EventLink:
    """Remember that two events are not one incident, so that they are never proposed again."""
    first, second = pair_locked(candidate.first, candidate.second)
    if EventLink.objects.decided().filter(first=first, second=second).exists():
        raise LinkRefused(_("These two events have already been linked or kept apart."))
    return EventLink.objects.create(
        first=first, second=second, first_ref=first.ref, second_ref=second.ref, status=LinkStatus.REJECTED,
        score=candidate.score, reasons=reasons_stored(candidate), decided_by=user,
    )  # fmt: skip


def reasons_stored(candidate: linking.Candidate) -> list:
    return [[code, value] for code, value in candidate.reasons]


@transaction.atomic
def event_link_accept(*, candidate: linking.Candidate, user) -> EventLink:
    """Merge two events into the one entered first: the other's claims (with their sources) and alleged
    perpetrators move to it, its reference and origin identifier become the kept event's aliases, and
    it is deleted. Everything an undo needs is kept on the link."""
    kept, other = pair_locked(candidate.first, candidate.second)
    if EventLink.objects.decided().filter(first=kept, second=other).exists():
        raise LinkRefused(_("These two events have already been linked or kept apart."))
    refused = merge_refusal(kept, other)
    if refused:
        raise LinkRefused(refused)
    reason = history_reason(f"Merged {other.ref} into {kept.ref}")
    kept_perpetrators = set(kept.alleged_perpetrators.values_list("pk", flat=True))
    other_perpetrators = set(other.alleged_perpetrators.values_list("pk", flat=True))
    claims = list(other.claims.all())
    moved_aliases = list(other.aliases.values_list("pk", flat=True))
    link = EventLink.objects.create(
        first=kept, second=other, first_ref=kept.ref, second_ref=other.ref, status=LinkStatus.ACCEPTED,
        score=candidate.score, reasons=reasons_stored(candidate), decided_by=user,
        merged={
            "event": json.loads(serializers.serialize("json", [other]))[0],
            "claims": [claim.pk for claim in claims],
            "aliases": moved_aliases,
            "added_perpetrators": sorted(other_perpetrators - kept_perpetrators),
        },
    )  # fmt: skip
    link._history_user = user
    claims_moved(claims, to=kept, user=user, reason=reason)
    kept._history_user = user
    kept.alleged_perpetrators.add(*(other_perpetrators - kept_perpetrators))
    EventAlias.objects.filter(pk__in=moved_aliases).update(event=kept)
    EventAlias.objects.create(event=kept, link=link, ref=other.ref, origin=other.origin, origin_id=other.origin_id)
    Event.history.bulk_history_create([kept], update=True, default_user=user, default_change_reason=reason)
    other._history_user, other._change_reason = user, reason
    other.delete()
    return link


def merge_refusal(kept: Event, other: Event) -> str | None:
    """Why two events cannot be merged as they stand, or None if they can."""
    stated = {claim.identity_key() for claim in kept.claims.all()}
    twice = sorted(str(claim.pk) for claim in other.claims.all() if claim.identity_key(event_id=kept.pk) in stated)
    if twice:
        return _(
            "%(kept)s already holds the same claim as %(other)s (claim %(claims)s): a claim is stored once, "
            "so delete one of the two in the admin before merging."
        ) % {"kept": kept.ref, "other": other.ref, "claims": ", ".join(twice)}
    if EventAlias.objects.filter(ref=other.ref).exists():
        return _("%(ref)s is already another event's former reference: rename it before merging.") % {"ref": other.ref}
    return None


def claims_moved(claims: list[Claim], *, to: Event, user, reason: str) -> None:
    """Move claims to another event, with a history record each; both events' summaries refresh."""
    for claim in claims:
        claim.event = to
    Claim.objects.bulk_update(claims, ["event"])
    Claim.history.bulk_history_create(claims, update=True, default_user=user, default_change_reason=reason)


def undo_refusal(link: EventLink) -> str | None:
    """Why this merge cannot be undone now, or None if it can."""
    if link.status != LinkStatus.ACCEPTED:
        return _("Only an accepted merge can be undone.")
    if not Event.objects.filter(pk=link.first_id).exists():
        return _("The kept event has since been merged into another: undo that merge first.")
    later = EventLink.objects.filter(first_id=link.first_id, status=LinkStatus.ACCEPTED, pk__gt=link.pk)
    if later.exists():
        return _("A later merge into the same event must be undone first.")
    fields = link.merged["event"]["fields"]
    taken = Event.objects.filter(ref=link.second_ref)
    if fields.get("origin_id"):
        taken = taken | Event.objects.filter(origin=fields["origin"], origin_id=fields["origin_id"])
    if taken.exists():
        return _(
            "An event entered since the merge has the reference or dataset identifier of %(ref)s: "
            "rename or delete it before undoing."
        ) % {"ref": link.second_ref}
    return None


@transaction.atomic
def event_link_undo(*, link: EventLink, user) -> Event:
    """Undo a merge: restore the merged event as it was, under its own key, with its claims, aliases and
    alleged perpetrators; the kept event loses what the merge gave it. Return the restored event."""
    link = EventLink.objects.select_for_update().get(pk=link.pk)
    refused = undo_refusal(link)
    if refused:
        raise LinkRefused(refused)
    kept = Event.objects.select_for_update().get(pk=link.first_id)
    reason = history_reason(f"Undid the merge of {link.second_ref} into {kept.ref}")
    restored = next(serializers.deserialize("json", json.dumps([link.merged["event"]])))
    other = restored.object
    other._history_user, other._change_reason = user, reason
    other.save(force_insert=True)
    other.alleged_perpetrators.set(restored.m2m_data.get("alleged_perpetrators", []))
    kept._history_user = user
    kept.alleged_perpetrators.remove(*link.merged["added_perpetrators"])
    claims_moved(list(Claim.objects.filter(pk__in=link.merged["claims"])), to=other, user=user, reason=reason)
    EventAlias.objects.filter(pk__in=link.merged["aliases"]).update(event=other)
    link.aliases.all().delete()
    Event.history.bulk_history_create([kept], update=True, default_user=user, default_change_reason=reason)
    link.status = LinkStatus.UNDONE
    link._history_user, link._change_reason = user, reason
    link.save(update_fields=["status"])
    other.refresh_from_db()  # its summary, as the claims moved back gave it
    return other


def links_accept(*, candidates: list[linking.Candidate], user) -> tuple[int, list[str]]:
    """Accept each of these candidates, one merge (and transaction) each; return how many were merged,
    and why each of the others was refused."""
    merged, refusals = 0, []
    for candidate in candidates:
        try:
            event_link_accept(candidate=candidate, user=user)
        except LinkRefused as refusal:
            refusals.append(str(refusal))
        else:
            merged += 1
    return merged, refusals


def scoring_at_least(candidates: list[linking.Candidate], min_score: int) -> list[linking.Candidate]:
    return [candidate for candidate in candidates if candidate.score >= min_score]
