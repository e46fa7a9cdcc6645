"""Linking events across datasets: the candidates found among the stored events and kept for review,
and the decisions staff take on them (accept merges two events, reject keeps them apart for good,
undo restores both).

The rules that say which events may be one incident are pure, in tracker.rules.matching; this
module feeds them the stored events, stores what they propose, and writes what staff decide, with
history and summaries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import serializers
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.ingest.formats.ucdp_ged import source_offices
from tracker.ingest.serial import imports_serialise
from tracker.models import (
    Assessment,
    Claim,
    Event,
    EventAlias,
    EventLink,
    FateClaim,
    LinkCandidate,
    LinkStatus,
    Origin,
    Source,
)
from tracker.models.reviews import REVIEW_FIELDS
from tracker.rules import matching
from tracker.summaries.grades import grades_store

HISTORY_REASON_CHARS = 100  # django-simple-history's column
# Any fixed number, the same in every process; no other advisory lock of this database uses it.
AIRWARS = "airwars"  # as GED names Airwars among a source's offices, in any case
CANDIDATES_LOCK = 7_221_432_641  # "tracker link candidates"
WRITE_BATCH = 2_000  # stored candidates written or deleted a query at a time
PROPOSED = ("score", "reasons", "is_one_to_one", "radius_km")  # what a new proposal may change of a stored pair


class LinkRefused(Exception):
    """A decision that cannot be taken as asked; its message says why, for the user."""


@dataclass(frozen=True)
class Proposal:
    """The candidates standing now (rejected pairs left out), and which of them are one-to-one."""

    candidates: list[matching.Candidate]
    one_to_one: list[matching.Candidate]


def matching_facts(events=None) -> list[matching.EventFacts]:
    """Return what the matching rules read of these events (all by default); an event's origins include
    those merged into it."""
    events = Event.objects.all() if events is None else events
    merged_origins = defaultdict(set)
    for event_id, origin in EventAlias.objects.filter(event__in=events).values_list("event_id", "origin"):
        merged_origins[event_id].add(origin)
    rows = events.order_by().values_list(
        "pk", "origin", "start_date", "end_date", "date_precision", "country", "latitude", "longitude", "event_type"
    )
    facts = []
    for pk, origin, start, end, precision, country, latitude, longitude, event_type in rows:
        fact = matching.EventFacts(
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
        for candidate in matching.candidates(matching_facts(), radius_km=radius)
        if (candidate.first, candidate.second) not in rejected
    ]
    return Proposal(candidates=found, one_to_one=matching.one_to_one(found))


@transaction.atomic
def link_candidates_refresh(*, radius_km: float | None = None) -> Proposal:
    """Find the candidates among the stored events anew and store them for the review in place of those
    proposed before; return the proposal."""
    if connection.vendor == "postgresql":
        # One refresh at a time, each reading the events after the one before it committed: two side
        # by side would each store the pairs the other stored. SQLite writes one at a time.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CANDIDATES_LOCK])
    radius = settings.TRACKER_LINK_RADIUS_KM if radius_km is None else radius_km
    proposal = link_proposal(radius_km=radius)
    one_to_one = {(item.first, item.second) for item in proposal.one_to_one}
    proposed = {
        (item.first, item.second): (item.score, stored_reasons(item), (item.first, item.second) in one_to_one, radius)
        for item in proposal.candidates
    }
    # Only what changed is written: a refresh after an import finds most of the pairs it found before,
    # and those keep the time they were first proposed.
    replaced = []
    for pk, first, second, *stored in LinkCandidate.objects.values_list("pk", "first_id", "second_id", *PROPOSED):
        if proposed.get((first, second)) == tuple(stored):
            del proposed[(first, second)]
        else:
            replaced.append(pk)
    for start in range(0, len(replaced), WRITE_BATCH):
        LinkCandidate.objects.filter(pk__in=replaced[start : start + WRITE_BATCH]).delete()
    now = timezone.now()
    LinkCandidate.objects.bulk_create(
        (
            LinkCandidate(first_id=first, second_id=second, proposed_at=now, **dict(zip(PROPOSED, values, strict=True)))
            for (first, second), values in proposed.items()
        ),
        batch_size=WRITE_BATCH,
    )
    return proposal


def link_candidates_refresh_after_import(sender, *, report, **kwargs) -> None:
    """Propose the candidates anew once an import that made new events has committed (its only change
    the rules read: an import never changes a stored event's date, place or type)."""
    if report.created["events"]:
        link_candidates_refresh()


def candidate_recheck(stored: LinkCandidate) -> matching.Candidate | None:
    """Return the candidate a stored pair makes now, by the rules and at the radius it was found within,
    or None (an event is gone, or they are no longer alike: the stored pair is then dropped)."""
    facts = matching_facts(Event.objects.filter(pk__in=[stored.first_id, stored.second_id]))
    found = matching.candidate(*facts, radius_km=stored.radius_km) if len(facts) == 2 else None
    if found is None:
        stored.delete()
    return found


def pair_candidate(first_pk: int, second_pk: int) -> matching.Candidate | None:
    """Return the candidate two events make now if the review proposes them, or None (not proposed, gone,
    decided, or no longer alike)."""
    low, high = sorted((first_pk, second_pk))
    stored = LinkCandidate.objects.standing().filter(first_id=low, second_id=high).first()
    return None if stored is None else candidate_recheck(stored)


def history_reason(text: str) -> str:
    return text if len(text) <= HISTORY_REASON_CHARS else text[: HISTORY_REASON_CHARS - 1] + "…"


def pair_lock(first_pk: int, second_pk: int) -> tuple[Event, Event]:
    """Return the two events locked for the decision, the one entered first (the smaller key) first."""
    events = {event.pk: event for event in Event.objects.select_for_update().filter(pk__in=[first_pk, second_pk])}
    if len(events) < 2 or first_pk == second_pk:
        raise LinkRefused(_("One of these events no longer exists: it may have been merged already."))
    low, high = sorted(events)
    return events[low], events[high]


@transaction.atomic
def event_link_reject(*, candidate: matching.Candidate, user) -> EventLink:
    """Remember that two events are not one incident, so that they are never proposed again."""
    first, second = pair_lock(candidate.first, candidate.second)
    if EventLink.objects.decided().filter(first=first, second=second).exists():
        raise LinkRefused(_("These two events have already been linked or kept apart."))
    return EventLink.objects.create(
        first=first, second=second, first_ref=first.ref, second_ref=second.ref, status=LinkStatus.REJECTED,
        score=candidate.score, reasons=stored_reasons(candidate), decided_by=user,
    )  # fmt: skip


def stored_reasons(candidate: matching.Candidate) -> list:
    """Return a candidate's reasons as a JSON field holds them."""
    return [[code, value] for code, value in candidate.reasons]


@transaction.atomic
def event_link_accept(*, candidate: matching.Candidate, user) -> EventLink:
    """Merge two events into the one entered first: the other's claims (with their sources), fate claims,
    assessments and alleged perpetrators move to it, its reference and origin identifier become the kept event's
    aliases, and it is deleted. Everything an undo needs is kept on the link."""
    imports_serialise()  # before reading the events: a running import may still write to either of them
    kept, other = pair_lock(candidate.first, candidate.second)
    if EventLink.objects.decided().filter(first=kept, second=other).exists():
        raise LinkRefused(_("These two events have already been linked or kept apart."))
    refused = merge_refusal(kept, other)
    if refused:
        raise LinkRefused(refused)
    reason = history_reason(f"Merged {other.ref} into {kept.ref}")
    kept_perpetrators = set(kept.alleged_perpetrators.values_list("pk", flat=True))
    other_perpetrators = set(other.alleged_perpetrators.values_list("pk", flat=True))
    claims = list(other.claims.all())
    assessments = list(other.assessments.all())
    fate_claims = list(other.fate_claims.all())
    relaying = dataset_relays([*kept.claims.select_related("source"), *other.claims.select_related("source")])
    moved_aliases = list(other.aliases.values_list("pk", flat=True))
    link = EventLink.objects.create(
        first=kept, second=other, first_ref=kept.ref, second_ref=other.ref, status=LinkStatus.ACCEPTED,
        score=candidate.score, reasons=stored_reasons(candidate), decided_by=user,
        merged={
            "event": json.loads(serializers.serialize("json", [other]))[0],
            "claims": [claim.pk for claim in claims],
            "assessments": [assessment.pk for assessment in assessments],
            "fate_claims": [fate_claim.pk for fate_claim in fate_claims],
            "aliases": moved_aliases,
            "added_perpetrators": sorted(other_perpetrators - kept_perpetrators),
            "relays": {source.pk: source.relays_id for source in relaying},  # each relayed nothing before
        },
    )  # fmt: skip
    relays_set(relaying, user=user, reason=reason)
    link._history_user = user
    records_move(Claim, claims, to=kept, user=user, reason=reason)
    records_move(Assessment, assessments, to=kept, user=user, reason=reason)
    records_move(FateClaim, fate_claims, to=kept, user=user, reason=reason)
    kept._history_user = user
    kept.alleged_perpetrators.add(*(other_perpetrators - kept_perpetrators))
    EventAlias.objects.filter(pk__in=moved_aliases).update(event=kept)
    EventAlias.objects.create(
        event=kept, link=link, ref=other.ref, origin=other.origin, origin_id=other.origin_id,
        **{field: getattr(other, field) for field in EventAlias.RECORD_FIELDS},
    )  # fmt: skip
    Event.history.bulk_history_create([kept], update=True, default_user=user, default_change_reason=reason)
    other._history_user, other._change_reason = user, reason
    other.delete()
    return link


def dataset_relays(claims: list[Claim]) -> list[Source]:
    """Return the sources of GED's claims among these that name Airwars among their offices, each set to relay
    the Airwars incident's source (as GED-246518's "SOHR; Airwars" does): GED counted from Airwars' report, so
    the two are one independent report. None unless the claims cite exactly one Airwars incident's source."""
    incident = {claim.source for claim in claims if claim.origin == Origin.AIRWARS}
    if len(incident) != 1:
        return []
    (relayed,) = incident
    relaying = []
    for source in {claim.source for claim in claims if claim.origin == Origin.UCDP_GED}:
        offices = {office.casefold() for office in source_offices(source.publisher, source.excerpt)}
        # A source that relays another already says where it comes from; a chain may not loop.
        if AIRWARS in offices and source.relays_id is None and source.relay_loop_problem(relayed.pk) is None:
            source.relays = relayed
            relaying.append(source)
    return relaying


def relays_set(sources: list[Source], *, user, reason: str) -> None:
    """Save the relays of these sources, with a history record each."""
    for source in sources:
        source._history_user, source._change_reason = user, reason
        source.save(update_fields=["relays"])


def merge_refusal(kept: Event, other: Event) -> str | None:
    """Why two events cannot be merged as they stand, or None if they can."""
    stated = {claim.identity_key() for claim in kept.claims.all()}
    twice = sorted(str(claim.pk) for claim in other.claims.all() if claim.identity_key(event_id=kept.pk) in stated)
    if twice:
        return _(
            "%(kept)s already holds the same claim as %(other)s (claim %(claims)s): a claim is stored once, "
            "so delete one of the two in the admin before merging."
        ) % {"kept": kept.ref, "other": other.ref, "claims": ", ".join(twice)}
    judged = set(kept.assessments.values_list("assessor_id", "assessed_on"))
    assessed = other.assessments.select_related("assessor")
    both = next((each for each in assessed if (each.assessor_id, each.assessed_on) in judged), None)
    if both is not None:
        return _(
            "%(kept)s and %(other)s were both assessed by %(assessor)s on %(date)s: an assessor judges an event "
            "once a day, so delete or redate one of the two assessments in the admin before merging."
        ) % {"kept": kept.ref, "other": other.ref, "assessor": both.assessor, "date": both.assessed_on}
    if EventAlias.objects.filter(ref=other.ref).exists():
        return _("%(ref)s is already another event's former reference: rename it before merging.") % {"ref": other.ref}
    return None


def records_move(model: type[Claim | Assessment | FateClaim], records: list, *, to: Event, user, reason: str) -> None:
    """Move claims, assessments or fate claims to another event, with a history record each; each moved is
    changed, so it is entered again for review. A claim's move refreshes both events' summaries, an assessment's
    their stored grades, a fate claim's its person's conflicts (the bulk update announces them)."""
    left = {record.event_id for record in records}
    for record in records:
        record.event = to
        record.review_undo()
    model.objects.bulk_update(records, ["event", *REVIEW_FIELDS])
    model.history.bulk_history_create(records, update=True, default_user=user, default_change_reason=reason)
    if model is Assessment:  # a bulk update sends no post_save
        grades_store(left | {to.pk})


def undo_refusal(link: EventLink) -> str | None:
    """Why this merge cannot be undone now, or None if it can; `link` comes from
    EventLink.objects.with_undo_checks()."""
    if link.status != LinkStatus.ACCEPTED:
        return _("Only an accepted merge can be undone.")
    if not link.has_kept_event:
        return _("The kept event has since been merged into another: undo that merge first.")
    if link.has_later_merge:
        return _("A later merge into the same event must be undone first.")
    if link.is_merged_ref_taken:
        return _(
            "An event entered since the merge has the reference or dataset identifier of %(ref)s: "
            "rename or delete it before undoing."
        ) % {"ref": link.second_ref}
    return None


@transaction.atomic
def event_link_undo(*, link: EventLink, user) -> Event:
    """Undo a merge: restore the merged event as it was, under its own key, with its claims, aliases and
    alleged perpetrators; the kept event loses what the merge gave it. Return the restored event."""
    imports_serialise()  # a running import may still write to the kept event, or make one with the merged ref
    link = EventLink.objects.select_for_update().with_undo_checks().get(pk=link.pk)
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
    records_move(Claim, list(Claim.objects.filter(pk__in=link.merged["claims"])), to=other, user=user, reason=reason)
    # A merge before assessments were kept names none.
    moved = Assessment.objects.filter(pk__in=link.merged.get("assessments", []))
    records_move(Assessment, list(moved), to=other, user=user, reason=reason)
    fate_claims = FateClaim.objects.filter(pk__in=link.merged.get("fate_claims", []))  # none before people
    records_move(FateClaim, list(fate_claims), to=other, user=user, reason=reason)
    EventAlias.objects.filter(pk__in=link.merged["aliases"]).update(event=other)
    link.aliases.all().delete()
    # The relays the merge set (each source relayed nothing before) undone; one staff changed since is
    # theirs to keep. A merge before relays were set names none.
    relayed = {int(pk): relays_id for pk, relays_id in link.merged.get("relays", {}).items()}
    undone = [source for source in Source.objects.filter(pk__in=relayed) if source.relays_id == relayed[source.pk]]
    for source in undone:
        source.relays = None
    relays_set(undone, user=user, reason=reason)
    Event.history.bulk_history_create([kept], update=True, default_user=user, default_change_reason=reason)
    link.status = LinkStatus.UNDONE
    link._history_user, link._change_reason = user, reason
    link.save(update_fields=["status"])
    other.refresh_from_db()  # its summary, as the claims moved back gave it
    return other


def links_accept(*, candidates: list[matching.Candidate], user) -> tuple[int, list[str]]:
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


def stored_links_accept(*, candidates: Iterable[LinkCandidate], user) -> tuple[int, list[str]]:
    """Accept these stored candidates as links_accept does, each checked against the rules again first;
    a pair that no longer makes a candidate is refused."""
    current, refusals = [], []
    for stored in candidates:
        candidate = candidate_recheck(stored)
        if candidate is None:
            refusals.append(
                _("%(first)s and %(second)s are no longer a candidate pair.")
                % {"first": stored.first.ref, "second": stored.second.ref}
            )
        else:
            current.append(candidate)
    merged, refused = links_accept(candidates=current, user=user)
    return merged, refusals + refused


def scoring_at_least(candidates: list[matching.Candidate], min_score: int) -> list[matching.Candidate]:
    return [candidate for candidate in candidates if candidate.score >= min_score]
