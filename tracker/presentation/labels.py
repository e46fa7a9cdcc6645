"""The names the pages give to comparisons, to where a claim stands in its group, and to a claim's status."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tracker.models import Claim, ContainmentDiscrepancy
from tracker.presentation.sides import all_sides_text
from tracker.rules import discrepancy


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
