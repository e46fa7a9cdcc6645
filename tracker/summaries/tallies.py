"""Keeping the stored tallies (tracker.models.tallies) in step with the stored summaries.

`tallies_store` is called by the rules' backend (tracker.summaries.backends.python) with the
claims and results of the events it refreshes: it rewrites those events' shares and moves the
totals by the difference, so that the upkeep costs the touched parties and months only, never a count over every claim.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, models

from tracker.models.tallies import (
    LEVEL_COLUMNS,
    STANDING_COLUMNS,
    EventMonthTally,
    MonthTally,
    PartyEventTally,
    PartyTally,
)
from tracker.rules import discrepancy

SHARE_COLUMNS = ("claims", *STANDING_COLUMNS)
TOTAL_COLUMNS = ("claims", "events", *STANDING_COLUMNS, *LEVEL_COLUMNS.values())


@dataclass
class EventShares:
    """What one event adds to the tallies: per party its claims and standings, and its claims per month."""

    level: str | None = None
    parties: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    months: Counter = field(default_factory=Counter)


def month_of(day: date) -> date:
    return day.replace(day=1)


def event_shares(claims: list[discrepancy.ClaimFacts], result: discrepancy.EventResult) -> EventShares:
    """Return an event's shares of the tallies from its claims and the rules' result for them."""
    shares = EventShares(level=result.level)
    groups = {(group.outcome, group.category, group.victim_side, group.subgroup): group for group in result.groups}
    for claim in claims:
        share = shares.parties[claim.party]
        share["claims"] += 1
        shares.months[month_of(claim.claimed_on)] += 1
        if claim.key in result.current:
            group = groups[(claim.outcome, claim.category, claim.victim_side, claim.subgroup)]
            standing = discrepancy.standing(result.intervals[claim.key], group.level, group.lo_max, group.hi_min)
            if standing is not None:
                share[standing] += 1
    return shares


def party_totals(share: Counter, level: str | None) -> Counter:
    """Return what one party's share of one event adds to its totals."""
    totals = Counter({name: share[name] for name in SHARE_COLUMNS})
    totals["events"] = 1
    if level is not None:
        totals[LEVEL_COLUMNS[level]] = 1
    return totals


def tallies_store(shares: dict[int, EventShares]) -> None:
    """Replace these events' shares (an event absent from the database gives none) and move the totals."""
    event_ids = list(shares)
    party_moves: dict[int, Counter] = defaultdict(Counter)
    month_moves: Counter = Counter()
    for row in PartyEventTally.objects.filter(event_id__in=event_ids).values("party_id", "level", *SHARE_COLUMNS):
        party_moves[row["party_id"]].subtract(party_totals(Counter(row), row["level"]))
    for month, claims in EventMonthTally.objects.filter(event_id__in=event_ids).values_list("month", "claims"):
        month_moves[month] -= claims
    for item in shares.values():
        for party, share in item.parties.items():
            party_moves[party].update(party_totals(share, item.level))
        month_moves.update(item.months)

    PartyEventTally.objects.filter(event_id__in=event_ids).delete()
    EventMonthTally.objects.filter(event_id__in=event_ids).delete()
    PartyEventTally.objects.bulk_create(
        PartyEventTally(event_id=event_id, party_id=party, level=item.level, **{n: share[n] for n in SHARE_COLUMNS})
        for event_id, item in shares.items()
        for party, share in item.parties.items()
    )
    EventMonthTally.objects.bulk_create(
        EventMonthTally(event_id=event_id, month=month, claims=claims)
        for event_id, item in shares.items()
        for month, claims in item.months.items()
    )
    party_moves = {party: moves for party, moves in party_moves.items() if any(moves.values())}
    totals_move(PartyTally, "party_id", party_moves)
    totals_move(MonthTally, "month", {month: Counter(claims=moved) for month, moved in month_moves.items() if moved})


def totals_move(model: type[models.Model], key: str, moves: dict) -> None:
    """Add the moves to the totals rows, creating those missing.

    One UPDATE per row adding to each column (sent as one batch): the database adds to the row as
    it stands, so refreshes running at once never lose each other's moves. Rows in key order, so
    that two refreshes never wait on each other.
    """
    if not moves:
        return
    columns = [name for name in TOTAL_COLUMNS if hasattr(model, name)]
    model.objects.bulk_create([model(**{key: pk}) for pk in moves], ignore_conflicts=True)
    quote = connection.ops.quote_name
    adding = ", ".join(f"{quote(name)} = {quote(name)} + %s" for name in columns)
    statement = f"UPDATE {quote(model._meta.db_table)} SET {adding} WHERE {quote(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(statement, [[moves[pk][name] for name in columns] + [pk] for pk in sorted(moves)])


def tallies_clear() -> None:
    """Empty every tally, before a rebuild of every event's summary fills them again."""
    for model in (PartyEventTally, EventMonthTally, PartyTally, MonthTally):
        model.objects.all().delete()
