"""The link review: candidate pairs of events from different datasets, side by side, to accept or reject,
and the decisions taken, to undo a merge.

It needs the Viewer's permissions and those to decide on links (tracker.roles.LINK_PERMISSIONS).
Claims are shown through tracker.visibility, as on every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tracker import linking, roles, visibility
from tracker.models import Claim, Event, EventLink, LinkStatus
from tracker.presentation import maps
from tracker.presentation.maps import event_marker
from tracker.rules import linking as rules

KEY = r"[0-9]{1,18}"  # an event's id as a form sends it: digits, and no more than a database key holds

PAIRS_PER_PAGE = 20
DECISIONS_SHOWN = 20


class LinkAccess(PermissionRequiredMixin):
    permission_required = roles.LINK_PERMISSIONS


def reason_text(code: str, value) -> str:
    """Put one of the rules' reasons into words."""
    texts = {
        rules.SAME_DAY: _("the same day"),
        rules.DATES_OVERLAP: _("dates that overlap"),
        rules.DATES_MAY_OVERLAP: _("dates that may overlap (one is known only to the week, month or year)"),
        rules.NO_COORDINATES: _("no coordinates on one of them: the places are not compared"),
        rules.TYPE_UNSAID: _("event types that do not contradict each other (one is “other”)"),
    }
    if code == rules.DISTANCE:
        return _("%(km)s km apart") % {"km": value}
    if code == rules.SAME_TYPE:
        return _("the same event type")
    return texts.get(code, code)


@dataclass
class PairRow:
    """One candidate on the review page: the two events, their claims as the user may see them, a map."""

    candidate: rules.Candidate
    first: Event
    second: Event
    reasons: list[str]
    one_to_one: bool
    pair_map: SafeString


def events_shown(keys: set[int], user) -> dict[int, Event]:
    """Return these events with their alleged perpetrators and current claims, sources masked for the user."""
    events = Event.objects.filter(pk__in=keys).prefetch_related(
        "alleged_perpetrators",
        Prefetch("claims", Claim.objects.current().for_timeline(), to_attr="current_claims"),
    )
    shown = {}
    for event in events:
        event.shown_claims = visibility.claims_shown(event.current_claims, user)
        shown[event.pk] = event
    return shown


def pair_map(first: Event, second: Event) -> SafeString:
    located = [event for event in (first, second) if event.latitude is not None]
    markers = [event_marker(event.ref, event.title, event.latitude, event.longitude, event.level) for event in located]
    return maps.event_map(
        markers,
        map_id=f"pair-{first.pk}-{second.pk}",
        title=_("Where the two events lie"),
        description=_("Each of the two events with coordinates, shaped and coloured by its level."),
        min_span=maps.PAIR_SPAN,
    )


def pair_rows(candidates: list[rules.Candidate], one_to_one: set, user) -> list[PairRow]:
    events = events_shown({key for item in candidates for key in (item.first, item.second)}, user)
    rows = []
    for item in candidates:
        first, second = events[item.first], events[item.second]
        rows.append(
            PairRow(
                candidate=item,
                first=first,
                second=second,
                reasons=[reason_text(code, value) for code, value in item.reasons],
                one_to_one=(item.first, item.second) in one_to_one,
                pair_map=pair_map(first, second),
            )
        )
    return rows


class LinkReviewView(LinkAccess, TemplateView):
    """The candidates, best first (`?one_to_one=1` for the unambiguous ones only), and the latest decisions."""

    template_name = "tracker/link_review.html"

    def get_context_data(self, **kwargs):
        proposal = linking.link_proposal()
        only_one_to_one = self.request.GET.get("one_to_one") == "1"
        shown = proposal.one_to_one if only_one_to_one else proposal.candidates
        page = Paginator(shown, PAIRS_PER_PAGE).get_page(self.request.GET.get("page"))
        one_to_one = {(item.first, item.second) for item in proposal.one_to_one}
        decisions = list(EventLink.objects.select_related("decided_by")[:DECISIONS_SHOWN])
        for decision in decisions:
            decision.undoable = decision.status == LinkStatus.ACCEPTED and linking.undo_refusal(decision) is None
        return super().get_context_data(
            rows=pair_rows(list(page.object_list), one_to_one, self.request.user),
            page_obj=page,
            candidate_total=len(proposal.candidates),
            one_to_one_total=len(proposal.one_to_one),
            only_one_to_one=only_one_to_one,
            decisions=decisions,
            **kwargs,
        )


def back_to_review(request) -> HttpResponseRedirect:
    """Return to the review page the form was sent from (its page and filter), never elsewhere."""
    kept = {name: request.POST[name] for name in ("page", "one_to_one") if request.POST.get(name, "").isdigit()}
    return HttpResponseRedirect(reverse("link_review") + (f"?{urlencode(kept)}" if kept else ""))


class LinkDecisionView(LinkAccess, View):
    """Accept (merge) or reject one candidate pair, as the review page's buttons send it."""

    def post(self, request):
        first, second = request.POST.get("first", ""), request.POST.get("second", "")
        decision = request.POST.get("decision")
        candidate = None
        if re.fullmatch(KEY, first) and re.fullmatch(KEY, second) and decision in ("accept", "reject"):
            candidate = linking.pair_candidate(int(first), int(second))
        if candidate is None:
            messages.error(request, _("These two events are no longer a candidate pair: reload the page."))
            return back_to_review(request)
        try:
            if decision == "accept":
                link = linking.event_link_accept(candidate=candidate, user=request.user)
                text = _("Merged %(merged)s into %(kept)s.")
            else:
                link = linking.event_link_reject(candidate=candidate, user=request.user)
                text = _("Kept %(merged)s and %(kept)s apart: they will not be proposed again.")
        except linking.LinkRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, text % {"merged": link.second_ref, "kept": link.first_ref})
        return back_to_review(request)


class LinkUndoView(LinkAccess, View):
    """Undo an accepted merge, restoring both events."""

    def post(self, request, pk):
        link = get_object_or_404(EventLink, pk=pk)
        try:
            linking.event_link_undo(link=link, user=request.user)
        except linking.LinkRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Undid the merge: %(merged)s is restored.") % {"merged": link.second_ref})
        return back_to_review(request)
