"""Text in its own direction (an analyst's second week, finding 9): a Latin place or title in an Arabic page, or
an Arabic one in an English page, stays whole and in its place; admin inputs write text as its first strong
letter says, addresses left to right."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.accounts import READER_PERMISSIONS, make_reader, make_user
from tests.factories import make_claim, make_event, make_party
from tests.test_link_review import LINKER_PERMISSIONS
from tracker import linking

pytestmark = pytest.mark.django_db

ARABIC_COMMA = "، "


def test_an_event_page_in_arabic_joins_its_places_each_isolated_by_the_arabic_comma(client):
    event = make_event(ref="DEZ-1", location_name="Outskirts of Deir ez-Zor", admin_region="Deir ez-Zor")
    client.force_login(make_reader())
    html = client.get(reverse("event_detail", args=[event.ref]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert (
        f"<bdi>Outskirts of Deir ez-Zor</bdi>{ARABIC_COMMA}<bdi>Deir ez-Zor</bdi>{ARABIC_COMMA}<bdi>سوريا</bdi>" in html
    )


def test_the_event_list_and_the_link_review_join_places_the_same_way(client):
    first = make_event(ref="GED-1", origin="ucdp_ged", origin_id="1", start_date=date(2017, 6, 1),
                       location_name="Al Kasrah", admin_region="Deir ez-Zor",
                       latitude=Decimal("35.5"), longitude=Decimal("40.2"))  # fmt: skip
    second = make_event(ref="AW-1", origin="airwars", origin_id="9", start_date=date(2017, 6, 1),
                        location_name="الكسرة", latitude=Decimal("35.5"), longitude=Decimal("40.2"))  # fmt: skip
    make_claim(first, make_party(name="UCDP GED"), count=3)
    make_claim(second, make_party(name="Airwars"), count=4)
    linking.link_candidates_refresh()
    client.force_login(make_user("linker", *LINKER_PERMISSIONS))
    english = "<bdi>Al Kasrah</bdi>, <bdi>Deir ez-Zor</bdi>, <bdi>Syria</bdi>"
    assert english in client.get(reverse("event_list")).content.decode()
    review = client.get(reverse("link_review"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f"<bdi>Al Kasrah</bdi>{ARABIC_COMMA}<bdi>Deir ez-Zor</bdi>{ARABIC_COMMA}<bdi>سوريا</bdi>" in review
    assert f"<bdi>الكسرة</bdi>{ARABIC_COMMA}<bdi>سوريا</bdi>" in review


def test_admin_text_inputs_take_the_direction_of_their_text_and_addresses_read_left_to_right(client):
    client.force_login(make_user("editor", *READER_PERMISSIONS, "add_event", "add_source", is_staff=True))
    event_form = client.get(reverse("admin:tracker_event_add")).content.decode()
    assert 'name="title"' in event_form
    for name in ("title", "location_name", "description"):
        tag = event_form[event_form.rindex("<", 0, event_form.index(f'name="{name}"')) :]
        tag = tag[: tag.index(">")]
        assert 'dir="auto"' in tag, name
    source_form = client.get(reverse("admin:tracker_source_add")).content.decode()
    tag = source_form[source_form.rindex("<", 0, source_form.index('name="url"')) :]
    assert 'dir="ltr"' in tag[: tag.index(">")]
