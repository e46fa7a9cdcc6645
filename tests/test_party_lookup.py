"""Every party look-up puts the party named or aliased as typed first (an analyst's second week, finding 4:
typing "IS" listed GED's Islamic State, the party "IS", 17th of 21; "Daesh" found nothing)."""

import pytest
from django.urls import reverse

from tests.accounts import READER_PERMISSIONS, make_reader, make_user
from tests.factories import make_claim, make_event, make_party
from tracker.models import Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    names = ["Isis River Authority", "Kurdish Islamic Front", "Syrian Islamic Council", "Islamic Army"]
    made = [make_party(name=name) for name in [*names, "Ismail Brigade"]]
    made.append(make_party(name="IS", aliases="Islamic State\nISIS\r\nISIL\nDaesh\nداعش"))
    event = make_event()
    for party in made:  # the parties page lists parties with claims
        make_claim(event, party, count=1)
    return made


@pytest.mark.parametrize("typed", ["IS", "is", "Daesh", "ISIL", "داعش", "Islamic State"])
def test_the_query_ranks_the_party_named_or_aliased_as_typed_first(parties, typed):
    assert Party.objects.matching(typed).order_by("match_rank", "name")[0].name == "IS"


@pytest.mark.parametrize("typed", ["IS", "Daesh", "داعش"])
def test_the_parties_page_lists_the_party_named_or_aliased_as_typed_first(client, parties, typed):
    client.force_login(make_reader())
    listed = client.get(reverse("party_list"), {"q": typed}).context["object_list"]
    assert listed[0].name == "IS"


@pytest.mark.parametrize("typed", ["IS", "ISIS", "داعش"])
def test_the_admins_list_and_autocomplete_put_it_first(client, parties, typed):
    client.force_login(make_user("editor", *READER_PERMISSIONS, "change_claim", "view_claim", is_staff=True))
    changelist = client.get(reverse("admin:tracker_party_changelist"), {"q": typed}).context["cl"]
    assert changelist.result_list[0].name == "IS"
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": typed, "app_label": "tracker", "model_name": "claim", "field_name": "party"},
    ).json()["results"]
    assert found[0]["text"] == "IS"


def test_without_an_exact_match_a_name_beginning_with_the_text_comes_first_and_the_rest_are_found(parties):
    found = [party.name for party in Party.objects.matching("Islamic").order_by("match_rank", "name")]
    assert found[0] == "Islamic Army"  # "Islamic State" is one of IS's aliases, but not "Islamic"
    assert set(found) == {"IS", "Islamic Army", "Kurdish Islamic Front", "Syrian Islamic Council"}
