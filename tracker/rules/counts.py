"""Death counts as reported, and the intervals used to compare them.

Pure Python: no Django import, so that the rules can be tested on values alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

EXACT = "exact"
APPROXIMATE = "approximate"
AT_LEAST = "at_least"
AT_MOST = "at_most"
RANGE = "range"

QUALIFIERS = (EXACT, APPROXIMATE, AT_LEAST, AT_MOST, RANGE)
LARGEST_COUNT = 2_147_483_647  # what the database's integer columns hold

# Which of low / best / high each qualifier needs, and which it must not carry.
# "best" is allowed beside a bound (UCDP publishes low, best and high together).
REQUIRED_NUMBERS = {
    EXACT: ("best",),
    APPROXIMATE: ("best",),
    AT_LEAST: ("low",),
    AT_MOST: ("high",),
    RANGE: ("low", "high"),
}
FORBIDDEN_NUMBERS = {
    EXACT: ("low", "high"),
    APPROXIMATE: ("low", "high"),
    AT_LEAST: ("high",),
    AT_MOST: ("low",),
    RANGE: (),
}


@dataclass(frozen=True)
class Count:
    """A death count as a party reported it: a qualifier plus numbers."""

    qualifier: str
    low: int | None = None
    best: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Interval:
    """The closed range of death counts a claim allows; ``hi`` is None when unbounded."""

    lo: int
    hi: int | None

    def __str__(self):
        return f"[{self.lo}, {'∞' if self.hi is None else self.hi}]"


def count_problems(qualifier: str, low, best, high) -> dict[str, str]:
    """Return what is wrong with a reported count, as a message per field name."""
    numbers = {"low": low, "best": best, "high": high}
    problems = {}
    for name, value in numbers.items():
        if value is not None and value < 0:
            problems[name] = "A death count cannot be negative."
        elif value is not None and value > LARGEST_COUNT:
            problems[name] = f"{value} is larger than any death count the tracker can hold."
    if qualifier not in REQUIRED_NUMBERS:
        problems["qualifier"] = (
            f"Unknown qualifier {qualifier!r}; use one of {', '.join(QUALIFIERS)}."
            if qualifier
            else "Choose a qualifier, or type the wording so that the count can be read from it."
        )
        return problems
    label = qualifier.replace("_", " ")
    for name in REQUIRED_NUMBERS[qualifier]:
        if numbers[name] is None:
            problems.setdefault(name, f"A count qualified as “{label}” needs a {name} number.")
    for name in FORBIDDEN_NUMBERS[qualifier]:
        if numbers[name] is not None:
            problems.setdefault(name, f"A count qualified as “{label}” has no {name} number; leave it empty.")
    if low is not None and high is not None and low > high:
        problems.setdefault("low", f"The low number ({low}) is above the high number ({high}).")
    if low is not None and best is not None and best < low:
        problems.setdefault("best", f"The best number ({best}) is below the low number ({low}).")
    if high is not None and best is not None and best > high:
        problems.setdefault("best", f"The best number ({best}) is above the high number ({high}).")
    return problems


def interval_for(count: Count, *, tolerance: Fraction) -> Interval:
    """Return the interval a count allows; "about n" spreads n by the tolerance both ways."""
    if count.qualifier == EXACT:
        return Interval(count.best, count.best)
    if count.qualifier == APPROXIMATE:
        # Fractions keep "about 50" at [45, 55]: 50 * 1.1 in floats is 55.000000000000007.
        best = Fraction(count.best)
        return Interval(math.floor(best * (1 - tolerance)), math.ceil(best * (1 + tolerance)))
    if count.qualifier == AT_LEAST:
        return Interval(count.low, None)
    if count.qualifier == AT_MOST:
        return Interval(0, count.high)
    if count.qualifier == RANGE:
        return Interval(count.low, count.high)
    raise ValueError(f"unknown qualifier {count.qualifier!r}")
