"""The link review page: who may open it and decide, what it shows side by side, accept, reject, undo."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.accounts import READER_PERMISSIONS, make_reader, make_user
from tests.factories import make_claim, make_event, make_party, make_source
from tests.test_linking import ged_and_airwars
from tracker import linking, roles
from tracker.models import Event, EventLink, LinkCandidate, LinkStatus, Party

pytestmark = pytest.mark.django_db

LINKER_PERMISSIONS = [*READER_PERMISSIONS, "view_eventlink", "add_eventlink", "change_eventlink"]
# The session and user, the permission check (two), the totals, the latest decisions with what their
# undo depends on, a page of candidates, and their events with perpetrators and claims.
REVIEW_QUERIES = 10


@pytest.fixture
def linker(client):
    client.force_login(make_user("linker", *LINKER_PERMISSIONS))
    return client


def test_a_reader_may_neither_open_the_review_nor_decide(client):
    ged, airwars = ged_and_airwars()
    client.force_login(make_reader())
    assert client.get(reverse("link_review")).status_code == 403
    decide = {"first": ged.pk, "second": airwars.pk, "decision": "accept"}
    assert client.post(reverse("link_decide"), decide).status_code == 403
    link = linking.event_link_accept(candidate=linking.link_proposal().candidates[0], user=None)
    assert client.post(reverse("link_undo", args=[link.pk])).status_code == 403
    assert EventLink.objects.get().status == LinkStatus.ACCEPTED


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("link_review")).status_code == 302
    assert client.post(reverse("link_decide"), {}).status_code == 302


def test_the_review_shows_each_pair_side_by_side_with_claims_levels_reasons_and_a_map(linker):
    ged_and_airwars()
    html = linker.get(reverse("link_review")).content.decode()
    assert "1 candidate pair," in html and "1 of them one-to-one" in html
    first, second = html.index("GED-1"), html.index("AW-CS1")
    assert first < second
    for text in ("U.S.-led Coalition", "Airwars incident CS1", "the same day", "km apart", "2017-06-01",
                 "UCDP GED", "level-single", "level-denial", "Airstrike"):  # fmt: skip
        assert text in html, text
    pair_map = re.search(r'<svg id="pair-\d+-\d+".*?</svg>', html, re.S).group(0)
    assert pair_map.count('class="marker level-') == 2 + 2  # two markers and their legend


def test_a_confidential_source_is_masked_on_the_review(linker):
    ged, _ = ged_and_airwars()
    make_claim(ged, count=5, source=make_source(title="Secret informant", confidential=True))
    html = linker.get(reverse("link_review")).content.decode()
    assert "Secret informant" not in html
    assert "Confidential source" in html


def test_accept_from_the_review_merges_and_says_so(linker):
    ged, airwars = ged_and_airwars()
    response = linker.post(
        reverse("link_decide"), {"first": ged.pk, "second": airwars.pk, "decision": "accept", "page": "1"}, follow=True
    )
    assert "Merged AW-CS1 into GED-1." in response.content.decode()
    assert not Event.objects.filter(pk=airwars.pk).exists()
    assert EventLink.objects.get().decided_by.username == "linker"
    assert "Undo the merge" in response.content.decode()


def test_reject_from_the_review_is_remembered_and_the_pair_is_gone(linker):
    ged, airwars = ged_and_airwars()
    linker.post(reverse("link_decide"), {"first": ged.pk, "second": airwars.pk, "decision": "reject"})
    html = linker.get(reverse("link_review")).content.decode()
    assert "0 candidate pairs" in html
    again = linker.post(
        reverse("link_decide"), {"first": ged.pk, "second": airwars.pk, "decision": "accept"}, follow=True
    )
    assert "no longer a candidate pair" in again.content.decode()
    assert Event.objects.count() == 2


def test_undo_from_the_review_restores_the_merged_event(linker):
    ged, airwars = ged_and_airwars()
    linker.post(reverse("link_decide"), {"first": ged.pk, "second": airwars.pk, "decision": "accept"})
    link = EventLink.objects.get()
    response = linker.post(reverse("link_undo", args=[link.pk]), follow=True)
    assert "Undid the merge: AW-CS1 is restored." in response.content.decode()
    assert Event.objects.get(pk=airwars.pk).claims.count() == 2


def test_a_forged_decision_on_events_that_are_no_candidate_changes_nothing(linker):
    ged, airwars = ged_and_airwars()
    airwars.country = "IQ"
    airwars.save()
    response = linker.post(reverse("link_decide"), {"first": ged.pk, "second": airwars.pk, "decision": "accept"})
    assert response.status_code == 302 and response["Location"] == reverse("link_review")
    assert Event.objects.count() == 2 and not EventLink.objects.exists()


def test_the_admin_action_shows_how_many_it_would_accept_then_merges_them(client):
    ged, airwars = ged_and_airwars()
    editor = make_user("editor")
    roles.role_assign(user=editor, roles=[roles.EDITOR])
    client.force_login(editor)
    changelist = reverse("admin:tracker_event_changelist")
    chosen = {"action": "one_to_one_links_accept", "_selected_action": [ged.pk], "index": "0"}
    score = linking.link_proposal().one_to_one[0].score

    too_high = client.post(changelist, {**chosen, "min_score": str(score + 1)}).content.decode()
    assert "1 selected events, 0 score at least" in too_high
    preview = client.post(changelist, chosen).content.decode()
    assert "1 selected events, 1 scores at least 0 and would be merged" in preview
    assert Event.objects.count() == 2

    done = client.post(changelist, {**chosen, "confirmed": "yes"}, follow=True).content.decode()
    assert "Merged 1 pair of events." in done
    assert not Event.objects.filter(pk=airwars.pk).exists()
    assert EventLink.objects.get().decided_by == editor


def test_the_admin_action_is_offered_only_to_those_who_may_link(client):
    ged_and_airwars()
    administrator = make_user("admin")
    roles.role_assign(user=administrator, roles=[roles.ADMINISTRATOR])
    client.force_login(administrator)
    assert "one_to_one_links_accept" in client.get(reverse("admin:tracker_event_changelist")).content.decode()
    staff_reader = make_user("staff-reader", *READER_PERMISSIONS, "change_event", is_staff=True)
    client.force_login(staff_reader)
    assert "one_to_one_links_accept" not in client.get(reverse("admin:tracker_event_changelist")).content.decode()


def test_a_merged_events_address_leads_to_the_event_it_was_merged_into_which_names_it(linker):
    ged_and_airwars()
    linking.event_link_accept(candidate=linking.link_proposal().candidates[0], user=None)
    response = linker.get(reverse("event_detail", args=["AW-CS1"]))
    assert response.status_code == 302 and response["Location"] == reverse("event_detail", args=["GED-1"])
    html = linker.get(response["Location"]).content.decode()
    assert "Merged into it" in html and "AW-CS1" in html and "CS1" in html
    assert linker.get(reverse("event_detail", args=["AW-NONE"])).status_code == 404


@pytest.mark.parametrize("first", ["²", "99999999999999999999", "-1", " 1"])
def test_a_decision_on_ids_that_are_not_event_ids_is_answered_not_failed(linker, first):
    _ged, airwars = ged_and_airwars()
    response = linker.post(reverse("link_decide"), {"first": first, "second": airwars.pk, "decision": "accept"})
    assert response.status_code == 302 and response["Location"] == reverse("link_review")
    assert Event.objects.count() == 2 and not EventLink.objects.exists()


def incident_pairs(count: int, *, first_day: date) -> list[tuple[Event, Event]]:
    """`count` incidents a day apart, each a GED and an Airwars event with claims (some of confidential
    sources) and a perpetrator; then the candidates are proposed, as link_events would."""
    coalition = Party.objects.get_or_create(name="U.S.-led Coalition", kind="state_military")[0]
    made = []
    for number in range(count):
        day = first_day + timedelta(days=number)
        place = {"start_date": day, "latitude": Decimal("35.95"), "longitude": Decimal("39.01")}
        ged = make_event(ref=f"GED-{day:%m%d}", origin="ucdp_ged", origin_id=f"{day:%m%d}", **place)
        airwars = make_event(ref=f"AW-{day:%m%d}", origin="airwars", origin_id=f"{day:%m%d}", event_type="airstrike",
                             **place)  # fmt: skip
        airwars.alleged_perpetrators.add(coalition)
        make_claim(ged, make_party(), count=3)
        make_claim(airwars, make_party(), count=("range", 5, None, 9), source=make_source(confidential=number % 2 == 0))
        made.append((ged, airwars))
    linking.link_candidates_refresh()
    return made


def test_the_reviews_query_count_does_not_grow_with_candidates_or_decisions(linker, django_assert_max_num_queries):
    incident_pairs(1, first_day=date(2018, 3, 1))
    with django_assert_max_num_queries(REVIEW_QUERIES) as few:
        assert "1 candidate pair," in linker.get(reverse("link_review")).content.decode()

    made = incident_pairs(12, first_day=date(2018, 4, 1))
    for ged, airwars in made[:3]:
        linking.event_link_accept(candidate=linking.pair_candidate(ged.pk, airwars.pk), user=None)
    for ged, airwars in made[3:5]:
        linking.event_link_reject(candidate=linking.pair_candidate(ged.pk, airwars.pk), user=None)
    with django_assert_max_num_queries(REVIEW_QUERIES) as many:
        html = linker.get(reverse("link_review")).content.decode()
    assert "8 candidate pairs," in html and html.count('class="link-pair"') == 8
    assert html.count("Undo the merge") == 3
    assert len(many) == len(few)


def test_the_review_shows_what_was_proposed_until_it_is_proposed_anew(linker):
    """The page searches nothing: an event entered since the last proposal waits for the next."""
    ged_and_airwars()
    make_event(ref="ACLED-1", origin="acled", origin_id="SYR1", start_date=date(2017, 6, 1),
               latitude=Decimal("35.950000"), longitude=Decimal("39.020000"))  # fmt: skip
    html = linker.get(reverse("link_review")).content.decode()
    assert "1 candidate pair," in html and "ACLED-1" not in html

    call_command("link_events", stdout=io.StringIO())
    html = linker.get(reverse("link_review")).content.decode()
    assert "3 candidate pairs," in html and "ACLED-1" in html


@pytest.mark.parametrize(
    "changed, problems",
    [
        ({"first": "GED-1", "second": None}, ["Kept event: Not an event of this page.", "Other event: This field is"]),
        ({"decision": "merge"}, ["Decision: Select a valid choice. merge is not one of the available choices."]),
        ({"first": None, "second": None, "decision": None}, ["Kept event: This field is required."]),
    ],
)
def test_a_malformed_decision_is_answered_with_what_could_not_be_read(linker, changed, problems):
    ged, airwars = ged_and_airwars()
    posted = {"first": ged.pk, "second": airwars.pk, "decision": "accept", "page": "x", **changed}
    response = linker.post(
        reverse("link_decide"), {name: value for name, value in posted.items() if value is not None}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("link_review"), 302)]  # the page it could not read is left out
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith("This decision could not be read (")
    for problem in problems:
        assert problem in messages[0]
    assert Event.objects.count() == 2 and not EventLink.objects.exists()


def test_a_decision_keeps_the_page_and_filter_it_was_sent_from(linker):
    ged, airwars = ged_and_airwars()
    posted = {"first": ged.pk, "second": airwars.pk, "decision": "reject", "page": "3", "one_to_one": "1"}
    response = linker.post(reverse("link_decide"), posted)
    assert response["Location"] == reverse("link_review") + "?page=3&one_to_one=1"


def test_a_candidate_whose_event_is_gone_is_neither_shown_nor_decided(linker):
    ged, airwars = ged_and_airwars()
    Event.objects.filter(pk=airwars.pk).delete()  # as a merge elsewhere or the admin would
    response = linker.get(reverse("link_review"))
    assert response.status_code == 200 and "0 candidate pairs" in response.content.decode()
    decided = linker.post(
        reverse("link_decide"), {"first": ged.pk, "second": airwars.pk, "decision": "accept"}, follow=True
    )
    assert "no longer a candidate pair" in decided.content.decode()
    assert not EventLink.objects.exists()


def test_a_pair_no_longer_alike_is_checked_again_when_decided_and_dropped(linker):
    ged, airwars = ged_and_airwars()
    airwars.country = "IQ"
    airwars.save()
    assert "1 candidate pair," in linker.get(reverse("link_review")).content.decode()  # as proposed
    decided = linker.post(
        reverse("link_decide"), {"first": ged.pk, "second": airwars.pk, "decision": "accept"}, follow=True
    )
    assert "no longer a candidate pair" in decided.content.decode()
    assert "0 candidate pairs" in decided.content.decode()
    assert Event.objects.count() == 2 and not LinkCandidate.objects.exists()


def test_an_undone_merge_is_proposed_again_as_it_stood(linker):
    ged, airwars = ged_and_airwars()
    linker.post(reverse("link_decide"), {"first": ged.pk, "second": airwars.pk, "decision": "accept"})
    assert "0 candidate pairs" in linker.get(reverse("link_review")).content.decode()
    linker.post(reverse("link_undo", args=[EventLink.objects.get().pk]))
    assert "1 candidate pair," in linker.get(reverse("link_review")).content.decode()
