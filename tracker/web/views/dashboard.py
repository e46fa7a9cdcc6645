"""The dashboard: the events counted by level, the open discrepancies, the parties whose counts sit furthest
from the others', the latest claims, and the claims per month as a chart."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from tracker.filters import DashboardFilter
from tracker.models import Claim, Event, MonthTally
from tracker.models.assessments import to_assess
from tracker.presentation import charts
from tracker.presentation.assessments import headline_figures
from tracker.presentation.rows import event_rows
from tracker.presentation.sides import claims_with_all_sides
from tracker.presentation.track_records import furthest, track_rows
from tracker.rules import discrepancy
from tracker.summaries.track_records import TrackFilters
from tracker.web.views.mixins import TrackerAccess

DASHBOARD_ROWS = 10
FURTHEST_PARTIES = 3  # named furthest above the others, and as many below
YEAR_LABELS = 10  # at most about this many years labelled on the claims-over-time chart


def claims_over_time() -> list[charts.Column]:
    """Return claims per month of their claim date, months without claims included."""
    per_month = dict(MonthTally.objects.filter(claims__gt=0).values_list("month", "claims"))
    if not per_month:
        return []
    first, last = min(per_month), max(per_month)
    # A year label every `step` years, so that decades of claims keep about ten readable labels.
    step = max(1, -(-(last.year - first.year + 1) // YEAR_LABELS))
    columns = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = date(year, month, 1)
        total = per_month.get(day, 0)
        labelled = (year - first.year) % step == 0 and (month == 1 or day == first)
        tick = str(year) if labelled else ""
        tooltip = ngettext("%(month)s: %(total)s claim", "%(month)s: %(total)s claims", total) % {
            "month": day.strftime("%Y-%m"),
            "total": total,
        }
        columns.append(charts.Column(value=total, tooltip=tooltip, tick=tick))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return columns


class DashboardView(TrackerAccess, TemplateView):
    """The dashboard counts the events by the level of their killed counts, or with `?outcome=injured` of
    their injured counts."""

    template_name = "tracker/dashboard.html"

    def get_context_data(self, **kwargs):
        counted = DashboardFilter(self.request.GET or None, queryset=Event.objects.all())
        outcome = counted.chosen_outcome  # the killed where the choice cannot be read; the form says why
        open_discrepancies = Event.objects.open_discrepancies(outcome).for_list()[:DASHBOARD_ROWS]
        columns = claims_over_time()
        chart = None
        if columns:
            chart = charts.column_chart(
                columns,
                chart_id="claims-over-time",
                title=_("Claims per month"),
                description=_("How many claims were made each month, by the date of the claim."),
                axis_title=_("claims"),
            )
        latest_claims = Claim.objects.select_related("event", "party", "victim_side", "subgroup")
        # One pass over the events for every count the page shows of them: each was a pass of its own.
        totals = Event.objects.dashboard_counts(outcome)
        furthest_above, furthest_below = furthest(track_rows(TrackFilters()), FURTHEST_PARTIES)
        return super().get_context_data(
            outcome_filter=counted,
            outcome=outcome,
            level_counts=totals["levels"],
            disputed_levels=discrepancy.DISPUTED,
            disputes=totals["disputes"],
            inconsistent=totals["inconsistent"],
            open_rows=event_rows(open_discrepancies),
            latest_claims=claims_with_all_sides(latest_claims).order_by("-entered_at", "-pk")[:DASHBOARD_ROWS],
            claims_chart=chart,
            to_assess=to_assess(Event.objects.all()).count(),
            headline=headline_figures(totals["grades"]),
            furthest_above=furthest_above,
            furthest_below=furthest_below,
            **kwargs,
        )
