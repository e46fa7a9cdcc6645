"""Importing Airwars' civilian-harm incident table: Airwars' counts, the belligerents' own, and the file's quirks."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.helpers import claims_exported
from tracker.filters import EventFilter
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event

pytestmark = pytest.mark.django_db

EXCERPT = Path(__file__).parent / "data" / "airwars_excerpt.csv"
WHOLE_FILE = Path("/work/shared/realdata/airwars_syria_incidents.csv")


def airwars_import(path: Path = EXCERPT, **options):
    with path.open("rb") as stream:
        return file_import(file=stream, name=path.name, format="airwars", **options)


def claims_of(ref: str) -> dict:
    return {
        (claim.party.name, claim.category): (claim.qualifier, claim.low, claim.best, claim.high)
        for claim in Claim.objects.filter(event__ref=ref).select_related("party")
    }


@pytest.fixture
def imported():
    report = airwars_import()
    assert report.ok, list(report.errors)
    return report


def test_every_dated_incident_becomes_an_event_of_airwars_with_its_identifier(imported):
    assert Event.objects.count() == 36  # 39 incidents, less two without a date and one dated 1970-01-01
    event = Event.objects.get(ref="CS1955")
    assert (event.origin, event.origin_id, event.country.code) == ("airwars", "72997", "SY")
    assert {claim.origin_id for claim in event.claims.all()} == {"72997"}
    assert {claim.origin for claim in Claim.objects.all()} == {"airwars"}


def test_airwars_local_range_and_a_non_credible_verdict_disagree_as_a_denial(imported):
    assert claims_of("CS1955") == {
        ("Airwars", "civilian"): ("exact", None, 1, None),
        ("U.S.-led Coalition", "civilian"): ("exact", None, 0, None),
    }
    assert Event.objects.get(ref="CS1955").level == "denial"


def test_a_joint_incident_keeps_its_code_and_each_belligerent_its_own_claim(imported):
    event = Event.objects.get(ref="CS1296 RS2376")

    assert claims_of(event.ref) == {
        ("Airwars", "civilian"): ("exact", None, 6, None),
        ("U.S.-led Coalition", "civilian"): ("exact", None, 3, None),  # conceded
        ("Russian Military", "civilian"): ("exact", None, 0, None),  # non-credible
        ("Syrian Regime", "civilian"): ("exact", None, 0, None),
    }
    assert event.level == "denial"
    assert {party.name for party in event.alleged_perpetrators.all()} == {"Russian Military", "U.S.-led Coalition"}


def test_conceded_deaths_are_the_belligerents_claim_under_the_name_users_know(imported):
    assert claims_of("CS1740")[("UK Military", "civilian")] == ("exact", None, 1, None)
    assert Event.objects.get(ref="CS1740").level == "agree"
    # A concession wins over a non-credible verdict of the same belligerent; military dead are combatants.
    assert claims_of("CS1912") == {
        ("Airwars", "civilian"): ("range", 4, None, 300),
        ("Airwars", "combatant"): ("exact", None, 16, None),
        ("U.S.-led Coalition", "civilian"): ("range", 4, None, 64),
    }


def test_a_range_with_one_end_is_open_on_the_other(imported):
    assert claims_of("RS4760") == {("Airwars", "civilian"): ("at_most", None, None, 1)}
    assert claims_of("RS4453") == {("Airwars", "civilian"): ("at_least", 1, None, None)}


def test_grading_status_and_the_dead_by_sex_and_age_are_kept_and_searchable(imported):
    event = Event.objects.get(ref="DEBSYR260228a")

    assert "Grading: Fair" in event.description and "Strike status: Contested strike" in event.description
    assert "Children killed: 2" in event.description and "Civilians injured: 10–11" in event.description
    assert Claim.objects.get(event=event, category="civilian").notes == "Children killed 2; Men killed 2."
    confirmed = EventFilter({"q": "Grading: Confirmed"}, Event.objects.all()).qs
    assert set(confirmed) == {event for event in Event.objects.all() if "Grading: Confirmed" in event.description}
    assert len(confirmed) > 0
    assert set(EventFilter({"q": "Strike status: Declared strike"}, Event.objects.all()).qs) == set(
        Event.objects.filter(description__contains="Strike status: Declared strike")
    )


def test_strike_types_map_to_event_types_only_where_airwars_is_sure(imported):
    types = dict(Event.objects.values_list("ref", "event_type"))
    assert types["TS796"] == "airstrike"  # Airstrike, Drone Strike
    assert types["CS1955"] == "shelling"  # Artillery
    assert types["DEBSYR260228a"] == "shelling"
    assert types["DEBSYR260301a"] == "other"  # Airstrike and/or Artillery
    assert types["CS2021"] == "other"  # Airstrike, Ground operation


def test_the_quirks_of_the_real_file_are_warnings_and_never_crash(imported):
    warnings = {note.line: note.message for note in imported.warnings}

    assert "TS633 repeats" in warnings[15] and "TS631 repeats" in warnings[17]
    assert set(Event.objects.filter(ref__startswith="TS633").values_list("ref", "origin_id")) == {
        ("TS633", "93205"), ("TS633 (93213)", "93213"),
    }  # fmt: skip
    assert "1970-01-01" in warnings[38] and "has no date" in warnings[39] and "has no date" in warnings[40]
    assert not Event.objects.filter(ref__in=["TRSOM001", "TS644", "YS133"]).exists()
    assert "not a place on the globe" in warnings[37]
    assert Event.objects.get(ref="CS1033").latitude is None
    assert "unnamed belligerent" in warnings[13]
    assert claims_of("CS1997") == {("Airwars", "combatant"): ("range", 2, None, 19)}


def test_an_incident_that_counts_no_deaths_is_an_event_without_claims(imported):
    event = Event.objects.get(ref="ISSY085")

    assert event.claims.count() == 0 and event.level is None
    assert {party.name for party in event.alleged_perpetrators.all()} == {"Turkish Military"}


def test_a_place_described_in_a_sentence_is_kept_whole(imported):
    assert max(len(name) for name in Event.objects.values_list("location_name", flat=True)) == 243


def test_importing_the_file_again_changes_nothing(imported):
    before = claims_exported()
    events = list(Event.objects.order_by("pk").values())

    report = airwars_import()

    assert report.ok and sum(report.created.values()) == 0 and report.updated == 0
    assert report.unchanged == Claim.objects.count()
    assert claims_exported() == before
    assert list(Event.objects.order_by("pk").values()) == events


def test_a_re_import_leaves_the_perpetrators_staff_set_on_a_stored_event(imported):
    event = Event.objects.get(ref="CS1296 RS2376")
    event.alleged_perpetrators.remove(event.alleged_perpetrators.get(name="Russian Military"))

    assert airwars_import().ok
    assert {party.name for party in event.alleged_perpetrators.all()} == {"U.S.-led Coalition"}


def test_a_dry_run_stores_nothing():
    report = airwars_import(dry_run=True)

    assert report.ok and report.created["events"] == 36
    assert not Event.objects.exists()


def test_the_command_and_the_admin_take_the_airwars_format(editor_client, capsys):
    call_command("import_claims", str(EXCERPT), "--format", "airwars", "--dry-run")
    assert "36 events" in capsys.readouterr().out

    response = editor_client.post(
        "/admin/tracker/claim/import/",
        {"file": SimpleUploadedFile("airwars.csv", EXCERPT.read_bytes()), "format": "airwars"},
    )
    assert response.context["report"].ok and response.context["report"].created["events"] == 36


def test_a_file_without_airwars_columns_is_refused_by_its_header():
    report = file_import(file=io.BytesIO(b"incident_code,foo\nX,1\n"), name="x.csv", format="airwars")

    assert not report.ok and "missing column(s)" in report.errors[0].message


@pytest.mark.skipif(not WHOLE_FILE.exists(), reason="the shared Airwars file is not on this machine")
def test_the_whole_shared_airwars_file_imports_and_imports_again_unchanged():
    report = airwars_import(WHOLE_FILE)
    assert report.ok, list(report.errors)[:5]
    assert report.created["events"] == 8111
    assert Event.objects.filter(level="denial").exists()

    again = airwars_import(WHOLE_FILE)
    assert again.ok and sum(again.created.values()) == 0 and again.updated == 0
