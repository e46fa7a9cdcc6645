"""How lists rank an event's ratio, the same in both backends."""

from decimal import Decimal

from tracker.rules import discrepancy

# A denial's ratio is unbounded (none is stored): lists sort and filter it as above any ratio, and
# among denials by the deaths denied (the L of the comparison that sets the level), largest first,
# so that a denial of 240 dead is not buried under denials of one. Django reads SQLite's decimals to 15
# digits, two of them decimals: the rank plus a count stays exact below 10**13; and it is above any
# ratio, which is at most its L, a count (at most 2**31 a claim).
DENIAL_RANK = Decimal(10) ** 12


def ratio_rank(level: str | None, ratio: Decimal | None, lo: int | None = None) -> Decimal | None:
    """Return the ratio as lists sort and filter on it: a denial's, unbounded, above every ratio and
    ranked by `lo`, the deaths its leading comparison says another party denies."""
    return DENIAL_RANK + (lo or 0) if level == discrepancy.DENIAL else ratio
