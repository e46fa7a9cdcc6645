"""The rules of an assessment: the grade the claims suggest, and where claims stand against its figures.

Pure Python: values in, values out. An assessment is an organisation's judgement of one event
(shared/DESIGN.md, "Beyond counting"): a grade, Airwars' five, and optional figures per victim
category. The suggested grade is shown beside the assessor's own, never stored as it; both rules
read only the claims of the killed that count a whole category (no subgroup).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

from tracker.rules.discrepancy import ABOVE, BELOW, CIVILIAN, KILLED, WITHIN
from tracker.rules.independence import has_independent

CONFIRMED = "confirmed"
FAIR = "fair"
WEAK = "weak"
CONTESTED = "contested"
DISCOUNTED = "discounted"
# Corroboration, as the standards ask: two or more independent sources.
CORROBORATING_SOURCES = 2


class CountsWhole:
    """A claim read by the assessment rules, which read only claims of the killed of a whole category: not
    of the injured, nor of a subgroup (children among the civilians), which say nothing more of who died."""

    outcome: str
    subgroup: Hashable | None

    @property
    def counts_whole_killed(self) -> bool:
        return self.outcome == KILLED and self.subgroup is None


@dataclass(frozen=True)
class GradedClaim(CountsWhole):
    """What the grade rules read of one current claim: who made it, what it counts, where it was published."""

    party: Hashable
    category: str
    lo: int  # the lower bound of its interval
    source: Hashable
    outcome: str = KILLED
    subgroup: Hashable | None = None


def suggested_grade(
    claims: Iterable[GradedClaim],
    perpetrators: Collection[Hashable],
    relays: Mapping[Hashable, Hashable | None],
) -> str | None:
    """Return the grade an event's current claims suggest, or None; `perpetrators` are its alleged
    perpetrators, `relays` maps a source to the source it only repeats. Never `discounted`: deciding
    that those killed were combatants, or that another party did it, is the assessor's judgement."""
    harm = [claim for claim in claims if claim.counts_whole_killed and claim.category == CIVILIAN and claim.lo >= 1]
    if any(claim.party in perpetrators for claim in harm):
        return CONFIRMED
    if harm and len(perpetrators) >= 2:
        return CONTESTED
    if perpetrators and has_independent((claim.source for claim in harm), relays, CORROBORATING_SOURCES):
        return FAIR
    if harm:
        return WEAK
    return None


@dataclass(frozen=True)
class Figure:
    """An assessed figure of one victim category: low to high, high None for open ("at least low")."""

    category: str
    low: int
    high: int | None


@dataclass(frozen=True)
class ComparedClaim(CountsWhole):
    """What the comparison with an assessment reads of one party's current claim."""

    party: Hashable
    category: str
    lo: int
    hi: int | None  # None when unbounded
    victim_side: Hashable | None = None
    outcome: str = KILLED
    subgroup: Hashable | None = None


@dataclass(frozen=True)
class Against:
    """Where one party's claim stands against the assessed figure of its category."""

    party: Hashable
    category: str
    standing: str  # ABOVE, BELOW or WITHIN


def standing_against(lo: int, hi: int | None, figure: Figure) -> str:
    """Return where a claim's interval stands against a figure: above its high, below its low, or within."""
    if figure.high is not None and lo > figure.high:
        return ABOVE
    if hi is not None and hi < figure.low:
        return BELOW
    return WITHIN


def claims_against(figures: Iterable[Figure], claims: Iterable[ComparedClaim]) -> list[Against]:
    """Set each party's current claim of the killed of a whole category, with no victim side, against the
    assessed figure of that category; in the order of the figures, then of the parties as given."""
    whole = [claim for claim in claims if claim.counts_whole_killed and claim.victim_side is None]
    return [
        Against(claim.party, figure.category, standing_against(claim.lo, claim.hi, figure))
        for figure in figures
        for claim in whole
        if claim.category == figure.category
    ]
