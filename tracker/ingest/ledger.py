"""What makes two claims the same claim, and the ledger of the claims an import meets."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from enum import Enum
from typing import NamedTuple

from django.utils.translation import gettext as _

from tracker.models import Claim, Event
from tracker.models.claims import CLAIM_IDENTITY

# What a file may change of a claim it states again: everything else makes it another claim.
RESTATABLE_FIELDS = ["retracted", "wording", "notes"]


def claim_key(
    *,
    event: Hashable,
    party: Hashable,
    outcome: str,
    category: str,
    victim_side: Hashable | None,
    subgroup: Hashable | None,
    claimed_on: date,
    qualifier: str,
    low: int | None,
    best: int | None,
    high: int | None,
    source: Hashable,
) -> tuple:
    """Return what makes two claims the same claim (the model's CLAIM_IDENTITY, which the database
    holds unique): the same event, party, outcome, category, victim side, subgroup, claim date, count
    as reported (qualifier and numbers) and source.

    Event, party, victim side, subgroup and source are given by whatever tells them apart: primary keys
    for stored claims (`Claim.identity_key`), the resolvers' keys in an import.
    """
    given = locals()
    return tuple(given[name] for name in CLAIM_IDENTITY)


class Outcome(Enum):
    NEW = "new"
    UPDATED = "updated"  # stored, and the file changes its retraction, wording or notes
    UNCHANGED = "unchanged"


class Stated(NamedTuple):
    """What becomes of a claim a file states: the outcome, the claim to write, and the fields it changes."""

    outcome: Outcome
    claim: Claim
    changed: list[str]


class ClaimRestated(Exception):
    """A file states a claim twice, saying different things of it."""


class ClaimLedger:
    """The claims an import has met, by claim key: those stored for its events, and those its file states.

    A claim the file has stated is kept as what it said only, not as a claim: a later statement
    of it is compared with that, and so the ledger of a large file stays small.
    """

    def __init__(self):
        self.claims: dict[tuple, Claim] = {}  # stored, and not stated yet
        self.stated: dict[tuple, tuple[int, tuple]] = {}  # by key: the line that stated it, and what it said

    def look_ahead(self, events: list[Event]) -> None:
        """Load the stored claims of events met for the first time, in one query."""
        if events:
            for claim in Claim.objects.filter(event__in=events).order_by("pk"):
                self.claims[claim.identity_key()] = claim

    def restated_as_stored(self, key: tuple, said: tuple, *, origin_id: str, line: int) -> bool:
        """Enter a claim the file states just as it is stored (its origin identifier included) and
        return True; return False, entering nothing, for any other, which `state` is to take."""
        stored = self.claims.get(key)
        if key in self.stated or stored is None or stored.origin_id != origin_id:
            return False
        if tuple(getattr(stored, name) for name in RESTATABLE_FIELDS) != said:
            return False
        self.stated[key] = (line, said)
        del self.claims[key]
        return True

    def state(self, key: tuple, claim: Claim, *, line: int) -> Stated:
        """Enter a claim the file states; return what becomes of it, the claim to write and what changes.

        A stored claim takes the retraction, wording and notes the file gives it. Raise
        ClaimRestated when the file stated the same claim before and said something else of it.
        """
        said = tuple(getattr(claim, name) for name in RESTATABLE_FIELDS)
        if key in self.stated:
            first_line, first_said = self.stated[key]
            if said != first_said:
                raise ClaimRestated(
                    _(
                        "states again the claim of line %(line)s, with another retraction, wording or notes; "
                        "state each claim once"
                    )
                    % {"line": first_line}
                )
            return Stated(Outcome.UNCHANGED, claim, [])
        self.stated[key] = (line, said)
        stored = self.claims.pop(key, None)
        if stored is None:
            return Stated(Outcome.NEW, claim, [])
        changed = [name for name, value in zip(RESTATABLE_FIELDS, said, strict=True) if getattr(stored, name) != value]
        if not changed:
            return Stated(Outcome.UNCHANGED, stored, [])
        for name in changed:
            setattr(stored, name, getattr(claim, name))
        return Stated(Outcome.UPDATED, stored, changed)
