"""Importing the claims format (CSV and xlsx), from the command and the service: the rules applied
end to end, all or nothing with every bad line named, idempotent, in a fixed number of queries."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import NOTHING, claim_row, csv_bytes, import_bytes, many_claims, stored_counts, xlsx_bytes
from tracker.ingest import importer
from tracker.ingest.formats.claims import COLUMNS
from tracker.ingest.ledger import claim_key
from tracker.models import Claim, Event, Party, Source, Subgroup
from tracker.rules.counts import Count
from tracker.rules.discrepancy import ClaimFacts, event_result
from tracker.rules.wording import count_from_wording
from tracker.summaries import thresholds

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
EVERY_FORM = DATA / "claims_every_form.csv"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path) -> list[str]:
    """Run import_claims on a bad file; return what it wrote to standard error, line by line."""
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines()


def write(tmp_path, content: bytes, name: str = "claims.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def export_json():
    out, _ = run("export_discrepancies", "--format", "json")
    return {record["ref"]: record for record in json.loads(out)}


# The rules applied end to end: what the export reports is what the design's tables give.

EXPECTED = {
    # ref: (level, ratio, dispute, {(category, victim side): (level, ratio)})
    "FIX-01": ("major", 5.14, True, {("civilian", None): ("agree", None), ("combatant", "Group"): ("major", 5.14)}),
    "FIX-02": ("minor", 1.02, False, {("total", None): ("minor", 1.02)}),
    "FIX-03": ("denial", None, False, {("civilian", None): ("denial", None), ("combatant", None): ("agree", None)}),
    "FIX-04": (
        "major",
        5.0,
        False,
        {("combatant", "North"): ("major", 2.67), ("combatant", "South"): ("major", 5.0)},
    ),
    "FIX-05": ("single", None, False, {("total", None): ("single", None)}),
    "FIX-06": ("minor", 1.29, False, {("civilian", None): ("minor", 1.29), ("unknown", None): ("minor", 1.11)}),
    "FIX-07": ("agree", None, False, {("civilian", None): ("agree", None)}),
}


def test_import_then_export_gives_the_levels_the_rules_give():
    out, _ = run("import_claims", str(EVERY_FORM))
    assert "26 rows" in out
    records = export_json()
    assert set(records) == set(EXPECTED)
    for ref, (level, ratio, dispute, groups) in EXPECTED.items():
        record = records[ref]
        assert (record["level"], record["ratio"], record["classification_dispute"]) == (level, ratio, dispute), ref
        assert {(g["category"], g["victim_side"]): (g["level"], g["ratio"]) for g in record["groups"]} == groups, ref
    assert Event.objects.get(ref="FIX-01").ratio == Decimal("5.14")  # stored exactly rounded


def test_export_shows_intervals_and_which_claims_are_current():
    run("import_claims", str(EVERY_FORM))
    (group,) = export_json()["FIX-02"]["groups"]
    claims = [(c["party"], c["lo"], c["hi"], c["current"], c["claimed_on"]) for c in group["claims"]]
    assert claims == [
        ("Monitor", 10, None, False, "2019-01-18"),  # at least 10, revised later
        ("Agency", 90, 110, False, "2019-01-18"),  # nearly 100, retracted
        ("Agency", 36, 44, True, "2019-01-20"),  # about 40
        ("Ministry", 20, 20, False, "2019-01-20"),  # same day, entered first
        ("Ministry", 41, 41, True, "2019-01-20"),  # same day, entered last
        ("Monitor", 42, 42, True, "2019-01-25"),
    ]
    single = export_json()["FIX-05"]["groups"][0]["claims"][0]
    assert (single["qualifier"], single["best"], single["lo"], single["hi"]) == ("approximate", 50, 45, 55)


def test_wording_is_read_when_the_qualifier_is_empty():
    run("import_claims", str(EVERY_FORM))
    about_forty = Claim.objects.get(event__ref="FIX-01", party__name="Ministry")
    assert (about_forty.qualifier, about_forty.best, about_forty.wording) == ("approximate", 40, "around 40 militants")
    assert Claim.objects.get(event__ref="FIX-04", victim_side__name="North", party__name="North").best == 40
    assert Claim.objects.get(event__ref="FIX-07", party__name="Monitor").best == 0


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_file(tmp_path):
    """From a file written by hand (victim sides before their own claims, sources told apart by
    publisher only), not from the importer's own output."""
    rows = [
        claim_row(party="Army", party_kind="state_military", victim_side="Rebels", source_title="Statement",
                  source_publisher="Army press office", wording="about 40", qualifier="", best=""),
        claim_row(party="Rebels", party_kind="armed_group", victim_side="Rebels", source_title="Statement",
                  source_publisher="Rebel channel", best="7", notes="مقتل سبعة مقاتلين"),
        claim_row(party="Informant", source_title="Call with a resident", source_confidential="true", best="9"),
    ]  # fmt: skip
    run("import_claims", str(EVERY_FORM))
    run("import_claims", str(write(tmp_path, csv_bytes(rows), "more.csv")))
    first, _ = run("export_claims")
    for model in (Claim, Event, Source, Party):
        model.objects.all().delete()
    run("import_claims", str(write(tmp_path, first.encode(), "first.csv")))
    second, _ = run("export_claims")
    assert second == first
    assert Party.objects.get(name="Rebels").kind == "armed_group"
    assert Source.objects.get(title="Call with a resident").confidential  # a backup never makes a source public


# All or nothing: a bad file stores nothing and names every bad line with its reason.

KINDS = "state_military, government, armed_group, monitor, international_org, media, medical, local_source, other"
SUBGROUPS = "aid_workers, children, commanders, elderly, journalists, medical_workers, men, women"
BAD_ROWS = [
    # (row, the reason given for its line), lines numbered from 3: line 2 is a good row.
    (claim_row(event_ref="NEW-2", event_date="01/02/2018"), "event_date '01/02/2018' is not a date as YYYY-MM-DD"),
    (claim_row(qualifier="range", low="15", best="", high="12"),
     "low: The low number (15) is above the high number (12)."),
    (claim_row(party="Newcomer", party_kind=""), f"party 'Newcomer' is new; give its party_kind ({KINDS})"),
    (
        claim_row(qualifier="", best="", wording="several"),
        "wording: The count cannot be read from “several”. Choose a qualifier and enter the numbers, "
        "or reword it like “around 40”, “at least 12”, “12-15”.",
    ),
    (
        claim_row(qualifier="", best="", category="civilian", wording="12 civilians, including 4 children"),
        "the wording “12 civilians, including 4 children” holds a breakdown: civilian 12, children 4. Enter one "
        "row per claim: qualifier and numbers for the whole, and a row for each part (subgroup “children”).",
    ),
    (claim_row(category="children"), "category 'children' is not one of total, civilian, combatant, unknown"),
    (claim_row(best="-3"), "best: Ensure this value is greater than or equal to 0. A death count cannot be negative."),
    (claim_row(event_ref="NEW-3", country="Syria"), "country 'Syria' is not an ISO 3166 two-letter code"),
    (claim_row(claimed_on=""), "claimed_on is empty"),
    (claim_row(source_title="", source_url=""), "source_title: A source needs a title or a URL."),
    (claim_row(qualifier="at_most", best="", high=""), "high: A count qualified as “at most” needs a high number."),
    (claim_row(event_ref="NEW-4", event_date_end="2018-01-01"),
     "event_date_end: The end date is before the start date."),
    (claim_row(event_ref="NEW-5", latitude="35.9"), "longitude: Give both latitude and longitude, or neither."),
    (claim_row(source_url="not a link"), "source_url: Enter a valid URL."),
    (claim_row(party="Other", party_kind="spy"), f"party_kind 'spy' is not one of {KINDS}"),
    (claim_row(qualifier=""), "numbers are given but the qualifier is empty; give the qualifier too"),
    (claim_row(event_ref="NEW-6", event_title=""), "event_title is needed for the new event NEW-6"),
    (claim_row(outcome="dead"), "outcome 'dead' is not one of killed, injured"),
    (claim_row(subgroup="kids"), f"subgroup 'kids' is not a known subgroup; give one of {SUBGROUPS}, or leave it "
                                 "empty for the whole"),
    (claim_row(subgroup="Commanders"), "subgroup: “commanders” is a subgroup of combatant victims, not of civilian."),
]  # fmt: skip


def test_a_bad_file_changes_nothing_and_names_every_bad_line_with_its_reason(tmp_path):
    run("import_claims", str(EVERY_FORM))
    before = stored_counts()
    path = write(tmp_path, csv_bytes([claim_row(), *(row for row, _ in BAD_ROWS)], columns=COLUMNS))

    with pytest.raises(CommandError, match=f"{len(BAD_ROWS)} bad row"):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=(err := io.StringIO()))

    expected = [f"claims.csv: line {line}: {reason}" for line, (_, reason) in enumerate(BAD_ROWS, start=3)]
    assert err.getvalue().splitlines() == expected
    assert stored_counts() == before


def test_a_wording_that_holds_a_breakdown_is_kept_beside_the_numbers_of_its_whole():
    wording = "killed 4 commanders among about 40 militants"
    report = import_bytes(
        csv_bytes([claim_row(category="combatant", qualifier="approximate", best="40", wording=wording)])
    )
    assert report.ok, list(report.errors)
    assert Claim.objects.get().wording == wording


def test_a_wording_read_for_its_count_is_read_at_its_whole():
    report = import_bytes(csv_bytes([claim_row(category="combatant", qualifier="", best="", wording="40 militants")]))
    assert report.ok, list(report.errors)
    assert (Claim.objects.get().qualifier, Claim.objects.get().best) == ("exact", 40)


def test_every_problem_of_a_line_is_named_on_it():
    rows = [claim_row(), claim_row(event_ref="NEW-1", event_title="", category="dead", qualifier="range", low="15")]
    report = import_bytes(csv_bytes(rows))
    assert [(note.line, note.message) for note in report.errors] == [
        (3, "category 'dead' is not one of total, civilian, combatant, unknown; "
            "event_title is needed for the new event NEW-1"),
    ]  # fmt: skip
    report = import_bytes(csv_bytes([claim_row(qualifier="range", low="15", high="12")]))
    assert report.errors[0].message == (
        "low: The low number (15) is above the high number (12).; "
        "best: The best number (12) is below the low number (15)."
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"best": "inf"}, "best 'inf' is not a whole number"),
        ({"best": "NaN"}, "best 'NaN' is not a whole number"),
        ({"best": "2.5"}, "best '2.5' is not a whole number"),
        ({"best": "3000000000"}, "3000000000 is larger than any death count the tracker can hold."),
        ({"latitude": "nan", "longitude": "40"}, "latitude 'nan' is not a number"),
        ({"latitude": "1e30", "longitude": "40"}, "latitude: Ensure this value is less than or equal to 90."),
        ({"wording": "x" * 600}, "wording: Ensure this value has at most 500 characters (it has 600)."),
        (
            {"claimed_on": "2018-01-02Tgarbage"},
            "claimed_on '2018-01-02Tgarbage' is not a date as YYYY-MM-DD, YYYY-MM or YYYY",
        ),
        ({"claimed_on": "20180102"}, "claimed_on '20180102' is not a date as YYYY-MM-DD, YYYY-MM or YYYY"),
        ({"claimed_on": "2018-02-30"}, "claimed_on '2018-02-30' is not a date as YYYY-MM-DD, YYYY-MM or YYYY"),
        ({"retracted": "maybe"}, "retracted 'maybe' is not true or false"),
    ],
)
def test_odd_values_are_row_errors_not_crashes(fields, message):
    report = import_bytes(csv_bytes([claim_row(**fields)]))
    assert [note.line for note in report.errors] == [2]
    assert message in report.errors[0].message
    assert stored_counts() == NOTHING


@pytest.mark.parametrize(
    ("fields", "model", "values", "constraint"),
    [
        (
            {"event_date_end": "2018-01-01"},
            Event,
            {"start_date": date(2018, 1, 5), "end_date": date(2018, 1, 1)},
            "event_ends_after_start",
        ),
        ({"latitude": "35.9"}, Event, {"latitude": Decimal("35.9")}, "event_coordinates_paired"),
        ({"source_title": ""}, Source, {"title": ""}, "source_titled_or_linked"),
    ],
)
def test_the_importer_admin_and_shell_meet_the_same_wall(fields, model, values, constraint):
    """The model's clean() says what its database constraint says, once, on the field to mend; the
    importer names the field by its column."""
    defaults = {
        Event: {"ref": "X-1", "title": "Strike", "start_date": date(2018, 1, 5), "location_name": "Raqqa",
                "country": "SY"},
        Source: {"title": "Report"},
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        model(**{**defaults[model], **values}).full_clean()  # constraints included, as the admin checks
    ((field, messages),) = refused.value.message_dict.items()
    (wall,) = [check.violation_error_message for check in model._meta.constraints if check.name == constraint]
    assert messages == [wall]

    report = import_bytes(csv_bytes([claim_row(**fields)]))

    column = {"end_date": "event_date_end", "longitude": "longitude", "title": "source_title"}[field]
    assert report.errors[0].message == f"{column}: {wall}"


def test_a_file_without_the_required_columns_is_refused_on_line_1(tmp_path):
    lines = run_failing(write(tmp_path, b"event_ref,title\nEV-1,x\n"))
    assert lines[0] == (
        "claims.csv: line 1: missing required columns: party, category, claimed_on; "
        "needs a 'qualifier' or a 'wording' column for the count; needs a 'source_title' or a 'source_url' column"
    )


def separated(rows: list[dict], delimiter: str) -> bytes:
    """A claims file as a spreadsheet set to another list separator saves it."""
    text = io.StringIO()
    columns = list(dict.fromkeys(name for row in rows for name in row))
    writer = csv.DictWriter(text, fieldnames=columns, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_file_separated_by_semicolons_or_tabs_imports_like_one_with_commas(tmp_path, delimiter):
    rows = [claim_row(notes="one, two; three"), claim_row(category="total", best="20", wording="about 20, say")]
    out, _ = run("import_claims", str(write(tmp_path, separated(rows, delimiter))))

    assert out.startswith("Imported claims.csv: 2 rows: new 1 event, 1 party, 1 source, 2 claims")
    assert sorted(Claim.objects.values_list("category", "best", "notes")) == [
        ("civilian", 12, "one, two; three"), ("total", 20, ""),
    ]  # fmt: skip


def test_a_header_that_cannot_be_read_says_the_separator_may_be_the_problem(tmp_path):
    lines = run_failing(write(tmp_path, separated([claim_row()], "|")))
    assert lines[0].startswith("claims.csv: line 1: missing required columns: event_ref, party")
    assert lines[0].endswith(
        "the columns may be separated by a character the import does not read as a separator; "
        "save the file as CSV with commas, semicolons or tabs between the columns"
    )
    assert stored_counts() == NOTHING


def test_lines_are_counted_as_a_spreadsheet_shows_them(tmp_path):
    """A line break inside a quoted field does not shift the numbers; blank rows still count."""
    good = ",".join(claim_row().get(column, "") for column in COLUMNS)
    bad = ",".join(claim_row(category="children").get(column, "") for column in COLUMNS)
    multiline = good.replace("Daily report", '"Daily report\nsecond line"')
    path = write(tmp_path, (",".join(COLUMNS) + "\n" + multiline + "\n\n" + bad + "\n").encode())
    assert run_failing(path)[0].startswith("claims.csv: line 4: category 'children'")


def test_a_row_that_is_not_utf8_is_named_as_the_spreadsheet_numbers_it(tmp_path):
    content = csv_bytes([claim_row(notes="two\nlines"), claim_row(location="Alep")])
    path = write(tmp_path, content.replace(b"Alep", "Alép".encode("latin-1")))
    assert run_failing(path) == [
        "claims.csv: line 3: this row is not UTF-8 text, so nothing from it on can be read; save the file as UTF-8 CSV"
    ]
    assert stored_counts() == NOTHING


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import_claims", str(tmp_path / "nowhere.csv"))


def test_other_file_types_and_broken_workbooks_are_refused():
    report = import_bytes(b"{}", "claims.json")
    assert [(note.line, note.message) for note in report.errors] == [
        (1, "cannot read a '.json' file; save the sheet as .csv (UTF-8) or .xlsx")
    ]
    report = import_bytes(b"event_ref,party\n", "claims.xlsx")
    assert not report.ok and report.errors[0].message.startswith("the file cannot be read as an .xlsx workbook")


def test_dry_run_reports_and_stores_nothing():
    rows = [claim_row(), claim_row(party="Ministry", party_kind="state_military", best="40")]
    report = import_bytes(csv_bytes(rows), dry_run=True)
    assert report.ok and not report.stored
    assert report.created == {"events": 1, "parties": 2, "sources": 1, "claims": 2}
    assert stored_counts() == NOTHING


def test_the_command_says_what_a_dry_run_would_do(tmp_path):
    out, _ = run("import_claims", str(write(tmp_path, csv_bytes([claim_row()]))), "--dry-run")
    assert out == (
        "Checked (dry run, nothing stored) claims.csv: 1 row: new 1 event, 1 party, 1 source, 1 claim; "
        "0 claims updated, 0 already stored unchanged.\n"
    )
    assert stored_counts() == NOTHING


# Importing the same file again changes nothing; a claim is stored once.


def test_what_makes_two_claims_the_same_claim():
    """Every part of the design's "same claim" tells claims apart; retraction, wording and notes do not."""
    fields = {
        "event_id": 1, "party_id": 2, "category": "civilian", "victim_side_id": None, "claimed_on": date(2018, 1, 6),
        "qualifier": "exact", "low": None, "best": 12, "high": None, "source_id": 3,
    }  # fmt: skip
    key = Claim(**fields).identity_key()
    others = {"event_id": 9, "party_id": 9, "category": "total", "victim_side_id": 9, "claimed_on": date(2018, 1, 7),
              "qualifier": "approximate", "low": 0, "best": 13, "high": 99, "source_id": 9, "outcome": "injured",
              "subgroup_id": 9}  # fmt: skip
    for name, other in others.items():
        assert Claim(**{**fields, name: other}).identity_key() != key, name
    assert Claim(**fields, retracted=True, wording="twelve", notes="again").identity_key() == key


def test_outcome_and_subgroup_are_read_in_any_case_and_the_subgroup_by_code_or_name():
    rows = [
        claim_row(best="12"),
        claim_row(outcome="Injured", best="30"),
        claim_row(subgroup="CHILDREN", best="4"),
        claim_row(outcome="injured", subgroup="medical Workers", best="2"),
        claim_row(party="Army", party_kind="state_military", category="combatant", subgroup=" commanders ", best="4"),
    ]
    report = import_bytes(csv_bytes(rows))
    assert report.ok, list(report.errors)
    assert list(Claim.objects.order_by("pk").values_list("outcome", "category", "subgroup__code", "best")) == [
        ("killed", "civilian", None, 12), ("injured", "civilian", None, 30), ("killed", "civilian", "children", 4),
        ("injured", "civilian", "medical_workers", 2), ("killed", "combatant", "commanders", 4),
    ]  # fmt: skip


def test_a_subgroup_added_in_the_admin_is_named_by_a_file():
    Subgroup.objects.create(code="teachers", name="school teachers", name_ar="معلّمون", category="civilian")
    report = import_bytes(csv_bytes([claim_row(subgroup="School Teachers", best="3")]))
    assert report.ok, list(report.errors)
    assert Claim.objects.get().subgroup.code == "teachers"


def test_claims_that_differ_only_in_outcome_or_subgroup_are_other_claims_and_a_repeat_adds_none():
    """The same party, event, category, date, count and source: killed or injured, whole or children, are
    four claims; the same file again stores nothing more."""
    rows = [claim_row(outcome=outcome, subgroup=part) for outcome in ("", "injured") for part in ("", "children")]
    content = csv_bytes(rows)
    assert import_bytes(content).created["claims"] == 4
    before = stored_counts()

    report = import_bytes(content)

    assert (report.ok, report.unchanged, report.created["claims"]) == (True, 4, 0)
    assert stored_counts() == before


def test_a_file_may_restate_a_subgroup_claim_by_its_name_and_update_its_notes():
    import_bytes(csv_bytes([claim_row(subgroup="medical_workers", outcome="injured")]))
    report = import_bytes(csv_bytes([claim_row(subgroup="Medical workers", outcome="INJURED", notes="confirmed")]))
    assert (report.updated, report.created["claims"]) == (1, 0)
    assert Claim.objects.get().notes == "confirmed"


def test_importing_the_same_file_twice_changes_nothing():
    path = str(EVERY_FORM)
    run("import_claims", path)
    before, summary = stored_counts(), export_json()

    out, _ = run("import_claims", path)

    assert "new 0 events, 0 parties, 0 sources, 0 claims; 0 claims updated, 26 already stored unchanged" in out
    assert stored_counts() == before  # history included
    assert export_json() == summary


def test_a_second_import_reuses_what_the_first_stored():
    content = csv_bytes([claim_row(), claim_row(category="total", best="15"), claim_row(victim_side="Raqqa Monitor")])
    import_bytes(content)

    report = import_bytes(content)

    assert report.ok
    assert (report.unchanged, report.updated, sum(report.created.values())) == (3, 0, 0)
    assert report.reused == {"events": 1, "parties": 1, "sources": 1}


def test_a_changed_retraction_or_note_updates_the_stored_claim_with_its_history(editor):
    import_bytes(csv_bytes([claim_row(), claim_row(category="total")]))

    report = import_bytes(
        csv_bytes([claim_row(retracted="true", notes="withdrawn"), claim_row(category="total")]),
        user=editor,
        reason="import of again.csv",
    )

    assert (report.updated, report.unchanged) == (1, 1)
    claim = Claim.objects.get(category="civilian")
    assert (claim.retracted, claim.notes) == (True, "withdrawn")
    latest = claim.history.first()
    assert (claim.history.count(), latest.history_type) == (2, "~")
    assert (latest.history_user, latest.history_change_reason) == (editor, "import of again.csv")
    assert Claim.objects.get(category="total").history.count() == 1
    assert not claim.is_current  # the summaries were refreshed: a retracted claim stands for nobody


def test_a_claim_stated_twice_alike_is_one_claim():
    report = import_bytes(csv_bytes([claim_row(), claim_row(party="raqqa monitor", party_kind="")]))
    assert (report.created["claims"], report.unchanged) == (1, 1)
    assert Claim.objects.count() == 1


def test_a_claim_stated_twice_differently_is_refused():
    rows = [claim_row(), claim_row(party="Other", party_kind="media"), claim_row(retracted="true")]
    report = import_bytes(csv_bytes(rows))
    assert [(note.line, note.message) for note in report.errors] == [
        (4, "states again the claim of line 2, with another retraction, wording or notes; state each claim once")
    ]
    assert stored_counts() == NOTHING


def test_every_new_object_is_kept_in_the_history_with_the_import_as_reason(editor):
    import_bytes(csv_bytes([claim_row()]), user=editor, reason="import of claims.csv")

    for model in (Event, Party, Source, Claim):
        record = model.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+", editor, "import of claims.csv",
        )  # fmt: skip
    assert Claim.objects.get().entered_by == editor


# What spreadsheet programs write is read as they meant it.


def test_what_spreadsheets_write_is_accepted(tmp_path):
    """A byte order mark, CRLF line ends, quoted commas and line breaks, Arabic text, column order free."""
    rows = [
        claim_row(party="المرصد السوري", wording="مقتل ٤٠ شخصاً", notes='Quoted, with a comma\nand a "line" break'),
        claim_row(party="Ministry", party_kind="state_military", qualifier="", best="", wording="around 40"),
    ]
    content = csv_bytes(rows, columns=list(reversed(COLUMNS)), bom=True)
    assert content.startswith(b"\xef\xbb\xbfnotes,") and b"\r\n" in content

    run("import_claims", str(write(tmp_path, content)))

    arabic = Claim.objects.get(party__name="المرصد السوري")
    assert (arabic.wording, arabic.notes) == ("مقتل ٤٠ شخصاً", 'Quoted, with a comma\nand a "line" break')
    assert Claim.objects.get(party__name="Ministry").count == Count("approximate", best=40)


def test_xlsx_reads_numbers_and_dates_as_a_spreadsheet_holds_them():
    header = ["event_ref", "event_title", "event_date", "country", "location", "latitude", "longitude",
              "party", "party_kind", "category", "qualifier", "low", "high", "claimed_on", "source_title"]  # fmt: skip
    good = ["SYR-X-1", "Strike", datetime(2018, 1, 5), "SY", "Raqqa", 35.95, 39.01,
            "Raqqa Monitor", "monitor", "civilian", "range", 12.0, 15, date(2018, 1, 6), "Daily report"]  # fmt: skip
    report = import_bytes(xlsx_bytes([header, good, [], [*good[:11], 15, 12, *good[13:]]]), "claims.xlsx")

    assert [note.line for note in report.errors] == [4]  # the blank line 3 is skipped but counted
    assert "above the high number" in report.errors[0].message

    report = import_bytes(xlsx_bytes([header, good]), "claims.xlsx")
    assert report.ok, report.errors
    claim = Claim.objects.select_related("event").get()
    assert (claim.low, claim.high, claim.claimed_on) == (12, 15, date(2018, 1, 6))
    assert (str(claim.event.latitude), claim.event.start_date) == ("35.950000", date(2018, 1, 5))


def test_the_command_imports_xlsx_and_reports_what_it_made(tmp_path):
    row = claim_row()
    out, _ = run("import_claims", str(write(tmp_path, xlsx_bytes([list(row), list(row.values())]), "claims.xlsx")))
    assert "Imported claims.xlsx: 1 row: new 1 event, 1 party, 1 source, 1 claim" in out


def test_coordinates_finer_than_stored_are_rounded():
    import_bytes(csv_bytes([claim_row(latitude="35.123456789", longitude="-39.0000004")]))
    event = Event.objects.get()
    assert (event.latitude, event.longitude) == (Decimal("35.123457"), Decimal("-39.000000"))


def test_columns_outside_the_claims_format_are_ignored_with_a_warning():
    report = import_bytes(csv_bytes([claim_row(source_excerpt="smuggled in", event_description="not a claims column")]))

    assert report.ok
    assert [(note.line, note.message) for note in report.warnings] == [
        (1, "columns not in the claims format, ignored: source_excerpt, event_description")
    ]
    assert Source.objects.get().excerpt == "" and Event.objects.get().description == ""


def test_every_claims_column_is_known_to_the_reader():
    # The exporter writes COLUMNS; a file of exactly those columns must import without a warning.
    report = import_bytes(csv_bytes([claim_row()], columns=COLUMNS))
    assert report.ok and not report.warnings


# Parties and sources: found again, never revealed.


def test_parties_are_matched_by_alias_ignoring_case_and_sources_by_url():
    Party.objects.create(name="Russian Ministry of Defence", kind="state_military", aliases="Russian MoD\nMinDef")
    rows = [
        claim_row(party="russian mod", party_kind="", source_url="https://example.org/a"),
        claim_row(party="MinDef", party_kind="", best="14", source_url="https://example.org/a", source_title="Other"),
    ]
    report = import_bytes(csv_bytes(rows))
    assert report.reused == {"parties": 1} and report.created["sources"] == 1
    assert Claim.objects.filter(party__name="Russian Ministry of Defence", source__title="Daily report").count() == 2


def test_sources_without_a_url_are_told_apart_by_title_date_and_publisher():
    rows = [
        claim_row(source_title="Statement", source_publisher="Army press office"),
        claim_row(party="Rebels", party_kind="armed_group", source_title="Statement", source_publisher="Rebel channel"),
        claim_row(category="total", source_title="Statement", source_publisher="Army press office"),
    ]
    import_bytes(csv_bytes(rows))
    assert Claim.objects.get(party__name="Rebels").source.publisher == "Rebel channel"
    assert Source.objects.count() == 2


def test_a_new_victim_side_is_added_with_a_warning_and_takes_the_kind_a_later_row_names():
    rows = [claim_row(victim_side="Unknown Brigade"), claim_row(victim_side="Rebels"),
            claim_row(party="Rebels", party_kind="armed_group", best="3")]  # fmt: skip
    report = import_bytes(csv_bytes(rows))
    assert [(note.line, note.message) for note in report.warnings] == [
        (2, "victim_side 'Unknown Brigade' is a new party; it is added with the kind 'other' "
            "unless a later row names its party_kind"),
        (3, "victim_side 'Rebels' is a new party; it is added with the kind 'other' "
            "unless a later row names its party_kind"),
    ]  # fmt: skip
    assert dict(Party.objects.values_list("name", "kind")) == {
        "Raqqa Monitor": "monitor", "Unknown Brigade": "other", "Rebels": "armed_group",
    }  # fmt: skip


def test_a_victim_side_written_with_an_earlier_chunk_takes_its_kind_with_history(monkeypatch, editor):
    monkeypatch.setattr(importer, "LOOK_AHEAD", 1)
    rows = [claim_row(victim_side="Rebels"), claim_row(party="Rebels", party_kind="armed_group", best="3")]
    import_bytes(csv_bytes(rows), user=editor, reason="import of claims.csv")
    rebels = Party.objects.get(name="Rebels")
    assert rebels.kind == "armed_group"
    assert [record.history_type for record in rebels.history.order_by("history_id")] == ["+", "~"]


def test_a_rows_confidentiality_names_its_source_and_a_file_never_hides_nor_reveals_a_stored_one():
    import_bytes(csv_bytes([claim_row(source_url="https://example.org/a")]))
    public = Source.objects.get()

    report = import_bytes(csv_bytes([claim_row(source_url="https://example.org/a", source_confidential="true")]))

    public.refresh_from_db()
    assert not public.confidential and public.history.count() == 1
    hidden = Source.objects.get(confidential=True)
    assert [(note.line, note.message) for note in report.warnings] == [
        (2, "source 'https://example.org/a' is public, in the tracker or on an earlier line: this line names a "
            "confidential source of its own, and leaves the public one as it is"),
    ]  # fmt: skip
    report = import_bytes(csv_bytes([claim_row(source_url="https://example.org/a", source_confidential="false")]))
    hidden.refresh_from_db()
    assert hidden.confidential and report.unchanged == 1 and Source.objects.count() == 2


def test_a_confidential_source_is_named_only_by_a_row_that_says_so_and_only_by_who_may_see_it(editor):
    hidden = Source.objects.create(title="Informant", url="https://secret.example/a", confidential=True)
    public_row = claim_row(source_url="https://secret.example/a")
    hidden_row = claim_row(source_url="https://secret.example/a", source_confidential="true")

    # Without the grant: a public source of one's own, without a word of the hidden one.
    report = import_bytes(csv_bytes([public_row]), user=editor, dry_run=True)
    assert (report.created["sources"], report.reused, list(report.warnings)) == (1, {}, [])
    report = import_bytes(csv_bytes([hidden_row]), user=editor, dry_run=True)
    assert [(note.line, note.message) for note in report.errors] == [
        (2, "source_confidential: naming a confidential source needs the permission tracker.view_confidential_source")
    ]

    report = import_bytes(csv_bytes([hidden_row]))  # the command's operator sees every source
    assert (report.created["sources"], report.reused["sources"]) == (0, 1)
    assert Claim.objects.get().source == hidden
    report = import_bytes(csv_bytes([public_row]))
    assert [note.message for note in report.warnings] == [
        "source 'https://secret.example/a' is confidential, in the tracker or on an earlier line: this line names "
        "a public source of its own"
    ]
    assert sorted(Source.objects.values_list("confidential", flat=True)) == [False, True]


# Speed: one set of queries per chunk of LOOK_AHEAD lines, whatever the number of rows.

# Pinned, as NetBox pins its pages' query counts: a change here is a change to review. A 1,000-row
# import is two chunks. On PostgreSQL it first waits for any other storing import (one advisory
# lock, tracker.ingest.serial). Its reads: every party once, the user's permissions (two), then per chunk
# the chunk's stored events, their claims (none here: the events are new) and its sources. Its
# writes: per chunk one INSERT per model and history table (SQLite, at most 999 values a
# statement, needs several), inside one savepoint. Then the summaries' refresh, most of which is
# one UPDATE per distinct event summary (tracker.summaries), and three for the containment
# discrepancies (clear, store, and the claims each adds up). Its repeat writes nothing. (Containment
# made 95 distinct summaries of the 63 that the groups alone gave this file: 32 UPDATEs more. The
# origin and its identifier, two columns more on claims and events, cost SQLite four INSERTs more.
# Asking once whether any merged event left an alias to look up costs one query more, both times.
# The stored tallies (tracker.summaries.tallies) add their upkeep to each refreshed chunk of events: the old
# shares read, deleted and written anew, the party and month totals created and moved (10 queries
# on PostgreSQL, 18 on SQLite, whose bulk writes take fewer values a statement).) On PostgreSQL the
# refresh is computed in SQL (tracker.summaries.backends.postgresql): two round trips for all the events of the file.
# A claim's outcome and subgroup, an event's injured level and inconsistency flag and a source's relay widen
# their rows, so that SQLite's bulk INSERTs of claims (and their history), events, sources and groups take
# fewer rows a statement (7 INSERTs more), and the summaries clear the events' inconsistencies (1 more).
# The precision of the claims' and the sources' dates, a column more on each and on their history, costs
# SQLite three INSERTs more; the claims' review state, its reviewer and when, three more.
# The stored grades (tracker.summaries.grades) read the chunk's events' grades, current claims, perpetrators,
# sources' relays and the organisation's assessments, and write the grades that changed: on SQLite a query for
# each and one UPDATE per distinct grade, seven queries more; on PostgreSQL the reads go in one round trip
# and the writes in one UPDATE, two more. (They are not folded into the summaries' own two round trips: the
# grades are computed in Python by the rules, between reading the claims the summaries made current and writing.)
# Denials ranked by the deaths they deny (tracker.summaries.ranking) no longer share one ratio rank: SQLite writes
# the events whose summaries are equal in one UPDATE, and the file's denials now take two, one more.
# An import that stores anything counts the data version up, once, at its end (one UPDATE); one that changes
# nothing, not.
QUERIES = {
    "sqlite": {"import": 237, "again": 7},  # and the named dead of the events summarised (one query)
    "postgresql": {"import": 28, "again": 8},  # and the advisory lock that serialises imports
}


def test_a_1000_row_import_and_its_repeat_run_a_pinned_number_of_queries(editor, django_assert_num_queries):
    content = many_claims(1000)
    pinned = QUERIES[connection.vendor]

    with django_assert_num_queries(pinned["import"]):
        report = import_bytes(content, user=editor)
    assert report.ok and report.created == {"events": 250, "parties": 30, "sources": 500, "claims": 1000}

    with django_assert_num_queries(pinned["again"]):
        report = import_bytes(content, user=editor)
    assert report.unchanged == 1000


@pytest.mark.parametrize("chunks", [1, 2, 5])
def test_reads_grow_with_chunks_not_rows(monkeypatch, chunks):
    import_bytes(many_claims(100 * chunks))
    monkeypatch.setattr(importer, "LOOK_AHEAD", 100)

    with CaptureQueriesContext(connection) as queries:
        report = import_bytes(many_claims(100 * chunks))

    assert report.unchanged == 100 * chunks
    locks = [query["sql"] for query in queries.captured_queries if "pg_advisory_xact_lock" in query["sql"]]
    reads = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert len(locks) == (connection.vendor == "postgresql")  # waiting for other imports: once, not per chunk
    # Every party, whether any merged event left an alias, then the chunk's events, their claims, its sources.
    assert len(reads) == len(locks) + 2 + 3 * chunks
    assert len(queries) == len(reads) + 2  # and the import's savepoint: nothing written


def test_an_import_by_a_user_runs_no_query_per_row(editor):
    content = many_claims(100)
    with CaptureQueriesContext(connection) as anonymous:
        import_bytes(content, dry_run=True)
    with CaptureQueriesContext(connection) as by_editor:
        import_bytes(content, user=editor, dry_run=True)
    assert len(by_editor) == len(anonymous) + 2  # the editor's permissions, for confidential sources


# Any file at all: what the importer stores and the export reports is what the rules give.

claim_rows = st.lists(
    st.fixed_dictionaries(
        {
            "event": st.sampled_from(["EV-1", "EV-2"]),
            "party": st.sampled_from(["Ministry", "Monitor", "Hospital"]),
            "category": st.sampled_from(["civilian", "combatant", "total"]),
            "side": st.sampled_from(["", "Ministry", "Monitor"]),
            "count": st.sampled_from(
                [
                    "exact:0",
                    "exact:12",
                    "exact:40",
                    "approximate:40",
                    "at_least:10",
                    "at_most:15",
                    "range:12-15",
                    "around 40",
                    "at least 12",
                    "12-15",
                    "up to 30",
                    "no civilians",
                    "forty",
                    "more than 12",
                ]
            ),
            "day": st.integers(0, 3),
            "retracted": st.booleans(),
        }
    ),
    min_size=1,
    max_size=10,
)


def csv_row(generated):
    fields = {
        "event_ref": generated["event"], "party": generated["party"], "category": generated["category"],
        "victim_side": generated["side"], "claimed_on": (date(2018, 1, 1) + timedelta(generated["day"])).isoformat(),
        "retracted": "true" if generated["retracted"] else "false", "source_title": "Report", "source_date": "",
        "qualifier": "", "best": "",
    }  # fmt: skip
    qualifier, _, numbers = generated["count"].partition(":")
    if numbers:
        fields["qualifier"] = qualifier
        if qualifier == "range":
            fields["low"], fields["high"] = numbers.split("-")
        else:
            fields[{"exact": "best", "approximate": "best", "at_least": "low", "at_most": "high"}[qualifier]] = numbers
    else:
        fields["wording"] = generated["count"]
    return claim_row(party_kind="monitor", **fields)


def count_of(fields):
    if fields["qualifier"]:
        return Count(fields["qualifier"], *(int(fields[n]) if fields.get(n) else None for n in ("low", "best", "high")))
    return count_from_wording(fields["wording"])


def each_claim_once(rows):
    """Keep the first row of each claim: a file states a claim once (a repeat is the same claim)."""
    seen, kept = set(), []
    for fields in rows:
        count = count_of(fields)
        key = claim_key(
            event=fields["event_ref"], party=fields["party"], outcome="killed", category=fields["category"],
            victim_side=fields["victim_side"] or None, subgroup=None, claimed_on=fields["claimed_on"],
            qualifier=count.qualifier,
            low=count.low, best=count.best, high=count.high, source=fields["source_title"],
        )  # fmt: skip
        if key not in seen:
            seen.add(key)
            kept.append(fields)
    return kept


def expected_from_rows(rows):
    """Apply the rules straight to the file's rows, without the database."""
    by_event = {}
    for key, fields in enumerate(rows):
        by_event.setdefault(fields["event_ref"], []).append(
            ClaimFacts(
                key=key,
                party=fields["party"],
                category=fields["category"],
                victim_side=fields["victim_side"] or None,
                count=count_of(fields),
                claimed_on=date.fromisoformat(fields["claimed_on"]),
                entered=(key,),
                retracted=fields["retracted"] == "true",
            )
        )
    return {ref: event_result(facts, thresholds()) for ref, facts in by_event.items()}


def as_number(ratio):
    return None if ratio is None else float(ratio)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim_rows)
def test_any_file_imports_to_what_the_rules_give(tmp_path_factory, generated):
    Claim.objects.all().delete()
    Event.objects.all().delete()
    rows = each_claim_once([csv_row(fields) for fields in generated])
    run("import_claims", str(write(tmp_path_factory.mktemp("any"), csv_bytes(rows, columns=COLUMNS))))
    records = export_json()
    for ref, result in expected_from_rows(rows).items():
        record = records[ref]
        assert record["level"] == result.level
        assert record["ratio"] == as_number(result.ratio)
        assert record["classification_dispute"] == result.classification_dispute
        assert sorted(
            (g["category"], g["victim_side"] or "", g["level"], g["ratio"]) for g in record["groups"]
        ) == sorted((g.category, g.victim_side or "", g.level, as_number(g.ratio)) for g in result.groups)
        current = sum(claim["current"] for group in record["groups"] for claim in group["claims"])
        assert current == len(result.current)
