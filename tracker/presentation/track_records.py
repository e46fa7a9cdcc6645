"""The parties' track records as the pages show them: each party's figures with its page's address, the
shares and ratios written out, the table's orders, and the chart of a party's ratios."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from django.utils.translation import gettext as _

from tracker.models import Party
from tracker.presentation import charts
from tracker.rules.track_records import FEWEST_GROUPS, TrackRecord
from tracker.summaries.track_records import TrackFilters, UnknownParty, party_track_records


def ratio_text(ratio: Fraction | None) -> str:
    """A ratio as the pages write it: "×1.5", "×0.25", "×240"; a dash without one."""
    if ratio is None:
        return "–"
    return f"×{float(ratio):.0f}" if ratio >= 100 else f"×{float(ratio):.3g}"


def share_text(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


@dataclass(frozen=True)
class TrackRow:
    """One party's track record as a row of the table, a column of the comparison, or its page's figures."""

    name: str
    pk: int | None  # its page, where the name is found
    record: TrackRecord

    def share(self, standing: str) -> Fraction | None:
        groups = self.record.groups
        return Fraction(getattr(self.record, standing), groups) if groups else None

    @property
    def too_few(self) -> bool:
        return self.record.too_few

    @property
    def shares(self) -> dict[str, str]:
        return {
            standing: share_text(getattr(self.record, standing), self.record.groups)
            for standing in ("above", "within", "below")
        }

    @property
    def median(self) -> str:
        return ratio_text(self.record.median_ratio)

    @property
    def quartiles(self) -> str:
        record = self.record
        return f"{ratio_text(record.q1)} – {ratio_text(record.q3)}" if record.median_ratio is not None else "–"

    @property
    def retracted(self) -> str:
        return share_text(self.record.retracted, self.record.claims)

    def box(self) -> charts.RatioBox:
        record = self.record
        if record.median_ratio is None:
            return charts.RatioBox(self.name, None, None, None, _("no ratio"))
        return charts.RatioBox(
            self.name, float(record.q1), float(record.median_ratio), float(record.q3), ratio_text(record.median_ratio)
        )


def chosen_rows(form, read=None, *, parties=frozenset()) -> list | None:
    """Return the track records under a bound TrackRecordForm's filters, as `read(filters)` gives them (TrackRows
    by default), only those of these parties (by key) if any are given, or None where the filters cannot be read
    (the form then says why)."""
    if not form.is_valid():
        return None
    try:
        return (read or track_rows)(replace(form.track_filters(), parties=frozenset(parties)))
    except UnknownParty as error:  # renamed since the form checked it
        form.add_error(None, str(error))
        return None


def track_rows(filters: TrackFilters) -> list[TrackRow]:
    """Return each party's track record under the filters, by name, each with its page (one query more)."""
    records = party_track_records(filters)
    pks = dict(Party.objects.filter(name__in=[name for name, _record in records]).values_list("name", "pk"))
    return [TrackRow(name, pks.get(name), record) for name, record in records]


# What each order of ?track_order= sorts by; larger first where it starts with a minus.
ORDER_KEYS = {
    "median": lambda row: row.record.median_ratio,
    "above": lambda row: row.share("above"),
    "below": lambda row: row.share("below"),
    "denials": lambda row: row.record.denials,
}


def ordered(rows: list[TrackRow], order: str) -> list[TrackRow]:
    """Sort the rows by a ?track_order= (by name when none): the parties with enough groups to say anything
    first, then, by name, those with too few or without the figure sorted on."""
    if not order:
        return rows
    key = ORDER_KEYS[order.lstrip("-")]
    sayable = [row for row in rows if not row.too_few and key(row) is not None]
    rest = [row for row in rows if row not in sayable]
    sayable.sort(key=key, reverse=order.startswith("-"))  # stable: ties stay by name
    return sayable + rest


def furthest(rows: list[TrackRow], count: int) -> tuple[list[TrackRow], list[TrackRow]]:
    """Return the parties whose counts sit furthest above the others' (median ratio above 1, highest first)
    and furthest below (under 1, lowest first), of those with at least FEWEST_GROUPS groups."""
    rated = [row for row in rows if row.record.groups >= FEWEST_GROUPS and row.record.median_ratio is not None]
    above = sorted((row for row in rated if row.record.median_ratio > 1), key=lambda row: -row.record.median_ratio)
    below = sorted((row for row in rated if row.record.median_ratio < 1), key=lambda row: row.record.median_ratio)
    return above[:count], below[:count]


def ratio_chart(rows: list[TrackRow], *, chart_id: str) -> charts.SafeString:
    """Draw the ratios of these parties, one box each."""
    return charts.ratio_chart(
        [row.box() for row in rows],
        chart_id=chart_id,
        title=_("Its counts ÷ the others'"),
        description=_(
            "The middle half of the ratios of each party's count to the others' point, on a log scale, with its "
            "median marked: at ×1 the counts agree, right of it the party counts more, left of it fewer."
        ),
        agree_label=_("agree"),
        axis_title=_("ratio"),
    )
