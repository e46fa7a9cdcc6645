"""The parties: the list of those that made claims, with where their counts stand and their track records, a
party's page with every claim it made and its track record, and two to five parties' track records side by
side."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView
from django_filters.views import FilterView

from tracker import visibility
from tracker.filters import FEWEST_COMPARED, WITH_CLAIMS, PartyCompareForm, PartyFilter, TrackRecordForm
from tracker.models import Claim, Level, Party, PartyTally
from tracker.models.tallies import LEVEL_COLUMNS
from tracker.presentation.labels import claim_status, standing_label
from tracker.presentation.paging import CLAIM_PAGE_SIZE, LIST_PAGE_SIZE
from tracker.presentation.sides import claims_with_all_sides
from tracker.presentation.track_records import TrackRow, chosen_rows, ordered, ratio_chart
from tracker.rules import discrepancy
from tracker.rules.track_records import TrackRecord
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
        track_form = TrackRecordForm(self.request.GET)
        track_rows = chosen_rows(track_form)
        if track_rows is not None:
            track_rows = ordered(track_rows, track_form.cleaned_data["track_order"])
        context.update(track_form=track_form, track_rows=track_rows)
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
        context.update(self.track_record())
        return context

    def track_record(self) -> dict:
        """The party's track record under the filters chosen, with a chart of its ratios."""
        track_form = TrackRecordForm(self.request.GET)
        rows = chosen_rows(track_form, parties={self.party.pk})
        row = next((row for row in rows or [] if row.pk == self.party.pk), None)
        chart = ratio_chart([row], chart_id="track-record-chart") if row and row.record.median_ratio else None
        return {
            "track_form": track_form, "track_invalid": rows is None, "track_row": row, "track_own_rows": [row],
            "track_chart": chart,
        }  # fmt: skip


class PartyCompareView(TrackerAccess, TemplateView):
    """Two to five parties' track records side by side (?party=1&party=2…), under the track record filters.
    Fewer than two parties chosen shows how to choose them; more than five, or an id no party has, is a 400
    saying so (tracker.filters.PartyCompareForm)."""

    template_name = "tracker/party_compare.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=400 if context["problem"] else 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        compare_form = PartyCompareForm(self.request.GET)
        parties = compare_form.cleaned_data["party"] if compare_form.is_valid() else []
        problem = " ".join(compare_form.errors.get("party", []))
        track_form = TrackRecordForm(self.request.GET)
        compare = len(parties) >= FEWEST_COMPARED
        rows = chosen_rows(track_form, parties={party.pk for party in parties}) if compare else None
        compared = []
        if rows is not None:
            by_pk = {row.pk: row for row in rows}
            compared = [by_pk.get(party.pk) or TrackRow(party.name, party.pk, TrackRecord()) for party in parties]
        rated = any(row.record.median_ratio is not None for row in compared)
        context.update(
            track_form=track_form, problem=problem, compared=compared, chosen=compare_form["party"].value() or [],
            too_few_chosen=not problem and len(parties) < FEWEST_COMPARED,
            chart=ratio_chart(compared, chart_id="compare-chart") if rated else None,
        )  # fmt: skip
        return context
