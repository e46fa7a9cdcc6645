"""The parties: the list of those that made claims, with where their counts stand, and a party's page with
every claim it made."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.views.generic import ListView
from django_filters.views import FilterView

from tracker import visibility
from tracker.filters import WITH_CLAIMS, PartyFilter
from tracker.models import Claim, Level, Party, PartyTally
from tracker.models.tallies import LEVEL_COLUMNS
from tracker.presentation.labels import claim_status, standing_label
from tracker.presentation.paging import CLAIM_PAGE_SIZE, LIST_PAGE_SIZE
from tracker.presentation.sides import claims_with_all_sides
from tracker.rules import discrepancy
from tracker.summaries.fates import party_death_claims
from tracker.web.views.mixins import GentlePagination, TrackerAccess


class PartyListView(TrackerAccess, GentlePagination, FilterView):
    """Parties that made claims (all of them on request), searched and filtered, with where their counts stand."""

    filterset_class = PartyFilter
    queryset = Party.objects.for_list()
    paginate_by = LIST_PAGE_SIZE
    template_name = "tracker/party_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parties = context["object_list"]
        for party in parties:
            party.standings = {standing: getattr(party, f"standing_{standing}") for standing in discrepancy.STANDINGS}
            party.standings["apart"] = party.standings[discrepancy.ABOVE] + party.standings[discrepancy.BELOW]
        form = self.filterset.form
        chosen = form.cleaned_data if form.is_valid() else {}
        context.update(
            filter_invalid=not form.is_valid(),
            searched=bool(chosen.get("q", "").strip() or chosen.get("kind")),
            only_with_claims=chosen.get("claims") == WITH_CLAIMS,
        )
        return context


class PartyDetailView(TrackerAccess, GentlePagination, ListView):
    """A party and every claim it made, newest first, with where each stands in its group."""

    paginate_by = CLAIM_PAGE_SIZE
    template_name = "tracker/party_detail.html"

    def get_queryset(self):
        self.party = get_object_or_404(Party.objects.select_related("tally"), pk=self.kwargs["pk"])
        self.tally = getattr(self.party, "tally", None) or PartyTally(party=self.party)
        claims = Claim.objects.filter(party=self.party).for_timeline().select_related("event").with_group_summary()
        return claims_with_all_sides(claims).order_by("-claimed_on", "-entered_at", "-pk")

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, known_count=self.tally.claims, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims = visibility.claims_shown(context["object_list"], self.request.user)
        for claim in claims:
            claim.status = claim_status(claim)
            claim.standing_label = standing_label(claim.standing)
        tally = self.tally
        context.update(
            party=self.party,
            claims=claims,
            all_sides_shown=any(claim.all_sides for claim in claims),
            event_levels=[
                {"level": level, "label": label, "total": getattr(tally, LEVEL_COLUMNS[level])}
                for level, label in Level.choices
            ],
            standings=[(standing_label(standing), getattr(tally, standing)) for standing in discrepancy.STANDINGS],
            alleged_events=self.party.alleged_events.count(),
            death_claims=party_death_claims(self.party.pk),
        )
        return context
