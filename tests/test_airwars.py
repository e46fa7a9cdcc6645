"""Importing Airwars' civilian-harm incident table: Airwars' counts and who among them, the injured, the
belligerents' own, and the file's quirks."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django.utils import translation

from tests.helpers import claims_exported, csv_bytes
from tracker.filters import EventFilter
from tracker.ingest.formats.airwars import RELAYED_STATEMENT
from tracker.ingest.importer import file_import
from tracker.models import Assessment, Claim, Event, Party, Source, Subgroup

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
EXCERPT = DATA / "airwars_excerpt.csv"
BREAKDOWNS = DATA / "airwars_breakdowns.csv"  # nine incidents with children, women, men and injured
BEFORE_BREAKDOWNS = DATA / "airwars_before_breakdowns.json"  # BREAKDOWNS as the import stored it before them
WHOLE_FILE = Path("/work/shared/realdata/airwars_syria_incidents.csv")


def airwars_import(path: Path = EXCERPT, **options):
    with path.open("rb") as stream:
        return file_import(file=stream, name=path.name, format="airwars", **options)


def claims_of(ref: str) -> dict:
    """Return the event's claims of the whole toll of deaths, by party and category."""
    claims = Claim.objects.filter(event__ref=ref, outcome="killed", subgroup=None).select_related("party")
    return {
        (claim.party.name, claim.category): (claim.qualifier, claim.low, claim.best, claim.high) for claim in claims
    }


def breakdowns_of(ref: str) -> dict:
    """Return the event's claims of who among the dead, and of the injured, by party, outcome, category and subgroup."""
    claims = Claim.objects.filter(event__ref=ref).exclude(outcome="killed", subgroup=None)
    return {
        (claim.party.name, claim.outcome, claim.category, claim.subgroup and claim.subgroup.code): (
            claim.qualifier, claim.low, claim.best, claim.high,
        )
        for claim in claims.select_related("party", "subgroup")
    }  # fmt: skip


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
    civilians = Claim.objects.get(event=event, category="civilian", outcome="killed", subgroup=None)
    assert civilians.notes == "Children killed 2; Men killed 2."
    confirmed = EventFilter({"q": "Grading: Confirmed"}, Event.objects.all()).qs
    assert set(confirmed) == {event for event in Event.objects.all() if "Grading: Confirmed" in event.description}
    assert len(confirmed) > 0
    assert set(EventFilter({"q": "Strike status: Declared strike"}, Event.objects.all()).qs) == set(
        Event.objects.filter(description__contains="Strike status: Declared strike")
    )


def test_children_women_men_and_the_injured_are_claims_of_airwars_beside_its_civilian_claim(imported):
    assert breakdowns_of("DEBSYR260228a") == {
        ("Airwars", "killed", "civilian", "children"): ("exact", None, 2, None),
        ("Airwars", "killed", "civilian", "men"): ("exact", None, 2, None),  # no women: their columns are empty
        ("Airwars", "injured", "civilian", None): ("range", 10, None, 11),
        ("Airwars", "injured", "combatant", None): ("exact", None, 1, None),
    }
    civilian = Claim.objects.get(event__ref="DEBSYR260228a", outcome="killed", category="civilian", subgroup=None)
    for claim in Claim.objects.filter(event__ref="DEBSYR260228a"):
        assert (claim.party, claim.source, claim.claimed_on, claim.origin_id) == (
            civilian.party, civilian.source, civilian.claimed_on, civilian.origin_id,
        )  # fmt: skip
    children = Claim.objects.get(event__ref="DEBSYR260228a", subgroup__code="children")
    assert children.wording == "children killed: 2 (local sources)"
    # Ranges, as Airwars' civilians are read.
    assert breakdowns_of("CS2021") == {
        ("Airwars", "killed", "civilian", "women"): ("exact", None, 1, None),
        ("Airwars", "killed", "civilian", "men"): ("range", 0, None, 2),
    }


def test_a_breakdown_with_one_end_is_open_on_the_other():
    assert airwars_import(BREAKDOWNS).ok

    assert breakdowns_of("RS4266")[("Airwars", "killed", "civilian", "children")] == ("at_least", 0, None, None)


def test_the_injured_a_belligerent_conceded_are_its_injured_claim(imported):
    assert breakdowns_of("CS1296 RS2376") == {
        ("Airwars", "killed", "civilian", "children"): ("exact", None, 3, None),
        ("Airwars", "killed", "civilian", "women"): ("range", 2, None, 3),
        ("Airwars", "injured", "civilian", None): ("exact", None, 10, None),
        ("U.S.-led Coalition", "injured", "civilian", None): ("exact", None, 9, None),
    }
    # A non-credible verdict says no deaths: it is no claim of the injured.
    assert not Claim.objects.filter(event__ref="CS1296 RS2376", party__name="Russian Military", outcome="injured")


def test_a_subgroup_above_airwars_own_civilians_is_a_warning_naming_the_line_and_the_incident():
    report = airwars_import(BREAKDOWNS)

    assert report.ok
    warnings = [(note.line, note.message) for note in report.warnings if "a part above its whole" in note.message]
    assert warnings == [
        (7, "incident CS1678 counts at least 2 in women_killed but at most 0 in civilians_killed, a part above its "
            "whole; both are imported as Airwars gives them"),
    ]  # fmt: skip
    assert breakdowns_of("CS1678")[("Airwars", "killed", "civilian", "women")] == ("exact", None, 2, None)
    # RS1480 gives its women as 6 to 1, read as 1–6: at least 1 of 5 civilians is no part above its whole.
    assert breakdowns_of("RS1480")[("Airwars", "killed", "civilian", "women")] == ("range", 1, None, 6)


def test_the_warning_is_in_arabic_for_an_arabic_reader():
    with translation.override("ar"):
        report = airwars_import(BREAKDOWNS)

    assert (
        "تعدّ الحادثة CS1678 ما لا يقل عن 2 في women_killed" in {note.line: note.message for note in report.warnings}[7]
    )


def test_injuries_conceded_by_an_unnamed_belligerent_are_a_warning_and_no_claim():
    report = airwars_import(BREAKDOWNS)

    assert "unnamed belligerent" in {note.line: note.message for note in report.warnings}[10]
    assert breakdowns_of("CS1996a") == {("Airwars", "injured", "civilian", None): ("exact", None, 1, None)}


def test_a_subgroup_staff_removed_from_the_list_is_an_error_naming_the_known_ones():
    Subgroup.objects.filter(code="women").delete()

    report = airwars_import(BREAKDOWNS)

    assert not report.ok
    errors = {note.line: note.message for note in report.errors}
    assert "subgroup 'women'" in errors[7] and "children" in errors[7]  # the known ones
    assert not Event.objects.exists()


def test_a_database_imported_before_the_breakdowns_gains_them_and_the_belligerents_provenance_only():
    call_command("loaddata", BEFORE_BREAKDOWNS, verbosity=0)
    stored = list(Claim.objects.order_by("pk").values())
    history = list(Claim.history.order_by("history_id").values_list("history_id", "id", "version"))
    sources = list(Source.objects.order_by("pk").values())
    descriptions = dict(Event.objects.values_list("pk", "description"))
    assert len(stored) == 16 and not any(claim["subgroup_id"] or claim["outcome"] != "killed" for claim in stored)
    belligerents = {claim["id"] for claim in stored if claim["party_id"] != Party.objects.get(name="Airwars").pk}

    report = airwars_import(BREAKDOWNS)

    # The belligerents' claims gain the note that Airwars relays their statements undated, and nothing else.
    assert report.ok and report.updated == len(belligerents) == 4 and report.unchanged == 12
    expected = [
        {**claim, "notes": RELAYED_STATEMENT, "version": claim["version"] + 1} if claim["id"] in belligerents else claim
        for claim in stored
    ]
    kept = Claim.objects.filter(pk__in=[claim["id"] for claim in stored]).order_by("pk").values()
    assert [
        {key: value for key, value in claim.items() if key not in ("updated_at", "review_state", "reviewed_by_id")}
        for claim in kept
    ] == [
        {key: value for key, value in claim.items() if key not in ("updated_at", "review_state", "reviewed_by_id")}
        for claim in expected
    ]
    added_versions = Claim.history.filter(id__in=[claim["id"] for claim in stored]).exclude(
        history_id__in=[history_id for history_id, _id, _version in history]
    )
    assert sorted(added_versions.values_list("id", flat=True)) == sorted(belligerents)
    added = Claim.objects.exclude(pk__in=[claim["id"] for claim in stored])
    assert report.created["claims"] == added.count() == 27
    assert all(claim.subgroup_id or claim.outcome == "injured" for claim in added)
    assert set(added.values_list("version", flat=True)) == {1}
    # The one incident that counted only the injured had no claim, so no source: it gains both.
    assert list(Source.objects.filter(pk__in=[source["id"] for source in sources]).order_by("pk").values()) == sources
    assert report.created["sources"] == 1 and report.created["events"] == 0
    assert dict(Event.objects.values_list("pk", "description")) == descriptions


def test_a_belligerents_claim_says_airwars_gives_no_date_or_source_of_its_statement(imported):
    verdict = Claim.objects.get(event__ref="CS1955", party__name="U.S.-led Coalition", outcome="killed")
    concession = Claim.objects.get(event__ref="CS1740", party__name="UK Military", outcome="killed")
    local = Claim.objects.get(
        event__ref="CS1955", party__name="Airwars", category="civilian", subgroup=None, outcome="killed"
    )

    assert verdict.notes == concession.notes == RELAYED_STATEMENT
    assert "neither the date nor the source" in verdict.notes
    assert RELAYED_STATEMENT not in local.notes  # Airwars' own count is dated and cited as Airwars published it


def test_airwars_grading_is_airwars_assessment_of_the_incident_dated_as_its_claims(imported):
    graded = Assessment.objects.filter(assessor__name="Airwars")

    assert imported.created["assessments"] == graded.count() == 32  # 36 events, three without a grading, one unknown
    assert imported.summary().startswith("39 rows: new 36 events, 10 parties, 33 sources, 109 claims, 32 assessments;")
    assessment = graded.get(event__ref="TS794")
    assert (assessment.grade, assessment.method, assessment.rationale) == (
        "weak", "source_hierarchy", "Airwars grading as published",
    )  # fmt: skip
    assert assessment.assessed_on == date(2025, 11, 24)  # the incident's published_date, as its claims
    assert assessment.figures() == []  # Airwars' counts are its claims
    assert assessment.assessor.kind == "monitor"
    assert dict(graded.values_list("grade").annotate(events=Count("pk"))) == {
        "fair": 16, "contested": 8, "confirmed": 7, "weak": 1,
    }  # fmt: skip
    assert not Assessment.objects.filter(event__ref="ISSY085").exists()  # no grading


def test_airwars_fair_and_confirmed_incidents_are_those_of_its_current_assessments(imported):
    headline = Assessment.objects.current().filter(assessor__name="Airwars", grade__in=["fair", "confirmed"])

    assert headline.count() == 23
    assert headline.filter(event__ref="CS1296 RS2376").exists()


def test_an_unknown_grading_is_a_warning_and_the_incident_is_imported_without_assessment(imported):
    warnings = {note.line: note.message for note in imported.warnings}

    assert "airwars_grading 'Contested, Discounted' is none of the grades" in warnings[35]
    event = Event.objects.get(ref="CS1477 RS2440")
    assert event.claims.exists() and not event.assessments.exists()


def test_a_grading_of_an_incident_without_claims_is_its_assessment_all_the_same():
    rows = [dict(row) for row in csv.DictReader(EXCERPT.open(encoding="utf-8"))]
    only = next(row for row in rows if row["incident_code"] == "ISSY085") | {"airwars_grading": "Weak"}
    report = file_import(file=io.BytesIO(csv_bytes([only])), name="airwars.csv", format="airwars")

    assert report.ok, list(report.errors)
    event = Event.objects.get(ref="ISSY085")
    assert not event.claims.exists()
    assert event.assessments.get().assessor == Party.objects.get(name="Airwars", kind="monitor")


def test_a_grading_changed_by_airwars_updates_its_assessment_in_place(imported):
    text = EXCERPT.read_text(encoding="utf-8").replace("Weak", "Fair", 1)
    report = file_import(file=io.BytesIO(text.encode()), name="airwars.csv", format="airwars")

    assert report.ok and report.updated == 1 and report.created["assessments"] == 0
    assessment = Assessment.objects.get(event__ref="TS794")
    assert assessment.grade == "fair" and assessment.history.count() == 2


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


def test_an_incident_that_counts_no_one_is_an_event_without_claims(imported):
    event = Event.objects.get(ref="ISSY085")

    assert event.claims.count() == 0 and event.level is None
    assert {party.name for party in event.alleged_perpetrators.all()} == {"Turkish Military"}


def test_an_incident_that_counts_only_the_injured_has_an_injured_level_and_no_level(imported):
    event = Event.objects.get(ref="DEBSYR260302a")

    assert breakdowns_of(event.ref) == {("Airwars", "injured", "civilian", None): ("exact", None, 2, None)}
    assert (event.level, event.injured_level) == (None, "single")


def test_a_place_described_in_a_sentence_is_kept_whole(imported):
    assert max(len(name) for name in Event.objects.values_list("location_name", flat=True)) == 243


def test_importing_the_file_again_changes_nothing(imported):
    before = claims_exported()
    events = list(Event.objects.order_by("pk").values())
    assessments = list(Assessment.objects.order_by("pk").values())

    report = airwars_import()

    assert report.ok and sum(report.created.values()) == 0 and report.updated == 0
    assert report.unchanged == Claim.objects.count() + Assessment.objects.count()
    assert claims_exported() == before
    assert list(Event.objects.order_by("pk").values()) == events
    assert list(Assessment.objects.order_by("pk").values()) == assessments
    assert Assessment.history.count() == len(assessments)  # one record each, of its creation


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
        follow=True,  # to the import job's page: tests run the background worker's task at once
    )
    assert response.context["report"].ok and response.context["report"].created["events"] == 36


def test_a_file_without_airwars_columns_is_refused_by_its_header():
    report = file_import(file=io.BytesIO(b"incident_code,foo\nX,1\n"), name="x.csv", format="airwars")

    assert not report.ok and "missing columns" in report.errors[0].message


@pytest.mark.skipif(not WHOLE_FILE.exists(), reason="the shared Airwars file is not on this machine")
def test_the_whole_shared_airwars_file_imports_and_imports_again_unchanged():
    report = airwars_import(WHOLE_FILE)
    assert report.ok, list(report.errors)[:5]
    assert report.created["events"] == 8111
    assert Event.objects.filter(level="denial").exists()
    breakdowns = Claim.objects.exclude(outcome="killed", subgroup=None)
    assert dict(breakdowns.values_list("subgroup__code").annotate(claims=Count("pk"))) == {
        "children": 2751, "women": 2197, "men": 2686, None: 6109 + 116,  # civilians and military injured
    }  # fmt: skip
    assert breakdowns.filter(outcome="injured").exclude(party__name="Airwars").count() == 75  # conceded
    above = [note.message.split(" counts")[0] for note in report.warnings if "a part above its whole" in note.message]
    assert above == ["incident CS1678", "incident RS0271", "incident RS0061"]

    graded = Assessment.objects.filter(assessor__name="Airwars")
    # Two Fair incidents have no date, and are not imported; "Contested, Discounted" is no grade.
    assert dict(graded.values_list("grade").annotate(events=Count("pk"))) == {
        "contested": 3528, "fair": 3194 - 2, "weak": 908, "confirmed": 214, "discounted": 139,
    }  # fmt: skip

    again = airwars_import(WHOLE_FILE)
    assert again.ok and sum(again.created.values()) == 0 and again.updated == 0
