"""Fate conflicts: what parties say befell one named person, and where their reports cannot all be true.

The one definition of shared/DESIGN.md's *People and their fates*; the stored conflicts
(tracker.summaries.fates) are computed by these functions. Values in, values out: no Django.

A fate claim's day (`FateReport.day`) is its fate date, or its event's date when it gives none; a
date stated to the month or the year counts as its first day, which is how it is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import combinations

KILLED = "killed"
FATALLY_WOUNDED = "fatally_wounded"
WOUNDED = "wounded"
CAPTURED = "captured"
ALIVE = "alive"
DEATHS = frozenset({KILLED, FATALLY_WOUNDED})
SURVIVALS = frozenset({ALIVE, WOUNDED, CAPTURED})  # said of someone who, then, was not dead

STATED = "stated"
POSSIBLE = "possible"

KILLED_TWICE = "killed_twice"
ALIVE_AFTER_DEATH = "alive_after_death"
DISPUTED = "disputed"
CONFLICTS = (KILLED_TWICE, ALIVE_AFTER_DEATH, DISPUTED)


@dataclass(frozen=True)
class FateReport:
    """What the rules read of one fate claim about one person."""

    key: int
    party: int
    fate: str
    day: date  # the fate date, or the event's date
    claimed_on: date
    entered_at: datetime  # breaks a tie of claim dates: the latest entered stands
    event: int | None = None
    hedge: str = STATED
    retracted: bool = False
    status: str = "unknown"  # the person's status then: civilian, combatant or unknown


@dataclass(frozen=True)
class FateSummary:
    """What is stored per person: the conflicts found, and how many distinct deaths are reported."""

    conflicts: frozenset = frozenset()
    reported_deaths: int = 0


def current_reports(reports) -> list[FateReport]:
    """Return each party's current fate claim: its latest by claim date (then entry), not retracted."""
    latest = {}
    for report in reports:
        if report.retracted:
            continue
        held = latest.get(report.party)
        if held is None or (report.claimed_on, report.entered_at, report.key) > (
            held.claimed_on,
            held.entered_at,
            held.key,
        ):
            latest[report.party] = report
    return sorted(latest.values(), key=lambda report: report.key)


def death_reports(current) -> list[FateReport]:
    """Return the death claims among current fate claims: stated, killed or fatally wounded."""
    return [report for report in current if report.hedge == STATED and report.fate in DEATHS]


def event_deaths(reports) -> list[FateReport]:
    """Return, from all of one person's fate claims, their death claims tied to an event: in each such event
    the person is one of the named dead, a part of every party's count of its killed."""
    return [report for report in death_reports(current_reports(reports)) if report.event is not None]


def survival_reports(current) -> list[FateReport]:
    """Return the current stated claims that the person was alive, wounded or captured."""
    return [report for report in current if report.hedge == STATED and report.fate in SURVIVALS]


def is_other_event(first: FateReport, second: FateReport) -> bool:
    return first.event is not None and second.event is not None and first.event != second.event


def is_same_event(first: FateReport, second: FateReport) -> bool:
    return first.event is not None and first.event == second.event


def killed_twice(current, *, fate_days: int) -> list[tuple[FateReport, FateReport]]:
    """Return the pairs of death claims in different events, or with days more than `fate_days` apart.

    Two claims in one event report one death whatever their dates: one may date the wounding, the other
    the death of the wounds."""
    return [
        (first, second)
        for first, second in combinations(death_reports(current), 2)
        if not is_same_event(first, second)
        and (is_other_event(first, second) or abs((first.day - second.day).days) > fate_days)
    ]


def alive_after_death(current, *, fate_days: int) -> list[tuple[FateReport, FateReport]]:
    """Return the (death, survival) pairs where the person is said to be alive, wounded or captured more than
    `fate_days` after the death claim's day."""
    return [
        (death, survival)
        for death in death_reports(current)
        for survival in survival_reports(current)
        if (survival.day - death.day).days > fate_days
    ]


def disputed(current) -> list[tuple[FateReport, FateReport]]:
    """Return the (death, survival) pairs in one event (of different parties: each has one current claim)."""
    return [
        (death, survival)
        for death in death_reports(current)
        for survival in survival_reports(current)
        if is_same_event(death, survival)
    ]


def conflicts(current, *, fate_days: int) -> dict[str, list[tuple[FateReport, FateReport]]]:
    """Return, per kind of conflict, the pairs of current fate claims it sets against each other."""
    return {
        KILLED_TWICE: killed_twice(current, fate_days=fate_days),
        ALIVE_AFTER_DEATH: alive_after_death(current, fate_days=fate_days),
        DISPUTED: disputed(current),
    }


def in_conflict(current, *, fate_days: int) -> set[int]:
    """Return the keys of the current fate claims that some conflict sets against another."""
    return {
        report.key for pairs in conflicts(current, fate_days=fate_days).values() for pair in pairs for report in pair
    }


def distinct_deaths(current, *, fate_days: int) -> list[list[FateReport]]:
    """Return the death claims grouped into the deaths they report: two join when they share an event or
    lie within `fate_days` of each other, and so on from claim to claim. Groups come earliest first."""
    deaths = sorted(death_reports(current), key=lambda report: (report.day, report.key))
    parent = list(range(len(deaths)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for (i, first), (j, second) in combinations(enumerate(deaths), 2):
        if is_same_event(first, second) or abs((first.day - second.day).days) <= fate_days:
            parent[root(j)] = root(i)
    groups: dict[int, list[FateReport]] = {}
    for index, report in enumerate(deaths):
        groups.setdefault(root(index), []).append(report)
    return list(groups.values())


def fate_summary(reports, *, fate_days: int) -> FateSummary:
    """Return one person's conflicts and distinct reported deaths, from all their fate claims."""
    current = current_reports(reports)
    return FateSummary(
        conflicts=frozenset(kind for kind, pairs in conflicts(current, fate_days=fate_days).items() if pairs),
        reported_deaths=len(distinct_deaths(current, fate_days=fate_days)),
    )
