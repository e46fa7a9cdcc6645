"""The people format: one row a fate claim, people found by any of their names, all rows stored or none, each
bad row named by its line; a re-import changes nothing, and `export_people` writes what it reads back."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.accounts import make_reader, make_user
from tests.factories import make_event, make_fate_claim, make_party, make_person, make_source
from tests.helpers import csv_bytes, import_bytes
from tests.test_fate_rules import RULE_CASES
from tracker.exports.people import fate_rows
from tracker.ingest.formats.people import COLUMNS
from tracker.ingest.jobs import job_records
from tracker.models import FateClaim, OtherName, Party, PartyKind, Person, Source
from tracker.models.people import FATE_CLAIM_IDENTITY

pytestmark = pytest.mark.django_db


def fate_row(**fields) -> dict:
    """A valid people row: Khalimov reported fatally wounded by the ministry, in the seed's event."""
    row = {
        "person": "Gulmurod Khalimov", "other_names": "Гулмурод Халимов|Halimov", "affiliation": "Islamic State",
        "role": "field commander", "sex": "male", "age": "", "age_group": "adult", "fate": "fatally_wounded",
        "hedge": "stated", "status": "combatant", "event_ref": "SYR-2017-09-DEZ", "fate_date": "2017-09-08",
        "party": "Russian Ministry of Defence", "party_kind": "government", "claimed_on": "2017-09-15",
        "wording": "was fatally wounded near Deir ez-Zor", "source_title": "Ministry briefing",
        "source_url": "https://example.org/briefing", "source_date": "2017-09-15", "retracted": "", "notes": "",
    }  # fmt: skip
    return row | fields


@pytest.fixture
def event():
    make_party(name="Islamic State", kind="armed_group")
    return make_event(ref="SYR-2017-09-DEZ", start_date=date(2017, 9, 8))


def imported(*rows, **options):
    return import_bytes(csv_bytes(list(rows)), name="people.csv", format="people", **options)


def exported(format: str = "csv") -> str:
    out = io.StringIO()
    call_command("export_people", "--format", format, stdout=out)
    return out.getvalue()


def khalimov_reports() -> list[dict]:
    """The reports of the issue: killed in Mosul in April 2017, fatally wounded in September, alive in 2018."""
    return [
        fate_row(fate="killed", event_ref="", fate_date="2017-04", party="The Times", party_kind="media",
                 claimed_on="2017-04-20", wording="killed in Mosul", source_title="Times report", source_url="",
                 source_date="2017-04"),
        fate_row(other_names="Halimov|Xalimov"),
        fate_row(person="Halimov", other_names="", affiliation="", role="", sex="", age_group="", fate="alive",
                 event_ref="", fate_date="2018-02", party="Tajikistan", party_kind="government",
                 claimed_on="2018-02", wording="could not confirm his death", source_title="Statement",
                 source_url="", source_date="", notes="Told by an official, =1+1"),
    ]  # fmt: skip


def test_rows_make_a_person_with_other_names_and_fate_claims(event):
    report = imported(*khalimov_reports())
    assert report.ok, list(report.errors)
    assert report.summary() == (
        "3 rows: new 1 person, 3 other names, 3 fate claims, 3 parties, 3 sources; 0 fate claims updated, "
        "0 already stored unchanged"
    )
    person = Person.objects.get()
    assert (person.name, person.affiliation.name, person.role, person.sex, person.age_group) == (
        "Gulmurod Khalimov", "Islamic State", "field commander", "male", "adult",
    )  # fmt: skip
    assert sorted(person.other_names.values_list("name", flat=True)) == ["Halimov", "Xalimov", "Гулмурод Халимов"]
    wounded = FateClaim.objects.get(fate="fatally_wounded")
    assert (wounded.event, wounded.status, wounded.party.kind) == (event, "combatant", "government")
    mosul = FateClaim.objects.get(fate="killed")
    assert (mosul.event, mosul.fate_date, mosul.fate_date_precision) == (None, date(2017, 4, 1), "month")
    alive = FateClaim.objects.get(fate="alive")
    assert (alive.claimed_on, alive.claimed_on_precision) == (date(2018, 2, 1), "month")
    # Stored in step with the rules, as a save would store them.
    assert person.conflicts == ["killed_twice", "alive_after_death"]
    assert person.reported_deaths == 2


def test_a_person_is_found_by_any_of_their_names_ignoring_case_and_gains_the_names_of_the_row(event):
    stored = make_person(name="Gulmurod Khalimov")
    OtherName.objects.create(person=stored, name="Halimov")
    report = imported(fate_row(person="HALIMOV", other_names="Xalimov", affiliation="", role="", sex="", age_group=""))
    assert report.ok, list(report.errors)
    assert Person.objects.get() == stored
    assert sorted(stored.other_names.values_list("name", flat=True)) == ["Halimov", "Xalimov"]
    assert FateClaim.objects.get().person == stored


def test_names_finding_two_people_are_an_error_naming_both(event):
    make_person(name="Gulmurod Khalimov")
    other = make_person(name="Abu Bakr al-Baghdadi")
    OtherName.objects.create(person=other, name="Ibrahim Awad")
    bare = {"other_names": "", "affiliation": "", "role": "", "sex": "", "age_group": ""}
    report = imported(fate_row(**bare), fate_row(**bare, person="gulmurod khalimov") | {"other_names": "ibrahim awad"})
    assert not report.ok
    assert [(note.line, note.message) for note in report.errors] == [
        (3, "person and other_names name different people: 'Gulmurod Khalimov' and 'Abu Bakr al-Baghdadi'; "
            "a row is about one person"),
    ]  # fmt: skip
    assert not FateClaim.objects.exists()


def test_a_new_affiliation_is_added_as_other_with_a_warning(event):
    report = imported(fate_row(affiliation="Jund al-Khilafah"))
    assert report.ok, list(report.errors)
    assert Party.objects.get(name="Jund al-Khilafah").kind == PartyKind.OTHER
    assert [(note.line, note.message) for note in report.warnings] == [
        (2, "affiliation 'Jund al-Khilafah' is a new party; it is added with the kind 'other' unless a later row "
            "names its party_kind"),
    ]  # fmt: skip


def test_an_affiliation_is_found_by_alias_ignoring_case(event):
    Party.objects.filter(name="Islamic State").update(aliases="ISIL\nDaesh")
    assert imported(fate_row(affiliation="daesh")).ok
    assert Person.objects.get().affiliation.name == "Islamic State"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"person": ""}, "person is empty"),
        ({"fate": "died"}, "fate 'died' is not one of killed, fatally_wounded, wounded, captured, alive"),
        ({"hedge": "maybe"}, "hedge 'maybe' is not one of stated, possible"),
        ({"fate_date": "8 Sept"}, "fate_date '8 Sept' is not a date as YYYY-MM-DD, YYYY-MM or YYYY"),
        ({"claimed_on": ""}, "claimed_on is empty"),
        ({"event_ref": "NOPE"}, "event_ref 'NOPE' is no event in the tracker"),
        ({"event_ref": "", "fate_date": ""}, "Give a fate date, or choose the event"),
        ({"party": "Nobody", "party_kind": ""}, "party 'Nobody' is new; give its party_kind"),
        (
            {"person": "Another", "other_names": "", "age": "40", "age_group": "child"},
            "age_group: The age and the age group",
        ),
        ({"person": "Another", "other_names": "", "age": "131"}, "age: An age is at most 130."),
        ({"age": "old"}, "age 'old' is not a whole number"),
        ({"sex": "x"}, "sex 'x' is not one of female, male"),
        ({"retracted": "perhaps"}, "retracted 'perhaps' is not true or false"),
        ({"source_title": "", "source_url": ""}, "source"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_stored(event, fields, message):
    report = imported(fate_row(other_names="", event_ref="", fate_date="2017-09-08"), fate_row(**fields))
    assert not report.ok
    assert [note.line for note in report.errors] == [3]
    assert message in report.errors[0].message
    assert not Person.objects.exists() and not FateClaim.objects.exists()
    assert not Source.objects.exists()


def test_a_row_contradicting_the_person_is_refused(event):
    report = imported(fate_row(), fate_row(role="driver", fate="killed"))
    assert [(note.line, note.message) for note in report.errors] == [
        (3, "role: the person 'Gulmurod Khalimov' has 'field commander', in the tracker or on an earlier line; "
            "leave the column empty, or give the same"),
    ]  # fmt: skip


def test_a_missing_column_is_named_before_any_row(event):
    row = fate_row()
    del row["fate"]
    report = imported(row)
    assert [(note.line, note.message) for note in report.errors] == [(1, "missing required column: fate")]


def test_a_re_import_changes_nothing_and_a_changed_row_updates_its_fate_claim(event):
    assert imported(*khalimov_reports()).ok
    again = imported(*khalimov_reports())
    assert (again.ok, again.created["fate_claims"], again.updated, again.unchanged) == (True, 0, 0, 3)
    assert FateClaim.objects.count() == 3 and OtherName.objects.count() == 3
    retracted = imported(fate_row(other_names="Halimov|Xalimov", retracted="true"))
    assert (retracted.ok, retracted.updated, retracted.created["fate_claims"]) == (True, 1, 0)
    assert FateClaim.objects.get(fate="fatally_wounded").retracted
    assert Person.objects.get().conflicts == ["alive_after_death"]


def test_a_fate_claim_is_the_same_by_its_identity(event):
    """Another status or fate date is another fate claim; another wording is the same one, reworded."""
    assert FATE_CLAIM_IDENTITY == (
        "person", "party", "fate", "hedge", "status", "event", "fate_date", "claimed_on", "source",
    )  # fmt: skip
    assert imported(fate_row()).ok
    assert imported(fate_row(status="civilian")).created["fate_claims"] == 1
    assert imported(fate_row(wording="died of his wounds")).updated == 1


def test_a_file_stating_a_fate_claim_twice_otherwise_is_refused(event):
    report = imported(fate_row(), fate_row(notes="other"))
    assert [(note.line, note.message) for note in report.errors] == [
        (3, "states again the claim of line 2, with another retraction, wording or notes; state each claim once")
    ]


def test_a_dry_run_stores_nothing(event):
    report = imported(*khalimov_reports(), dry_run=True)
    assert report.ok and report.created["fate_claims"] == 3
    assert not Person.objects.exists()


def test_an_import_needs_the_permissions_to_add_people_and_fate_claims(event):
    clerk = make_user("clerk", "add_fateclaim", "add_party", "add_source")
    refused = imported(fate_row(), user=clerk)
    assert "adding a new person needs the permission tracker.add_person" in refused.errors[0].message
    allowed = make_user("entrant", "add_fateclaim", "add_party", "add_source", "add_person")
    assert imported(fate_row(), user=allowed).ok
    assert FateClaim.objects.get().entered_by == allowed
    more_names = imported(fate_row(other_names="Halimov|Abu X"), user=allowed)
    assert "giving the stored person 'Gulmurod Khalimov' other names needs the permission tracker.change_person" in (
        more_names.errors[0].message
    )
    reworded = imported(fate_row(wording="died"), user=allowed)
    assert "needs the permission tracker.change_fateclaim" in reworded.errors[0].message


def test_export_import_export_gives_the_same_file(event):
    make_event(ref="IRQ-2017-04-MOS", start_date=date(2017, 4, 1))
    assert imported(
        *khalimov_reports(),
        fate_row(person="Abu Bakr al-Baghdadi", other_names="Ibrahim Awad Ibrahim al-Badri", affiliation="", role="",
                 sex="male", age="45", age_group="adult", event_ref="IRQ-2017-04-MOS", fate_date="", hedge="possible",
                 fate="killed", source_title='=HYPERLINK("x"), "quoted", a comma\nand a line', source_url=""),
    ).ok  # fmt: skip
    first = exported("csv")
    assert first.splitlines()[0] == ",".join(COLUMNS)
    Person.objects.all().delete()
    Source.objects.all().delete()
    report = import_bytes(first.encode(), name="people.csv", format="people")
    assert report.ok and report.created["fate_claims"] == 4, list(report.errors)
    assert exported("csv") == first
    again = import_bytes(first.encode(), name="people.csv", format="people")
    assert (again.created["fate_claims"], again.created["other_names"], again.unchanged) == (0, 0, 4)


def test_a_relayed_source_round_trips(event):
    relayed = make_source(title="TASS", url="https://tass.example/1")
    relaying = make_source(title="Paper quoting TASS", relays=relayed)
    person = make_person(name="Gulmurod Khalimov")
    ministry = make_party(name="Ministry", kind="government")
    # The relaying source's claim entered first: the export still lists the relayed one's first.
    make_fate_claim(person=person, party=make_party(name="Paper", kind="media"), source=relaying)
    make_fate_claim(person=person, party=ministry, source=relayed, claimed_on=date(2017, 9, 9))
    first = exported("csv")
    assert [line.split(",")[16] for line in first.splitlines()[1:]] == ["TASS", "Paper quoting TASS"]
    FateClaim.objects.all().delete()
    Person.objects.all().delete()
    Source.objects.filter(relays__isnull=False).delete()
    Source.objects.all().delete()
    report = import_bytes(first.encode(), name="people.csv", format="people")
    assert report.ok, list(report.errors)
    assert exported("csv") == first


def test_a_download_for_a_reader_hides_a_confidential_source_and_its_notes(event):
    secret = make_source(title="Informant in Raqqa", url="https://secret.example", confidential=True)
    make_fate_claim(source=secret, notes="Told by our informant")
    (row,) = fate_rows(user=make_reader())
    assert (row["source_title"], row["source_url"], row["source_confidential"], row["notes"]) == (
        "Confidential source", "", "true", "",
    )  # fmt: skip
    (operator_row,) = fate_rows()
    assert (operator_row["source_title"], operator_row["notes"]) == ("Informant in Raqqa", "Told by our informant")


def test_the_json_export_gives_one_object_per_person_with_conflicts_and_fates(event):
    assert imported(*khalimov_reports()).ok
    make_person(name="Nobody Reported")
    people = json.loads(exported("json"))
    assert [person["name"] for person in people] == ["Gulmurod Khalimov", "Nobody Reported"]
    khalimov = people[0]
    assert khalimov | {"fates": []} == {
        "name": "Gulmurod Khalimov",
        "other_names": ["Halimov", "Xalimov", "Гулмурод Халимов"],
        "affiliation": "Islamic State",
        "reported_deaths": 2,
        "conflicts": ["alive_after_death", "killed_twice"],
        "fates": [],
    }
    assert khalimov["fates"] == [
        {"party": "The Times", "fate": "killed", "hedge": "stated", "status": "combatant", "event_ref": None,
         "fate_date": "2017-04", "claimed_on": "2017-04-20", "current": True},
        {"party": "Russian Ministry of Defence", "fate": "fatally_wounded", "hedge": "stated", "status": "combatant",
         "event_ref": "SYR-2017-09-DEZ", "fate_date": "2017-09-08", "claimed_on": "2017-09-15", "current": True},
        {"party": "Tajikistan", "fate": "alive", "hedge": "stated", "status": "combatant", "event_ref": None,
         "fate_date": "2018-02", "claimed_on": "2018-02", "current": True},
    ]  # fmt: skip
    assert people[1] | {"name": ""} == {
        "name": "", "other_names": [], "affiliation": None, "reported_deaths": 0, "conflicts": [], "fates": [],
    }  # fmt: skip


def test_a_superseded_fate_claim_is_not_current_in_the_json(event):
    person = make_person(name="Gulmurod Khalimov")
    ministry = make_party(name="Ministry", kind="government")
    make_fate_claim(person=person, party=ministry, fate="wounded", claimed_on=date(2017, 9, 9))
    make_fate_claim(person=person, party=ministry, fate="killed", claimed_on=date(2017, 9, 12))
    (record,) = json.loads(exported("json"))
    assert [(fate["fate"], fate["current"]) for fate in record["fates"]] == [("wounded", False), ("killed", True)]


def test_the_admin_import_page_takes_a_people_file(admin_client, event):
    upload = io.BytesIO(csv_bytes([fate_row()]))
    upload.name = "people.csv"
    page = reverse("admin:tracker_claim_import")
    response = admin_client.post(page, {"file": upload, "format": "people"}, follow=True)
    job = response.context["job"]
    confirmed = admin_client.post(
        reverse("admin:tracker_claim_import_job", args=[job.pk]), {"confirm": "1"}, follow=True
    )
    assert "1 row: new 1 person, 2 other names, 1 fate claim" in confirmed.content.decode()
    assert FateClaim.objects.get().person.name == "Gulmurod Khalimov"
    # The job's page offers to review what it imported: its fate claims too.
    assert [list(records) for records in job_records(job)] == [[], [FateClaim.objects.get()], []]


def test_naming_a_confidential_source_needs_the_permission_to_see_one(event):
    entrant = make_user("entrant", "add_fateclaim", "add_party", "add_source", "add_person")
    report = imported(fate_row(source_confidential="true"), user=entrant)
    assert "naming a confidential source needs the permission tracker.view_confidential_source" in (
        report.errors[0].message
    )
    assert not Source.objects.exists()


def test_an_import_of_new_people_runs_no_query_per_person(event):
    def people(count: int) -> list[dict]:
        return [
            fate_row(person=f"Commander {number}", other_names=f"Emir {number}", age=str(30 + number))
            for number in range(count)
        ]

    with CaptureQueriesContext(connection) as few:
        assert imported(*people(5), dry_run=True).ok
    with CaptureQueriesContext(connection) as many:
        report = imported(*people(40), dry_run=True)
    assert report.ok and report.created["people"] == 40
    assert len(many) == len(few)  # their ages and age groups checked without asking the database


# Every rule row of tests/test_fate_rules.py, through the import, stored on the person, and read by the API.


def rule_case_rows(reports) -> list[dict]:
    """The people rows of a rule case's fate claims, one person, in the order they were entered."""
    return [
        fate_row(
            person="Case Person",
            other_names="",
            affiliation="",
            party=f"Party {report.party}",
            party_kind="media",
            fate=report.fate,
            hedge=report.hedge,
            event_ref=f"EV-{report.event}" if report.event else "",
            fate_date=report.day.isoformat(),
            claimed_on=report.claimed_on.isoformat(),
            retracted="true" if report.retracted else "",
            wording="",
            notes="",
        )
        for report in sorted(reports, key=lambda report: (report.entered_at, report.key))
    ]


@pytest.mark.parametrize(
    ("reports", "expected"),
    [case[1:] for case in RULE_CASES if case[1]],
    ids=[case[0] for case in RULE_CASES if case[1]],
)
def test_each_fate_rule_through_the_import_the_stored_person_and_the_api(event, reports, expected):
    for number in {report.event for report in reports} - {None}:
        make_event(ref=f"EV-{number}", start_date=date(2017, 9, 8))
    assert imported(*rule_case_rows(reports)).ok

    person = Person.objects.get(name="Case Person")
    assert (set(person.conflicts), person.reported_deaths) == (expected.conflicts, expected.reported_deaths)
    api = APIClient()
    api.force_authenticate(make_reader())
    (answer,) = api.get("/api/people/", {"q": "Case Person"}).json()["results"]
    assert (set(answer["conflicts"]), answer["reported_deaths"]) == (expected.conflicts, expected.reported_deaths)
