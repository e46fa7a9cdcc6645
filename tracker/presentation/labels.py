"""The names the pages give to comparisons, to subgroups, to where a claim stands in its group, and to a
claim's status."""

from __future__ import annotations

from datetime import date

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker.models import Claim, ContainmentDiscrepancy, Subgroup
from tracker.presentation.sides import all_sides_text
from tracker.rules import dates, discrepancy


def subgroup_name(subgroup: Subgroup) -> str:
    """Name a subgroup in the page's language: its Arabic name in Arabic, where staff gave one."""
    if translation.get_language() == "ar" and subgroup.name_ar:
        return subgroup.name_ar
    return subgroup.name


def of_whom_text(subgroup: Subgroup) -> str:
    """Introduce a subgroup's count under its whole: "of whom: children"."""
    return _("of whom: %(subgroup)s") % {"subgroup": subgroup_name(subgroup)}


def comparison_label(comparison, *, all_sides: bool = False) -> str:
    """Name a comparison: "Combatant: Islamic State", "Combatant: all sides", "Total: its parts against the
    whole", "Civilian, of whom: children", "Civilian, children against the whole"; the injured's say so."""
    label = comparison_name(comparison, all_sides=all_sides)
    if comparison.outcome == discrepancy.INJURED:
        return _("%(comparison)s (injured)") % {"comparison": label}
    return label


def comparison_name(comparison, *, all_sides: bool) -> str:
    category = comparison.get_category_display()
    if isinstance(comparison, ContainmentDiscrepancy):
        if comparison.subgroup_id:
            whole = f"{category}: {comparison.victim_side.name}" if comparison.victim_side_id else category
            return _("%(whole)s, %(subgroup)s against the whole") % {
                "whole": whole,
                "subgroup": subgroup_name(comparison.subgroup),
            }
        if comparison.named:
            return _("%(category)s: the named dead against the count") % {"category": category}
        if comparison.category == discrepancy.TOTAL:
            return _("Total: its parts against the whole")
        return _("%(category)s: each side against all sides") % {"category": category}
    if comparison.victim_side_id:
        label = f"{category}: {comparison.victim_side.name}"
    else:
        label = f"{category}: {all_sides_text()}" if all_sides else category
    if comparison.subgroup_id:
        return f"{label}, {of_whom_text(comparison.subgroup)}"
    return label


def standing_label(value: str | None) -> str:
    labels = {
        discrepancy.ALONE: _("alone: no other party counts"),
        discrepancy.AGREES: _("agrees with the others"),
        discrepancy.ABOVE: _("apart: higher than another party allows"),
        discrepancy.BELOW: _("apart: lower than another party allows"),
        discrepancy.WITHIN: _("between the others"),
    }
    return labels.get(value, "")


def claim_status(claim: Claim) -> str:
    """Return how a timeline marks a claim: current, superseded or retracted."""
    if claim.retracted:
        return "retracted"
    return "current" if claim.is_current else "superseded"


def stated_date_text(day: date, precision: str) -> str:
    """Show a claim's or a source's date as stated: 2017-09-08, "September 2017" (its month named in the page's
    language), 2017."""
    if precision == dates.MONTH:
        return date_format(day, "F Y")
    if precision == dates.YEAR:
        return str(day.year)
    return day.isoformat()
