"""The stored discrepancy results put into words and numbers for the pages.

Ratios are stored to two decimals; they are rounded further here, for reading only.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.models import ContainmentDiscrepancy
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


def all_sides_text() -> str:
    return _("all sides")


def all_sides_explained() -> str:
    return _(
        "“All sides”: these claims name no victim side, so each counts the dead of every side; the claims "
        "that name a side count parts of them."
    )


def comparison_label(comparison, *, all_sides: bool = False) -> str:
    """Name a comparison: "Combatant: Islamic State", "Combatant: all sides", "Total: its parts against the whole"."""
    category = comparison.get_category_display()
    if isinstance(comparison, ContainmentDiscrepancy):
        if comparison.category == discrepancy.TOTAL:
            return _("Total: its parts against the whole")
        return _("%(category)s: each side against all sides") % {"category": category}
    if comparison.victim_side_id:
        return f"{category}: {comparison.victim_side.name}"
    return f"{category}: {all_sides_text()}" if all_sides else category


def part_text(category: str, side: str | None, count: int) -> str:
    """Put one part of a whole in words: "36 Islamic State combatants", "12 civilians"."""
    numbers = {"count": count, "side": side}
    if side is None:
        phrases = {
            discrepancy.CIVILIAN: ngettext("%(count)s civilian", "%(count)s civilians", count),
            discrepancy.COMBATANT: ngettext("%(count)s combatant", "%(count)s combatants", count),
            discrepancy.UNKNOWN: ngettext(
                "%(count)s death of unknown status", "%(count)s deaths of unknown status", count
            ),
        }
    else:
        phrases = {
            discrepancy.CIVILIAN: ngettext("%(count)s %(side)s civilian", "%(count)s %(side)s civilians", count),
            discrepancy.COMBATANT: ngettext("%(count)s %(side)s combatant", "%(count)s %(side)s combatants", count),
            discrepancy.UNKNOWN: ngettext(
                "%(count)s %(side)s death of unknown status", "%(count)s %(side)s deaths of unknown status", count
            ),
        }
    return phrases[category] % numbers


def whole_text(category: str, count: int) -> str:
    """Put a whole in words: "0 combatants of all sides", "12 deaths in total"."""
    phrases = {
        discrepancy.TOTAL: ngettext("%(count)s death in total", "%(count)s deaths in total", count),
        discrepancy.CIVILIAN: ngettext("%(count)s civilian of all sides", "%(count)s civilians of all sides", count),
        discrepancy.COMBATANT: ngettext("%(count)s combatant of all sides", "%(count)s combatants of all sides", count),
        discrepancy.UNKNOWN: ngettext(
            "%(count)s death of unknown status of all sides", "%(count)s deaths of unknown status of all sides", count
        ),
    }
    return phrases[category] % {"count": count}


def containment_sentence(item, parts: list[tuple[str, str | None, int]]) -> str:
    """Explain a containment discrepancy in one sentence, with its parties and numbers.

    `parts` are the parts added up, each (category, victim side's name or None, lower bound).
    """
    listed = get_text_list([part_text(*part) for part in parts], _("and"))
    if len(parts) > 1:
        listed = _("%(parts)s, %(sum)s in all") % {"parts": listed, "sum": item.lo}
    gap = item.lo - item.hi
    numbers = {
        "parts_party": item.parts_party.name,
        "parts": listed,
        "whole_party": item.whole_party.name,
        "whole": whole_text(item.category, item.hi),
        "ratio": left_to_right(ratio_text(item.ratio)),
        "gap": gap,
    }
    if item.level == discrepancy.DENIAL:
        return _("Denial: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s.") % numbers
    if item.level == discrepancy.MAJOR:
        return (
            ngettext(
                "Major discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s: "
                "%(ratio)s as many, %(gap)s death apart.",
                "Major discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s: "
                "%(ratio)s as many, %(gap)s deaths apart.",
                gap,
            )
            % numbers
        )
    return (
        ngettext(
            "Minor discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s, "
            "but only by %(gap)s death (%(ratio)s).",
            "Minor discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s, "
            "but only by %(gap)s deaths (%(ratio)s).",
            gap,
        )
        % numbers
    )


def dispute_sentence(combatants_only: list[str], civilians_only: list[str]) -> str:
    """Name the parties on each side of a classification dispute."""
    return _(
        "Classification dispute: %(combatant_parties)s count only combatants, %(civilian_parties)s only civilians."
    ) % {
        "combatant_parties": get_text_list(combatants_only, _("and")),
        "civilian_parties": get_text_list(civilians_only, _("and")),
    }


def level_sentence(group) -> str:
    """Explain a group's level, with its numbers, in one sentence."""
    gap = (group.lo_max or 0) - (group.hi_min or 0)
    numbers = {
        "lo_max": group.lo_max,
        "hi_min": group.hi_min,
        "ratio": left_to_right(ratio_text(group.ratio)),
        "gap": gap,
        "range": left_to_right(range_text(group.lo_max, group.hi_min)),
    }
    if group.level == discrepancy.DENIAL:
        return (
            ngettext(
                "Denial: one party says no one died, while another counts at least %(lo_max)s death.",
                "Denial: one party says no one died, while another counts at least %(lo_max)s deaths.",
                group.lo_max,
            )
            % numbers
        )
    if group.level == discrepancy.MAJOR:
        return (
            ngettext(
                "Major discrepancy: the highest lower bound (%(lo_max)s) is %(ratio)s the lowest upper "
                "bound (%(hi_min)s), %(gap)s death apart.",
                "Major discrepancy: the highest lower bound (%(lo_max)s) is %(ratio)s the lowest upper "
                "bound (%(hi_min)s), %(gap)s deaths apart.",
                gap,
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
        # The noun agrees with the last number read: the range's upper end, or its lower one when open.
        return (
            ngettext(
                "The counts agree: every claim allows %(range)s death.",
                "The counts agree: every claim allows %(range)s deaths.",
                group.lo_max if group.hi_min is None else group.hi_min,
            )
            % numbers
        )
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


def count_in_text(count) -> str:
    """Return a count as reported for a sentence or an admin cell: a range kept left to right, so that
    Arabic does not read "12 – 15" as "15 – 12". Downloads take `count_text`, bare."""
    text = count_text(count)
    return left_to_right(text) if count.qualifier == counts.RANGE else text
