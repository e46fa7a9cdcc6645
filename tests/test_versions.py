"""A save from a page opened before someone else's save is refused, and says what they changed."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.accounts import make_user
from tests.factories import make_claim, make_event, make_party, make_source
from tests.helpers import claim_row, csv_bytes, form_data
from tracker.ingest.importer import file_import
from tracker.models import Assessment, Claim, Event, Party, Source
from tracker.models.assessments import organisation

pytestmark = pytest.mark.django_db

STALE = "after you opened it"


@pytest.fixture
def second_client(editor):
    """Another editor, with the same permissions, in another browser."""
    other = Client()
    codenames = Permission.objects.filter(user=editor).values_list("codename", flat=True)
    other.force_login(make_user("second-editor", *codenames, is_staff=True))
    return other


def test_two_editors_on_one_event_the_second_is_refused_not_silently_applied(editor_client, second_client):
    event = make_event(title="Strike near Deir ez-Zor")
    claim = make_claim(event, count=40)
    url = reverse("admin:tracker_event_change", args=[event.pk])
    first = form_data(editor_client.get(url).content.decode())
    second = form_data(second_client.get(url).content.decode())
    assert first["loaded_version"] == "1" and first["claims-0-loaded_version"] == "1"

    first.update({"title": "Strike on Deir ez-Zor bakery", "claims-0-best": "45"})
    assert editor_client.post(url, first).status_code == 302

    second.update({"description": "Seen by two monitors"})
    response = second_client.post(url, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page and "Strike on Deir ez-Zor bakery" in page
    event.refresh_from_db()
    claim.refresh_from_db()
    assert (event.title, event.description, claim.best) == ("Strike on Deir ez-Zor bakery", "", 45)


def test_a_stale_inline_count_is_refused(editor_client, second_client):
    claim = make_claim(count=40)
    url = reverse("admin:tracker_event_change", args=[claim.event_id])
    second = form_data(second_client.get(url).content.decode())
    first = form_data(editor_client.get(url).content.decode())
    first["claims-0-best"] = "45"
    editor_client.post(url, first)
    second["claims-0-best"] = "12"
    response = second_client.post(url, second)
    assert response.status_code == 200 and STALE in response.content.decode()
    claim.refresh_from_db()
    assert claim.best == 45


@pytest.mark.parametrize(
    ("make", "admin_name", "field", "value"),
    [
        (lambda: make_claim(count=40), "claim", "notes", "checked"),
        (lambda: make_party(name="Monitor"), "party", "short_name", "MON"),
        (lambda: make_source(title="Report"), "source", "publisher", "Agency"),
        (
            lambda: Assessment.objects.create(
                event=make_event(), assessor=organisation(), grade="weak", method="range", rationale="One source."
            ),
            "assessment",
            "rationale",
            "Two",
        ),
    ],
)
def test_each_record_refuses_a_stale_save(editor_client, second_client, make, admin_name, field, value):
    record = make()
    url = reverse(f"admin:tracker_{admin_name}_change", args=[record.pk])
    first = form_data(editor_client.get(url).content.decode())
    second = form_data(second_client.get(url).content.decode())
    first[field] = value
    assert editor_client.post(url, first).status_code == 302
    second[field] = value + " (again)"
    response = second_client.post(url, second)
    assert response.status_code == 200 and STALE in response.content.decode()
    record.refresh_from_db()
    assert getattr(record, field) == value


@pytest.mark.parametrize("posted", ["left out", "blank"])
@pytest.mark.parametrize(
    ("page", "version_field", "best_field"),
    [
        ("event", "claims-0-loaded_version", "claims-0-best"),  # the claim inline's version
        ("event", "loaded_version", "claims-0-best"),  # the event's own
        ("claim", "loaded_version", "best"),
    ],
)
def test_a_save_that_does_not_say_its_version_is_refused_like_a_stale_one(
    editor_client, page, version_field, best_field, posted
):
    claim = make_claim(count=5)
    url = reverse(f"admin:tracker_{page}_change", args=[claim.event_id if page == "event" else claim.pk])
    data = form_data(editor_client.get(url).content.decode())
    if posted == "left out":
        del data[version_field]
    else:
        data[version_field] = ""
    data[best_field] = "0"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    claim.refresh_from_db()
    assert claim.best == 5


def test_an_import_that_changes_a_claim_makes_open_pages_stale(editor_client):
    row = claim_row(notes="first")
    file_import(file=io.BytesIO(csv_bytes([row])), name="a.csv")
    claim = Claim.objects.get()
    url = reverse("admin:tracker_claim_change", args=[claim.pk])
    opened = form_data(editor_client.get(url).content.decode())
    file_import(file=io.BytesIO(csv_bytes([claim_row(notes="second")])), name="a.csv")
    opened["retracted"] = "on"
    response = editor_client.post(url, opened)
    assert response.status_code == 200 and STALE in response.content.decode()
    assert not Claim.objects.get().retracted


def test_saves_count_up_the_version():
    event, party, source = make_event(), make_party(), make_source()
    for record in (event, party, source):
        record.save()
    party.save(update_fields=["notes"])
    assert (Event.objects.get().version, Party.objects.get().version, Source.objects.get().version) == (2, 3, 2)
