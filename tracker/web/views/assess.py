"""The events to assess: those whose counts disagree or that report civilians killed, which the organisation has
not judged yet (or whose judgement is pending), most severe first."""

from __future__ import annotations

from django.views.generic import ListView

from tracker.models import Event
from tracker.models.assessments import to_assess
from tracker.presentation.paging import LIST_PAGE_SIZE
from tracker.presentation.rows import event_rows
from tracker.web.views.mixins import GentlePagination, TrackerAccess


class ToAssessView(TrackerAccess, GentlePagination, ListView):
    template_name = "tracker/to_assess.html"
    paginate_by = LIST_PAGE_SIZE

    def get_queryset(self):
        return to_assess(Event.objects.for_list()).by_severity()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = event_rows(context["object_list"])
        return context
