"""The event list: filtered, paged, each event with the comparison that sets its level, and a map of them."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from tracker.filters import EventFilter
from tracker.models import Event
from tracker.presentation import maps
from tracker.presentation.paging import LIST_PAGE_SIZE
from tracker.presentation.rows import event_rows
from tracker.rules import discrepancy
from tracker.web.views.mixins import GentlePagination, TrackerAccess

MAP_MARKERS = 500  # the most events one map draws: the first in the list's order, most severe first
LOCATED = Q(latitude__isnull=False)  # the events a map can place


class EventListView(TrackerAccess, GentlePagination, FilterView):
    filterset_class = EventFilter
    queryset = Event.objects.for_list()
    paginate_by = LIST_PAGE_SIZE

    def get_paginator(self, queryset, per_page, **kwargs):
        # The events and those of them the map can place, counted in one pass over the list.
        self.counted = queryset.aggregate(total=Count("pk"), located=Count("pk", filter=LOCATED))
        return super().get_paginator(queryset, per_page, known_count=self.counted["total"], **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_invalid"] = self.filterset.is_bound and not self.filterset.is_valid()
        # Filtered by the injured, the rows give the level of the events' injured; else that of their killed.
        chosen = {} if context["filter_invalid"] else getattr(self.filterset.form, "cleaned_data", {})
        context["listed_outcome"] = chosen.get("outcome") or discrepancy.KILLED
        context["rows"] = event_rows(context["object_list"], outcome=context["listed_outcome"])
        if not context["filter_invalid"]:
            context.update(events_map(self.object_list, located=self.counted["located"]))
        return context


def events_map(events, *, located: int) -> dict:
    """Return the map of the located events among these, the first MAP_MARKERS in their order, and how many
    are located (as the list counted them) and shown."""
    rows = events.filter(LOCATED).values_list("ref", "title", "latitude", "longitude", "level")[:MAP_MARKERS]
    markers = [maps.event_marker(*row) for row in rows]
    drawn = maps.event_map(
        markers,
        map_id="events-map",
        title=_("Where the events happened"),
        description=_("Each event with coordinates, as a marker whose shape and colour give its level."),
    )
    return {"events_map": drawn, "map_shown": len(markers), "map_located": located}
