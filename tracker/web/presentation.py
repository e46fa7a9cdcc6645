"""The stored discrepancy results put into words and numbers for the pages.

Ratios are stored to two decimals; they are rounded further here, for reading only.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from tracker.rules import counts, discrepancy
from tracker.rules.counts import Interval


def ratio_text(ratio: Decimal | None) -> str:
    """Return a ratio as staff read it: 3.3×; two decimals below 2, where the major threshold sits."""
    if ratio is None:
        return ""
    places = Decimal("0.01") if ratio < 2 else Decimal("0.1")
    return f"{ratio.quantize(places)}×"


def range_text(lo: int | None, hi: int | None) -> str:
    """Return the counts from lo to hi: "12 – 15", "13" when equal, "≥ 9" when open-ended."""
    if lo is None:
        return ""
    if hi is None:
        return f"≥ {lo}"
    if lo == hi:
        return str(lo)
    return f"{lo} – {hi}"


def interval_text(interval: Interval) -> str:
    return range_text(interval.lo, interval.hi)


def spread_text(group) -> str:
    """Return a group's spread: from the smallest upper bound to the largest lower bound, and their ratio.

    Where the counts agree (or only one party counts) it is the range of values they all allow.
    """
    if group is None or group.level is None:
        return ""
    if group.level in (discrepancy.MAJOR, discrepancy.MINOR):
        return f"{group.hi_min} – {group.lo_max}, {ratio_text(group.ratio)}"
    if group.level == discrepancy.DENIAL:
        return f"0 – {group.lo_max}"
    return range_text(group.lo_max, group.hi_min)


def level_sentence(group) -> str:
    """Explain a group's level, with its numbers, in one sentence."""
    numbers = {
        "lo_max": group.lo_max,
        "hi_min": group.hi_min,
        "ratio": ratio_text(group.ratio),
        "gap": (group.lo_max or 0) - (group.hi_min or 0),
        "range": range_text(group.lo_max, group.hi_min),
    }
    if group.level == discrepancy.DENIAL:
        return _("Denial: one party says no one died, while another counts at least %(lo_max)s dead.") % numbers
    if group.level == discrepancy.MAJOR:
        return (
            _(
                "Major discrepancy: the highest lower bound (%(lo_max)s) is %(ratio)s the lowest upper "
                "bound (%(hi_min)s), %(gap)s deaths apart."
            )
            % numbers
        )
    if group.level == discrepancy.MINOR:
        return (
            _(
                "Minor discrepancy: the counts are apart but close; the highest lower bound (%(lo_max)s) "
                "is %(ratio)s the lowest upper bound (%(hi_min)s)."
            )
            % numbers
        )
    if group.level == discrepancy.AGREE:
        return _("The counts agree: every claim allows %(range)s dead.") % numbers
    if group.level == discrepancy.SINGLE:
        return _("Only one party has a claim: its count (%(range)s) is uncorroborated.") % numbers
    return _("No party has a current claim in this group.")


def standing_label(value: str | None) -> str:
    labels = {
        discrepancy.ALONE: _("alone: no other party counts"),
        discrepancy.AGREES: _("agrees with the others"),
        discrepancy.ABOVE: _("apart: higher than another party allows"),
        discrepancy.BELOW: _("apart: lower than another party allows"),
        discrepancy.WITHIN: _("between the others"),
    }
    return labels.get(value, "")


def count_text(count) -> str:
    """Return a count as reported, in the page's language: "about 40", "at least 12", "12–15"."""
    if count.qualifier == counts.EXACT:
        return str(count.best)
    if count.qualifier == counts.APPROXIMATE:
        return _("about %(best)s") % {"best": count.best}
    if count.qualifier == counts.AT_LEAST:
        return _("at least %(low)s") % {"low": count.low}
    if count.qualifier == counts.AT_MOST:
        return _("at most %(high)s") % {"high": count.high}
    return f"{count.low} – {count.high}"
