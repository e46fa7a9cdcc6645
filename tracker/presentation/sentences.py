"""Sentences that explain a comparison's level, a containment discrepancy and a classification dispute,
with their parties and numbers."""

from __future__ import annotations

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.presentation.numbers import left_to_right, range_text, ratio_text
from tracker.rules import discrepancy


def part_text(category: str, side: str | None, count: int, outcome: str = discrepancy.KILLED) -> str:
    """Put a count of one category and side in words: "36 Islamic State combatants", "12 civilians",
    "5 injured civilians"; a total only as a subgroup's whole ("12 deaths in total")."""
    if outcome == discrepancy.INJURED:
        phrases = injured_phrases(side, count)
    elif side is None:
        phrases = {
            discrepancy.TOTAL: ngettext("%(count)s death in total", "%(count)s deaths in total", count),
            discrepancy.CIVILIAN: ngettext("%(count)s civilian", "%(count)s civilians", count),
            discrepancy.COMBATANT: ngettext("%(count)s combatant", "%(count)s combatants", count),
            discrepancy.UNKNOWN: ngettext(
                "%(count)s death of unknown status", "%(count)s deaths of unknown status", count
            ),
        }
    else:
        phrases = {
            discrepancy.TOTAL: ngettext(
                "%(count)s %(side)s death in total", "%(count)s %(side)s deaths in total", count
            ),
            discrepancy.CIVILIAN: ngettext("%(count)s %(side)s civilian", "%(count)s %(side)s civilians", count),
            discrepancy.COMBATANT: ngettext("%(count)s %(side)s combatant", "%(count)s %(side)s combatants", count),
            discrepancy.UNKNOWN: ngettext(
                "%(count)s %(side)s death of unknown status", "%(count)s %(side)s deaths of unknown status", count
            ),
        }
    return phrases[category] % {"count": count, "side": side}


def injured_phrases(side: str | None, count: int) -> dict[str, str]:
    """The phrases of `part_text` for the injured."""
    if side is None:
        return {
            discrepancy.TOTAL: ngettext("%(count)s injured in total", "%(count)s injured in total", count),
            discrepancy.CIVILIAN: ngettext("%(count)s injured civilian", "%(count)s injured civilians", count),
            discrepancy.COMBATANT: ngettext("%(count)s injured combatant", "%(count)s injured combatants", count),
            discrepancy.UNKNOWN: ngettext(
                "%(count)s injured of unknown status", "%(count)s injured of unknown status", count
            ),
        }
    return {
        discrepancy.TOTAL: ngettext(
            "%(count)s injured %(side)s in total", "%(count)s injured %(side)s in total", count
        ),
        discrepancy.CIVILIAN: ngettext(
            "%(count)s injured %(side)s civilian", "%(count)s injured %(side)s civilians", count
        ),
        discrepancy.COMBATANT: ngettext(
            "%(count)s injured %(side)s combatant", "%(count)s injured %(side)s combatants", count
        ),
        discrepancy.UNKNOWN: ngettext(
            "%(count)s injured %(side)s of unknown status", "%(count)s injured %(side)s of unknown status", count
        ),
    }


def whole_text(category: str, count: int, outcome: str = discrepancy.KILLED) -> str:
    """Put a whole of parts added up in words: "0 combatants of all sides", "12 deaths in total"."""
    if category == discrepancy.TOTAL:
        return part_text(category, None, count, outcome)
    if outcome == discrepancy.INJURED:
        phrases = {
            discrepancy.CIVILIAN: ngettext(
                "%(count)s injured civilian of all sides", "%(count)s injured civilians of all sides", count
            ),
            discrepancy.COMBATANT: ngettext(
                "%(count)s injured combatant of all sides", "%(count)s injured combatants of all sides", count
            ),
            discrepancy.UNKNOWN: ngettext(
                "%(count)s injured of unknown status of all sides",
                "%(count)s injured of unknown status of all sides",
                count,
            ),
        }
    else:
        phrases = {
            discrepancy.CIVILIAN: ngettext(
                "%(count)s civilian of all sides", "%(count)s civilians of all sides", count
            ),
            discrepancy.COMBATANT: ngettext(
                "%(count)s combatant of all sides", "%(count)s combatants of all sides", count
            ),
            discrepancy.UNKNOWN: ngettext(
                "%(count)s death of unknown status of all sides",
                "%(count)s deaths of unknown status of all sides",
                count,
            ),
        }
    return phrases[category] % {"count": count}


def subgroup_text(subgroup: str, count: int) -> str:
    """Put a subgroup's count in words: "children (8)". Subgroups are named in the plural, whatever the
    count, so the count stands apart from the name rather than before it ("1 children")."""
    return _("%(subgroup)s (%(count)s)") % {"subgroup": subgroup, "count": count}


def containment_sentence(item, parts: list[tuple[str, str | None, int]], *, subgroup: str = "") -> str:
    """Explain a containment discrepancy in one sentence, with its parties and numbers.

    `parts` are the parts added up, each (category, victim side's name or None, lower bound); for a
    subgroup's containment, `subgroup` names the subgroup, whose one claim is the part, and the whole
    is of the subgroup's side.
    """
    if item.named:
        return named_sentence(item)
    outcome = item.outcome
    if subgroup:
        listed = subgroup_text(subgroup, item.lo)
        # The whole is another party's claim of the subgroup's own category and side.
        whole = part_text(item.category, item.victim_side.name if item.victim_side_id else None, item.hi, outcome)
    else:
        listed = get_text_list([part_text(*part, outcome) for part in parts], _("and"))
        if len(parts) > 1:
            listed = _("%(parts)s, %(sum)s in all") % {"parts": listed, "sum": item.lo}
        whole = whole_text(item.category, item.hi, outcome)
    gap = item.lo - item.hi
    numbers = {
        "parts_party": item.parts_party.name,
        "parts": listed,
        "whole_party": item.whole_party.name,
        "whole": whole,
        "ratio": left_to_right(ratio_text(item.ratio)),
        "gap": gap,
    }
    if item.level == discrepancy.DENIAL:
        return _("Denial: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s.") % numbers
    injured = outcome == discrepancy.INJURED
    if item.level == discrepancy.MAJOR:
        if injured:
            sentence = ngettext(
                "Major discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s: "
                "%(ratio)s as many, %(gap)s injured apart.",
                "Major discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s: "
                "%(ratio)s as many, %(gap)s injured apart.",
                gap,
            )
        else:
            sentence = ngettext(
                "Major discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s: "
                "%(ratio)s as many, %(gap)s death apart.",
                "Major discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s: "
                "%(ratio)s as many, %(gap)s deaths apart.",
                gap,
            )
        return sentence % numbers
    if injured:
        sentence = ngettext(
            "Minor discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s, "
            "but only by %(gap)s injured (%(ratio)s).",
            "Minor discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s, "
            "but only by %(gap)s injured (%(ratio)s).",
            gap,
        )
    else:
        sentence = ngettext(
            "Minor discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s, "
            "but only by %(gap)s death (%(ratio)s).",
            "Minor discrepancy: %(parts_party)s's %(parts)s exceed %(whole_party)s's %(whole)s, "
            "but only by %(gap)s deaths (%(ratio)s).",
            gap,
        )
    return sentence % numbers


def named_sentence(item) -> str:
    """Explain the named dead exceeding a party's count of the killed: "Major discrepancy: 5 named dead exceed
    the ministry's 2 combatants of all sides: 2.50 as many, 3 deaths apart." One named dead exceeds only a
    count of none, a denial."""
    gap = item.lo - item.hi
    numbers = {
        "named": item.lo,
        "whole_party": item.whole_party.name,
        "whole": whole_text(item.category, item.hi),
        "ratio": left_to_right(ratio_text(item.ratio)),
        "gap": gap,
    }
    if item.level == discrepancy.DENIAL:
        sentence = ngettext(
            "Denial: %(named)s named dead person exceeds %(whole_party)s's %(whole)s.",
            "Denial: %(named)s named dead exceed %(whole_party)s's %(whole)s.",
            item.lo,
        )
    elif item.level == discrepancy.MAJOR:
        sentence = ngettext(
            "Major discrepancy: %(named)s named dead exceed %(whole_party)s's %(whole)s: "
            "%(ratio)s as many, %(gap)s death apart.",
            "Major discrepancy: %(named)s named dead exceed %(whole_party)s's %(whole)s: "
            "%(ratio)s as many, %(gap)s deaths apart.",
            gap,
        )
    else:
        sentence = ngettext(
            "Minor discrepancy: %(named)s named dead exceed %(whole_party)s's %(whole)s, "
            "but only by %(gap)s death (%(ratio)s).",
            "Minor discrepancy: %(named)s named dead exceed %(whole_party)s's %(whole)s, "
            "but only by %(gap)s deaths (%(ratio)s).",
            gap,
        )
    return sentence % numbers


def inconsistency_sentence(item, subgroup: str) -> str:
    """Say how one party's own report does not add up: its subgroup above its own whole."""
    side = item.victim_side.name if item.victim_side_id else None
    return _("%(party)s's own report does not add up: %(subgroup)s among at most %(whole)s.") % {
        "party": item.party.name,
        "subgroup": subgroup_text(subgroup, item.lo),
        "whole": part_text(item.category, side, item.hi, item.outcome),
    }


def dispute_sentence(combatants_only: list[str], civilians_only: list[str]) -> str:
    """Name the parties on each side of a classification dispute."""
    return _(
        "Classification dispute: %(combatant_parties)s count only combatants, %(civilian_parties)s only civilians."
    ) % {
        "combatant_parties": get_text_list(combatants_only, _("and")),
        "civilian_parties": get_text_list(civilians_only, _("and")),
    }


def killed_denial_sentence(category: str, lo_max: int) -> str:
    """Word a denial of deaths by what is denied: a party that concedes no civilian deaths has not said
    that no one died (an armed forces' "non-credible" verdict says nothing of the combatants)."""
    if category == discrepancy.CIVILIAN:
        return ngettext(
            "Denial: one party counts no civilian deaths, while another counts at least %(lo_max)s civilian death.",
            "Denial: one party counts no civilian deaths, while another counts at least %(lo_max)s civilian deaths.",
            lo_max,
        )
    if category == discrepancy.COMBATANT:
        return ngettext(
            "Denial: one party counts no combatant deaths, while another counts at least %(lo_max)s combatant death.",
            "Denial: one party counts no combatant deaths, while another counts at least %(lo_max)s combatant deaths.",
            lo_max,
        )
    if category == discrepancy.UNKNOWN:
        return ngettext(
            "Denial: one party counts no deaths of unknown status, while another counts at least %(lo_max)s such "
            "death.",
            "Denial: one party counts no deaths of unknown status, while another counts at least %(lo_max)s such "
            "deaths.",
            lo_max,
        )
    return ngettext(
        "Denial: one party says no one died, while another counts at least %(lo_max)s death.",
        "Denial: one party says no one died, while another counts at least %(lo_max)s deaths.",
        lo_max,
    )


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
    injured = group.outcome == discrepancy.INJURED
    if group.level == discrepancy.DENIAL:
        if injured:
            sentence = ngettext(
                "Denial: one party says no one was injured, while another counts at least %(lo_max)s injured.",
                "Denial: one party says no one was injured, while another counts at least %(lo_max)s injured.",
                group.lo_max,
            )
        else:
            sentence = killed_denial_sentence(group.category, group.lo_max)
        return sentence % numbers
    if group.level == discrepancy.MAJOR:
        if injured:
            sentence = ngettext(
                "Major discrepancy: the highest lower bound (%(lo_max)s) is %(ratio)s the lowest upper "
                "bound (%(hi_min)s), %(gap)s injured apart.",
                "Major discrepancy: the highest lower bound (%(lo_max)s) is %(ratio)s the lowest upper "
                "bound (%(hi_min)s), %(gap)s injured apart.",
                gap,
            )
        else:
            sentence = ngettext(
                "Major discrepancy: the highest lower bound (%(lo_max)s) is %(ratio)s the lowest upper "
                "bound (%(hi_min)s), %(gap)s death apart.",
                "Major discrepancy: the highest lower bound (%(lo_max)s) is %(ratio)s the lowest upper "
                "bound (%(hi_min)s), %(gap)s deaths apart.",
                gap,
            )
        return sentence % numbers
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
        last = group.lo_max if group.hi_min is None else group.hi_min
        if injured:
            sentence = ngettext(
                "The counts agree: every claim allows %(range)s injured.",
                "The counts agree: every claim allows %(range)s injured.",
                last,
            )
        else:
            sentence = ngettext(
                "The counts agree: every claim allows %(range)s death.",
                "The counts agree: every claim allows %(range)s deaths.",
                last,
            )
        return sentence % numbers
    if group.level == discrepancy.SINGLE:
        return _("Only one party has a claim: its count (%(range)s) is uncorroborated.") % numbers
    return _("No party has a current claim in this group.")
