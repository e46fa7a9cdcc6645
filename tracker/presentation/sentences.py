"""Sentences that explain a comparison's level, a containment discrepancy and a classification dispute,
with their parties and numbers."""

from __future__ import annotations

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.presentation.numbers import left_to_right, range_text, ratio_text
from tracker.rules import discrepancy


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
