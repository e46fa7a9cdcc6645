"""A merged event keeps each dataset's record: the merged event's title, places and description are shown
beside the kept event's, and its reference, identifier and place names still find it, in the list, the API
and the admin. Found on CS1447 merged into GED-246518: a search for "CS1447", "33194" or "الكسرة" then
found nothing, and Airwars' description went out of view."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from tests.accounts import READER_PERMISSIONS, make_reader, make_user
from tests.factories import make_claim, make_event, make_party
from tracker import linking
from tracker.models import Event, EventAlias, EventLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged():
    """GED-246518 and Airwars' CS1447, one incident, merged into the GED event as the link review would."""
    ged = make_event(
        ref="GED-246518", origin="ucdp_ged", origin_id="246518", start_date=date(2017, 9, 20),
        title="Government of Syria (Russia) - Civilians", location_name="Al Kasrah", admin_region="Deir ez-Zor",
        description="GED: one-sided violence, 12 civilians.", latitude=Decimal("35.5"), longitude=Decimal("40.2"),
    )  # fmt: skip
    airwars = make_event(
        ref="CS1447", origin="airwars", origin_id="33194", start_date=date(2017, 9, 20), event_type="airstrike",
        title="Airstrike at Al Kasra", location_name="الكسرة", admin_region="Deir Ezzor",
        description="Grading: Fair\nChildren killed: 4", latitude=Decimal("35.5"), longitude=Decimal("40.2"),
    )  # fmt: skip
    make_claim(ged, make_party(name="UCDP GED"), count=12, category="civilian")
    make_claim(airwars, make_party(name="Airwars"), count=("range", 10, None, 14), category="civilian")
    linking.link_candidates_refresh()
    (candidate,) = linking.link_proposal().candidates
    linking.event_link_accept(candidate=candidate, user=None)
    return Event.objects.get(ref="GED-246518")


def test_the_merged_events_record_is_kept_as_its_dataset_gave_it(merged):
    alias = EventAlias.objects.get(event=merged)
    assert (alias.ref, alias.origin, alias.origin_id) == ("CS1447", "airwars", "33194")
    assert (alias.title, alias.location_name, alias.admin_region) == ("Airstrike at Al Kasra", "الكسرة", "Deir Ezzor")
    assert alias.description == "Grading: Fair\nChildren killed: 4"


def test_the_event_page_shows_each_datasets_record_side_by_side(client, merged):
    client.force_login(make_reader())
    html = client.get(reverse("event_detail", args=[merged.ref])).content.decode()
    section = html[html.index('class="dataset-records"') :]
    section = section[: section.index("</section>")]
    assert section.count('class="dataset-record"') == 2
    for text in ("UCDP GED", "GED: one-sided violence", "Airwars", "33194", "الكسرة", "Grading: Fair", "Al Kasrah"):
        assert text in section, text


@pytest.mark.parametrize("words", ["CS1447", "33194", "الكسرة", "Children killed: 4", "Al Kasra"])
def test_the_merged_events_reference_identifier_and_places_find_the_kept_event(client, merged, words):
    make_event(ref="OTHER", title="Elsewhere", location_name="Raqqa")
    client.force_login(make_reader())

    listed = client.get(reverse("event_list"), {"q": words}).context["page_obj"].object_list
    assert [event.ref for event in listed] == ["GED-246518"]
    api = client.get("/api/events/", {"q": words}, HTTP_ACCEPT="application/json").json()
    assert [event["ref"] for event in api["results"]] == ["GED-246518"]


@pytest.mark.parametrize("words", ["CS1447", "33194", "الكسرة"])
def test_the_admin_finds_the_kept_event_by_the_merged_events_record(client, merged, words):
    make_event(ref="OTHER", title="Elsewhere", location_name="Raqqa")
    client.force_login(make_user("editor", *READER_PERMISSIONS, "change_event", is_staff=True))
    changelist = client.get(reverse("admin:tracker_event_changelist"), {"q": words}).context["cl"]
    assert [event.ref for event in changelist.result_list] == ["GED-246518"]


def test_an_undo_gives_the_record_back_to_the_restored_event_and_search_finds_it_there(client, merged):
    link = EventLink.objects.get()
    linking.event_link_undo(link=link, user=None)
    client.force_login(make_reader())
    listed = client.get(reverse("event_list"), {"q": "33194"}).context["page_obj"].object_list
    assert [event.ref for event in listed] == ["CS1447"]
    assert Event.objects.get(ref="CS1447").location_name == "الكسرة"


def test_aliases_made_before_they_kept_the_record_get_it_from_their_merge(merged):
    records_fill = import_module("tracker.migrations.0026_alias_records").records_fill
    EventAlias.objects.update(title="", location_name="", admin_region="", description="")

    records_fill(apps, None)

    alias = EventAlias.objects.get()
    assert (alias.title, alias.location_name, alias.description) == (
        "Airstrike at Al Kasra", "الكسرة", "Grading: Fair\nChildren killed: 4",
    )  # fmt: skip
