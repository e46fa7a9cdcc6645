"""What makes a claim one claim and a party one party, held by the database, said by the admin, and
kept by a backup in the claims CSV: export, import into an empty database, export gives the same."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from tests.factories import make_claim, make_event, make_party, make_source
from tests.helpers import claim_row, csv_bytes
from tracker.exports.claims import claim_rows, claims_write
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, Party, Source

pytestmark = pytest.mark.django_db

CLAIM_STORED = "This claim is stored already"
PARTY_STORED = "A party with this name already exists, perhaps in other capitals"


def test_a_claim_stated_twice_is_refused_by_the_database():
    claim = make_claim(notes="first report", wording="ten killed")
    for victim_side in (None, make_party(name="Islamic State")):
        if victim_side:
            claim.victim_side = victim_side
            claim.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.create(
                event=claim.event, party=claim.party, source=claim.source, category=claim.category,
                victim_side=victim_side, claimed_on=claim.claimed_on, qualifier="exact", best=10,
                notes="the same, noted again", wording="10 dead",
            )  # fmt: skip


def test_a_claim_may_differ_in_any_one_of_what_makes_it_a_claim():
    claim = make_claim(count=("range", 10, None, 14))
    same = {"event": claim.event, "party": claim.party, "source": claim.source, "category": claim.category,
            "claimed_on": claim.claimed_on, "qualifier": "range", "low": 10, "high": 14}  # fmt: skip
    for change in [
        {"source": make_source()}, {"claimed_on": date(2018, 1, 3)}, {"category": "total"},
        {"victim_side": make_party()}, {"low": 11}, {"high": 15}, {"qualifier": "at_least", "high": None},
        {"party": make_party()}, {"event": make_event()},
    ]:  # fmt: skip
        Claim.objects.create(**(same | change))
    assert Claim.objects.count() == 10


def claim_page_form(claim, **fields):
    data = {
        "event": claim.event_id, "party": claim.party_id, "category": claim.category, "claimed_on": "2018-01-02",
        "source": claim.source_id, "wording": "", "qualifier": "exact", "best": "10", "notes": "entered again",
    }  # fmt: skip
    return data | fields


def test_the_claim_page_refuses_a_claim_stored_already_with_a_message(editor_client):
    claim = make_claim(notes="first report")
    response = editor_client.post(reverse("admin:tracker_claim_add"), claim_page_form(claim))
    assert response.status_code == 200 and CLAIM_STORED in response.content.decode()
    assert Claim.objects.count() == 1
    response = editor_client.post(reverse("admin:tracker_claim_add"), claim_page_form(claim, best="11"))
    assert response.status_code == 302 and Claim.objects.count() == 2


def event_page_form(event, *claims, stored=()):
    data = {
        "ref": event.ref, "title": event.title, "event_type": event.event_type, "start_date": "2018-01-01",
        "date_precision": "day", "location_name": event.location_name, "country": "SY",
        "loaded_version": event.version,
        "claims-TOTAL_FORMS": str(len(stored) + len(claims)), "claims-INITIAL_FORMS": str(len(stored)),
        "groups-TOTAL_FORMS": "0", "groups-INITIAL_FORMS": "0",
    }  # fmt: skip
    for index, claim in enumerate([*stored, *claims]):
        data |= {f"claims-{index}-{name}": value for name, value in claim.items()}
    return data


def new_claim(party, source, **fields):
    return {"party": party.pk, "category": "civilian", "claimed_on": "2018-01-02", "source": source.pk,
            "qualifier": "exact", "best": "10", **fields}  # fmt: skip


def test_the_event_page_refuses_a_claim_stored_already(editor_client):
    claim = make_claim(notes="first report")
    stored = {"id": claim.pk, "event": claim.event_id, "loaded_version": claim.version,
              **new_claim(claim.party, claim.source)}  # fmt: skip
    again = new_claim(claim.party, claim.source, notes="entered again")
    url = reverse("admin:tracker_event_change", args=[claim.event_id])
    response = editor_client.post(url, event_page_form(claim.event, again, stored=[stored]))
    assert response.status_code == 200 and CLAIM_STORED in response.content.decode()
    assert Claim.objects.count() == 1


def test_the_event_page_refuses_two_new_claims_that_are_one(editor_client):
    event, party, source = make_event(), make_party(), make_source()
    first, second = new_claim(party, source, notes="one"), new_claim(party, source, notes="two")
    response = editor_client.post(
        reverse("admin:tracker_event_change", args=[event.pk]), event_page_form(event, first, second)
    )
    assert response.status_code == 200 and CLAIM_STORED in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.parametrize("name", ["msf test", "MSF TEST", "Msf Test"])
def test_a_party_name_in_other_capitals_is_refused(editor_client, name):
    make_party(name="MSF Test")
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(name=name, kind="medical")
    response = editor_client.post(reverse("admin:tracker_party_add"), {"name": name, "kind": "medical"})
    assert response.status_code == 200 and PARTY_STORED in response.content.decode()
    assert list(Party.objects.values_list("name", flat=True)) == ["MSF Test"]


def test_renaming_a_party_to_its_own_name_in_other_capitals_is_allowed(editor_client):
    party = make_party(name="Msf test")
    data = {"name": "MSF Test", "kind": "medical", "loaded_version": party.version}
    response = editor_client.post(reverse("admin:tracker_party_change", args=[party.pk]), data)
    assert response.status_code == 302
    assert Party.objects.get().name == "MSF Test"


def test_an_import_takes_a_party_named_in_other_capitals_for_the_same_party():
    party = make_party(name="MSF Test", kind="medical")
    side = make_party(name="Islamic State", kind="armed_group")
    report = file_import(
        file=io.BytesIO(csv_bytes([claim_row(party="msf TEST", victim_side="ISLAMIC STATE", category="combatant")])),
        name="claims.csv",
    )
    assert report.ok, report.errors
    assert Party.objects.count() == 2
    assert Claim.objects.filter(party=party, victim_side=side).count() == 1


def exported() -> bytes:
    stream = io.StringIO()
    claims_write(claim_rows(), format="csv", stream=stream)
    return stream.getvalue().encode()


def test_claims_the_csv_tells_apart_export_and_import_exactly():
    """The backup round trip of the trust issue: every claim the database takes comes back as it was."""
    event = make_event(ref="SYR-RT-1")
    msf, msf_syria = make_party(name="MSF Test", kind="medical"), make_party(name="MSF Test (Syria)", kind="medical")
    first, second = make_source(title="Report A"), make_source(title="Report B")
    make_claim(event, msf, source=first, notes="from the hospital", wording="ten dead")
    make_claim(event, msf, source=second, notes="from the morgue", wording="10 killed")  # only the source differs
    make_claim(event, msf, source=first, claimed_on=date(2018, 1, 9), notes="-5 disputed")  # only the date
    make_claim(event, msf_syria, source=first, notes='=HYPERLINK("http://x")', retracted=True)
    fields = ("event__ref", "party__name", "party__kind", "source__title", "claimed_on", "category", "qualifier",
              "best", "wording", "notes", "retracted")  # fmt: skip
    before, first_export = sorted(Claim.objects.values_list(*fields)), exported()

    Claim.objects.all().delete(), Event.objects.all().delete(), Source.objects.all().delete()
    Party.objects.all().delete()
    report = file_import(file=io.BytesIO(first_export), name="claims.csv")

    assert report.ok, report.errors
    assert sorted(Claim.objects.values_list(*fields)) == before
    assert exported() == first_export


def test_the_migration_names_the_duplicates_it_cannot_keep():
    """A database from before the rules may hold what they refuse: the migration stops and names it."""
    path = next(Path(apps.get_app_config("tracker").path, "migrations").glob("*_party_names_any_case_claims_once.py"))
    migration = __import__(f"tracker.migrations.{path.stem}", fromlist=["duplicates_refused"])
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("DROP INDEX party_name_unique_any_case")
        cursor.execute("DROP INDEX claim_stated_once")
    make_party(name="MSF Test"), make_party(name="msf test")
    claim = make_claim(notes="first")
    again = Claim.objects.create(event=claim.event, party=claim.party, source=claim.source, category=claim.category,
                                 claimed_on=claim.claimed_on, qualifier="exact", best=10, notes="second")  # fmt: skip

    with pytest.raises(RuntimeError) as refused:
        migration.duplicates_refused(apps, None)

    message = str(refused.value)
    assert "parties 'MSF Test'" in message and "'msf test'" in message and "differ only in case" in message
    assert f"claims id {claim.pk}, id {again.pk} are one claim" in message
