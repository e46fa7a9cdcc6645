"""How lists rank an event's ratio, the same in both backends."""

from decimal import Decimal

from tracker.rules import discrepancy

# A denial's ratio is unbounded (none is stored): lists sort and filter it as above any ratio.
DENIAL_RANK = Decimal(10) ** 19


def ratio_rank(level: str | None, ratio: Decimal | None) -> Decimal | None:
    """Return the ratio as lists sort and filter on it: a denial's, unbounded, above every ratio."""
    return DENIAL_RANK if level == discrepancy.DENIAL else ratio
