"""Answers a browser can reuse (issue: speed for many readers): every page and download carries an ETag
built from the data version, the user's permissions and language and the query; a repeat request whose
tag still matches gets a 304 without the page being built. A write, a change of role or of language and
another filter each give a new tag."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts import make_reader, make_user
from tests.factories import make_claim, make_event, make_fate_claim, make_party, make_person
from tests.helpers import claim_row, csv_bytes
from tracker.ingest.importer import file_import
from tracker.models import Claim, Person
from tracker.models.freshness import data_changes_deferred, data_version, data_version_pinned
from tracker.models.reviews import records_review

pytestmark = pytest.mark.django_db

PAGES = [
    "/", "/events/", "/events/?level=denial", "/parties/", "/assess/", "/review/", "/people/", "/people/?q=halimov",
    "/events/export.csv", "/events/claims.csv", "/events/assessments.csv",
]  # fmt: skip


@pytest.fixture
def reader(client):
    event = make_event(ref="E-1")
    make_claim(event, make_party(name="Ministry"), count=0)
    make_claim(event, make_party(name="Monitor"), count=12)
    make_fate_claim(make_person(name="Gulmurod Khalimov"), make_party(name="Russian Ministry of Defence"), event=event)
    user = make_reader()
    client.force_login(user)
    return user


def tag_of(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response["ETag"]


@pytest.mark.parametrize("url", [*PAGES, "/events/E-1/"])
def test_a_repeat_request_with_a_current_tag_gets_a_304_without_the_page_being_built(client, reader, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304 and again.content == b""
    assert not again.templates  # nothing rendered


def test_a_persons_page_with_a_current_tag_gets_a_304_and_a_new_one_after_a_write(client, reader):
    url = reverse("person_detail", args=[Person.objects.get().pk])
    tag = tag_of(client, url)
    again = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and not again.templates
    make_fate_claim(Person.objects.get(), make_party(name="Monitor of fates"), "alive")
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_write_gives_every_page_a_new_tag(client, reader):
    before = {url: tag_of(client, url) for url in PAGES}
    make_claim(make_event(ref="E-2"), make_party(name="Hospital"), count=3)
    for url in PAGES:
        assert client.get(url, HTTP_IF_NONE_MATCH=before[url]).status_code == 200, url


def test_a_change_of_role_of_language_or_of_filter_gives_a_new_tag(client, reader):
    tag = tag_of(client, "/events/")
    reader.user_permissions.add(Permission.objects.get(codename="view_confidential_source"))
    client.force_login(type(reader).objects.get(pk=reader.pk))  # a fresh user: permissions are read again
    granted = tag_of(client, "/events/")
    assert granted != tag
    arabic = tag_of(client, "/events/", HTTP_ACCEPT_LANGUAGE="ar")
    client.cookies["django_language"] = "ar"
    assert len({tag, granted, arabic, tag_of(client, "/events/")}) >= 3
    assert tag_of(client, "/events/?level=denial") != tag_of(client, "/events/?level=major")


def test_another_user_does_not_get_a_304_for_a_tag_of_someone_elses_page(client, reader):
    tag = tag_of(client, "/events/")
    client.force_login(make_reader("other-reader"))
    assert client.get("/events/", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_visitor_without_the_permission_gets_no_tag_and_no_304(client, reader):
    tag = tag_of(client, "/events/")
    client.logout()
    assert client.get("/events/", HTTP_IF_NONE_MATCH=tag).status_code == 302
    client.force_login(make_user("stranger"))
    response = client.get("/events/", HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 403 and not response.has_header("ETag")


def test_an_import_counts_the_version_up_once_and_a_refused_one_not_at_all(reader):
    version = data_version()
    rows = [claim_row(event_ref=f"IMP-{number}", party=f"Party {number}") for number in range(5)]
    assert file_import(file=io.BytesIO(csv_bytes(rows)), name="claims.csv").ok
    assert data_version() == version + 1

    bad = [claim_row(event_ref="IMP-9"), claim_row(event_ref="IMP-10", event_date="not a date")]
    assert not file_import(file=io.BytesIO(csv_bytes(bad)), name="claims.csv").ok
    assert data_version() == version + 1


def test_a_review_counts_the_version_up(reader):
    version = data_version()
    records_review(Claim.objects.all(), user=make_user("reviewer", "review_record"))
    assert data_version() > version


def test_a_deferring_block_counts_up_once_at_its_end_and_not_after_an_error():
    version = data_version()
    with data_changes_deferred():
        for number in range(3):
            make_party(name=f"Deferred {number}")
        assert data_version() == version
    assert data_version() == version + 1
    with pytest.raises(ZeroDivisionError), data_changes_deferred():
        make_party(name="Rolled back")
        1 / 0  # noqa: B018
    assert data_version() == version + 1


def test_a_page_carrying_a_message_is_built_and_the_message_shown(client, reader):
    """A refused review changes no data, so the queue's tag still matches: the message must show all the same."""
    tag = tag_of(client, reverse("review_queue"))
    assert client.post(reverse("review_queue"), {}).status_code == 302  # no permission to review: a message

    again = client.get(reverse("review_queue"), HTTP_IF_NONE_MATCH=tag)

    assert again.status_code == 200
    assert "permission" in again.content.decode()
    assert client.get(reverse("review_queue"), HTTP_IF_NONE_MATCH=tag).status_code == 304  # shown once


@pytest.mark.parametrize("url", ["/", "/parties/"])
def test_a_page_showing_every_partys_track_record_reads_the_data_version_once(client, reader, url):
    """The ETag and the kept track records stand for one version: read once a request, not once each."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    reads = [query["sql"] for query in queries if "tracker_dataversion" in query["sql"]]
    assert len(reads) == 1, reads


def test_a_pinned_version_is_read_again_after_a_write_in_the_same_block(reader):
    with data_version_pinned():
        version = data_version()
        make_party(name="Written meanwhile")
        assert data_version() == version + 1
        with CaptureQueriesContext(connection) as queries:
            assert data_version() == version + 1
        assert not queries.captured_queries  # read once after the write, then kept
