"""Parties: who makes claims, and whose dead are counted."""

import re

from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from tracker.models.choices import PartyKind
from tracker.models.tallies import STANDING_COLUMNS
from tracker.models.versions import Versioned


class PartyQuerySet(models.QuerySet):
    def for_list(self):
        """Return parties with their stored tally (tracker.models.tallies): claims, events, standings."""
        return self.annotate(
            claim_total=Coalesce("tally__claims", 0),
            event_total=Coalesce("tally__events", 0),
            **{f"standing_{name}": Coalesce(f"tally__{name}", 0) for name in STANDING_COLUMNS},
        )

    def with_claims(self):
        """Return the parties that made at least one claim."""
        return self.filter(tally__claims__gt=0)

    def matching(self, text: str):
        """Return the parties whose name, short name or an alias holds the text, ranked (`ranked`)."""
        text = text.strip()
        holding = Q(name__icontains=text) | Q(short_name__icontains=text) | Q(aliases__icontains=text)
        return self.ranked(text).filter(holding)

    def ranked(self, text: str):
        """Return the parties with their `match_rank` for the text typed: 0 for the name or short name itself,
        1 for one of its aliases, 2 for a name that begins with it, 3 for the rest. Typing "IS" then finds the
        party IS before the 20 names that merely hold the letters."""
        text = text.strip()
        alias_line = rf"(^|\n){re.escape(text)}\r?(\n|$)"
        return self.annotate(
            match_rank=Case(
                When(Q(name__iexact=text) | Q(short_name__iexact=text), then=Value(0)),
                When(aliases__iregex=alias_line, then=Value(1)),
                When(name__istartswith=text, then=Value(2)),
                default=Value(3),
            )
        )


class Party(Versioned):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices)
    country = CountryField(_("country"), blank=True, help_text=_("Where the party is based, if anywhere."))
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other names the party goes by, one per line; imports match them too."),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""), name="party_name_not_empty",
                violation_error_message=_("A party needs a name."),
            ),
            # Any case: an import matches names so, and would merge "MSF Test" and "msf test".
            # On SQLite, lower() folds only ASCII letters; PostgreSQL folds every alphabet.
            models.UniqueConstraint(
                Lower("name"), name="party_name_unique_any_case",
                violation_error_message=_(
                    "A party with this name already exists, perhaps in other capitals: names are compared "
                    "regardless of case. Use that party, or give this one a name that tells them apart."
                ),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name

    def names(self) -> set[str]:
        """Return the party's name and aliases in lower case, for matching as the name's constraint compares."""
        return {self.name.lower()} | {alias.strip().lower() for alias in self.aliases.splitlines() if alias.strip()}
