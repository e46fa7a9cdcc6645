"""Who may see what: the rule in tracker.visibility, then each surface that shows sources and notes."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts import make_confidant, make_member, make_reader
from tests.factories import make_claim, make_event, make_fate_claim, make_party, make_person, make_source
from tests.helpers import form_data
from tracker import roles, visibility
from tracker.exports.claims import claim_rows
from tracker.exports.people import fate_rows
from tracker.models import Claim, FateClaim, Source

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
    assert visibility.is_source_hidden(secret, reader) and not visibility.is_source_hidden(secret, confidant)
    assert not visibility.is_source_hidden(public, reader)


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
        assert visibility.is_claim_source_hidden(claims[hidden.pk], reader)
        assert not visibility.is_claim_source_hidden(claims[shown.pk], reader)


def test_a_past_version_is_judged_by_the_source_it_had_then_and_the_notes_it_kept():
    informant, public = make_source(confidential=True), make_source()
    claim = make_claim(source=informant, notes="informant Omar")
    claim.source = public
    claim.save()
    claim.notes = "from a public report"
    claim.save()
    added, moved, rewritten = claim.history.order_by("history_date", "history_id")
    secrets = visibility.past_secrets([claim.pk], make_reader())
    assert [secrets.is_notes_hidden(version) for version in (added, moved, rewritten)] == [True, True, False]
    assert secrets.is_source_hidden(informant.pk) and not secrets.is_source_hidden(public.pk)
    assert visibility.past_secrets([claim.pk], make_confidant()) == visibility.PastSecrets()


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
        ("source", True),  # which claims share one hidden source
        ("source_id__in", True),
        ("source__pk", True),
        ("event__claims__source", True),
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


def secrets_shown(client, urls) -> dict[str, set[str]]:
    """Return, for each of these pages (each opened), the secrets it shows."""
    shown = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        shown[url] = {secret for secret in SECRETS if secret in response.content.decode()}
    return shown


def test_no_surface_shows_a_confidential_source_to_a_reader_without_the_permission(client, secret_claim):
    client.force_login(staff(make_reader, "reader"))
    assert {url: secrets for url, secrets in secrets_shown(client, surfaces(secret_claim)).items() if secrets} == {}


def test_every_surface_shows_the_confidential_source_to_those_who_may_see_it(client, secret_claim):
    client.force_login(staff(make_confidant, "confidant"))
    assert set().union(*secrets_shown(client, surfaces(secret_claim)).values()) == set(SECRETS)


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


@pytest.mark.parametrize(
    "query", ["source={}", "source_id={}", "source__id__exact={}", "source__pk={}", "source__in={}",
              "source__gte={}&source__lte={}"],
)  # fmt: skip
def test_filtering_claims_by_a_hidden_source_answers_as_for_a_source_that_does_not_exist(client, secret_claim, query):
    make_claim(source=secret_claim.source)  # which claims share the informant is what a filter would tell
    missing = Source.objects.order_by("pk").last().pk + 1000
    changelist = reverse("admin:tracker_claim_changelist")

    def answer(source_id):
        response = client.get(changelist + "?" + query.format(source_id, source_id))
        return response.status_code, response.context["cl"].result_count if response.status_code == 200 else None

    client.force_login(staff(make_reader, "reader"))
    assert answer(secret_claim.source_id) == answer(missing)
    client.force_login(staff(make_confidant, "confidant"))
    assert answer(secret_claim.source_id) == (200, 2)


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
        "assessments-TOTAL_FORMS": "0", "assessments-INITIAL_FORMS": "0",
        "fate_claims-TOTAL_FORMS": "0", "fate_claims-INITIAL_FORMS": "0",
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


# History, judged by the source each version had: as a confidant enters it in the admin, and as
# others (or the confidant, the grant revoked) read it back on every page that shows the past.


def admin_saved(client, url, **changes):
    """Save a change page as its form stands, with these fields changed."""
    response = client.post(url, form_data(client.get(url).content.decode()) | changes)
    assert response.status_code == 302, response.content.decode()


@pytest.fixture
def moved_claim(client):
    """A claim entered on a confidential source with an informant's name in its notes, moved to a
    public source, then its notes rewritten, all in the admin by someone who may see the source."""
    client.force_login(make_member("confidant", roles.EDITOR, confidential=True))
    informant, public = make_source(title="Omar network", confidential=True), make_source(title="Public report")
    event, party = make_event(ref="SYR-2018-HAJ-02"), make_party(name="Local monitor")
    response = client.post(reverse("admin:tracker_claim_add"), {
        "event": event.pk, "party": party.pk, "category": "civilian", "claimed_on": "2018-01-02",
        "source": informant.pk, "qualifier": "exact", "best": "5", "notes": "informant Omar",
    })  # fmt: skip
    assert response.status_code == 302
    claim = Claim.objects.get()
    change = reverse("admin:tracker_claim_change", args=[claim.pk])
    admin_saved(client, change, source=public.pk)
    admin_saved(client, change, notes="from a public report")
    client.logout()
    return claim


def history_pages(claim) -> list[str]:
    pages = [
        reverse("admin:tracker_claim_history", args=[claim.pk]),
        reverse("admin:tracker_event_history", args=[claim.event_id]),
    ]
    versions = claim.history.order_by("history_date", "history_id")
    return pages + [reverse("admin:tracker_claim_simple_history", args=[claim.pk, v.history_id]) for v in versions]


@pytest.mark.parametrize("reader", ["editor", "administrator", "confidant, the grant revoked"])
def test_notes_written_on_a_confidential_source_stay_hidden_after_a_move_and_a_rewrite(client, moved_claim, reader):
    if reader == "confidant, the grant revoked":
        user = get_user_model().objects.get(username="confidant")
        roles.role_assign(user=user, roles=[roles.EDITOR])
    else:
        user = make_member("reader", roles.ADMINISTRATOR if reader == "administrator" else roles.EDITOR)
    client.force_login(user)
    pages = {url: client.get(url).content.decode() for url in history_pages(moved_claim)}
    assert [url for url, page in pages.items() if "Omar" in page] == []
    claim_history, event_history, _, moved, rewritten = pages
    for url in (claim_history, event_history, moved):
        assert "Hidden with the confidential source." in pages[url], url
    # Rewritten on the public source, the notes are the claim's own again.
    assert "from a public report" in pages[rewritten]


def test_who_may_see_confidential_sources_reads_the_notes_in_the_history(client, moved_claim):
    client.force_login(make_member("second-confidant", roles.EDITOR, confidential=True))
    claim_history, event_history, added, moved, _ = history_pages(moved_claim)
    for url in (claim_history, event_history, added, moved):
        assert "informant Omar" in client.get(url).content.decode(), url


def test_recent_actions_name_a_confidential_source_only_to_who_may_see_it(client):
    confidant = make_member("confidant", roles.EDITOR, confidential=True)
    editor = make_member("editor", roles.EDITOR)
    add = reverse("admin:tracker_source_add")
    client.force_login(editor)
    assert client.post(add, {"title": "Abu Khalid contacts"}).status_code == 302
    client.force_login(confidant)
    assert client.post(add, {"title": "Omar network", "confidential": "on"}).status_code == 302
    contacts = Source.objects.get(title="Abu Khalid contacts")
    admin_saved(client, reverse("admin:tracker_source_change", args=[contacts.pk]), confidential="on")
    index = reverse("admin:index")
    assert "Omar network" in client.get(index).content.decode()

    roles.role_assign(user=confidant, roles=[roles.EDITOR])  # the grant revoked
    for user, hidden in ((confidant, "Omar network"), (editor, "Abu Khalid contacts")):
        client.force_login(user)
        page = client.get(index).content.decode()
        assert hidden not in page and "Confidential source" in page, user
    assert "Abu Khalid" not in page


# Fate claims: one citing a confidential source hides its source and notes as a claim does.


@pytest.fixture
def secret_fate_claim():
    source = make_source(
        title="Informant in Hajin", publisher="Hajin network", url="https://hajin.example.org/1", confidential=True
    )
    person = make_person(name="Gulmurod Khalimov")
    return make_fate_claim(person, make_party(name="Local monitor"), source=source, notes="told by Abu Khalid",
                           event=make_event(ref="SYR-2018-HAJ-01"))  # fmt: skip


def fate_claim_surfaces(fate_claim):
    return [
        reverse("event_detail", args=[fate_claim.event.ref]),  # its named people
        reverse("person_detail", args=[fate_claim.person_id]),
        reverse("person_list") + "?q=Khalimov",
        "/api/people/",
        "/api/fate-claims/",
        f"/api/fate-claims/{fate_claim.pk}/",
        reverse("admin:tracker_fateclaim_changelist"),
        reverse("admin:tracker_fateclaim_change", args=[fate_claim.pk]),
        reverse("admin:tracker_fateclaim_history", args=[fate_claim.pk]),
        *(reverse("admin:tracker_fateclaim_simple_history", args=[fate_claim.pk, version.history_id])
          for version in fate_claim.history.all()),
        reverse("admin:tracker_person_change", args=[fate_claim.person_id]),
        reverse("admin:tracker_event_change", args=[fate_claim.event_id]),
        reverse("admin:autocomplete") + "?app_label=tracker&model_name=fateclaim&field_name=source&term=Hajin",
    ]  # fmt: skip


def people_staff(make, name):
    user = staff(make, name)
    user.user_permissions.add(
        *user.user_permissions.model.objects.filter(
            codename__in=["view_person", "view_fateclaim", "change_person", "change_fateclaim"]
        )
    )
    return user


def test_no_page_shows_a_fate_claims_confidential_source_to_a_reader_without_the_permission(client, secret_fate_claim):
    secret_fate_claim.wording = "was killed, a neighbour says"
    secret_fate_claim.save()
    client.force_login(people_staff(make_reader, "reader"))
    shown = secrets_shown(client, fate_claim_surfaces(secret_fate_claim))
    assert {url: secrets for url, secrets in shown.items() if secrets} == {}
    change = client.get(reverse("admin:tracker_fateclaim_change", args=[secret_fate_claim.pk])).content.decode()
    assert "Confidential source" in change and "Hidden with the confidential source." in change
    person_page = client.get(reverse("person_detail", args=[secret_fate_claim.person_id])).content.decode()
    assert "Confidential source" in person_page and "was killed, a neighbour says" in person_page
    (shown_claim,) = client.get(f"/api/fate-claims/?person={secret_fate_claim.person_id}").json()["results"]
    assert (shown_claim["source"], shown_claim["notes"], shown_claim["source_hidden"]) == (None, "", True)


def test_every_page_shows_a_fate_claims_confidential_source_to_those_who_may_see_it(client, secret_fate_claim):
    client.force_login(people_staff(make_confidant, "confidant"))
    shown = set().union(*secrets_shown(client, fate_claim_surfaces(secret_fate_claim)).values())
    assert {"Informant in Hajin", "told by Abu Khalid"} <= shown  # the source by its title, and the notes
    person_page = client.get(reverse("person_detail", args=[secret_fate_claim.person_id])).content.decode()
    assert {"Informant in Hajin", "Hajin network", "told by Abu Khalid", "hajin.example.org"} == {
        secret for secret in SECRETS if secret in person_page
    }


def test_fate_claim_filters_cannot_read_hidden_notes_or_group_by_a_hidden_source(client, secret_fate_claim):
    client.force_login(people_staff(make_reader, "reader"))
    changelist = reverse("admin:tracker_fateclaim_changelist")
    for query in ("?notes__startswith=t", "?source__title__startswith=I", f"?source={secret_fate_claim.source_id}"):
        assert client.get(changelist + query).status_code == 400, query
    client.force_login(people_staff(make_confidant, "confidant"))
    assert client.get(changelist + "?notes__startswith=t").context["cl"].result_count == 1


def test_a_fate_claims_past_versions_are_judged_by_the_source_they_had(secret_fate_claim):
    public = make_source(title="Public report")
    secret_fate_claim.source = public
    secret_fate_claim.save()
    added, moved = secret_fate_claim.history.order_by("history_date", "history_id")
    reader = make_reader()
    secrets = visibility.past_secrets([secret_fate_claim.pk], reader, model=FateClaim)
    assert [secrets.is_notes_hidden(version) for version in (added, moved)] == [True, True]
    assert secrets.is_source_hidden(added.source_id) and not secrets.is_source_hidden(public.pk)
    # Asked of the claims, the same keys name other records: nothing of the fate claim's past is found there.
    assert visibility.past_secrets([secret_fate_claim.pk], reader) == visibility.PastSecrets()


def test_marked_fate_claims_know_whether_their_source_is_hidden(secret_fate_claim):
    public, reader = make_fate_claim(), make_reader()
    marked = {fate.pk: fate for fate in visibility.claims_marked(FateClaim.objects.all(), reader)}
    assert visibility.is_claim_source_hidden(marked[secret_fate_claim.pk], reader)
    assert not visibility.is_claim_source_hidden(marked[public.pk], reader)
    shown = visibility.claims_shown([marked[secret_fate_claim.pk]], reader)[0]
    assert (shown.shown_source, shown.shown_notes) == (None, "")


def test_an_editor_cannot_move_a_fate_claim_off_a_hidden_source_nor_read_its_notes(editor_client, secret_fate_claim):
    address = reverse("admin:tracker_fateclaim_change", args=[secret_fate_claim.pk])
    page = editor_client.get(address).content.decode()
    assert "told by Abu Khalid" not in page and "Informant in Hajin" not in page
    # The source and notes are shown read-only as hidden: a post naming another source, or notes, changes neither.
    public = make_source(title="Public report")
    editor_client.post(address, form_data(page) | {"source": public.pk, "notes": "", "wording": "killed"})
    secret_fate_claim.refresh_from_db()
    assert (secret_fate_claim.source.confidential, secret_fate_claim.notes) == (True, "told by Abu Khalid")
    assert secret_fate_claim.wording == "killed"


def test_the_people_download_for_a_person_names_a_fate_claims_hidden_source_as_confidential_only(secret_fate_claim):
    (row,) = fate_rows(user=make_reader())
    assert (row["source_title"], row["source_url"], row["source_publisher"], row["source_date"], row["notes"]) == (
        "Confidential source", "", "", "", "",
    )  # fmt: skip
    (row,) = fate_rows(user=make_confidant())
    assert (row["source_title"], row["notes"]) == ("Informant in Hajin", "told by Abu Khalid")


def test_the_review_queue_shows_no_fate_claims_secret(client, secret_fate_claim):
    client.force_login(make_reader())
    page = client.get(reverse("review_queue")).content.decode()
    assert "Gulmurod Khalimov" in page
    assert not {secret for secret in SECRETS if secret in page}
