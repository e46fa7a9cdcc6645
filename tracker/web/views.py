"""The pages staff work in: the dashboard, the event list and its download, an event, the parties.

Every page needs a signed-in user with the permission to view what it shows: anonymous
visitors are sent to the login page, signed-in users without the permission get a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from tracker import roles, visibility
from tracker.exports.discrepancies import DISCREPANCY_CONTENT_TYPES, discrepancies_write, discrepancy_records
from tracker.filters import WITH_CLAIMS, EventFilter, PartyFilter
from tracker.models import Claim, ComparisonGroup, Event, Party
from tracker.rules import discrepancy
from tracker.web import charts, presentation

LIST_PAGE_SIZE = 50
CLAIM_PAGE_SIZE = 100
DASHBOARD_ROWS = 10
YEAR_LABELS = 10  # at most about this many years labelled on the claims-over-time chart


class TrackerAccess(PermissionRequiredMixin):
    """Anonymous visitors go to the login page; signed-in users without the Viewer's permissions get a 403."""

    permission_required = roles.READ_PERMISSIONS


class GentlePagination:
    """A page number that is not a number, or past the end, shows the nearest page instead of a 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


@dataclass
class EventRow:
    """An event as a list shows it: its worst comparison group and the parties with a current claim."""

    event: Event
    worst_group: ComparisonGroup | None
    parties: list[Party]

    @property
    def spread(self) -> str:
        return presentation.spread_text(self.worst_group)


def event_rows(events) -> list[EventRow]:
    """Return list rows for events fetched with `EventQuerySet.for_list()`."""
    rows = []
    for event in events:
        parties = list({claim.party_id: claim.party for claim in event.current_claims}.values())
        worst = event.ranked_groups[0] if event.ranked_groups else None
        rows.append(EventRow(event=event, worst_group=worst, parties=parties))
    return rows


def claims_over_time() -> list[charts.Column]:
    """Return claims per month of their claim date, months without claims included."""
    per_month = dict(
        Claim.objects.order_by()
        .annotate(month=TruncMonth("claimed_on"))
        .values_list("month")
        .annotate(total=Count("pk"))
    )
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
        tooltip = _("%(month)s: %(total)s claims") % {"month": day.strftime("%Y-%m"), "total": total}
        columns.append(charts.Column(value=total, tooltip=tooltip, tick=tick))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return columns


class DashboardView(TrackerAccess, TemplateView):
    template_name = "tracker/dashboard.html"

    def get_context_data(self, **kwargs):
        open_discrepancies = Event.objects.open_discrepancies().for_list()[:DASHBOARD_ROWS]
        columns = claims_over_time()
        chart = None
        if columns:
            chart = charts.column_chart(
                columns,
                chart_id="claims-over-time",
                title=_("Claims per month"),
                description=_("How many claims were made each month, by the date of the claim."),
            )
        return super().get_context_data(
            level_counts=Event.objects.level_counts(),
            disputed_levels=discrepancy.DISPUTED,
            disputes=Event.objects.filter(classification_dispute=True).count(),
            open_rows=event_rows(open_discrepancies),
            latest_claims=Claim.objects.select_related("event", "party").order_by("-entered_at", "-pk")[
                :DASHBOARD_ROWS
            ],
            claims_chart=chart,
            **kwargs,
        )


class EventListView(TrackerAccess, GentlePagination, FilterView):
    filterset_class = EventFilter
    queryset = Event.objects.for_list()
    paginate_by = LIST_PAGE_SIZE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = event_rows(context["object_list"])
        context["filter_invalid"] = self.filterset.is_bound and not self.filterset.is_valid()
        return context


class EventDownloadView(TrackerAccess, View):
    """The event list as filtered and ordered on the page, as CSV, JSON or xlsx.

    `?hxl=1` adds a second row of HXL hashtags under the CSV or xlsx header.
    """

    def get(self, request, format):
        if format not in DISCREPANCY_CONTENT_TYPES:
            raise Http404(_("No download in the format “%(format)s”.") % {"format": format})
        filterset = EventFilter(request.GET or None, queryset=Event.objects.all(), request=request)
        if filterset.is_bound and not filterset.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            return HttpResponseBadRequest(
                _("The filters could not be read: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content_type=DISCREPANCY_CONTENT_TYPES[format])
        response["Content-Disposition"] = f'attachment; filename="discrepancies-{date.today().isoformat()}.{format}"'
        hxl = request.GET.get("hxl", "") in ("1", "true", "yes")
        discrepancies_write(discrepancy_records(filterset.qs), format=format, stream=response, hxl=hxl)
        return response


@dataclass
class GroupPanel:
    """One comparison group on the event page: its current claims side by side, and their chart."""

    group: ComparisonGroup
    claims: list[Claim]
    chart: str
    sentence: str
    spread: str


def claim_status(claim: Claim) -> str:
    if claim.retracted:
        return "retracted"
    return "current" if claim.is_current else "superseded"


def group_panel(group: ComparisonGroup, claims: list[Claim], number: int) -> GroupPanel:
    current = sorted(
        (claim for claim in claims if claim.is_current),
        key=lambda claim: (claim.interval.lo, claim.interval.hi is None, claim.interval.hi or 0),
    )
    for claim in current:
        # What `ClaimQuerySet.with_group_summary()` gives each claim, here already at hand.
        claim.group_level, claim.group_lo_max, claim.group_hi_min = group.level, group.lo_max, group.hi_min
        claim.standing_label = presentation.standing_label(claim.standing)
    bars = [
        charts.IntervalBar(
            label=claim.party.name,
            lo=claim.interval.lo,
            hi=claim.interval.hi,
            value_text=presentation.interval_text(claim.interval),
            standing=claim.standing or "",
        )
        for claim in current
    ]
    sentence = presentation.level_sentence(group)
    chart = charts.interval_chart(
        bars,
        chart_id=f"group-{number}-chart",
        lo_max=group.lo_max,
        hi_min=group.hi_min,
        title=_("Each party's count as an interval"),
        description=sentence,
    )
    return GroupPanel(
        group=group, claims=current, chart=chart, sentence=sentence, spread=presentation.spread_text(group)
    )


class EventDetailView(TrackerAccess, DetailView):
    slug_field = "ref"
    slug_url_kwarg = "ref"
    queryset = Event.objects.prefetch_related("alleged_perpetrators")

    def get_context_data(self, **kwargs):
        event = self.object
        perpetrators = {party.pk for party in event.alleged_perpetrators.all()}
        claims = visibility.claims_shown(list(event.claims.for_timeline()), self.request.user)
        by_group: dict[tuple, list[Claim]] = {}
        for claim in claims:
            claim.status = claim_status(claim)
            claim.alleged_perpetrator = claim.party_id in perpetrators
            by_group.setdefault((claim.category, claim.victim_side_id), []).append(claim)
        panels = [
            group_panel(group, by_group.get((group.category, group.victim_side_id), []), number)
            for number, group in enumerate(event.groups.select_related("victim_side").worst_first(), start=1)
        ]
        admin_url = None
        if self.request.user.has_perm("tracker.change_event"):
            admin_url = reverse("admin:tracker_event_change", args=[event.pk])
        return super().get_context_data(panels=panels, timeline=claims, admin_url=admin_url, **kwargs)


class PartyListView(TrackerAccess, GentlePagination, FilterView):
    """Parties that made claims (all of them on request), searched and filtered, with where their counts stand."""

    filterset_class = PartyFilter
    queryset = Party.objects.for_list()
    paginate_by = LIST_PAGE_SIZE
    template_name = "tracker/party_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parties = context["object_list"]
        tally = Claim.objects.current().filter(party__in=[party.pk for party in parties]).standing_tally()
        for party in parties:
            party.standings = {standing: tally[(party.pk, standing)] for standing in discrepancy.STANDINGS}
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
        self.party = get_object_or_404(Party, pk=self.kwargs["pk"])
        return (
            Claim.objects.filter(party=self.party)
            .for_timeline()
            .select_related("event")
            .with_group_summary()
            .order_by("-claimed_on", "-entered_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims = visibility.claims_shown(context["object_list"], self.request.user)
        for claim in claims:
            claim.status = claim_status(claim)
            claim.standing_label = presentation.standing_label(claim.standing)
        tally = Claim.objects.current().filter(party=self.party).standing_tally()
        events = Event.objects.filter(pk__in=Claim.objects.filter(party=self.party).values("event_id"))
        context.update(
            party=self.party,
            claims=claims,
            event_levels=[row for row in events.level_counts() if row["level"] is not None],
            standings=[
                (presentation.standing_label(standing), tally[(self.party.pk, standing)])
                for standing in discrepancy.STANDINGS
            ],
            alleged_events=self.party.alleged_events.count(),
        )
        return context
