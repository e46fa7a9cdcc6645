"""Keeping each person's stored fate conflicts and reported deaths in step with their fate claims.

Every write of a fate claim that changes what the fate rules read sends
tracker.models.signals.fates_changed; its receiver (tracker.summaries.receivers.fates_summarise) calls
`person_fates_refresh` with the people touched, which runs the pure rules of tracker.rules.fates on
their fate claims and stores what they find on each person, so that lists filter and sort by it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from tracker.models import FateClaim, Person
from tracker.models.people import STORED_FIELDS
from tracker.rules import discrepancy, fates


def person_fates_refresh(*, people: Iterable[int]) -> None:
    """Store the conflicts and distinct reported deaths of these people from their fate claims, as they stand."""
    with transaction.atomic():
        stored = list(Person.objects.select_for_update().filter(pk__in=set(people)).order_by("pk").only("pk"))
        reports: dict[int, list[fates.FateReport]] = {person.pk: [] for person in stored}
        for fate_claim in FateClaim.objects.filter(person__in=reports).for_rules():
            reports[fate_claim.person_id].append(fate_claim.report())
        for person in stored:
            found = fates.fate_summary(reports[person.pk], fate_days=settings.TRACKER_FATE_DAYS)
            for conflict in fates.CONFLICTS:
                setattr(person, conflict, conflict in found.conflicts)
            person.reported_deaths = found.reported_deaths
        # bulk_update, not save(): storing what the rules find is no change of the person's, and counts up
        # no version, makes no history and leaves the review as it was.
        Person.objects.bulk_update(stored, STORED_FIELDS)


def reports_by_person(fate_claims: Iterable[FateClaim]) -> dict[int, list[fates.FateReport]]:
    """Return what the fate rules read of these fate claims, by person."""
    reports: dict[int, list[fates.FateReport]] = defaultdict(list)
    for fate_claim in fate_claims:
        reports[fate_claim.person_id].append(fate_claim.report())
    return reports


def named_dead(fate_claims: Iterable[FateClaim]) -> dict[int, list[discrepancy.NamedDeath]]:
    """Return, per event, its named dead among these fate claims (with their events, whose dates they may take).
    Whether a person's claim in an event is current depends on all of that person's fate claims: give all of
    them for each person named."""
    named: dict[int, list] = defaultdict(list)
    for person_id, reports in reports_by_person(fate_claims).items():
        for death in fates.event_deaths(reports):
            named[death.event].append(discrepancy.NamedDeath(person_id, death.status))
    return named


def events_named_dead(event_ids: Iterable[int]) -> dict[int, list[discrepancy.NamedDeath]]:
    """Return, per event, its named dead, from every fate claim of the people named there (one query)."""
    people = FateClaim.objects.filter(event_id__in=event_ids).values("person_id")
    return named_dead(FateClaim.objects.filter(person_id__in=people).for_rules())


def event_people(event_id: int) -> set[int]:
    """Return the people whose fate claims take this event's date for want of their own."""
    return set(FateClaim.objects.filter(event_id=event_id, fate_date__isnull=True).values_list("person_id", flat=True))


def people_events(people: Iterable[int]) -> set[int]:
    """Return the events these people's fate claims are in."""
    found = FateClaim.objects.filter(person__in=set(people), event__isnull=False)
    return set(found.order_by().values_list("event_id", flat=True).distinct())


CHUNK = 1000  # people refreshed in one transaction by a rebuild


def people_fates_rebuild() -> int:
    """Store again the fate conflicts of every person (after `TRACKER_FATE_DAYS` changed); return how many."""
    keys = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(keys), CHUNK):
        person_fates_refresh(people=keys[start : start + CHUNK])
    return len(keys)


@dataclass(frozen=True)
class DeathClaims:
    """A party's death claims about named people, and how many of them are in a fate conflict."""

    total: int = 0
    in_conflict: int = 0


def current_by_person(fate_claims) -> dict[int, list[fates.FateReport]]:
    """Return the current fate claims among these, by person."""
    return {person: fates.current_reports(given) for person, given in reports_by_person(fate_claims).items()}


def party_death_claims(party_id: int) -> DeathClaims:
    """Count a party's death claims (its current stated claims that a person was killed or fatally wounded), and
    those a fate conflict sets against another claim about the person, by the rules' own pairs: a person in
    conflict may have a death claim in none (a party's "wounded" in one event, another's "alive" a year on).

    Two queries, however many claims: the party's fate claims, and those of its people stored as in conflict.
    """
    own = FateClaim.objects.filter(party_id=party_id).for_rules()
    deaths = {report.key for current in current_by_person(own).values() for report in fates.death_reports(current)}
    if not deaths:
        return DeathClaims()
    conflicted = Person.objects.in_conflict().filter(pk__in=own.values("person_id"))
    paired = set()
    for current in current_by_person(FateClaim.objects.filter(person__in=conflicted).for_rules()).values():
        paired |= fates.in_conflict(current, fate_days=settings.TRACKER_FATE_DAYS)
    return DeathClaims(total=len(deaths), in_conflict=len(deaths & paired))
