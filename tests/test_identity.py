"""What makes a claim one claim, a party one party and a source one source, held by the database,
said by the admin, and kept by a backup in the claims CSV: export, import into an empty database,
export gives the same."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import claims_made, make_claim, make_event, make_party, make_source, seeded_subgroup
from tests.helpers import claim_row, claims_exported, csv_bytes
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
        "assessments-TOTAL_FORMS": "0", "assessments-INITIAL_FORMS": "0",
        "fate_claims-TOTAL_FORMS": "0", "fate_claims-INITIAL_FORMS": "0",
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


# What makes a source one source: its URL, or without one its title, publisher and date; and whether
# it is confidential, so that a source hidden from someone neither stops them entering a public one
# alike nor tells them it exists.

SOURCE_LINKED = "A source with this URL already exists"
SOURCE_TITLED = "A source with this title, publisher and publication date"
URL = "https://example.org/report"


@pytest.mark.parametrize("published_on", [date(2018, 1, 6), None])
def test_a_second_source_alike_without_a_url_is_refused_by_the_database(published_on):
    make_source(title="Daily report", publisher="SOHR", published_on=published_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(title="Daily report", publisher="SOHR", published_on=published_on)
    # Another publisher, another date, a URL or confidentiality tells them apart.
    make_source(title="Daily report", publisher="SNHR", published_on=published_on)
    make_source(title="Daily report", publisher="SOHR", published_on=date(2018, 1, 7))
    make_source(title="Daily report", publisher="SOHR", published_on=published_on, url=URL)
    make_source(title="Daily report", publisher="SOHR", published_on=published_on, confidential=True)
    assert Source.objects.count() == 5


def test_a_url_names_one_public_source_and_one_confidential_source():
    make_source(title="Report", url=URL)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(title="The same report, titled otherwise", url=URL)
    make_source(title="Report, as an informant sent it", url=URL, confidential=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(title="Report, sent again", url=URL, confidential=True)
    assert Source.objects.count() == 2


def source_page_form(**fields):
    return {"title": "Daily report", "publisher": "SOHR", "url": "", "published_on": "2018-01-06", **fields}


@pytest.mark.parametrize(
    ("stored", "entered", "message"),
    [
        ({"title": "Daily report", "publisher": "SOHR", "published_on": date(2018, 1, 6)}, {}, SOURCE_TITLED),
        ({"title": "Daily report", "publisher": "SOHR"}, {"published_on": ""}, SOURCE_TITLED),
        ({"title": "Report", "url": URL}, {"url": URL}, SOURCE_LINKED),
    ],
)
@pytest.mark.parametrize("popup", [False, True])  # the source page, or the "+" beside a claim's source
def test_the_source_page_refuses_a_source_stored_already_with_a_message(editor_client, stored, entered, message, popup):
    make_source(**stored)
    url = reverse("admin:tracker_source_add") + ("?_to_field=id&_popup=1" if popup else "")
    response = editor_client.post(url, source_page_form(**entered) | ({"_popup": "1"} if popup else {}))
    assert response.status_code == 200 and message in response.content.decode()
    assert Source.objects.count() == 1


def test_an_editor_enters_a_public_source_alike_a_confidential_one_without_learning_of_it(editor_client):
    make_source(title="Daily report", publisher="SOHR", published_on=date(2018, 1, 6), confidential=True)
    make_source(title="Informant's link", url=URL, confidential=True)
    for entered in ({}, {"title": "Report", "url": URL}):
        response = editor_client.post(reverse("admin:tracker_source_add"), source_page_form(**entered))
        assert response.status_code == 302
    assert sorted(Source.objects.values_list("confidential", flat=True)) == [False, False, True, True]


def test_the_source_page_refuses_a_confidential_source_stored_already_to_who_may_see_it(admin_client):
    make_source(title="Informant's link", url=URL, confidential=True)
    response = admin_client.post(reverse("admin:tracker_source_add"), source_page_form(url=URL, confidential="on"))
    assert response.status_code == 200 and SOURCE_LINKED in response.content.decode()
    response = admin_client.post(reverse("admin:tracker_source_add"), source_page_form(url=URL))
    assert response.status_code == 302 and Source.objects.count() == 2


def test_a_public_and_a_confidential_source_of_one_url_export_and_import_exactly():
    """The second case of the trust issue: the re-import gave one claim, and made the public source confidential."""
    event, party = make_event(ref="SYR-RT-2"), make_party(name="Monitor")
    public = make_source(title="Report", url=URL)
    hidden = make_source(title="Report", url=URL, confidential=True)
    make_claim(event, party, source=public, notes="as published")
    make_claim(event, party, source=hidden, notes="informant Omar")
    first_export = claims_exported()

    Claim.objects.all().delete(), Event.objects.all().delete(), Source.objects.all().delete()
    Party.objects.all().delete()
    report = file_import(file=io.BytesIO(first_export.encode()), name="claims.csv")

    assert report.ok, report.errors
    assert claims_exported() == first_export
    assert sorted(Source.objects.values_list("confidential", "claims__notes")) == [
        (False, "as published"), (True, "informant Omar"),
    ]  # fmt: skip


SOURCES = st.fixed_dictionaries(
    {
        "title": st.sampled_from(["", "Daily report", "Statement"]),
        "publisher": st.sampled_from(["", "SOHR", "SNHR"]),
        "url": st.sampled_from(["", URL, "https://example.org/other"]),
        "published_on": st.sampled_from([None, date(2018, 1, 6), date(2018, 1, 7)]),
        "confidential": st.booleans(),
    }
)
CLAIMS = st.fixed_dictionaries(
    {
        "event": st.integers(0, 1),
        "party": st.integers(0, 1),
        "source": st.integers(0, 7),
        "best": st.sampled_from([10, 12]),
        "claimed_on": st.sampled_from([date(2018, 1, 2), date(2018, 1, 3)]),
        "notes": st.sampled_from(["", "from the morgue", "informant Omar"]),
        "retracted": st.booleans(),
        "outcome": st.sampled_from(["killed", "injured"]),
        "subgroup": st.sampled_from([None, "children", "women", "medical_workers"]),
    }
)


def stored_if_allowed(model, **fields):
    """Store an object if the database takes it; return it, or None."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        return None


def cited_sources_and_claims() -> tuple[int, int]:
    return Source.objects.filter(claims__isnull=False).distinct().count(), Claim.objects.count()


# Each example commits: in one transaction PostgreSQL would hold the locks of every summary refresh's
# work tables (tracker.summaries) until the end, more than it has room for over sixty examples.
@pytest.mark.django_db(transaction=True)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sources=st.lists(SOURCES, min_size=1, max_size=8), claims=st.lists(CLAIMS, min_size=1, max_size=12))
def test_every_export_imports_into_an_empty_database_exactly(sources, claims):
    """Whatever sources and claims the database takes, killed or injured, of the whole or of a subgroup,
    `export_claims` then an import into an empty database then `export_claims` give the same file, the
    same sources and the same claims."""
    for model in (Claim, Event, Source, Party):
        model.objects.all().delete()
    events = [make_event(ref=f"SYR-RT-{number}") for number in range(2)]
    parties = [make_party(name=name) for name in ("Monitor", "Ministry")]
    stored = [source for fields in sources if (source := stored_if_allowed(Source, **fields))]
    with claims_made():
        for fields in claims:
            event, party = events[fields.pop("event")], parties[fields.pop("party")]
            source = stored[fields.pop("source") % len(stored)] if stored else None
            subgroup = fields.pop("subgroup")
            fields["subgroup"] = subgroup and seeded_subgroup(subgroup)
            if source is not None:
                stored_if_allowed(
                    Claim, event=event, party=party, source=source, category="civilian", qualifier="exact", **fields
                )
    first_export, counts = claims_exported(), cited_sources_and_claims()

    for model in (Claim, Event, Source, Party):
        model.objects.all().delete()
    report = file_import(file=io.BytesIO(first_export.encode()), name="claims.csv")

    assert report.ok, list(report.errors)
    assert claims_exported() == first_export
    assert cited_sources_and_claims() == counts


def test_the_migration_names_the_sources_that_are_one_and_the_references_that_are_paths():
    """A database from before the rule may hold sources it refuses, and references a link resolves as a path."""
    path = next(Path(apps.get_app_config("tracker").path, "migrations").glob("*_source_identity.py"))
    migration = __import__(f"tracker.migrations.{path.stem}", fromlist=["duplicates_refused"])
    with connection.cursor() as cursor:  # undone with the test's transaction
        for index in ("source_linked_once", "source_titled_once", "source_titled_undated_once"):
            cursor.execute(f"DROP INDEX {index}")
    linked = [make_source(title=title, url=URL) for title in ("Report", "Report, again")]
    make_source(title="Report, as an informant sent it", url=URL, confidential=True)  # told apart: confidential
    titled = [make_source(title="Daily report", publisher="SOHR") for _ in range(2)]
    dotted = make_event()
    Event.objects.filter(pk=dotted.pk).update(ref="../../admin")  # as a database from before the rule holds it

    with pytest.raises(RuntimeError) as refused:
        migration.duplicates_refused(apps, None)

    message = str(refused.value)
    assert f"public sources id {linked[0].pk}, id {linked[1].pk} have the same URL (url '{URL}')" in message
    assert (
        f"public sources id {titled[0].pk}, id {titled[1].pk} have the same title, publisher and publication date, "
        "and no URL (title 'Daily report', publisher 'SOHR', published_on None)"
    ) in message
    assert f"event id {dotted.pk} has the reference '../../admin'" in message
    assert message.count("\n- ") == 3
