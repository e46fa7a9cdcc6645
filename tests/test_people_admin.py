"""Entering named people and their fate claims in the admin: on the person's page with other names inline, on
the event's page, and on the fate claims' own list, with search by any spelling, history, versions and review."""

from datetime import date

import pytest
from django.urls import reverse

from tests.accounts import make_member
from tests.admin_forms import admin_page_fields
from tests.factories import make_event, make_fate_claim, make_party, make_person, make_source
from tracker import roles
from tracker.models import FateClaim, OtherName, Person, ReviewState

pytestmark = pytest.mark.django_db


def person_page_post(client, person=None, **changes):
    """Post a person's page as drawn, with these fields changed."""
    address = (
        reverse("admin:tracker_person_change", args=[person.pk]) if person else reverse("admin:tracker_person_add")
    )
    data = admin_page_fields(client.get(address))
    return client.post(address, data | changes)


def fate_claim_card(index: int, **fields) -> dict:
    """What one fate claim's card posts on a person's page: a stated fate of a combatant, dated to the day."""
    fields = {"hedge": "stated", "status": "combatant", "fate_date_precision": "day", "claimed_on_precision": "day",
              **fields}  # fmt: skip
    return {f"fate_claims-{index}-{name}": value for name, value in fields.items()}


def test_a_person_is_entered_with_other_names_and_fate_claims(editor_client, editor):
    ministry, monitor, source = make_party(name="Defence ministry"), make_party(), make_source()
    response = person_page_post(
        editor_client, name="Gulmurod Khalimov", role="field commander",
        **{"other_names-TOTAL_FORMS": "2", "other_names-0-name": "Гулмурод Халимов", "other_names-1-name": "Halimov"},
        **{"fate_claims-TOTAL_FORMS": "2"},
        **fate_claim_card(0, party=ministry.pk, fate="fatally_wounded", fate_date="2017-09-08",
                          claimed_on="2017-09-08", source=source.pk),
        **fate_claim_card(1, party=monitor.pk, fate="killed", fate_date="2017-04-20", fate_date_precision="month",
                          claimed_on="2017-04-20", source=source.pk),
    )  # fmt: skip
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    person = Person.objects.get()
    assert sorted(OtherName.objects.values_list("name", flat=True)) == ["Halimov", "Гулмурод Халимов"]
    assert [(f.fate, f.fate_date, f.entered_by) for f in person.fate_claims.order_by("fate_date")] == [
        ("killed", date(2017, 4, 1), editor), ("fatally_wounded", date(2017, 9, 8), editor),
    ]  # fmt: skip
    assert (person.killed_twice, person.reported_deaths) == (True, 2)


def test_a_fate_claim_without_a_date_or_an_event_is_refused_with_the_reason(editor_client):
    person = make_person()
    response = editor_client.post(
        reverse("admin:tracker_fateclaim_add"),
        {"person": person.pk, "party": make_party().pk, "fate": "killed", "hedge": "stated", "status": "unknown",
         "claimed_on": "2017-09-10", "claimed_on_precision": "day", "source": make_source().pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Give a fate date, or choose the event" in response.content.decode()
    assert not FateClaim.objects.exists()


def test_fate_claims_are_entered_on_the_event_page(editor_client):
    event = make_event(start_date=date(2017, 9, 8))
    person = make_person(name="Gulmurod Khalimov")
    address = reverse("admin:tracker_event_change", args=[event.pk])
    page = editor_client.get(address)
    assert "Fate claims" in page.content.decode()
    data = admin_page_fields(page) | {"claims-TOTAL_FORMS": "0"}
    data |= {
        "fate_claims-TOTAL_FORMS": "1", "fate_claims-0-person": person.pk, "fate_claims-0-party": make_party().pk,
        "fate_claims-0-fate": "killed", "fate_claims-0-hedge": "stated", "fate_claims-0-status": "combatant",
        "fate_claims-0-claimed_on": "2017-09-10", "fate_claims-0-source": make_source().pk,
    }  # fmt: skip
    response = editor_client.post(address, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    fate_claim = FateClaim.objects.get()
    # Left out, the precisions are a day's, and the fate date the event's.
    assert (fate_claim.event, fate_claim.fate_date, fate_claim.day) == (event, None, date(2017, 9, 8))
    person.refresh_from_db()
    assert person.reported_deaths == 1


@pytest.mark.parametrize("typed", ["Halimov", "Xalimov", "gulmurod halimov", "Халимов"])
def test_the_admin_finds_a_person_by_any_spelling(editor_client, typed):
    khalimov = make_person(name="Gulmurod Khalimov")
    OtherName.objects.create(person=khalimov, name="Гулмурод Халимов")
    make_person(name="Someone else")
    found = editor_client.get(reverse("admin:tracker_person_changelist"), {"q": typed}).context["cl"].result_list
    assert list(found) == [khalimov]
    answer = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tracker", "model_name": "fateclaim", "field_name": "person", "term": typed},
    ).json()
    assert [result["text"] for result in answer["results"]] == ["Gulmurod Khalimov"]
    make_fate_claim(khalimov)
    make_fate_claim(make_person(name="Kalimov"))
    claims = editor_client.get(reverse("admin:tracker_fateclaim_changelist"), {"q": typed}).context["cl"]
    assert [fate_claim.person for fate_claim in claims.result_list] == [khalimov]


@pytest.mark.parametrize(
    ("query", "count"),
    [({}, 4), ({"fate__exact": "alive"}, 1), ({"hedge__exact": "possible"}, 1), ({"retracted__exact": "1"}, 1),
     ({"review_state__exact": "entered"}, 4), ({"status__exact": "combatant"}, 1)],
)  # fmt: skip
def test_the_fate_claim_list_filters(editor_client, query, count):
    person, ministry = make_person(), make_party(name="Ministry")
    make_fate_claim(person, ministry, status="combatant")
    make_fate_claim(person, fate="alive", fate_date=date(2018, 2, 1))
    make_fate_claim(person, hedge="possible")
    make_fate_claim(person, retracted=True)
    response = editor_client.get(reverse("admin:tracker_fateclaim_changelist"), query)
    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    by_party = editor_client.get(reverse("admin:tracker_fateclaim_changelist"), {"party__id__exact": ministry.pk})
    assert by_party.context["cl"].result_count == 1


def test_the_person_list_filters_by_conflict(editor_client):
    twice = make_person(name="Twice")
    make_fate_claim(twice, fate_date=date(2017, 4, 1))
    make_fate_claim(twice, fate_date=date(2017, 9, 8))
    make_person(name="Unnamed in any claim")
    changelist = reverse("admin:tracker_person_changelist")
    assert list(editor_client.get(changelist, {"killed_twice__exact": "1"}).context["cl"].result_list) == [twice]


def test_a_fate_claim_is_reviewed_by_someone_else_and_a_change_enters_it_again(client):
    alice, bruno = make_member("alice", roles.EDITOR), make_member("bruno", roles.EDITOR)
    fate_claim = make_fate_claim()
    fate_claim._history_user = alice
    fate_claim.save()
    changelist = reverse("admin:tracker_fateclaim_changelist")
    action = {"action": "mark_reviewed", "_selected_action": [fate_claim.pk]}
    client.force_login(alice)
    assert "another reviewer must review it" in client.post(changelist, action, follow=True).content.decode()
    fate_claim.refresh_from_db()
    assert fate_claim.review_state == ReviewState.ENTERED
    client.force_login(bruno)
    client.post(changelist, action)
    fate_claim.refresh_from_db()
    assert (fate_claim.review_state, fate_claim.reviewed_by, fate_claim.version) == (ReviewState.REVIEWED, bruno, 2)
    fate_claim.fate = "alive"
    fate_claim.save()
    assert fate_claim.review_state == ReviewState.ENTERED


def test_a_save_from_a_stale_page_is_refused(editor_client):
    fate_claim = make_fate_claim()
    address = reverse("admin:tracker_fateclaim_change", args=[fate_claim.pk])
    data = admin_page_fields(editor_client.get(address))
    fate_claim.wording = "was killed, a relative says"
    fate_claim.save()
    response = editor_client.post(address, data | {"fate": "alive"})
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    fate_claim.refresh_from_db()
    assert fate_claim.fate == "killed"


def test_the_histories_of_a_person_and_a_fate_claim(editor_client):
    fate_claim = make_fate_claim(make_person(name="Gulmurod Khalimov"))
    fate_claim.fate = "alive"
    fate_claim.save()
    page = editor_client.get(reverse("admin:tracker_fateclaim_history", args=[fate_claim.pk])).content.decode()
    assert "Alive" in page or "alive" in page
    person_history = reverse("admin:tracker_person_history", args=[fate_claim.person_id])
    assert editor_client.get(person_history).status_code == 200


def test_an_editor_role_may_enter_people_and_fate_claims(client):
    client.force_login(make_member("alice", roles.EDITOR))
    for name in ("person", "fateclaim"):
        assert client.get(reverse(f"admin:tracker_{name}_add")).status_code == 200, name


def test_the_person_page_speaks_arabic(editor_client):
    person = make_person(name="Gulmurod Khalimov")
    make_fate_claim(person)
    editor_client.cookies["django_language"] = "ar"
    page = editor_client.get(reverse("admin:tracker_person_change", args=[person.pk])).content.decode()
    for arabic in ("ادعاءات المصير", "أسماء أخرى", "تاريخ المصير", "درجة الجزم", "قُتل", "الانتماء"):
        assert arabic in page, arabic
