"""An event's page: its comparisons as panels, the killed then the injured, its classification dispute,
the reports that do not add up, the named people with their fate claims in it, and every claim made on it as
a paged timeline. The address of an event merged into another leads to that event."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import DetailView

from tracker import visibility
from tracker.models import Event, EventAlias
from tracker.models.assessments import source_relays
from tracker.presentation.assessments import assessed_bars, assessment_section, source_origins
from tracker.presentation.labels import claim_status
from tracker.presentation.named import named_people
from tracker.presentation.paging import TIMELINE_PAGE_SIZE
from tracker.presentation.panels import dispute_text, event_panels, inconsistency_texts
from tracker.presentation.sides import is_all_sides
from tracker.web.views.mixins import TrackerAccess


class EventDetailView(TrackerAccess, DetailView):
    slug_field = "ref"
    slug_url_kwarg = "ref"
    queryset = Event.objects.prefetch_related("alleged_perpetrators", "aliases")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # The address of an event merged into another leads to the event it was merged into.
            alias = EventAlias.objects.filter(ref=kwargs["ref"]).select_related("event").first()
            if alias is None:
                raise
            return HttpResponseRedirect(reverse("event_detail", args=[alias.event.ref]))

    def get_context_data(self, **kwargs):
        event = self.object
        perpetrators = {party.pk for party in event.alleged_perpetrators.all()}
        user = self.request.user
        # The comparisons need the current claims only; the timeline shows every claim, a page at a time.
        current = visibility.claims_shown(list(event.claims.current().for_timeline()), user)
        timeline_page = Paginator(event.claims.for_timeline(), TIMELINE_PAGE_SIZE).get_page(
            self.request.GET.get("timeline")
        )
        timeline = visibility.claims_shown(list(timeline_page.object_list), user)
        # Sides named by any claim of the event, on whichever page of the timeline it stands.
        sided = set(event.claims.filter(victim_side__isnull=False).values_list("category", flat=True).distinct())
        for claim in [*current, *timeline]:
            claim.status = claim_status(claim)
            claim.alleged_perpetrator = claim.party_id in perpetrators
            claim.all_sides = is_all_sides(claim, sided)
        named = named_people(event, current, user)  # before the panels: it puts the named beside the counts
        relays = source_relays({claim.source_id for claim in current})
        assessment = assessment_section(event, current, perpetrators, relays)
        panels = event_panels(event, current, assessed_bars(assessment))
        admin_url = None
        if user.has_perm("tracker.change_event"):
            admin_url = reverse("admin:tracker_event_change", args=[event.pk])
        return super().get_context_data(
            panels=panels.killed,
            injured_panels=panels.injured,
            leading_panel=panels.leading,
            dispute=dispute_text(event, current),
            inconsistencies=inconsistency_texts(event),
            assessment=assessment,
            origins=source_origins(current, relays, user),
            named_people=named,
            timeline=timeline,
            timeline_page=timeline_page,
            admin_url=admin_url,
            **kwargs,
        )
