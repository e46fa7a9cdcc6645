"""Events as the lists show them: each with the comparison that sets its level, named and spread out,
and the parties with a current claim. A list counts the killed, or the injured when asked."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.models import ComparisonGroup, ContainmentDiscrepancy, Event, Level, Party
from tracker.presentation.labels import comparison_label
from tracker.presentation.numbers import spread_text
from tracker.presentation.sides import is_all_sides, sided_categories
from tracker.rules import discrepancy


@dataclass
class EventRow:
    """An event as a list shows it: the level it is listed by (of its killed, or of its injured), the
    comparison that sets it, and the parties with a current claim."""

    event: Event
    outcome: str
    level: str | None
    leading: ComparisonGroup | ContainmentDiscrepancy | None
    label: str
    parties: list[Party]

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level else ""

    @property
    def spread(self) -> str:
        return spread_text(self.leading)

    @property
    def by_injured(self) -> bool:
        return self.outcome == discrepancy.INJURED


def event_rows(events, *, outcome: str = discrepancy.KILLED) -> list[EventRow]:
    """Return list rows for events fetched with `EventQuerySet.for_list()`, by the level of their
    killed, or of their injured."""
    rows = []
    for event in events:
        parties = list({claim.party_id: claim.party for claim in event.current_claims}.values())
        # The group that sets the level, if one does, comes first.
        groups = [group for group in event.ranked_groups if group.outcome == outcome]
        containment = [item for item in event.leading_containment if item.outcome == outcome]
        leading = containment[0] if containment else (groups[0] if groups else None)
        label = ""
        if leading is not None:
            # A containment discrepancy names its sides itself; a group may count all sides.
            all_sides = isinstance(leading, ComparisonGroup) and is_all_sides(leading, sided_categories(groups))
            label = comparison_label(leading, all_sides=all_sides)
        level = event.injured_level if outcome == discrepancy.INJURED else event.level
        rows.append(EventRow(event=event, outcome=outcome, level=level, leading=leading, label=label, parties=parties))
    return rows
