"""Track records: how far each claimant's counts usually sit from everyone else's (or from an assessment's).

The one definition of shared/DESIGN.md's *Claimant track record*. Pure Python: values in, values out.
It reads the claims of comparison groups as tracker.rules.discrepancy reads them (`ClaimFacts`, each
party's current claim by `current_claims`, its interval by `interval_for`), and an assessor's figures
as tracker.rules.grading reads them (`Figure`, `standing_against`).

For a party P, in each group where P and another party have current claims:

- P's *point* is its interval's midpoint, its lo where the interval is open-ended;
- the others' point is the median of the other parties' points;
- P stands `above` (its lo > the others' point), `below` (its hi < the others' point) or `within`;
- P *denies* where its hi is 0 and another party's lo is at least 1;
- its *ratio* is P's point ÷ the others' point, where both are above 0.

Against an assessor instead of the others, the group must count the killed of a whole category with no
side, the assessor must give a figure for that category, and P must not be the assessor: P stands as the
assessment comparison stands it (above the figure's high, below its low, or within), denies where its hi
is 0 and the figure's low is at least 1, and its ratio divides by the figure's point (its midpoint, its
low where open).

Everything is exact (Fractions); figures are rounded only where they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise

from tracker.rules.counts import Interval, interval_for
from tracker.rules.discrepancy import ABOVE, BELOW, WITHIN, ClaimFacts, current_claims
from tracker.rules.grading import Figure, standing_against

# Under this many groups compared, a party's figures are too few to say anything of it.
FEWEST_GROUPS = 5

# Whose dead a group counts, from the point of view of the party whose record it is.
OWN = "own"  # the party's own dead: the group's victim side is the party itself
OTHER = "other"  # another party's dead
NONE = "none"  # no victim side named
VICTIM_SIDES = (OWN, OTHER, NONE)


@dataclass(frozen=True)
class Group:
    """One comparison group's claims, every one of them (retracted and superseded too), and, when the record
    is taken against an assessor, that assessor's figure for the group's category (None where it gives none)."""

    claims: tuple[ClaimFacts, ...]
    assessed: Figure | None = None


@dataclass(frozen=True)
class Compared:
    """Where one party's current claim stands in one group: against the others' point, or the assessed one."""

    standing: str  # ABOVE, BELOW or WITHIN
    ratio: Fraction | None  # its point ÷ the point it is compared with, where both are above 0
    denies: bool


@dataclass(frozen=True)
class TrackRecord:
    """One party's figures over a set of groups."""

    groups: int = 0  # groups where it was compared
    above: int = 0
    within: int = 0
    below: int = 0
    median_ratio: Fraction | None = None
    q1: Fraction | None = None
    q3: Fraction | None = None
    denials: int = 0
    claims: int = 0  # its claims in the groups, retracted ones too
    retracted: int = 0
    revised_up: int = 0
    revised_down: int = 0
    conflicted_deaths: int = 0  # its death claims about a person whose fate claims are in conflict

    @property
    def too_few(self) -> bool:
        return self.groups < FEWEST_GROUPS

    @property
    def retracted_share(self) -> Fraction | None:
        return Fraction(self.retracted, self.claims) if self.claims else None


def point(interval: Interval | Figure) -> Fraction:
    """Return the one number an interval (or an assessed figure) stands for: its midpoint, its low end where open."""
    lo, hi = (interval.lo, interval.hi) if isinstance(interval, Interval) else (interval.low, interval.high)
    return Fraction(lo) if hi is None else Fraction(lo + hi, 2)


def median(values: list[Fraction]) -> Fraction:
    """Return the median of some numbers: the middle one, or the mean of the two middle ones."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def quartiles(values: list[Fraction]) -> tuple[Fraction, Fraction, Fraction]:
    """Return the first quartile, the median and the third quartile of some numbers, by Tukey's hinges.

    The first quartile is the median of the lower half, the third the median of the upper half; with an odd
    number of values the middle one belongs to both halves (so one value is its own three quartiles).
    """
    ordered = sorted(values)
    half = (len(ordered) + 1) // 2
    return median(ordered[:half]), median(ordered), median(ordered[len(ordered) - half :])


def ratio(own: Fraction, others: Fraction) -> Fraction | None:
    return own / others if own > 0 and others > 0 else None


def standing(interval: Interval, others: Fraction) -> str:
    """Return where an interval stands against the others' point."""
    if interval.lo > others:
        return ABOVE
    if interval.hi is not None and interval.hi < others:
        return BELOW
    return WITHIN


def compared_with_others(own: Interval, others: list[Interval]) -> Compared:
    """Set one party's current interval against the other parties' current intervals (at least one)."""
    others_point = median([point(interval) for interval in others])
    return Compared(
        standing(own, others_point),
        ratio(point(own), others_point),
        own.hi == 0 and any(interval.lo >= 1 for interval in others),
    )


def compared_with_assessment(own: Interval, figure: Figure) -> Compared:
    """Set one party's current interval against an assessed figure of its category."""
    return Compared(
        standing_against(own.lo, own.hi, figure),
        ratio(point(own), point(figure)),
        own.hi == 0 and figure.low >= 1,
    )


def is_on_side(victim_side: Hashable | None, party: Hashable, side: str | None) -> bool:
    """Whether a group whose dead are of `victim_side` counts, for this party's record, as of `side` (any when None)."""
    if side is None:
        return True
    if side == NONE:
        return victim_side is None
    return victim_side is not None and (victim_side == party) == (side == OWN)


def standing_order(claim: ClaimFacts) -> tuple:
    return claim.claimed_on, claim.entered


def revisions(claims: Iterable[ClaimFacts], intervals: Mapping) -> tuple[int, int]:
    """Return how often a party's claims in one group revised its count up, and down: each of its claims not
    retracted, in the order they stand (claim date, then entry), replaces the one before it; it revises up when
    its point is higher, down when lower."""
    stated = sorted((claim for claim in claims if not claim.retracted), key=standing_order)
    up = down = 0
    for earlier, later in pairwise(stated):
        before, after = point(intervals[earlier.key]), point(intervals[later.key])
        up += after > before
        down += after < before
    return up, down


@dataclass
class Tally:
    """A party's record as it is added up, group by group."""

    standings: dict = field(default_factory=lambda: dict.fromkeys((ABOVE, WITHIN, BELOW), 0))
    ratios: list = field(default_factory=list)
    denials: int = 0
    claims: int = 0
    retracted: int = 0
    revised_up: int = 0
    revised_down: int = 0

    def record(self, conflicted_deaths: int) -> TrackRecord:
        q1 = median_ratio = q3 = None
        if self.ratios:
            q1, median_ratio, q3 = quartiles(self.ratios)
        return TrackRecord(
            groups=sum(self.standings.values()), above=self.standings[ABOVE], within=self.standings[WITHIN],
            below=self.standings[BELOW], median_ratio=median_ratio, q1=q1, q3=q3, denials=self.denials,
            claims=self.claims, retracted=self.retracted, revised_up=self.revised_up,
            revised_down=self.revised_down, conflicted_deaths=conflicted_deaths,
        )  # fmt: skip


def track_records(
    groups: Iterable[Group],
    *,
    tolerance: Fraction,
    victim_side: str | None = None,
    is_other: Callable[[Hashable], bool] | None = None,
    assessor: Hashable | None = None,
    conflicted_deaths: Mapping[Hashable, int] | None = None,
) -> dict[Hashable, TrackRecord]:
    """Return the track record of each party with a claim in these groups (or a death claim in conflict).

    `victim_side` keeps, for each party, only the groups of its own dead, another's, or none named (`OWN`,
    `OTHER`, `NONE`; all when None). `is_other` says which parties may stand as the others (all when None).
    With an `assessor`, each party is set against the assessor's figure of the group instead of the others.
    `conflicted_deaths` gives each party's death claims in a fate conflict. A party's claims, retractions and
    revisions are counted in every group it has a claim in, compared or not.
    """
    tallies: dict[Hashable, Tally] = {}
    for group in groups:
        intervals = {claim.key: interval_for(claim.count, tolerance=tolerance) for claim in group.claims}
        by_party: dict[Hashable, list[ClaimFacts]] = {}
        for claim in group.claims:
            by_party.setdefault(claim.party, []).append(claim)
        current = current_claims(group.claims)
        side = group.claims[0].victim_side
        for party, claims in by_party.items():
            if not is_on_side(side, party, victim_side):
                continue
            tally = tallies.setdefault(party, Tally())
            tally.claims += len(claims)
            tally.retracted += sum(claim.retracted for claim in claims)
            up, down = revisions(claims, intervals)
            tally.revised_up += up
            tally.revised_down += down
            compared = compared_in(party, current, intervals, group, is_other, assessor)
            if compared is None:
                continue
            tally.standings[compared.standing] += 1
            tally.denials += compared.denies
            if compared.ratio is not None:
                tally.ratios.append(compared.ratio)
    conflicted_deaths = conflicted_deaths or {}
    for party in conflicted_deaths:  # a party may name the dead without counting them
        tallies.setdefault(party, Tally())
    return {party: tally.record(conflicted_deaths.get(party, 0)) for party, tally in tallies.items()}


def compared_in(
    party: Hashable, current: Mapping, intervals: Mapping, group: Group, is_other, assessor
) -> Compared | None:
    """Return where a party's current claim stands in a group, or None where it is not compared there: it has
    no current claim, no other party has one (against the others), or there is no figure to set it against."""
    own = current.get(party)
    if own is None:
        return None
    if assessor is not None:
        if party == assessor or group.assessed is None or own.victim_side is not None:
            return None
        return compared_with_assessment(intervals[own.key], group.assessed)
    others = [
        intervals[claim.key]
        for other, claim in current.items()
        if other != party and (is_other is None or is_other(other))
    ]
    return compared_with_others(intervals[own.key], others) if others else None
