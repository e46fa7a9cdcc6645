"""An event's named people as its page shows them: each with their fate claims in the event, and beside each
party's count of the killed how many of that category are named."""

from __future__ import annotations

from tracker import visibility
from tracker.models import Event, FateClaim
from tracker.rules import discrepancy
from tracker.summaries.fates import named_dead


def named_people(event: Event, current: list, user) -> list[dict]:
    """Return the people named in the event, by name, each with their fate claims in it as the user may see them
    and whether they are among its named dead; give each party's current claim of the killed of a whole (no
    side, no subgroup) the named dead of its category (`named_dead`), where there are any."""
    fate_claims = list(FateClaim.objects.named_in(event))  # all of each person's: which are current depends on it
    dead = named_dead(fate_claims).get(event.pk, [])
    counts = discrepancy.named_counts(dead)
    for claim in current:
        whole = claim.outcome == discrepancy.KILLED and claim.victim_side_id is None and claim.subgroup_id is None
        if whole and counts.get(claim.category):
            claim.named_dead = counts[claim.category]
    counted = {death.person for death in dead}
    people: dict[int, dict] = {}
    for fate_claim in visibility.claims_shown([each for each in fate_claims if each.event_id == event.pk], user):
        person = fate_claim.person
        entry = people.setdefault(person.pk, {"person": person, "dead": person.pk in counted, "fate_claims": []})
        entry["fate_claims"].append(fate_claim)
    return sorted(people.values(), key=lambda entry: (entry["person"].name.casefold(), entry["person"].pk))
