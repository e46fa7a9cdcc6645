"""Bad and outsized files: a clean, line-numbered refusal within bounded memory and time, never a
server error, never rows dropped unseen, never part of a file stored.

Each limit is a setting (tracker/settings.py, docs/operators/configuration.md); the tests lower them to
meet them with small files.
"""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.helpers import FIXTURES, claim_row, csv_bytes, xlsx_bytes, xlsx_rewritten
from tests.workbooks import sheet_row, xlsx_handmade
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, Party, Source

pytestmark = pytest.mark.django_db
URL = "/admin/tracker/claim/import/"
SHEET = "xl/worksheets/sheet1.xml"
# Two entities each ten times the last: expanded, a few hundred bytes of XML would be gigabytes.
ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %c "%s">' % (97 + n, b"&%c;" % (96 + n) * 10) for n in range(1, 9))
    + b"]>"
)


def stored_counts():
    return tuple(model.objects.count() for model in (Event, Party, Source, Claim)) + tuple(
        model.history.count() for model in (Event, Party, Source, Claim)
    )


def import_bytes(content: bytes, name: str = "claims.csv", **options):
    return file_import(file=io.BytesIO(content), name=name, **options)


def claims_xlsx(rows: list[dict]) -> bytes:
    columns = list(dict.fromkeys(name for row in rows for name in row))
    return xlsx_bytes([columns, *([row.get(name, "") for name in columns] for row in rows)])


def five_claims() -> list[dict]:
    return [claim_row(best=str(number)) for number in range(1, 6)]


def refused(report) -> list[tuple[int, str]]:
    assert not report.ok and stored_counts() == (0,) * 8
    return [(note.line, note.message) for note in report.errors]


# A workbook is read by its real rows, not by what it declares.


def test_a_workbook_whose_dimension_understates_its_rows_is_read_whole():
    content = xlsx_rewritten(
        claims_xlsx(five_claims()),
        {SHEET: lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', xml)},
    )
    report = import_bytes(content, "claims.xlsx")
    assert report.ok and report.rows == 5
    assert sorted(Claim.objects.values_list("best", flat=True)) == [1, 2, 3, 4, 5]


def cell_added(xml: bytes, row: int, cell: bytes) -> bytes:
    """Add a cell at the end of a row of a sheet's XML."""
    return re.sub(rb'(<row r="%d".*?)</row>' % row, lambda found: found[1] + cell + b"</row>", xml, count=1, flags=re.S)


def test_a_value_far_right_of_the_header_is_a_row_error_and_an_empty_cell_there_is_nothing():
    styled_only = b'<c r="XFD2" s="0"/>'  # column 16,384: openpyxl makes the row that wide
    stray = b'<c r="XFD3" t="inlineStr"><is><t>stray</t></is></c>'
    content = xlsx_rewritten(
        claims_xlsx(five_claims()[:2]), {SHEET: lambda xml: cell_added(cell_added(xml, 2, styled_only), 3, stray)}
    )
    assert refused(import_bytes(content, "claims.xlsx")) == [(3, "more fields than the header has columns")]


# XML that is broken, or that would expand, is refused with a message.


@pytest.mark.parametrize(
    "parts",
    [
        {SHEET: lambda xml: xml[: len(xml) // 2]},  # cut off
        {SHEET: lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row r='x'>")},  # malformed
        {SHEET: lambda xml: ENTITIES + xml.replace(b"<t>Daily report</t>", b"<t>&i;</t>")},  # entities
        {"xl/workbook.xml": lambda xml: ENTITIES.replace(b"worksheet", b"workbook") + xml},
        {"[Content_Types].xml": b"not xml"},
        {"xl/workbook.xml": b""},
    ],
)
def test_a_broken_or_hostile_workbook_is_refused_with_a_message(parts):
    report = import_bytes(xlsx_rewritten(claims_xlsx(five_claims()), parts), "claims.xlsx")
    ((_, message),) = refused(report)
    assert message.startswith(("the file cannot be read as an .xlsx workbook", "the workbook cannot be read"))


def test_openpyxl_reads_workbooks_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_a_workbook_that_would_unpack_beyond_the_limits_is_refused_before_openpyxl_reads_it(settings, monkeypatch):
    monkeypatch.setattr("tracker.ingest.tables.load_workbook", lambda *args, **kwargs: pytest.fail("read"))
    content = claims_xlsx(five_claims())
    settings.IMPORT_MAX_SHARED_STRINGS_BYTES = 100_000
    strings = b"<sst>" + b"<si><t>ab</t></si>" * 10_000 + b"</sst>"  # 180 kB: 10,000 strings
    assert refused(import_bytes(xlsx_rewritten(content, {"xl/sharedStrings.xml": strings}), "claims.xlsx")) == [
        (1, "the workbook's shared strings and other parts read whole unpack to 0.2 MB, more than an import holds "
            "in memory (0.1 MB, IMPORT_MAX_SHARED_STRINGS_BYTES); save it as CSV")
    ]  # fmt: skip
    settings.IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    bomb = xlsx_rewritten(content, {SHEET: lambda xml: xml.replace(b"<sheetData>", b" " * 2_000_000 + b"<sheetData>")})
    assert len(bomb) < 20_000
    assert refused(import_bytes(bomb, "claims.xlsx"))[0][1].startswith(
        "the workbook unpacks to 2.0 MB, more than an import reads (1.0 MB, IMPORT_MAX_UNPACKED_BYTES)"
    )


def test_a_sheet_reaching_the_last_row_of_a_spreadsheet_is_refused_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 1000
    last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    content = xlsx_rewritten(claims_xlsx(five_claims()), {SHEET: lambda xml: xml.replace(b"</sheetData>", last)})
    assert refused(import_bytes(content, "claims.xlsx")) == [
        (1002, "the file has more than 1,000 rows, more than an import takes (IMPORT_MAX_ROWS); split it into "
               "smaller files")
    ]  # fmt: skip


# Rows and cells a sheet numbers out of order, twice, or below 1 are refused: openpyxl would read them
# as blank, or drop them without a word. Workbooks written by hand, as a broken program might.


def handmade(rows) -> bytes:
    content = io.BytesIO()
    xlsx_handmade(rows, content)
    return content.getvalue()


def numbered_claims(numbers) -> bytes:
    """A workbook of five claims (best 1 to 5) in rows numbered as given, after a header in row 1."""
    claims = (sheet_row(claim_row(best=str(best)).values(), number) for best, number in enumerate(numbers, start=1))
    return handmade([sheet_row(claim_row(), 1), *claims])


OUT_OF_ORDER = "rows out of order or repeated would not all be read; save the sheet again from a spreadsheet program"
BELOW_1 = "and rows are numbered from 1: some rows would not be read; save the sheet again from a spreadsheet program"


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ([2, 6, 3, 4, 5], f"a sheet's row 3 comes after its row 6: {OUT_OF_ORDER}"),
        ([6, 5, 4, 3, 2], f"a sheet's row 5 comes after its row 6: {OUT_OF_ORDER}"),
        ([2, 3, 3, 4, 5], f"a sheet's row 3 comes after its row 3: {OUT_OF_ORDER}"),
        ([0, 0, 0, 0, 0], f"a sheet has a row numbered 0, {BELOW_1}"),
        ([2, 3, -1, 4, 5], f"a sheet has a row numbered -1, {BELOW_1}"),
    ],
)
def test_a_workbook_whose_rows_are_out_of_order_repeated_or_below_1_is_refused(numbers, message):
    assert refused(import_bytes(numbered_claims(numbers), "claims.xlsx")) == [(1, message)]


@pytest.mark.parametrize("numbers", [[None] * 5, [2, 3, 5, 8, "9.0"]])
def test_a_workbook_whose_rows_are_unnumbered_or_rise_with_gaps_is_read_whole(numbers):
    report = import_bytes(numbered_claims(numbers), "claims.xlsx")
    assert report.ok and report.rows == 5
    assert sorted(Claim.objects.values_list("best", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("references", [("B2", "A2"), ("A2", "A2")])
def test_a_workbook_row_whose_cells_are_out_of_order_or_repeated_is_refused(references):
    cells = "".join(f'<c r="{reference}" t="inlineStr"><is><t>x</t></is></c>' for reference in references)
    content = handmade([sheet_row(claim_row(), 1), f'<row r="2">{cells}</row>'.encode()])
    assert refused(import_bytes(content, "claims.xlsx")) == [
        (1, "row 2 of a sheet has its cells out of order or repeated, and would not be read whole; save the sheet "
            "again from a spreadsheet program")
    ]  # fmt: skip


# The cells of a row and of a file are bounded in a CSV file and in a workbook, and so is a cell's
# text in a workbook's XML, before the file is read (tests/test_import_memory.py meets the defaults).


def wide_claims(*, empty_cells: int, rows: int = 1) -> dict:
    """The same claims as a CSV file and as a workbook, each row followed by empty cells."""
    columns, values = list(claim_row()), list(claim_row().values())
    csv_line = ",".join(values) + "," * empty_cells
    sheet_line = sheet_row(values).removesuffix(b"</row>") + b"<c/>" * empty_cells + b"</row>"
    return {
        "claims.csv": (",".join(columns) + "\r\n" + (csv_line + "\r\n") * rows).encode(),
        "claims.xlsx": handmade([sheet_row(columns), *[sheet_line] * rows]),
    }


@pytest.mark.parametrize("name", ["claims.csv", "claims.xlsx"])
def test_a_row_of_more_cells_than_the_limit_is_refused(settings, name):
    settings.IMPORT_MAX_ROW_CELLS = 20
    assert import_bytes(wide_claims(empty_cells=19 - 13)[name], name, dry_run=True).ok
    ((line, message),) = refused(import_bytes(wide_claims(empty_cells=20 - 12)[name], name))
    assert message.endswith("has more cells than an import reads in a row (20, IMPORT_MAX_ROW_CELLS)")
    assert (line, message.split(" has ")[0]) == ((2, "the row") if name == "claims.csv" else (1, "row 2 of a sheet"))


@pytest.mark.parametrize("name", ["claims.csv", "claims.xlsx"])
def test_a_file_of_more_cells_than_the_limit_is_refused(settings, name):
    settings.IMPORT_MAX_CELLS = 13 * 4
    assert import_bytes(wide_claims(empty_cells=0, rows=3)[name], name, dry_run=True).ok
    ((_, message),) = refused(import_bytes(wide_claims(empty_cells=0, rows=4)[name], name))
    assert message == (
        "the file has more cells than an import reads (52, IMPORT_MAX_CELLS); split it into smaller files"
    )


def test_a_workbook_cell_far_longer_than_a_cell_may_be_is_refused_before_it_is_read(settings, monkeypatch):
    settings.IMPORT_MAX_CELL_CHARS = 100
    monkeypatch.setattr("tracker.ingest.tables.load_workbook", lambda *args, **kwargs: pytest.fail("read"))
    cells = claim_row(notes="x" * 801).values()
    assert refused(import_bytes(handmade([sheet_row(claim_row(), 1), sheet_row(cells, 2)]), "claims.xlsx")) == [
        (1, "row 2 of a sheet holds a cell far longer than a cell may be (100, IMPORT_MAX_CELL_CHARS)")
    ]


# Sizes, rows, columns and cells within the limits; what is beyond is refused, never dropped.


def test_a_file_larger_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = csv_bytes(five_claims() * 3)
    assert refused(import_bytes(content)) == [
        (1, f"the file is {len(content) / 1e6:.1f} MB, more than an import takes (0.0 MB, IMPORT_MAX_BYTES); "
            "split it into smaller files")
    ]  # fmt: skip


def test_rows_beyond_the_limit_are_refused_not_dropped(settings):
    settings.IMPORT_MAX_ROWS = 4
    assert import_bytes(csv_bytes(five_claims()[:4]), dry_run=True).ok
    assert refused(import_bytes(csv_bytes(five_claims()))) == [
        (6, "the file has more than 4 rows, more than an import takes (IMPORT_MAX_ROWS); split it into smaller files")
    ]


def test_a_header_wider_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_COLUMNS = 10
    assert refused(import_bytes(csv_bytes([claim_row()]))) == [
        (1, "the header has 13 columns, more than an import reads (10, IMPORT_MAX_COLUMNS)")
    ]


def test_a_cell_longer_than_the_limit_is_a_row_error(settings):
    settings.IMPORT_MAX_CELL_CHARS = 100
    assert refused(import_bytes(csv_bytes([claim_row(), claim_row(notes="x" * 101)]))) == [
        (3, "notes holds 101 characters, more than a cell may (100, IMPORT_MAX_CELL_CHARS)")
    ]


@pytest.mark.parametrize(
    ("text", "code"), [("a\x00b", "0000"), ("bell\x07", "0007"), ("\x1b[31m", "001B"), ("form\x0cfeed", "000C")]
)
def test_a_control_character_in_a_field_is_a_row_error(text, code):
    assert refused(import_bytes(csv_bytes([claim_row(), claim_row(category="total", notes=text)]))) == [
        (3, f"notes holds a control character (U+{code}), which no record may hold")
    ]


def test_tabs_and_line_breaks_are_text():
    assert import_bytes(csv_bytes([claim_row(notes="one\ttwo\r\nthree")])).ok


@pytest.mark.parametrize("column", ["best", "low", "latitude"])
def test_a_number_of_thousands_of_digits_is_a_row_error(column):
    fields = {column: "9" * 4301, "longitude": "40"}
    if column == "low":
        fields["qualifier"], fields["best"] = "at_least", ""
    ((line, message),) = refused(import_bytes(csv_bytes([claim_row(**fields)])))
    assert line == 2 and message.startswith(f"{column}") and "9" * 100 not in message


def test_a_count_written_with_a_huge_exponent_is_a_row_error_at_once():
    assert refused(import_bytes(csv_bytes([claim_row(best="1e999999999")]))) == [
        (2, "best '1e999999999' is larger than any death count the tracker can hold")
    ]


def test_a_ged_count_of_thousands_of_digits_is_a_row_error():
    header, row = (FIXTURES / "ged191_syria_2017.csv").read_text().splitlines()[:2]
    columns = header.split(",")
    content = (header + "\n" + row + "\n").encode()
    best = columns.index("best")
    assert import_bytes(content, "ged.csv", format="ucdp-ged", dry_run=True).ok
    cells = next(csv.reader([row]))
    cells[best] = "9" * 4301
    broken = csv_bytes([dict(zip(columns, cells, strict=True))], columns=columns)
    ((line, message),) = refused(import_bytes(broken, "ged.csv", format="ucdp-ged"))
    assert (
        line == 2
        and message.startswith("best '999")
        and message.endswith("larger than any death count the tracker can hold")
    )


# The list of bad rows is cut after the limit, with how many more there are.


def test_the_bad_rows_listed_stop_at_the_limit_and_the_rest_are_counted(settings, tmp_path):
    settings.IMPORT_MAX_ERRORS_LISTED = 3
    path = tmp_path / "claims.csv"
    path.write_bytes(csv_bytes([claim_row(category="children", best=str(number)) for number in range(10)]))

    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^10 bad row"):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert [line.split(":")[1] for line in lines[:3]] == [" line 2", " line 3", " line 4"]
    assert lines[3:] == ["claims.csv: and 7 more bad rows"]


# The admin's import page: every bad file above is a clean message and a 4xx answer.

BAD_UPLOADS = {
    "a NUL in a field": ("claims.csv", csv_bytes([claim_row(notes="a\x00b")]), "holds a control character"),
    "thousands of digits": ("claims.csv", csv_bytes([claim_row(best="9" * 4301)]), "larger than any death count"),
    "malformed XML": (
        "claims.xlsx",
        xlsx_rewritten(xlsx_bytes([list(claim_row())]), {SHEET: lambda xml: xml[:100]}),
        "cannot be read",
    ),
    "entities": (
        "claims.xlsx",
        xlsx_rewritten(xlsx_bytes([list(claim_row())]), {SHEET: lambda xml: ENTITIES + xml}),
        "cannot be read",
    ),
    "not a workbook": ("claims.xlsx", b"PK\x03\x04 garbage", "cannot be read as an .xlsx workbook"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_the_import_page_answers_a_bad_file_with_a_message_and_a_failed_job(editor_client, case):
    name, content, message = BAD_UPLOADS[case]
    response = editor_client.post(URL, {"file": SimpleUploadedFile(name, content), "format": "claims"}, follow=True)
    assert response.context["job"].state == "failed"
    assert message in response.content.decode()
    assert "Import these claims" not in response.content.decode()
    assert stored_counts() == (0,) * 8


def test_the_import_page_refuses_a_file_over_the_size_limit(editor_client, settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = csv_bytes(five_claims() * 3)
    response = editor_client.post(URL, {"file": SimpleUploadedFile("claims.csv", content), "format": "claims"})
    assert response.status_code == 400
    assert "more than an import takes (0.0 MB); split it into smaller files" in response.content.decode()
    assert "report" not in response.context


def test_the_import_page_lists_the_first_bad_rows_and_how_many_more(editor_client, settings):
    settings.IMPORT_MAX_ERRORS_LISTED = 2
    content = csv_bytes([claim_row(category="children", best=str(number)) for number in range(50)])
    response = editor_client.post(
        URL, {"file": SimpleUploadedFile("claims.csv", content), "format": "claims"}, follow=True
    )
    page = response.content.decode()
    assert response.context["job"].state == "failed"
    assert "50 bad rows: nothing will be imported" in page
    assert page.count("category &#x27;children&#x27;") == 2 and "And 48 more bad rows." in page
