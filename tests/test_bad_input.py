"""Addresses and forms that cannot be read get a clear 4xx answer or the form's message, never a server error."""

import pytest
from django.urls import reverse

from tests.admin_forms import admin_page_fields
from tests.factories import make_claim, make_party, make_source
from tracker.models import Claim, Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/events/%00/",
        "/events/?q=a%00b",
        "/admin/tracker/event/?title=a%00",
        "/admin/tracker/event/?level=%00",
        "/admin/tracker/event/?start_date__year=2147483648",
        "/admin/tracker/claim/?claimed_on__year=99999999999",
        "/admin/tracker/claim/?claimed_on__month=13",
        "/admin/tracker/event/?ratio__gte=1e999999",
        "/admin/tracker/event/?ratio__gte=nan",
        "/admin/tracker/event/?id__in=1,x",
        "/admin/tracker/claim/?best__gt=99999999999999999999",
        "/admin/tracker/claim/?party__id__exact=banana",
        "/admin/tracker/event/?start_date__gte=2020-13-45",
    ],
)
def test_an_address_that_cannot_be_read_is_a_bad_request(admin_client, url):
    make_claim()
    assert admin_client.get(url).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/tracker/event/?start_date__year=2018",
        "/admin/tracker/event/?start_date__year=2018&start_date__month=1&start_date__day=1",
        "/admin/tracker/event/?level__exact=single&classification_dispute__exact=0",
        "/admin/tracker/event/?ratio__gte=1.5",
        "/admin/tracker/claim/?party__kind__exact=monitor&q=Raqqa",
        "/admin/tracker/claim/?is_current__exact=1&category__exact=civilian",
        "/admin/tracker/source/?confidential__exact=0",
    ],
)
def test_filters_that_can_be_read_still_filter(admin_client, url):
    make_claim()
    assert admin_client.get(url).status_code == 200


def test_a_count_too_large_to_store_is_refused_with_a_message(admin_client):
    party, source = make_party(), make_source()
    claim = make_claim()
    data = {
        "event": claim.event_id, "party": party.pk, "category": "civilian", "claimed_on": "2018-01-02",
        "source": source.pk, "wording": "99999999999 killed", "qualifier": "",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:tracker_claim_add"), data)
    assert response.status_code == 200
    assert "larger than any death count the tracker can hold" in response.content.decode()
    assert Claim.objects.count() == 1


# A choice of records posted with what cannot be one of their keys: the field's own message, not a
# server error, on every page and inline that offers the choice.

CLAIM_CHOICES = ["event", "party", "victim_side", "source"]


def claim_page(admin_client, page):
    claim = make_claim(victim_side=make_party(name="Group"))
    url = reverse(f"admin:tracker_claim_{page}", args=[claim.pk] if page == "change" else [])
    fields = admin_page_fields(admin_client.get(url))
    fields |= {"event": claim.event_id, "party": make_party().pk, "category": "civilian", "claimed_on": "2018-03-01",
               "source": claim.source_id, "qualifier": "exact", "best": "3"} if page == "add" else {}  # fmt: skip
    return url, fields


def event_page(admin_client, page):
    claim = make_claim(victim_side=make_party(name="Group"))
    claim.event.alleged_perpetrators.add(claim.party)
    url = reverse(f"admin:tracker_event_{page}", args=[claim.event_id] if page == "change" else [])
    fields = admin_page_fields(admin_client.get(url))
    new = {"ref": "SYR-NEW", "title": "Shelling", "start_date": "2018-02-01", "location_name": "Idlib",
           "country": "SY", "claims-0-party": claim.party_id, "claims-0-category": "civilian",
           "claims-0-claimed_on": "2018-03-01", "claims-0-source": claim.source_id, "claims-0-qualifier": "exact",
           "claims-0-best": "3"}  # fmt: skip
    return url, fields | (new if page == "add" else {})


CHOICES = [
    *((claim_page, field) for field in CLAIM_CHOICES),
    (event_page, "alleged_perpetrators"),
    *((event_page, f"claims-0-{field}") for field in ["party", "victim_side", "source"]),
]


@pytest.mark.parametrize("page", ["add", "change"])
@pytest.mark.parametrize(("fields_of", "field"), CHOICES, ids=lambda part: getattr(part, "__name__", part))
@pytest.mark.parametrize("value", ["x", "9" * 25])
def test_a_choice_of_records_given_no_key_says_select_a_valid_choice(admin_client, page, fields_of, field, value):
    url, fields = fields_of(admin_client, page)
    stored = Claim.objects.count(), Event.objects.count()
    response = admin_client.post(url, {**fields, field: [value] if field == "alleged_perpetrators" else value})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert (Claim.objects.count(), Event.objects.count()) == stored


# Text the import refuses is refused by the admin's forms, in the same words.


@pytest.mark.parametrize(
    ("model", "field"), [("party", "notes"), ("event", "description"), ("source", "title"), ("claim", "notes")]
)
def test_text_with_a_control_character_is_refused_as_an_import_refuses_it(admin_client, model, field):
    claim = make_claim()
    record = {"party": claim.party, "event": claim.event, "source": claim.source, "claim": claim}[model]
    url = reverse(f"admin:tracker_{model}_change", args=[record.pk])
    fields = admin_page_fields(admin_client.get(url))
    response = admin_client.post(url, {**fields, field: "a\x0cb"})
    assert response.status_code == 200
    assert "This text holds a control character (U+000C), which no record may hold" in response.content.decode()
    record.refresh_from_db()
    assert "\x0c" not in getattr(record, field)


def test_an_event_page_posted_with_a_forged_count_of_claim_forms_is_refused_without_building_them(admin_client):
    url, fields = event_page(admin_client, "change")
    response = admin_client.post(url, {**fields, "claims-TOTAL_FORMS": "1000000"})
    assert response.status_code == 200
    assert "Please submit at most 51 forms." in response.content.decode()  # its claim, and 50 new at most
    claims = next(
        inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.prefix == "claims"
    )
    assert len(claims.forms) == 51
