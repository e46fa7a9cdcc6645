"""“All sides”: a claim or comparison group that names no victim side, where other claims or groups of
its event and category name one, counts the dead of every side, and is labelled so.

The pages, the admin and the downloads all take the rule and its label from here: in Python over
claims or groups at hand, or in SQL over a queryset of claims.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _

from tracker.models import Claim


def sided_categories(items: Iterable) -> set[str]:
    """Return the categories in which some of these claims or groups name a victim side."""
    return {item.category for item in items if item.victim_side_id}


def is_all_sides(item, sided: set[str]) -> bool:
    """Whether a claim or group names no victim side where others of its category (`sided`) name one."""
    return item.victim_side_id is None and item.category in sided


def claims_with_all_sides(claims):
    """Annotate each claim with `all_sides`, as `is_all_sides` decides it among every claim of its event."""
    sided = Claim.objects.filter(
        event_id=OuterRef("event_id"), category=OuterRef("category"), victim_side__isnull=False
    )
    return claims.annotate(
        all_sides=ExpressionWrapper(Q(victim_side__isnull=True) & Exists(sided), output_field=BooleanField())
    )


def all_sides_text(language: str | None = None) -> str:
    """Return the label, in the active language or in `language`: a download reads English whatever the
    language of the page it was asked from."""
    if language is None:
        return _("all sides")
    with translation.override(language):
        return _("all sides")


def all_sides_explained() -> str:
    return _(
        "“All sides”: these claims name no victim side, so each counts the dead of every side; the claims "
        "that name a side count parts of them."
    )
