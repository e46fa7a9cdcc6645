"""Subgroups: who among the dead or injured a claim counts ("of whom, 4 children")."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models.choices import VictimCategory
from tracker.models.versions import Versioned


class Subgroup(Versioned):
    """One part of a victim category that reports break a toll into; staff extend the list in the admin.

    Subgroups may overlap (a child may be a journalist), so the rules never add them up: each is
    set alone against the whole it belongs to.
    """

    code = models.SlugField(
        _("code"), max_length=40, unique=True,
        help_text=_("How files and the API name it, in lower case with underscores: “children”, “medical_workers”."),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100, help_text=_("As shown in English: “children”."))
    name_ar = models.CharField(
        _("Arabic name"), max_length=100, blank=True, help_text=_("As shown in Arabic: “أطفال”.")
    )
    category = models.CharField(
        _("victim category"), max_length=10, blank=True,
        choices=[(value, label) for value, label in VictimCategory.choices if value != VictimCategory.TOTAL],
        help_text=_("The category it is a part of (children of civilians); empty for a subgroup of any category."),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("subgroup")
        verbose_name_plural = _("subgroups")
        constraints = [
            models.CheckConstraint(
                condition=~Q(code=""),
                name="subgroup_code_not_empty",
                violation_error_message=_("A subgroup needs a code."),
            ),
        ]

    def __str__(self):
        return self.name

    def fits(self, category: str) -> bool:
        """Whether a claim of this category may count this subgroup."""
        return not self.category or self.category == category
