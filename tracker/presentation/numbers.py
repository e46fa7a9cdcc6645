"""Counts, intervals, spreads and ratios as staff read them, on the pages, in the admin and in downloads.

Ratios are stored to two decimals; they are rounded further here, for reading only.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from tracker.models.choices import VictimCategory
from tracker.rules import counts, discrepancy
from tracker.rules.counts import Interval


def left_to_right(text: str) -> str:
    """Keep numbers left to right inside a sentence of either direction: "7 – 36, 5.1×" must not read
    "×7 – 36, 5.1" in Arabic. For plain text (sentences, messages, SVG descriptions); HTML templates
    use <bdi dir="ltr"> instead, and downloads take the numbers bare."""
    return f"\u2066{text}\u2069" if text else text  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE


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


def spread_text(comparison) -> str:
    """Return a comparison's spread: from H, the smallest upper bound, to L, the largest lower bound
    (for containment, the whole's bound and the sum of the parts), and their ratio.

    Where the counts agree (or only one party counts) it is the range of values they all allow.
    """
    if comparison is None or comparison.level is None:
        return ""
    lo, hi = comparison.bounds
    if comparison.level in (discrepancy.MAJOR, discrepancy.MINOR):
        return f"{hi} – {lo}, {ratio_text(comparison.ratio)}"
    if comparison.level == discrepancy.DENIAL:
        return f"0 – {lo}"
    return range_text(lo, hi)


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


def count_in_text(count) -> str:
    """Return a count as reported for a sentence or an admin cell: a range kept left to right, so that
    Arabic does not read "12 – 15" as "15 – 12". Downloads take `count_text`, bare."""
    text = count_text(count)
    return left_to_right(text) if count.qualifier == counts.RANGE else text


def part_in_text(part, subgroup_name: str | None = None) -> str:
    """Return one claim of a wording's breakdown: "civilian 12", "children 4", "civilian injured 12".

    A subgroup is named by `subgroup_name` where given (its name in the page's language), else by
    its code, as files write it; a category the wording leaves to the claim is not named.
    """
    if part.subgroup:
        who = subgroup_name or part.subgroup
    else:
        who = str(VictimCategory(part.category).label).lower() if part.category else ""
    if part.outcome == discrepancy.INJURED:
        who = _("%(who)s injured") % {"who": who} if who else _("injured")
    return f"{who} {count_in_text(part.count)}".strip()


def breakdown_in_text(parts, subgroup_names: dict[str, str] | None = None) -> str:
    """Return a wording's breakdown as a list: "civilian 12, children 4"."""
    names = subgroup_names or {}
    return ", ".join(part_in_text(part, names.get(part.subgroup)) for part in parts)
