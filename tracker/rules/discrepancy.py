"""The discrepancy rules of the design: from one event's claims to its comparison groups' levels.

Pure Python: values in, values out. This is the one place where the rules are written down.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from tracker.rules.counts import Count, Interval, interval_for

AGREE = "agree"
SINGLE = "single"
MINOR = "minor"
MAJOR = "major"
DENIAL = "denial"

# Most severe last; an event with no claims has no level and sorts below all of these.
SEVERITY = {AGREE: 1, SINGLE: 2, MINOR: 3, MAJOR: 4, DENIAL: 5}
DISPUTED = (DENIAL, MAJOR, MINOR)  # the levels at which the counts disagree

# Where one current claim stands in its group.
ALONE = "alone"
AGREES = "agrees"
ABOVE = "above"
BELOW = "below"
WITHIN = "within"
STANDINGS = (ALONE, AGREES, ABOVE, BELOW, WITHIN)

CIVILIAN = "civilian"
COMBATANT = "combatant"


@dataclass(frozen=True)
class Thresholds:
    """The tunable numbers of the rules: the spread of "about n", and what counts as major."""

    tolerance: Fraction = Fraction(1, 10)
    major_ratio: Fraction = Fraction(3, 2)
    major_gap: int = 3


@dataclass(frozen=True)
class ClaimFacts:
    """What the rules need to know of one claim."""

    key: Hashable
    party: Hashable
    category: str
    victim_side: Hashable | None
    count: Count
    claimed_on: date
    entered: tuple  # order of entry, for ties on the claim date: (entered_at, id)
    retracted: bool = False


@dataclass(frozen=True)
class GroupResult:
    """One comparison group: same category and victim side, each party's current claim."""

    category: str
    victim_side: Hashable | None
    level: str | None
    ratio: Decimal | None
    lo_max: int | None  # L, the largest lower bound; None when no party has a current claim
    hi_min: int | None  # H, the smallest upper bound; None when unbounded (or no claim)
    party_count: int
    claim_count: int
    current: frozenset = field(default_factory=frozenset)  # keys of the current claims

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.level, 0)


@dataclass(frozen=True)
class EventResult:
    level: str | None
    ratio: Decimal | None
    classification_dispute: bool
    groups: tuple[GroupResult, ...]
    intervals: dict  # claim key -> Interval, for every claim (retracted and superseded too)
    current: frozenset  # keys of the claims that are current in their group
    parties: frozenset  # the parties with a current claim

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.level, 0)


def rounded_ratio(ratio: Fraction) -> Decimal:
    """Round a ratio to two decimals, half up, for display and storage."""
    return (Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def current_claims(claims: Iterable[ClaimFacts]) -> dict[Hashable, ClaimFacts]:
    """Return each party's current claim: its latest by claim date, then by entry; none retracted."""
    current = {}
    for claim in claims:
        if claim.retracted:
            continue
        held = current.get(claim.party)
        if held is None or (claim.claimed_on, claim.entered) > (held.claimed_on, held.entered):
            current[claim.party] = claim
    return current


def level_for(intervals: list[Interval], thresholds: Thresholds) -> tuple[str | None, Fraction | None]:
    """Return the level of a group's current intervals and its exact ratio L/H (or None)."""
    if not intervals:
        return None, None
    if len(intervals) == 1:
        return SINGLE, None
    lo_max = max(interval.lo for interval in intervals)
    bounded = [interval.hi for interval in intervals if interval.hi is not None]
    if not bounded or lo_max <= min(bounded):
        return AGREE, None
    hi_min = min(bounded)
    if hi_min == 0:
        return DENIAL, None
    ratio = Fraction(lo_max, hi_min)
    if ratio >= thresholds.major_ratio and lo_max - hi_min >= thresholds.major_gap:
        return MAJOR, ratio
    return MINOR, ratio


def group_result(category, victim_side, claims: list[ClaimFacts], intervals, thresholds):
    current = current_claims(claims)
    current_intervals = [intervals[claim.key] for claim in current.values()]
    level, ratio = level_for(current_intervals, thresholds)
    bounded = [interval.hi for interval in current_intervals if interval.hi is not None]
    return GroupResult(
        category=category,
        victim_side=victim_side,
        level=level,
        ratio=None if ratio is None else rounded_ratio(ratio),
        lo_max=max((interval.lo for interval in current_intervals), default=None),
        hi_min=min(bounded, default=None),
        party_count=len(current),
        claim_count=len(claims),
        current=frozenset(claim.key for claim in current.values()),
    )


def classification_dispute(current: Iterable[ClaimFacts], intervals) -> bool:
    """Whether one party counts only combatant dead where another counts only civilian dead."""
    by_party: dict[Hashable, dict[str, list[Interval]]] = {}
    for claim in current:
        by_party.setdefault(claim.party, {}).setdefault(claim.category, []).append(intervals[claim.key])

    def claims_deaths(categories, category):
        return any(interval.lo >= 1 for interval in categories.get(category, ()))

    def claims_none(categories, category):
        return all(interval.hi == 0 for interval in categories.get(category, ()))

    combatant_only = any(
        claims_deaths(categories, COMBATANT) and claims_none(categories, CIVILIAN) for categories in by_party.values()
    )
    civilian_only = any(
        claims_deaths(categories, CIVILIAN) and claims_none(categories, COMBATANT) for categories in by_party.values()
    )
    return combatant_only and civilian_only


def event_result(claims: Iterable[ClaimFacts], thresholds: Thresholds = Thresholds()) -> EventResult:
    """Apply the design's rules to one event's claims."""
    claims = list(claims)
    intervals = {claim.key: interval_for(claim.count, tolerance=thresholds.tolerance) for claim in claims}
    grouped: dict[tuple, list[ClaimFacts]] = {}
    for claim in claims:
        grouped.setdefault((claim.category, claim.victim_side), []).append(claim)
    groups = tuple(
        group_result(category, side, members, intervals, thresholds)
        for (category, side), members in sorted(grouped.items(), key=lambda item: group_order(item[0]))
    )
    levelled = [group for group in groups if group.level is not None]
    worst = max(levelled, key=lambda group: group.severity, default=None)
    ratios = [group.ratio for group in groups if group.ratio is not None]
    current = frozenset().union(*(group.current for group in groups))
    standing = [claim for claim in claims if claim.key in current]
    return EventResult(
        level=worst.level if worst else None,
        ratio=max(ratios, default=None),
        classification_dispute=classification_dispute(standing, intervals),
        groups=groups,
        intervals=intervals,
        current=current,
        parties=frozenset(claim.party for claim in standing),
    )


CATEGORY_ORDER = {"total": 0, CIVILIAN: 1, COMBATANT: 2, "unknown": 3}


def group_order(key):
    """Sort groups by category as the design lists them, then by victim side."""
    category, side = key
    return (CATEGORY_ORDER.get(category, len(CATEGORY_ORDER)), side is not None, str(side))


def standing(interval: Interval, level: str | None, lo_max: int | None, hi_min: int | None) -> str | None:
    """Return where a current claim stands in its group: alone, agreeing, or apart above or below the others."""
    if level == SINGLE:
        return ALONE
    if level == AGREE:
        return AGREES
    if level not in DISPUTED:
        return None
    if hi_min is not None and interval.lo > hi_min:
        return ABOVE
    if interval.hi is not None and lo_max is not None and interval.hi < lo_max:
        return BELOW
    return WITHIN
