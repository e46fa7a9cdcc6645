"""Who may see what: the rule in tracker.visibility, then each surface that shows sources and notes."""

import json

import pytest
from django.urls import reverse

from tests.accounts import make_confidant, make_reader
from tests.factories import make_claim, make_event, make_party, make_source
from tracker import visibility
from tracker.exports.claims import claim_rows
from tracker.models import Claim, Source

pytestmark = pytest.mark.django_db

SECRETS = ("Informant in Hajin", "Hajin network", "told by Abu Khalid", "hajin.example.org")


# The rule, at its source.


def test_only_the_permission_shows_confidential_sources():
    reader, confidant = make_reader(), make_confidant()
    secret, public = make_source(confidential=True), make_source()
    assert not visibility.sees_confidential(reader) and visibility.sees_confidential(confidant)
    assert not visibility.sees_confidential(None)
    assert set(visibility.sources_visible_to(reader, Source.objects.all())) == {public}
    assert set(visibility.sources_visible_to(confidant, Source.objects.all())) == {public, secret}
    assert visibility.source_hidden(secret, reader) and not visibility.source_hidden(secret, confidant)
    assert not visibility.source_hidden(public, reader)


def test_an_import_preview_sample_hides_a_confidential_source_and_its_notes():
    reader, confidant = make_reader(), make_confidant()
    sample = {
        "party": "Monitor",
        "source": "Informant in Hajin",
        "source_confidential": True,
        "notes": "told by Abu Khalid",
    }
    assert visibility.claim_sample_shown(sample, confidant) == sample
    assert visibility.claim_sample_shown(sample, reader) == {
        "party": "Monitor", "source": "Confidential source", "source_confidential": True, "notes": "",
    }  # fmt: skip
    public = {**sample, "source_confidential": False}
    assert visibility.claim_sample_shown(public, reader) == public


def test_marked_claims_know_without_a_query_whether_their_source_is_hidden(django_assert_num_queries):
    reader = make_reader()
    hidden = make_claim(source=make_source(confidential=True))
    shown = make_claim()
    claims = {claim.pk: claim for claim in visibility.claims_marked(Claim.objects.all(), reader)}
    reader.has_perm("tracker.view_event")  # the user's permissions are loaded once, before counting
    with django_assert_num_queries(0):
        assert visibility.claim_source_hidden(claims[hidden.pk], reader)
        assert not visibility.claim_source_hidden(claims[shown.pk], reader)


@pytest.mark.parametrize(
    ("lookup", "reveals"),
    [
        ("notes__startswith", True),
        ("notes", True),
        ("source__title__icontains", True),
        ("source__publisher", True),
        ("source__url__contains", True),
        ("source__excerpt__contains", True),
        ("source__confidential", False),
        ("source", False),
        ("category", False),
        ("party__kind", False),
        ("wording__contains", False),
    ],
)
def test_lookups_that_would_read_hidden_fields_are_refused(lookup, reveals):
    assert visibility.lookup_reveals(lookup, make_reader()) is reveals
    assert visibility.lookup_reveals(lookup, make_confidant()) is False


# Each surface: a reader without the permission never reads the secrets; one with it does.


@pytest.fixture
def secret_claim():
    source = make_source(
        title="Informant in Hajin", publisher="Hajin network", url="https://hajin.example.org/1", confidential=True
    )
    return make_claim(make_event(ref="SYR-2018-HAJ-01"), make_party(name="Local monitor"), source=source,
                      notes="told by Abu Khalid")  # fmt: skip


def surfaces(claim):
    return [
        reverse("event_detail", args=[claim.event.ref]),
        reverse("party_detail", args=[claim.party_id]),
        reverse("event_download", args=["json"]),
        "/api/events/SYR-2018-HAJ-01/",
        "/api/claims/",
        "/api/sources/",
        reverse("admin:tracker_claim_changelist"),
        reverse("admin:tracker_claim_change", args=[claim.pk]),
        reverse("admin:tracker_claim_history", args=[claim.pk]),
        reverse("admin:tracker_event_change", args=[claim.event_id]),
        reverse("admin:tracker_source_changelist"),
        reverse("admin:autocomplete") + "?app_label=tracker&model_name=claim&field_name=source&term=Hajin",
    ]


def staff(make, name):
    user = make(name, is_staff=True)
    user.user_permissions.add(*user.user_permissions.model.objects.filter(codename="change_event"))
    return user


def test_no_surface_shows_a_confidential_source_to_a_reader_without_the_permission(client, secret_claim):
    client.force_login(staff(make_reader, "reader"))
    for url in surfaces(secret_claim):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not [secret for secret in SECRETS if secret in page], url


def test_every_surface_shows_the_confidential_source_to_those_who_may_see_it(client, secret_claim):
    client.force_login(staff(make_confidant, "confidant"))
    shown = set()
    for url in surfaces(secret_claim):
        response = client.get(url)
        assert response.status_code == 200, url
        shown |= {secret for secret in SECRETS if secret in response.content.decode()}
    assert shown == set(SECRETS)


def test_a_download_for_a_person_names_the_hidden_source_as_confidential_only(secret_claim):
    (row,) = claim_rows(user=make_reader())
    assert (row["source_title"], row["source_url"], row["source_publisher"], row["notes"]) == (
        "Confidential source", "", "", "",
    )  # fmt: skip
    (row,) = claim_rows(user=make_confidant())
    assert (row["source_title"], row["notes"]) == ("Informant in Hajin", "told by Abu Khalid")


def test_admin_filters_cannot_read_hidden_notes_a_letter_at_a_time(client, secret_claim):
    client.force_login(staff(make_reader, "reader"))
    changelist = reverse("admin:tracker_claim_changelist")
    for query in (f"?id={secret_claim.pk}&notes__startswith=t", f"?source__title__startswith=I&id={secret_claim.pk}"):
        assert client.get(changelist + query).status_code == 400, query
    client.force_login(staff(make_confidant, "confidant"))
    assert "1 claim" in client.get(changelist + f"?id={secret_claim.pk}&notes__startswith=t").content.decode()


def test_the_source_list_does_not_offer_the_publishers_of_hidden_sources(client, secret_claim):
    make_source(title="Press release", publisher="Defence ministry")
    client.force_login(staff(make_reader, "reader"))
    page = client.get(reverse("admin:tracker_source_changelist")).content.decode()
    assert "Defence ministry" in page and "Hajin network" not in page


def test_an_editor_cannot_move_a_claim_off_a_hidden_source_to_show_its_notes(editor_client, secret_claim):
    public = make_source(title="Public report")
    event = secret_claim.event
    data = {
        "ref": event.ref, "title": event.title, "event_type": "other", "start_date": "2018-01-01",
        "date_precision": "day", "location_name": "Raqqa", "country": "SY",
        "claims-TOTAL_FORMS": "1", "claims-INITIAL_FORMS": "1",
        "claims-0-id": secret_claim.pk, "claims-0-event": event.pk, "claims-0-party": secret_claim.party_id,
        "claims-0-category": "civilian", "claims-0-claimed_on": "2018-01-02", "claims-0-qualifier": "exact",
        "claims-0-best": "10", "claims-0-source": public.pk,
        "groups-TOTAL_FORMS": "0", "groups-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = editor_client.post(reverse("admin:tracker_event_change", args=[event.pk]), data)
    assert response.status_code == 200
    assert "only those who may see confidential sources can change it" in response.content.decode()
    secret_claim.refresh_from_db()
    assert secret_claim.source.confidential


def test_the_api_marks_a_hidden_source_without_naming_it(client, secret_claim):
    client.force_login(make_reader())
    (claim,) = json.loads(client.get("/api/claims/").content)["results"]
    assert (claim["source"], claim["source_hidden"], claim["notes"]) == (None, True, "")


def test_history_keeps_hidden_what_was_written_while_a_source_was_confidential(client, secret_claim, admin_user):
    # An administrator moves the claim to a public source and redacts the informant's source.
    public = make_source(title="Public report")
    secret_claim.source, secret_claim.notes = public, "from a public report"
    secret_claim.save()
    informant = Source.objects.get(title="Informant in Hajin")
    informant.title, informant.publisher, informant.url = "Local contact", "", ""
    informant.confidential = False
    informant.save()

    client.force_login(staff(make_reader, "reader"))
    claim_history = reverse("admin:tracker_claim_history", args=[secret_claim.pk])
    page = client.get(claim_history).content.decode()
    assert "told by Abu Khalid" not in page and "Informant in Hajin" not in page
    assert "from a public report" not in page  # a notes change on a once-hidden claim is masked both ways
    for version in secret_claim.history.all():
        url = reverse("admin:tracker_claim_simple_history", args=[secret_claim.pk, version.history_id])
        page = client.get(url).content.decode()
        assert not [secret for secret in SECRETS if secret in page], url
    source_history = reverse("admin:tracker_source_history", args=[informant.pk])
    assert client.get(source_history).status_code == 403
    event_history = reverse("admin:tracker_event_history", args=[secret_claim.event_id])
    page = client.get(event_history).content.decode()  # the event's timeline lists its claims' versions
    assert "Hidden with the confidential source." in page
    assert not [secret for secret in SECRETS if secret in page] and "from a public report" not in page

    client.force_login(staff(make_confidant, "confidant"))
    assert "told by Abu Khalid" in client.get(claim_history).content.decode()
    assert "told by Abu Khalid" in client.get(event_history).content.decode()
    assert client.get(source_history).status_code == 200
