"""Exports: claims in the import format (round trip), discrepancies as JSON, CSV (with HXL) and xlsx."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.factories import make_claim, make_event, make_party, make_source, seeded_subgroup
from tests.helpers import FIXTURES, claim_row, csv_bytes
from tracker.exports.claims import claim_rows, claims_write
from tracker.exports.discrepancies import discrepancies_write, discrepancy_records, discrepancy_row
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, Party, Source
from tracker.presentation.rows import event_rows

pytestmark = pytest.mark.django_db


def tricky_claims() -> bytes:
    """Claims with what breaks naive writers: quotes, line breaks, a formula, non-Latin text, ranges."""
    return csv_bytes(
        [
            claim_row(notes='He said "dozens"\nthen retracted', latitude="35.95", longitude="39.01"),
            claim_row(party="=HYPERLINK(\"http://x\")", party_kind="media", qualifier="range", low="10", best="",
                      high="14", source_url="https://example.org/a?b=1", source_title=""),
            claim_row(event_ref="SYR-2018-02-DEZ-02", event_title="قصف دير الزور", event_date_end="2018-02-03",
                      event_date="2018-02-01", date_precision="week", victim_side="Islamic State", category="combatant",
                      qualifier="", best="", wording="around 40 militants", retracted="true"),
            claim_row(event_ref="SYR-2018-02-DEZ-02", event_title="قصف دير الزور", event_date="2018-02-01",
                      victim_side="Islamic State", category="combatant", subgroup="commanders", best="4"),
            claim_row(outcome="injured", best="30"),
            claim_row(outcome="injured", subgroup="Medical workers", best="2"),
        ]
    )  # fmt: skip


def exported(format: str) -> bytes:
    stream = io.BytesIO() if format == "xlsx" else io.StringIO()
    claims_write(claim_rows(), format=format, stream=stream)
    return stream.getvalue() if format == "xlsx" else stream.getvalue().encode()


def wipe():
    Claim.objects.all().delete()
    Event.objects.all().delete()
    Source.objects.all().delete()
    Party.objects.all().delete()


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_export_import_export_gives_the_same_file(format):
    assert file_import(file=io.BytesIO(tricky_claims()), name="claims.csv").ok
    with (FIXTURES / "ged191_syria_2017.csv").open("rb") as ged:
        assert file_import(file=ged, name="ged.csv", format="ucdp-ged").ok
    first, first_csv = exported(format), exported("csv")
    claims = Claim.objects.count()

    wipe()
    report = file_import(file=io.BytesIO(first), name=f"claims.{format}")
    assert report.ok, report.errors

    assert Claim.objects.count() == claims
    if format == "csv":
        assert exported("csv") == first
    else:
        assert sheet_values(exported("xlsx")) == sheet_values(first)
        assert exported("csv") == first_csv  # nothing was lost on the way through the workbook


def sheet_values(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text():
    file_import(file=io.BytesIO(tricky_claims()), name="claims.csv")
    rows = sheet_values(exported("xlsx"))
    header = rows[0]
    parties = [row[header.index("party")] for row in rows[1:]]
    assert '=HYPERLINK("http://x")' in parties
    workbook = load_workbook(io.BytesIO(exported("xlsx")))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_export_claims_command_writes_the_import_format_to_stdout():
    make_claim(count=("approximate", None, 40, None))
    stdout = io.StringIO()
    call_command("export_claims", stdout=stdout)
    rows = list(csv.DictReader(io.StringIO(stdout.getvalue())))
    assert [(row["qualifier"], row["best"]) for row in rows] == [("approximate", "40")]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_claims_export_writes_each_claims_outcome_and_subgroup_code(format):
    event = make_event()
    make_claim(event, count=12)
    make_claim(event, count=4, subgroup=seeded_subgroup("children"))
    make_claim(event, count=30, outcome="injured", subgroup=seeded_subgroup("medical_workers"))
    if format == "csv":
        text = io.StringIO()
        claims_write(claim_rows(), format="csv", stream=text)
        table = list(csv.reader(io.StringIO(text.getvalue())))
    else:
        table = [["" if value is None else value for value in row] for row in sheet_values(exported("xlsx"))]
    header = table[0]
    assert header.index("outcome") < header.index("category") < header.index("subgroup") < header.index("qualifier")
    assert [(row[header.index("outcome")], row[header.index("subgroup")]) for row in table[1:]] == [
        ("killed", ""), ("killed", "children"), ("injured", "medical_workers"),
    ]  # fmt: skip


def test_xlsx_to_a_terminal_or_pipe_needs_an_output_file():
    with pytest.raises(CommandError, match="--output"):
        call_command("export_claims", "--format", "xlsx", stdout=io.StringIO())


def test_claim_rows_hide_a_confidential_source_from_a_user_without_the_permission(editor, django_user_model):
    secret = make_source(title="Informant in Hajin", publisher="Local network", url="https://example.org/secret",
                         confidential=True)  # fmt: skip
    make_claim(source=secret, notes="told by Abu Khalid")

    [hidden] = claim_rows(user=editor)
    assert (hidden["source_title"], hidden["source_url"], hidden["source_publisher"]) == ("Confidential source", "", "")
    assert (hidden["notes"], hidden["source_confidential"]) == ("", "true")

    editor.user_permissions.add(Permission.objects.get(codename="view_confidential_source"))
    editor = django_user_model.objects.get(pk=editor.pk)  # permissions are cached per user object
    [shown] = claim_rows(user=editor)
    assert (shown["source_title"], shown["notes"]) == ("Informant in Hajin", "told by Abu Khalid")


@pytest.fixture
def disputed_event():
    """An event where a ministry says 'no civilians' and a monitor 'at least 8', with a retracted claim."""
    event = make_event(ref="SYR-2018-07-DEN-01", title="Bakery queue strike", country="SY")
    ministry, monitor = make_party(name="Ministry", kind="state_military"), make_party(name="Monitor")
    make_claim(event, ministry, count=0)
    make_claim(event, monitor, count=("at_least", 8, None, None))
    make_claim(event, make_party(name="Agency", kind="media"), count=100, retracted=True)
    make_event(ref="SYR-2018-08-NONE", title="No claims yet")
    return event


def written(format: str, hxl: bool = False):
    stream = io.BytesIO() if format == "xlsx" else io.StringIO()
    discrepancies_write(discrepancy_records(), format=format, stream=stream, hxl=hxl)
    return stream.getvalue()


def test_discrepancy_json_keeps_the_design_fields(disputed_event):
    records = json.loads(written("json"))

    assert [record["ref"] for record in records] == ["SYR-2018-07-DEN-01", "SYR-2018-08-NONE"]
    denial, empty = records
    assert (denial["level"], denial["ratio"], denial["classification_dispute"]) == ("denial", None, False)
    [group] = denial["groups"]
    assert (group["category"], group["victim_side"], group["level"]) == ("civilian", None, "denial")
    assert [(claim["party"], claim["lo"], claim["hi"], claim["current"]) for claim in group["claims"]] == [
        ("Ministry", 0, 0, True), ("Monitor", 8, None, True), ("Agency", 100, 100, False),
    ]  # fmt: skip
    assert empty["level"] is None and empty["groups"] == []


def test_discrepancy_csv_with_hxl_row(disputed_event):
    rows = list(csv.reader(io.StringIO(written("csv", hxl=True))))

    header, hashtags, denial, empty = rows
    assert hashtags[header.index("ref")] == "#event+id"
    assert hashtags[header.index("date")] == "#date"
    assert hashtags[header.index("country")] == "#country+code"
    assert hashtags[header.index("comparison_lo")] == "#affected+killed+largest_lower_bound"
    assert hashtags[header.index("comparison_hi")] == "#affected+killed+smallest_upper_bound"
    assert hashtags[header.index("claimants")] == "#org+name"
    assert all(tag.startswith("#") for tag in hashtags)
    row = dict(zip(header, denial, strict=True))
    # L is the monitor's "at least 8", H the ministry's zero: numbers the parties claimed, and no others.
    assert (row["level"], row["ratio"], row["country"]) == ("denial", "", "SY")
    assert (row["comparison"], row["comparison_lo"], row["comparison_hi"]) == ("civilian", "8", "0")
    assert row["comparison_counts"] == "Ministry: 0; Monitor: at least 8 (≥ 8)"
    assert row["claimants"] == "Ministry; Monitor; Agency"
    assert dict(zip(header, empty, strict=True))["level"] == ""


def test_the_comparison_columns_come_from_the_group_the_list_shows_first():
    """Two major groups: the one with the wider ratio leads, in the list's spread and the export alike."""
    event = make_event(ref="SYR-TWO-MAJOR")
    ministry, monitor = make_party(name="Ministry"), make_party(name="Monitor")
    make_claim(event, ministry, count=10, category="civilian")
    make_claim(event, monitor, count=20, category="civilian")  # ratio 2
    make_claim(event, ministry, count=5, category="combatant")
    make_claim(event, monitor, count=50, category="combatant")  # ratio 10
    row = next(discrepancy_row(record) for record in discrepancy_records() if record["ref"] == "SYR-TWO-MAJOR")
    assert (row["comparison"], row["comparison_lo"], row["comparison_hi"], row["ratio"]) == ("combatant", 50, 5, 10.0)
    assert row["comparison_counts"] == "Ministry: 5; Monitor: 50"
    [listed] = event_rows(Event.objects.filter(ref="SYR-TWO-MAJOR").for_list())
    assert listed.spread == "5 – 50, 10.0×"


def test_a_minor_discrepancy_downloads_as_the_page_shows_it_without_an_invented_zero():
    event = make_event(ref="SYR-MINOR")
    make_claim(event, make_party(name="Ministry"), count=("at_most", None, None, 18), category="civilian")
    make_claim(event, make_party(name="Monitor"), count=20, category="civilian")
    [listed] = event_rows(Event.objects.filter(ref="SYR-MINOR").for_list())
    assert listed.spread == "18 – 20, 1.11×"
    rows = list(csv.DictReader(io.StringIO(written("csv"))))
    [row] = [row for row in rows if row["ref"] == "SYR-MINOR"]
    assert (row["level"], row["ratio"], row["comparison_lo"], row["comparison_hi"]) == ("minor", "1.11", "20", "18")
    assert row["comparison_counts"] == "Ministry: at most 18 (0 – 18); Monitor: 20"
    assert "killed_min" not in row and "killed_max" not in row


def test_discrepancy_csv_without_hxl_has_one_header_row(disputed_event):
    rows = list(csv.reader(io.StringIO(written("csv"))))
    assert rows[1][0] == "SYR-2018-07-DEN-01"


def test_discrepancy_xlsx_holds_numbers_as_numbers(disputed_event):
    rows = sheet_values(written("xlsx", hxl=True))
    header, hashtags = rows[0], rows[1]
    assert hashtags[0] == "#event+id"
    record = dict(zip(header, rows[2], strict=True))
    assert (record["ref"], record["comparison_lo"], record["comparison_hi"], record["claims"]) == (
        "SYR-2018-07-DEN-01", 8, 0, 3,
    )  # fmt: skip


def test_export_discrepancies_command_formats(disputed_event, tmp_path):
    stdout = io.StringIO()
    call_command("export_discrepancies", stdout=stdout)
    assert json.loads(stdout.getvalue())[0]["ref"] == "SYR-2018-07-DEN-01"

    stdout = io.StringIO()
    call_command("export_discrepancies", "--format", "csv", "--hxl", stdout=stdout)
    assert stdout.getvalue().splitlines()[1].startswith("#event+id,")

    target = tmp_path / "discrepancies.xlsx"
    call_command("export_discrepancies", "--format", "xlsx", "--output", str(target), stderr=io.StringIO())
    assert sheet_values(target.read_bytes())[1][0] == "SYR-2018-07-DEN-01"
