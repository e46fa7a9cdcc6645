"""The event page's comparisons as panels: each group's current claims side by side, each containment
discrepancy's parts against its whole, with their charts, sentences and spreads; and the words for a
classification dispute."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tracker.models import Claim, ComparisonGroup, ContainmentDiscrepancy, Event
from tracker.presentation import charts
from tracker.presentation.labels import comparison_label, standing_label
from tracker.presentation.numbers import interval_text, range_text, spread_text
from tracker.presentation.sentences import containment_sentence, dispute_sentence, level_sentence
from tracker.presentation.sides import is_all_sides, sided_categories
from tracker.rules import discrepancy


@dataclass
class GroupPanel:
    """One comparison group on the event page: its current claims side by side, and their chart."""

    group: ComparisonGroup
    label: str
    all_sides: bool
    claims: list[Claim]
    chart: str
    sentence: str
    spread: str

    @property
    def comparison(self) -> ComparisonGroup:
        return self.group

    @property
    def anchor(self) -> str:
        return f"group-{self.group.pk}"


@dataclass
class ContainmentPanel:
    """One containment discrepancy on the event page: a party's parts against another party's whole."""

    item: ContainmentDiscrepancy
    label: str
    parts: list[Claim]
    whole: Claim
    chart: str
    sentence: str
    spread: str

    @property
    def comparison(self) -> ContainmentDiscrepancy:
        return self.item

    @property
    def anchor(self) -> str:
        return f"containment-{self.item.pk}"


def group_panel(group: ComparisonGroup, claims: list[Claim], *, all_sides: bool) -> GroupPanel:
    current = sorted(
        (claim for claim in claims if claim.is_current),
        key=lambda claim: (claim.interval.lo, claim.interval.hi is None, claim.interval.hi or 0),
    )
    for claim in current:
        # What `ClaimQuerySet.with_group_summary()` gives each claim, here already at hand.
        claim.group_level, claim.group_lo_max, claim.group_hi_min = group.level, group.lo_max, group.hi_min
        claim.standing_label = standing_label(claim.standing)
    bars = [
        charts.IntervalBar(
            label=claim.party.name,
            lo=claim.interval.lo,
            hi=claim.interval.hi,
            value_text=interval_text(claim.interval),
            standing=claim.standing or "",
        )
        for claim in current
    ]
    sentence = level_sentence(group)
    chart = charts.interval_chart(
        bars,
        chart_id=f"group-{group.pk}-chart",
        lo_max=group.lo_max,
        hi_min=group.hi_min,
        title=_("Each party's count as an interval"),
        description=sentence,
        axis_title=_("deaths"),
    )
    return GroupPanel(
        group=group,
        label=comparison_label(group, all_sides=all_sides),
        all_sides=all_sides,
        claims=current,
        chart=chart,
        sentence=sentence,
        spread=spread_text(group),
    )


def containment_panel(item: ContainmentDiscrepancy, claims: dict[int, Claim]) -> ContainmentPanel:
    parts = sorted(
        (claims[part.pk] for part in item.parts.all()),
        key=lambda claim: (discrepancy.CATEGORY_ORDER[claim.category], claim.victim_side_id is not None,
                           claim.victim_side.name if claim.victim_side_id else ""),
    )  # fmt: skip
    whole = claims[item.whole_claim_id]
    sentence = containment_sentence(
        item,
        [(part.category, part.victim_side.name if part.victim_side_id else None, part.interval.lo) for part in parts],
    )
    bars = [
        charts.IntervalBar(
            label=_("Parts: %(party)s") % {"party": item.parts_party.name},
            lo=item.lo,
            hi=None,
            value_text=range_text(item.lo, None),
            standing="above",
        ),
        charts.IntervalBar(
            label=_("Whole: %(party)s") % {"party": item.whole_party.name},
            lo=whole.interval.lo,
            hi=whole.interval.hi,
            value_text=interval_text(whole.interval),
            standing="below",
        ),
    ]
    chart = charts.interval_chart(
        bars,
        chart_id=f"containment-{item.pk}-chart",
        lo_max=item.lo,
        hi_min=item.hi,
        title=_("The sum of one party's parts against another party's whole"),
        description=sentence,
        axis_title=_("deaths"),
    )
    return ContainmentPanel(
        item=item,
        label=comparison_label(item),
        parts=parts,
        whole=whole,
        chart=chart,
        sentence=sentence,
        spread=spread_text(item),
    )


def event_panels(event: Event, claims: list[Claim]) -> list[GroupPanel | ContainmentPanel]:
    """Return the event's comparisons as panels: each containment discrepancy beside the group of its
    whole, and the comparison that sets the event's level (with its neighbour) first."""
    by_group: dict[tuple, list[Claim]] = {}
    for claim in claims:
        by_group.setdefault((claim.category, claim.victim_side_id), []).append(claim)
    sided = sided_categories(claims)
    clusters = [
        [group_panel(group, by_group.get((group.category, group.victim_side_id), []),
                     all_sides=is_all_sides(group, sided))]
        for group in event.groups.select_related("victim_side").worst_first()
    ]  # fmt: skip
    by_pk = {claim.pk: claim for claim in claims}
    containment = (
        event.containment.select_related("parts_party", "whole_party")
        .prefetch_related(Prefetch("parts", Claim.objects.only("pk")))
        .worst_first()
    )
    for item in containment:
        whole = (item.category, None)
        beside = next((cluster for cluster in clusters if group_key(cluster[0].group) == whole), None)
        if beside is None:  # only if the stored summaries were out of step: shown then, on its own
            clusters.append(beside := [])
        beside.append(containment_panel(item, by_pk))
    clusters.sort(key=lambda cluster: not any(panel.comparison.sets_level for panel in cluster))
    return [panel for cluster in clusters for panel in cluster]


def group_key(group: ComparisonGroup) -> tuple:
    return group.category, group.victim_side_id


def dispute_text(event: Event, claims: list[Claim]) -> str:
    """Name the parties on each side of the event's classification dispute, if it has one."""
    if not event.classification_dispute:
        return ""
    current = [claim for claim in claims if claim.is_current]
    combatants, civilians = discrepancy.classification_dispute_parties(
        (claim.party_id, claim.category, claim.subgroup_id, claim.interval)
        for claim in current
        if claim.outcome == discrepancy.KILLED
    )
    names = {claim.party_id: claim.party.name for claim in current}
    return dispute_sentence(sorted(names[pk] for pk in combatants), sorted(names[pk] for pk in civilians))
