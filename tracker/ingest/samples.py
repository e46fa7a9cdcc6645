"""A few of the claims an import makes or changes, as plain values, so that a person can check the
mapping of a file's columns before confirming it.

A sample holds what the file says, confidential sources and notes included: it is shown only
through `tracker.visibility.claim_sample_shown`, which hides them from whoever may not see them.
Plain values (no model instances) so that a preview can be kept with its import job.
"""

from __future__ import annotations

from tracker.models import Claim
from tracker.rules.dates import stated_text

SAMPLES_TAKEN = 5  # of the new claims, and of the changed ones


def claim_sample(*, line: int, claim: Claim, changed: list[str]) -> dict:
    """Return what a preview shows of a claim the import makes (changed empty) or changes."""
    return {
        "line": line,
        "event": claim.event.ref,
        "party": claim.party.name,
        "outcome": claim.outcome,
        "category": claim.category,
        "victim_side": claim.victim_side.name if claim.victim_side else None,
        "subgroup": claim.subgroup.code if claim.subgroup else None,
        "qualifier": claim.qualifier,
        "low": claim.low,
        "best": claim.best,
        "high": claim.high,
        "wording": claim.wording,
        "claimed_on": stated_text(claim.claimed_on, claim.claimed_on_precision),  # as the file states it
        "retracted": claim.retracted,
        "source": str(claim.source),
        "source_confidential": claim.source.confidential,
        "notes": claim.notes,
        "changed": changed,
    }


class ClaimSamples:
    """The first few new and changed claims of an import, in the order of the file."""

    def __init__(self, new: list[dict] | None = None, changed: list[dict] | None = None):
        self.new: list[dict] = new or []
        self.changed: list[dict] = changed or []

    def take(self, *, line: int, claim: Claim, changed: list[str] | None = None) -> None:
        taken = self.changed if changed else self.new
        if len(taken) < SAMPLES_TAKEN:
            taken.append(claim_sample(line=line, claim=claim, changed=changed or []))

    def as_dict(self) -> dict:
        return {"new": self.new, "changed": self.changed}
