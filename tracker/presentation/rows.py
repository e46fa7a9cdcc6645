"""Events as the lists show them: each with the comparison that sets its level, named and spread out,
and the parties with a current claim."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.models import ComparisonGroup, ContainmentDiscrepancy, Event, Party
from tracker.presentation.labels import comparison_label
from tracker.presentation.numbers import spread_text
from tracker.presentation.sides import is_all_sides, sided_categories


@dataclass
class EventRow:
    """An event as a list shows it: the comparison that sets its level, and the parties with a current claim."""

    event: Event
    leading: ComparisonGroup | ContainmentDiscrepancy | None
    label: str
    parties: list[Party]

    @property
    def spread(self) -> str:
        return spread_text(self.leading)


def event_rows(events) -> list[EventRow]:
    """Return list rows for events fetched with `EventQuerySet.for_list()`."""
    rows = []
    for event in events:
        parties = list({claim.party_id: claim.party for claim in event.current_claims}.values())
        groups = event.ranked_groups  # the group that sets the level, if one does, comes first
        leading = event.leading_containment[0] if event.leading_containment else (groups[0] if groups else None)
        label = ""
        if leading is not None:
            # A containment discrepancy names its sides itself; a group may count all sides.
            all_sides = isinstance(leading, ComparisonGroup) and is_all_sides(leading, sided_categories(groups))
            label = comparison_label(leading, all_sides=all_sides)
        rows.append(EventRow(event=event, leading=leading, label=label, parties=parties))
    return rows
