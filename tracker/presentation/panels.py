"""The event page's comparisons as panels: each group's current claims side by side, each party's
counts of subgroups under its count of the whole, each containment discrepancy's parts against its
whole, with their charts, sentences and spreads; the killed apart from the injured; and the words for
a classification dispute and for a party's report that does not add up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tracker.models import Claim, ComparisonGroup, ContainmentDiscrepancy, Event, Party
from tracker.presentation import charts
from tracker.presentation.labels import comparison_label, of_whom_text, standing_label, subgroup_name
from tracker.presentation.numbers import interval_text, range_text, spread_text
from tracker.presentation.sentences import (
    containment_sentence,
    dispute_sentence,
    inconsistency_sentence,
    level_sentence,
)
from tracker.presentation.sides import is_all_sides, sided_categories
from tracker.rules import discrepancy


@dataclass
class PartyRow:
    """One party's current count of a group's whole (None if it counts only subgroups of it), with its
    counts of the subgroups under it: "of whom: children 4 – 6"."""

    party: Party
    claim: Claim | None
    of_whom: list[Claim] = field(default_factory=list)


@dataclass
class GroupPanel:
    """One comparison group on the event page: its current claims side by side, and their chart."""

    group: ComparisonGroup
    label: str
    all_sides: bool
    rows: list[PartyRow]
    chart: str
    sentence: str
    spread: str

    @property
    def comparison(self) -> ComparisonGroup:
        return self.group

    @property
    def anchor(self) -> str:
        return f"group-{self.group.pk}"

    @property
    def of_whom(self) -> str:
        return of_whom_text(self.group.subgroup) if self.group.subgroup_id else ""


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


@dataclass
class EventPanels:
    """An event's panels: the killed, whose comparisons set its level, then the injured, with their own."""

    killed: list[GroupPanel | ContainmentPanel]
    injured: list[GroupPanel | ContainmentPanel]

    @property
    def leading(self) -> GroupPanel | ContainmentPanel | None:
        """The panel of the comparison that sets the event's level."""
        return next((panel for panel in self.killed if panel.comparison.sets_level), None)


def group_key(comparison: ComparisonGroup | ContainmentDiscrepancy | Claim) -> tuple:
    """The whole a group, claim or containment discrepancy belongs to: its outcome, category and side."""
    return comparison.outcome, comparison.category, comparison.victim_side_id


def summary_set(claim: Claim, group: ComparisonGroup | None) -> Claim:
    """Give a claim what `ClaimQuerySet.with_group_summary()` would, from its group already at hand."""
    if group is not None:
        claim.group_level, claim.group_lo_max, claim.group_hi_min = group.level, group.lo_max, group.hi_min
    claim.standing_label = standing_label(claim.standing if group is not None else None)
    return claim


def axis_title(outcome: str) -> str:
    """Name what a chart's axis counts."""
    # In its own context: the outcome's name elsewhere ("injured", a choice) may read otherwise.
    return pgettext("chart axis", "injured") if outcome == discrepancy.INJURED else _("deaths")


def by_interval(claim: Claim) -> tuple:
    return claim.interval.lo, claim.interval.hi is None, claim.interval.hi or 0


def party_rows(wholes: list[Claim], subgroup_claims: Iterable[Claim]) -> list[PartyRow]:
    """Each party's count of the whole, in their order, then the parties that count only its subgroups;
    under each, its counts of the subgroups by name."""
    rows = {claim.party_id: PartyRow(claim.party, claim) for claim in wholes}
    for claim in sorted(subgroup_claims, key=lambda claim: (claim.party.name, subgroup_name(claim.subgroup))):
        rows.setdefault(claim.party_id, PartyRow(claim.party, None)).of_whom.append(claim)
    return list(rows.values())


def group_panel(
    group: ComparisonGroup,
    claims: list[Claim],
    *,
    all_sides: bool,
    subgroup_claims: Iterable[Claim] = (),
    assessed: Iterable[charts.IntervalBar] = (),
) -> GroupPanel:
    """`assessed` are the assessors' figures of the group's whole, each drawn below the parties' claims."""
    current = sorted((summary_set(claim, group) for claim in claims if claim.is_current), key=by_interval)
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
    bars.extend(assessed)
    sentence = level_sentence(group)
    chart = charts.interval_chart(
        bars,
        chart_id=f"group-{group.pk}-chart",
        lo_max=group.lo_max,
        hi_min=group.hi_min,
        title=_("Each party's count as an interval"),
        description=sentence,
        axis_title=axis_title(group.outcome),
    )
    return GroupPanel(
        group=group,
        label=comparison_label(group, all_sides=all_sides),
        all_sides=all_sides,
        rows=party_rows(current, subgroup_claims),
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
        subgroup=subgroup_name(item.subgroup) if item.subgroup_id else "",
    )
    if item.named:
        parts_label = _("Named dead")
        title = _("The named dead against a party's count")
    elif item.subgroup_id:
        parts_label = _("%(subgroup)s: %(party)s") % {
            "subgroup": subgroup_name(item.subgroup),
            "party": item.parts_party.name,
        }
        title = _("One party's count of a subgroup against another party's whole")
    else:
        parts_label = _("Parts: %(party)s") % {"party": item.parts_party.name}
        title = _("The sum of one party's parts against another party's whole")
    bars = [
        charts.IntervalBar(
            label=parts_label, lo=item.lo, hi=None, value_text=range_text(item.lo, None), standing="above"
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
        title=title,
        description=sentence,
        axis_title=axis_title(item.outcome),
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


def event_panels(event: Event, claims: list[Claim], assessed: dict | None = None) -> EventPanels:
    """Return the event's comparisons as panels, the killed apart from the injured: each whole's group
    with its parties' counts of subgroups under theirs, then the containment discrepancies of that whole,
    then its subgroups' comparisons; the comparison that sets the event's level (with its neighbours) first.

    A subgroup counted by one party only is shown under its whole, not as a comparison of its own, unless
    no party counts that whole or it sets the level. `assessed` maps a victim category to the assessors'
    figures of it, drawn in the chart of the killed of that category on no side."""
    assessed = assessed or {}
    groups = list(event.groups.select_related("victim_side", "subgroup").worst_first())
    by_key = {(*group_key(group), group.subgroup_id): group for group in groups}
    by_group: dict[tuple, list[Claim]] = {}
    of_whom: dict[tuple, list[Claim]] = {}  # each whole's claims of subgroups
    for claim in claims:
        by_group.setdefault((*group_key(claim), claim.subgroup_id), []).append(claim)
        if claim.subgroup_id:  # shown under its whole, where it stands among the others' counts of its subgroup
            summary_set(claim, by_key.get((*group_key(claim), claim.subgroup_id)))
            of_whom.setdefault(group_key(claim), []).append(claim)
    sided = sided_categories(claims)
    clusters: dict[tuple, list] = {}
    for group in (group for group in groups if not group.subgroup_id):
        key = group_key(group)
        figures = assessed.get(group.category, []) if key[0] == discrepancy.KILLED and key[2] is None else []
        panel = group_panel(
            group, by_group.get((*key, None), []), all_sides=is_all_sides(group, sided),
            subgroup_claims=of_whom.get(key, []), assessed=figures,
        )  # fmt: skip
        clusters[key] = [panel]
    subgroup_panels = [
        group_panel(group, by_group.get((*group_key(group), group.subgroup_id), []), all_sides=False)
        for group in groups
        if group.subgroup_id
        and (group.level != discrepancy.SINGLE or group.sets_level or group_key(group) not in clusters)
    ]
    by_pk = {claim.pk: claim for claim in claims}
    containment = (
        event.containment.select_related("parts_party", "whole_party", "victim_side", "subgroup")
        .prefetch_related(Prefetch("parts", Claim.objects.only("pk")))
        .worst_first()
    )
    for item in containment:
        # A whole's own panel, where the stored summaries are in step; else a cluster of its own.
        clusters.setdefault(group_key(item), []).append(containment_panel(item, by_pk))
    for panel in subgroup_panels:
        clusters.setdefault(group_key(panel.group), []).append(panel)
    ordered = sorted(clusters.values(), key=lambda cluster: not any(panel.comparison.sets_level for panel in cluster))
    panels = [panel for cluster in ordered for panel in cluster]
    return EventPanels(
        killed=[panel for panel in panels if panel.comparison.outcome == discrepancy.KILLED],
        injured=[panel for panel in panels if panel.comparison.outcome == discrepancy.INJURED],
    )


def inconsistency_texts(event: Event) -> list[str]:
    """Say, for each party whose own report does not add up, how: "… 8 children among at most 5 civilians"."""
    if not event.inconsistent:
        return []
    found = event.inconsistencies.select_related("party", "victim_side", "subgroup").order_by("pk")
    return [inconsistency_sentence(item, subgroup_name(item.subgroup)) for item in found]


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
