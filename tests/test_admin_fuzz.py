"""Every admin add and change page of the tracker, each of its fields posted with a bad value: the page
answers with its form's message, never a server error.

The fields are the admin's own, as each page draws them for a superuser: the page's form, the first
form of each inline and the inlines' management forms. Each field is posted alone with each bad
value, the rest of the form valid; each post is rolled back, so that every one meets the same records.
"""

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from tests.admin_forms import admin_page_fields
from tests.factories import (
    make_claim,
    make_event,
    make_fate_claim,
    make_party,
    make_person,
    make_source,
    seeded_subgroup,
)
from tracker.models import Assessment, OtherName
from tracker.models.assessments import organisation

pytestmark = pytest.mark.django_db

# No number, with control characters; a number beyond any column, longer than any text field takes.
BAD_VALUES = ["x\x00\x0c", "9" * 4300]
TRACKER_PAGES = [
    (model, action)
    for model in admin.site._registry
    if model._meta.app_label == "tracker"
    for action in ("add", "change")
]


def records():
    party, side, source = make_party(name="Ministry"), make_party(name="Group"), make_source(title="Report")
    event = make_event()
    event.alleged_perpetrators.add(party)
    claim = make_claim(event, party, victim_side=side, source=source, wording="around 40", notes="by phone")
    assessment = Assessment.objects.create(
        event=event, assessor=organisation(), grade="weak", method="range", rationale="One source.", civilian_low=3
    )
    subgroup = seeded_subgroup("children")
    fate_claim = make_fate_claim(make_person(name="Gulmurod Khalimov", affiliation=side), party, event=event,
                                 source=source, notes="by phone")  # fmt: skip
    OtherName.objects.create(person=fate_claim.person, name="Halimov")
    return {
        "event": event, "claim": claim, "party": party, "source": source, "side": side, "assessment": assessment,
        "subgroup": subgroup, "person": fate_claim.person, "fateclaim": fate_claim,
    }  # fmt: skip


def valid_added(name: str, stored: dict) -> dict:
    """What a page adding a record of this model needs, beside what it draws, to save."""
    claim = {
        "party": stored["party"].pk, "category": "civilian", "claimed_on": "2018-03-01", "qualifier": "exact",
        "best": "7", "source": stored["source"].pk,
    }  # fmt: skip
    event = {
        "ref": "FUZZ-1", "title": "Shelling", "event_type": "shelling", "start_date": "2018-02-01",
        "date_precision": "day", "location_name": "Idlib", "country": "SY",
    }  # fmt: skip
    return {
        "event": event | {f"claims-0-{field}": value for field, value in claim.items()},
        "claim": claim | {"event": stored["event"].pk},
        "party": {"name": "Monitor", "kind": "monitor"},
        "source": {"title": "Bulletin", "published_on": "2018-03-01"},
        "assessment": {
            "event": stored["event"].pk,
            "grade": "weak",
            "method": "range",
            "rationale": "One source.",
            "assessed_on": "2018-03-02",
        },
        "subgroup": {"code": "snipers", "name": "snipers", "category": "combatant"},
        "person": {"name": "Abu Omar"},
        "fateclaim": {
            "person": stored["person"].pk,
            "party": stored["party"].pk,
            "fate": "alive",
            "fate_date": "2018-02-01",
            "claimed_on": "2018-02-15",
            "source": stored["source"].pk,
        },
    }[name]


@pytest.mark.parametrize(("model", "action"), TRACKER_PAGES, ids=lambda part: getattr(part, "__name__", part))
def test_no_field_of_an_admin_page_posted_with_a_bad_value_is_a_server_error(admin_client, model, action):
    stored = records()
    name = model._meta.model_name
    url = reverse(f"admin:tracker_{name}_{action}", args=[stored[name].pk] if action == "change" else [])
    fields = admin_page_fields(admin_client.get(url))
    if action == "add":
        fields |= valid_added(name, stored)

    def posted(data):
        with transaction.atomic():
            response = admin_client.post(url, data)
            transaction.set_rollback(True)
        return response

    assert posted(fields).status_code == 302  # the form as drawn saves: each bad value below is the only one
    errors = []
    for field in fields:
        for value in BAD_VALUES:
            try:
                status = posted({**fields, field: value}).status_code
            except Exception as error:  # the test client raises what the view raised
                status = f"{type(error).__name__}: {str(error)[:100]}"
            if not isinstance(status, int) or status >= 500:
                errors.append((field, value[:10], status))
    assert errors == []
