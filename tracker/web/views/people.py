"""The named people: the list, most reported deaths first, and a person's page with every fate claim about them,
the conflicts among those in words, and a chart of them in time."""

from __future__ import annotations

from django.views.generic import DetailView
from django_filters.views import FilterView

from tracker import visibility
from tracker.filters import PersonFilter
from tracker.models import FateClaim, Person
from tracker.presentation import fates
from tracker.presentation.paging import LIST_PAGE_SIZE
from tracker.web.views.mixins import GentlePagination, TrackerAccess


class PersonListView(TrackerAccess, GentlePagination, FilterView):
    """People named in fate claims, searched as any spell them and filtered, most reported deaths first."""

    filterset_class = PersonFilter
    queryset = Person.objects.for_list()
    paginate_by = LIST_PAGE_SIZE
    template_name = "tracker/person_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.filterset.form.cleaned_data.values() if self.filterset.is_bound else ()
        context["filter_invalid"] = self.filterset.is_bound and not self.filterset.is_valid()
        context["searched"] = any(value not in (None, "") for value in chosen)
        return context


class PersonDetailView(TrackerAccess, DetailView):
    """A person, their other names, and every fate claim about them in the order made."""

    queryset = Person.objects.select_related("affiliation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        user = self.request.user
        fate_claims = visibility.claims_marked(
            FateClaim.objects.filter(person=person).select_related("party", "source", "event"), user
        ).order_by("claimed_on", "entered_at", "pk")
        timeline = visibility.claims_shown(fates.fate_timeline(fate_claims), user)
        context.update(
            other_names=list(person.other_names.all()),
            fate_claims=timeline,
            conflict_sentences=fates.conflict_sentences(timeline),
            fate_chart=fates.fate_chart(timeline, chart_id="fate-chart"),
        )
        return context
