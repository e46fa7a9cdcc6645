"""The grades stored on events: the suggested grade, the organisation's grade, and whether a claim differs.

Both summaries backends call `grades_store` for the events they refreshed, after their own steps
(claims' `is_current` is then the rules' result), so the pure rules of tracker.rules.grading stay the
one definition of the suggested grade and of a claim's standing against an assessed figure: it reads
the few rows it needs in bulk, a handful of queries for a chunk of events. The other writes that change
what these rules read (alleged perpetrators, a source's relays, assessments) call it for their events
through the receivers in tracker.summaries.receivers.

`assessment_differs` reads the organisation's current assessment only: the filter serves the
organisation's own review of its judgements, and another recorder's figures (Airwars' grades carry none)
would flag events the organisation has not judged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings

from tracker.models import Claim, Event, Source
from tracker.models.assessments import Assessment, source_relays
from tracker.rules import counts, grading


def current_whole_claims(event_ids: list[int]) -> dict[int, list[Claim]]:
    """Return, per event, its current claims of the killed of a whole category (what the grade rules read)."""
    claims: dict[int, list[Claim]] = defaultdict(list)
    rows = Claim.objects.current().filter(event_id__in=event_ids, subgroup__isnull=True, outcome=grading.KILLED)
    fields = ("event_id", "party_id", "category", "victim_side_id", "source_id", "qualifier", "low", "best", "high")
    for claim in rows.only(*fields).order_by("pk").iterator(2000):
        claims[claim.event_id].append(claim)
    return claims


def perpetrators_by_event(event_ids: list[int]) -> dict[int, set[int]]:
    perpetrators: dict[int, set[int]] = defaultdict(set)
    through = Event.alleged_perpetrators.through.objects.filter(event_id__in=event_ids)
    for event_id, party_id in through.values_list("event_id", "party_id"):
        perpetrators[event_id].add(party_id)
    return perpetrators


def event_grades(event_ids: list[int]) -> dict[int, tuple[str | None, str | None, bool]]:
    """Return, per event, its suggested grade, the organisation's current grade and whether a claim differs."""
    claims = current_whole_claims(event_ids)
    intervals = {
        claim.pk: counts.interval_for(claim.count, tolerance=settings.TRACKER_APPROXIMATE_TOLERANCE)
        for event_claims in claims.values()
        for claim in event_claims
    }
    perpetrators = perpetrators_by_event(event_ids)
    relays = source_relays({claim.source_id for event_claims in claims.values() for claim in event_claims})
    # By the setting's name rather than tracker.models.assessments.organisation(), which would create the party.
    organisations = Assessment.objects.current().filter(
        event_id__in=event_ids, assessor__name__iexact=settings.TRACKER_ORGANISATION
    )
    assessments = {assessment.event_id: assessment for assessment in organisations}
    grades = {}
    for event_id in event_ids:
        event_claims = claims.get(event_id, [])
        suggested = grading.suggested_grade(
            (
                grading.GradedClaim(claim.party_id, claim.category, intervals[claim.pk].lo, claim.source_id)
                for claim in event_claims
            ),
            perpetrators.get(event_id, set()),
            relays,
        )
        assessment = assessments.get(event_id)
        differs = assessment is not None and any(
            against.standing != grading.WITHIN
            for against in grading.claims_against(
                assessment.figures(),
                (
                    grading.ComparedClaim(
                        claim.party_id,
                        claim.category,
                        intervals[claim.pk].lo,
                        intervals[claim.pk].hi,
                        victim_side=claim.victim_side_id,
                    )
                    for claim in event_claims
                ),
            )
        )
        grades[event_id] = (suggested, assessment.grade if assessment else None, differs)
    return grades


def events_citing_sources(source_ids: Iterable[int]) -> set[int]:
    """Return the events whose claims cite these sources or one whose chain of relays passes through them."""
    chain = set(source_ids)
    step = set(chain)
    while step:
        step = set(Source.objects.filter(relays__in=step).values_list("pk", flat=True)) - chain
        chain |= step
    return set(Claim.objects.filter(source__in=chain).values_list("event_id", flat=True).distinct())


def grades_store(event_ids: Iterable[int]) -> None:
    """Compute and store the grades of these events still there, one UPDATE per distinct value (most share a few)."""
    event_ids = sorted(set(event_ids))
    if not event_ids:
        return
    stored = {row[0]: row[1:] for row in Event.objects.filter(pk__in=event_ids).values_list("pk", *Event.GRADE_FIELDS)}
    events_by_grades: dict[tuple, list[int]] = defaultdict(list)
    for event_id, grades in event_grades(list(stored)).items():
        if grades != stored[event_id]:  # a rebuild rewrites only what changed
            events_by_grades[grades].append(event_id)
    for grades, grouped in events_by_grades.items():
        Event.objects.filter(pk__in=grouped).update(**dict(zip(Event.GRADE_FIELDS, grades, strict=True)))
