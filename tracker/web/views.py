"""The pages staff work in: the dashboard, the event list and its download, an event, the parties.

Every page needs a signed-in user with the permission to view what it shows: anonymous
visitors are sent to the login page, signed-in users without the permission get a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from tracker import roles, visibility
from tracker.exports.claims import CLAIM_CONTENT_TYPES, claims_export
from tracker.exports.discrepancies import DISCREPANCY_CONTENT_TYPES, discrepancies_write, discrepancy_records
from tracker.filters import WITH_CLAIMS, EventFilter, PartyFilter
from tracker.models import (
    Claim,
    ComparisonGroup,
    ContainmentDiscrepancy,
    Event,
    EventAlias,
    Level,
    MonthTally,
    Party,
    PartyTally,
)
from tracker.models.tallies import LEVEL_COLUMNS
from tracker.rules import discrepancy
from tracker.web import charts, maps, presentation
from tracker.web.filenames import download_name
from tracker.web.tokens import TokenAccess

LIST_PAGE_SIZE = 50
CLAIM_PAGE_SIZE = 100
TIMELINE_PAGE_SIZE = 50
# Lists page through at most this many pages: deeper, a database skips ever more rows for each
# page, and a reader is better served by a filter or another order (the page says so).
MAX_PAGES = 100
DASHBOARD_ROWS = 10
YEAR_LABELS = 10  # at most about this many years labelled on the claims-over-time chart
BYTE_ORDER_MARK = "\ufeff"
MAP_MARKERS = 500  # the most events one map draws: the first in the list's order, most severe first
LOCATED = Q(latitude__isnull=False)  # the events a map can place


class TrackerAccess(PermissionRequiredMixin):
    """Anonymous visitors go to the login page; signed-in users without the Viewer's permissions get a 403."""

    permission_required = roles.READ_PERMISSIONS


class CappedPaginator(Paginator):
    """Pages through the first `MAX_PAGES` pages only; `count` stays the number of every row.

    `known_count`, when given, is the number of rows as stored elsewhere (a tally): no count query.
    """

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.count = known_count

    @cached_property
    def num_pages(self):
        return min(super().num_pages, MAX_PAGES)

    @property
    def listed(self) -> int:
        """How many rows the pages offered hold."""
        return min(self.count, self.num_pages * self.per_page)

    @property
    def capped(self) -> bool:
        """Whether some rows lie beyond the last page offered."""
        return self.count > self.listed


class GentlePagination:
    """A page number that is not a number, or past the end, shows the nearest page instead of a 404."""

    paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


@dataclass
class EventRow:
    """An event as a list shows it: the comparison that sets its level, and the parties with a current claim."""

    event: Event
    leading: ComparisonGroup | ContainmentDiscrepancy | None
    label: str
    parties: list[Party]

    @property
    def spread(self) -> str:
        return presentation.spread_text(self.leading)


def event_rows(events) -> list[EventRow]:
    """Return list rows for events fetched with `EventQuerySet.for_list()`."""
    rows = []
    for event in events:
        parties = list({claim.party_id: claim.party for claim in event.current_claims}.values())
        groups = event.ranked_groups  # the group that sets the level, if one does, comes first
        leading = event.leading_containment[0] if event.leading_containment else (groups[0] if groups else None)
        label = ""
        if leading is not None:
            label = presentation.comparison_label(leading, all_sides=all_sides(leading, groups))
        rows.append(EventRow(event=event, leading=leading, label=label, parties=parties))
    return rows


def all_sides(comparison, groups) -> bool:
    """Whether a comparison is a group without a victim side where other groups of its category name one."""
    if not isinstance(comparison, ComparisonGroup) or comparison.victim_side_id:
        return False
    return any(group.category == comparison.category and group.victim_side_id for group in groups)


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
                axis_title=_("claims"),
            )
        return super().get_context_data(
            level_counts=Event.objects.level_counts(),
            disputed_levels=discrepancy.DISPUTED,
            disputes=Event.objects.filter(classification_dispute=True).count(),
            open_rows=event_rows(open_discrepancies),
            latest_claims=Claim.objects.select_related("event", "party", "victim_side")
            .with_all_sides()
            .order_by("-entered_at", "-pk")[:DASHBOARD_ROWS],
            claims_chart=chart,
            **kwargs,
        )


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
        context["rows"] = event_rows(context["object_list"])
        context["filter_invalid"] = self.filterset.is_bound and not self.filterset.is_valid()
        if not context["filter_invalid"]:
            context.update(events_map(self.object_list, located=self.counted["located"]))
        return context


def event_marker(ref: str, title: str, latitude, longitude, level: str | None) -> maps.Marker:
    return maps.Marker(
        latitude=float(latitude),
        longitude=float(longitude),
        level=level,
        label=f"{ref} — {title}",
        url=reverse("event_detail", args=[ref]),
    )


def events_map(events, *, located: int) -> dict:
    """Return the map of the located events among these, the first MAP_MARKERS in their order, and how many
    are located (as the list counted them) and shown."""
    rows = events.filter(LOCATED).values_list("ref", "title", "latitude", "longitude", "level")[:MAP_MARKERS]
    markers = [event_marker(*row) for row in rows]
    drawn = maps.event_map(
        markers,
        map_id="events-map",
        title=_("Where the events happened"),
        description=_("Each event with coordinates, as a marker whose shape and colour give its level."),
    )
    return {"events_map": drawn, "map_shown": len(markers), "map_located": located}


class FilteredDownload(TokenAccess, TrackerAccess, View):
    """A download of the event list as filtered on the page; filters that cannot be read are a 400.

    Scripts may send the API's token instead of signing in (tracker.web.tokens). A CSV starts with
    a byte order mark, without which Excel on Windows reads UTF-8 as another encoding.
    """

    content_types: dict[str, str] = {}
    name = ""

    def get(self, request, format):
        if format not in self.content_types:
            raise Http404(_("No download in the format “%(format)s”.") % {"format": format})
        filterset = EventFilter(request.GET or None, queryset=Event.objects.all(), request=request)
        if filterset.is_bound and not filterset.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            return HttpResponseBadRequest(
                _("The filters could not be read: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content_type=self.content_types[format])
        filename = download_name(filterset, kind=self.name, format=format, hxl=self.hxl)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        if format == "csv":
            response.write(BYTE_ORDER_MARK)
        self.write(filterset.qs, format=format, stream=response)
        return response

    @property
    def hxl(self) -> bool:
        return False

    def write(self, events, *, format: str, stream) -> None:
        raise NotImplementedError


class EventDownloadView(FilteredDownload):
    """The event list as filtered and ordered on the page, as CSV, JSON or xlsx.

    `?hxl=1` adds a second row of HXL hashtags under the CSV or xlsx header.
    """

    content_types = DISCREPANCY_CONTENT_TYPES
    name = "events"

    @property
    def hxl(self) -> bool:
        return self.request.GET.get("hxl", "") in ("1", "true", "yes")

    def write(self, events, *, format, stream):
        discrepancies_write(discrepancy_records(events), format=format, stream=stream, hxl=self.hxl)


class EventClaimsDownloadView(FilteredDownload):
    """Every claim of the filtered events, one row per claim in the claims format, which imports back.

    Confidential sources and their claims' notes are left out for those who may not see them, as on
    the pages: such a download is then no full backup.
    """

    content_types = CLAIM_CONTENT_TYPES
    name = "claims"

    def write(self, events, *, format, stream):
        claims = Claim.objects.filter(event__in=events.order_by().values("pk"))
        claims_export(claims, user=self.request.user, format=format, stream=stream)


@dataclass
class GroupPanel:
    """One comparison group on the event page: its current claims side by side, and their chart."""

    group: ComparisonGroup
    label: str
    all_sides: bool
    claims: list[Claim]
    chart: str
    sentence: str
    spread: str

    @property
    def comparison(self) -> ComparisonGroup:
        return self.group

    @property
    def anchor(self) -> str:
        return f"group-{self.group.pk}"


@dataclass
class ContainmentPanel:
    """One containment discrepancy on the event page: a party's parts against another party's whole."""

    item: ContainmentDiscrepancy
    label: str
    parts: list[Claim]
    whole: Claim
    chart: str
    sentence: str
    spread: str

    @property
    def comparison(self) -> ContainmentDiscrepancy:
        return self.item

    @property
    def anchor(self) -> str:
        return f"containment-{self.item.pk}"


def claim_status(claim: Claim) -> str:
    if claim.retracted:
        return "retracted"
    return "current" if claim.is_current else "superseded"


def group_panel(group: ComparisonGroup, claims: list[Claim], *, all_sides: bool) -> GroupPanel:
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
        chart_id=f"group-{group.pk}-chart",
        lo_max=group.lo_max,
        hi_min=group.hi_min,
        title=_("Each party's count as an interval"),
        description=sentence,
        axis_title=_("deaths"),
    )
    return GroupPanel(
        group=group,
        label=presentation.comparison_label(group, all_sides=all_sides),
        all_sides=all_sides,
        claims=current,
        chart=chart,
        sentence=sentence,
        spread=presentation.spread_text(group),
    )


def containment_panel(item: ContainmentDiscrepancy, claims: dict[int, Claim]) -> ContainmentPanel:
    parts = sorted(
        (claims[part.pk] for part in item.parts.all()),
        key=lambda claim: (discrepancy.CATEGORY_ORDER[claim.category], claim.victim_side_id is not None,
                           claim.victim_side.name if claim.victim_side_id else ""),
    )  # fmt: skip
    whole = claims[item.whole_claim_id]
    sentence = presentation.containment_sentence(
        item,
        [(part.category, part.victim_side.name if part.victim_side_id else None, part.interval.lo) for part in parts],
    )
    bars = [
        charts.IntervalBar(
            label=_("Parts: %(party)s") % {"party": item.parts_party.name},
            lo=item.lo,
            hi=None,
            value_text=presentation.range_text(item.lo, None),
            standing="above",
        ),
        charts.IntervalBar(
            label=_("Whole: %(party)s") % {"party": item.whole_party.name},
            lo=whole.interval.lo,
            hi=whole.interval.hi,
            value_text=presentation.interval_text(whole.interval),
            standing="below",
        ),
    ]
    chart = charts.interval_chart(
        bars,
        chart_id=f"containment-{item.pk}-chart",
        lo_max=item.lo,
        hi_min=item.hi,
        title=_("The sum of one party's parts against another party's whole"),
        description=sentence,
        axis_title=_("deaths"),
    )
    return ContainmentPanel(
        item=item,
        label=presentation.comparison_label(item),
        parts=parts,
        whole=whole,
        chart=chart,
        sentence=sentence,
        spread=presentation.spread_text(item),
    )


def event_panels(event: Event, claims: list[Claim]) -> list[GroupPanel | ContainmentPanel]:
    """Return the event's comparisons as panels: each containment discrepancy beside the group of its
    whole, and the comparison that sets the event's level (with its neighbour) first."""
    by_group: dict[tuple, list[Claim]] = {}
    for claim in claims:
        by_group.setdefault((claim.category, claim.victim_side_id), []).append(claim)
    sided = {claim.category for claim in claims if claim.victim_side_id}
    clusters = [
        [group_panel(group, by_group.get((group.category, group.victim_side_id), []),
                     all_sides=group.victim_side_id is None and group.category in sided)]
        for group in event.groups.select_related("victim_side").worst_first()
    ]  # fmt: skip
    by_pk = {claim.pk: claim for claim in claims}
    containment = (
        event.containment.select_related("parts_party", "whole_party")
        .prefetch_related(Prefetch("parts", Claim.objects.only("pk")))
        .worst_first()
    )
    for item in containment:
        whole = (item.category, None)
        beside = next((cluster for cluster in clusters if group_key(cluster[0].group) == whole), None)
        if beside is None:  # only if the stored summaries were out of step: shown then, on its own
            clusters.append(beside := [])
        beside.append(containment_panel(item, by_pk))
    clusters.sort(key=lambda cluster: not any(panel.comparison.sets_level for panel in cluster))
    return [panel for cluster in clusters for panel in cluster]


def group_key(group: ComparisonGroup) -> tuple:
    return group.category, group.victim_side_id


def dispute_text(event: Event, claims: list[Claim]) -> str:
    """Name the parties on each side of the event's classification dispute, if it has one."""
    if not event.classification_dispute:
        return ""
    current = [claim for claim in claims if claim.is_current]
    combatants, civilians = discrepancy.classification_dispute_parties(
        (claim.party_id, claim.category, claim.interval) for claim in current
    )
    names = {claim.party_id: claim.party.name for claim in current}
    return presentation.dispute_sentence(sorted(names[pk] for pk in combatants), sorted(names[pk] for pk in civilians))


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
        sided = set(event.claims.filter(victim_side__isnull=False).values_list("category", flat=True).distinct())
        for claim in [*current, *timeline]:
            claim.status = claim_status(claim)
            claim.alleged_perpetrator = claim.party_id in perpetrators
            claim.all_sides = claim.victim_side_id is None and claim.category in sided
        panels = event_panels(event, current)
        admin_url = None
        if user.has_perm("tracker.change_event"):
            admin_url = reverse("admin:tracker_event_change", args=[event.pk])
        return super().get_context_data(
            panels=panels,
            leading_panel=next((panel for panel in panels if panel.comparison.sets_level), None),
            dispute=dispute_text(event, current),
            timeline=timeline,
            timeline_page=timeline_page,
            admin_url=admin_url,
            **kwargs,
        )


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
        return (
            Claim.objects.filter(party=self.party)
            .for_timeline()
            .select_related("event")
            .with_group_summary()
            .with_all_sides()
            .order_by("-claimed_on", "-entered_at", "-pk")
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, known_count=self.tally.claims, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims = visibility.claims_shown(context["object_list"], self.request.user)
        for claim in claims:
            claim.status = claim_status(claim)
            claim.standing_label = presentation.standing_label(claim.standing)
        tally = self.tally
        context.update(
            party=self.party,
            claims=claims,
            all_sides_shown=any(claim.all_sides for claim in claims),
            event_levels=[
                {"level": level, "label": label, "total": getattr(tally, LEVEL_COLUMNS[level])}
                for level, label in Level.choices
            ],
            standings=[
                (presentation.standing_label(standing), getattr(tally, standing)) for standing in discrepancy.STANDINGS
            ],
            alleged_events=self.party.alleged_events.count(),
        )
        return context
