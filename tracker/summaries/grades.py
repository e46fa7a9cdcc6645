"""The grades stored on events: the suggested grade, the organisation's grade, and whether a claim differs.

Both summaries backends call `grades_store` for the events they refreshed, after their own steps
(claims' `is_current` is then the rules' result), so the pure rules of tracker.rules.grading stay the
one definition of the suggested grade and of a claim's standing against an assessed figure: it reads
the few rows it needs in bulk (one round trip for a chunk of events on PostgreSQL, a query for each
kind of row elsewhere) and rewrites the grades that changed (one UPDATE on PostgreSQL). The other writes that change
what these rules read (alleged perpetrators, a source's relays, assessments) call it for their events
through the receivers in tracker.summaries.receivers.

`assessment_differs` reads the organisation's current assessment only: the filter serves the
organisation's own review of its judgements, and another recorder's figures (Airwars' grades carry none)
would flag events the organisation has not judged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models

from tracker.models import Claim, Event, Source
from tracker.models.assessments import FIGURE_CATEGORIES, FIGURE_COLUMNS, Assessment
from tracker.rules import counts, grading

# What the grade rules read of a claim, in this order.
CLAIM_COLUMNS = ("event_id", "party_id", "category", "victim_side_id", "source_id", "qualifier", "low", "best", "high")


@dataclass(frozen=True, slots=True)
class GradedRow:
    """A current claim of the killed of a whole category, as the grade rules read it."""

    party_id: int
    category: str
    victim_side_id: int | None
    source_id: int
    interval: counts.Interval


Read = tuple[str, tuple | list]  # a query's SQL and its parameters


def reads(event_ids: list[int]) -> dict[str, Read]:
    """The rows the grades of these events are computed from and the grades stored, each as a query."""
    claims = Claim.objects.current().filter(event_id__in=event_ids, subgroup__isnull=True, outcome=grading.KILLED)
    # By the setting's name rather than tracker.models.assessments.organisation(), which would create the party.
    organisations = Assessment.objects.current().filter(
        event_id__in=event_ids, assessor__name__iexact=settings.TRACKER_ORGANISATION
    )
    perpetrators = Event.alleged_perpetrators.through.objects.filter(event_id__in=event_ids)
    queries = {
        "stored": Event.objects.filter(pk__in=event_ids).values_list("pk", *Event.GRADE_FIELDS),
        "claims": claims.order_by("pk").values_list(*CLAIM_COLUMNS),
        "perpetrators": perpetrators.values_list("event_id", "party_id"),
        "assessments": organisations.values_list("event_id", "grade", *FIGURE_COLUMNS),
    }
    return {
        **{name: query.query.sql_with_params() for name, query in queries.items()},
        "relays": relay_chains(claims.values("source_id")),
    }


def relay_chains(sources: models.QuerySet) -> Read:
    """The chains of relays from these sources, as rows of a source and the one it relays: source_relays in
    one query."""
    table, (sql, params) = connection.ops.quote_name(Source._meta.db_table), sources.query.sql_with_params()
    return (
        f"WITH RECURSIVE chain (id, relays_id) AS (SELECT id, relays_id FROM {table} WHERE id IN ({sql}) "
        f"UNION SELECT relayed.id, relayed.relays_id FROM {table} relayed JOIN chain ON relayed.id = chain.relays_id) "
        "SELECT id, relays_id FROM chain",
        params,
    )


def rows_read(queries: dict[str, Read]) -> dict[str, list[tuple]]:
    """Return each query's rows: on PostgreSQL in one round trip, as the summaries' own steps are sent."""
    rows = {}
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for name, (sql, params) in queries.items():
                cursor.execute(sql, params)
                rows[name] = cursor.fetchall()
            return rows
        # The client binds the parameters into the whole script; its results are read one after another.
        cursor.execute(";\n".join(sql for sql, _ in queries.values()), [p for _, ps in queries.values() for p in ps])
        for name in queries:
            rows[name] = cursor.fetchall()
            cursor.nextset()
    return rows


def event_grades(event_ids: list[int]) -> dict[int, tuple[str | None, str | None, bool]]:
    """Return, per event, its suggested grade, the organisation's current grade and whether a claim differs."""
    return grades_of(rows_read(reads(event_ids)), event_ids)


def grades_of(rows: dict[str, list[tuple]], event_ids: list[int]) -> dict[int, tuple[str | None, str | None, bool]]:
    """Return the grades of these events from the rows `reads` names."""
    tolerance = settings.TRACKER_APPROXIMATE_TOLERANCE
    claims: dict[int, list[GradedRow]] = defaultdict(list)
    for event_id, party_id, category, victim_side_id, source_id, *count in rows["claims"]:
        interval = counts.interval_for(counts.Count(*count), tolerance=tolerance)
        claims[event_id].append(GradedRow(party_id, category, victim_side_id, source_id, interval))
    perpetrators: dict[int, set[int]] = defaultdict(set)
    for event_id, party_id in rows["perpetrators"]:
        perpetrators[event_id].add(party_id)
    relays = dict(rows["relays"])
    assessments = {event_id: (grade, figures_of(columns)) for event_id, grade, *columns in rows["assessments"]}
    grades = {}
    for event_id in event_ids:
        event_claims = claims.get(event_id, [])
        suggested = grading.suggested_grade(
            (grading.GradedClaim(claim.party_id, claim.category, claim.interval.lo, claim.source_id)
             for claim in event_claims),
            perpetrators.get(event_id, set()),
            relays,
        )  # fmt: skip
        grade, figures = assessments.get(event_id, (None, None))
        differs = grade is not None and any(
            against.standing != grading.WITHIN
            for against in grading.claims_against(
                figures,
                (
                    grading.ComparedClaim(
                        claim.party_id,
                        claim.category,
                        claim.interval.lo,
                        claim.interval.hi,
                        victim_side=claim.victim_side_id,
                    )
                    for claim in event_claims
                ),
            )
        )
        grades[event_id] = (suggested, grade, differs)
    return grades


def events_citing_sources(source_ids: Iterable[int]) -> set[int]:
    """Return the events whose claims cite these sources or one whose chain of relays passes through them."""
    chain = set(source_ids)
    step = set(chain)
    while step:
        step = set(Source.objects.filter(relays__in=step).values_list("pk", flat=True)) - chain
        chain |= step
    return set(Claim.objects.filter(source__in=chain).values_list("event_id", flat=True).distinct())


def figures_of(columns: list) -> list[grading.Figure]:
    """Return an assessment's figures from its FIGURE_COLUMNS, as Assessment.figures() does."""
    ends = dict(zip(FIGURE_COLUMNS, columns, strict=True))
    return [
        grading.Figure(category, ends[f"{category}_low"], ends[f"{category}_high"])
        for category in FIGURE_CATEGORIES
        if ends[f"{category}_low"] is not None
    ]


def grades_store(event_ids: Iterable[int]) -> None:
    """Compute and store the grades of these events still there, rewriting only those that changed."""
    # An event not written yet (a dry run's) has no key, and no grades to store.
    event_ids = sorted(set(event_ids) - {None})
    if not event_ids:
        return
    rows = rows_read(reads(event_ids))
    stored = {event_id: tuple(grades) for event_id, *grades in rows["stored"]}
    grades_write(
        {event_id: grades for event_id, grades in grades_of(rows, list(stored)).items() if grades != stored[event_id]}
    )


def grades_write(grades: dict[int, tuple[str | None, str | None, bool]]) -> None:
    """Store these events' grades: on PostgreSQL in one UPDATE, elsewhere one per distinct value (most share a few)."""
    if not grades:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Event._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET suggested_grade = new.suggested, grade = new.grade, "
                "assessment_differs = new.differs FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[], "
                f"%s::boolean[]) AS new (id, suggested, grade, differs) WHERE {table}.id = new.id",
                [
                    list(column)
                    for column in zip(*((event_id, *values) for event_id, values in grades.items()), strict=True)
                ],
            )
        return
    events_by_grades: dict[tuple, list[int]] = defaultdict(list)
    for event_id, values in grades.items():
        events_by_grades[values].append(event_id)
    for values, grouped in events_by_grades.items():
        Event.objects.filter(pk__in=grouped).update(**dict(zip(Event.GRADE_FIELDS, values, strict=True)))
