"""Dates of claims and sources stated to the month or the year: read, stored as the first day, written back and
shown as stated."""

import io
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from tests.factories import make_claim, make_event, make_party, make_source
from tests.helpers import claim_row, claims_exported, csv_bytes, import_bytes
from tracker.exports.claims import claim_rows, claims_export, claims_write
from tracker.exports.discrepancies import discrepancy_records
from tracker.models import Claim, Source
from tracker.rules.dates import stated_date, stated_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("2017-09-08", date(2017, 9, 8), "day"),
        ("2017-09", date(2017, 9, 1), "month"),
        ("2017", date(2017, 1, 1), "year"),
    ],
)
def test_a_date_reads_as_its_first_day_and_writes_back_as_stated(text, day, precision):
    assert stated_date(text) == (day, precision)
    assert stated_text(day, precision) == text


@pytest.mark.parametrize("text", ["2017-13", "2017-9", "17", "2018-02-30", "September 2017", "2017-09-"])
def test_what_is_no_day_month_or_year_is_not_read(text):
    assert stated_date(text) is None


def month_and_year_file() -> bytes:
    return csv_bytes(
        [
            claim_row(claimed_on="2017-09", source_date="2016"),
            claim_row(party="Ministry", party_kind="government", claimed_on="2017", source_title="Statement",
                      source_date="2017-09-08"),
        ]
    )  # fmt: skip


def test_a_claim_dated_to_the_month_and_a_source_to_the_year_import_and_export_as_stated():
    report = import_bytes(month_and_year_file())
    assert report.ok, report.errors

    monitor = Claim.objects.get(party__name="Raqqa Monitor")
    assert (monitor.claimed_on, monitor.claimed_on_precision) == (date(2017, 9, 1), "month")
    assert (monitor.source.published_on, monitor.source.published_on_precision) == (date(2016, 1, 1), "year")
    ministry = Claim.objects.get(party__name="Ministry")
    assert (ministry.claimed_on, ministry.claimed_on_precision) == (date(2017, 1, 1), "year")
    assert ministry.source.published_on_precision == "day"

    rows = {row["party"]: row for row in claim_rows()}
    assert (rows["Raqqa Monitor"]["claimed_on"], rows["Raqqa Monitor"]["source_date"]) == ("2017-09", "2016")
    assert (rows["Ministry"]["claimed_on"], rows["Ministry"]["source_date"]) == ("2017", "2017-09-08")

    exported = claims_exported()
    again = import_bytes(exported.encode())
    assert again.ok and again.created["claims"] == 0 and again.unchanged == 2
    assert claims_exported() == exported


def test_a_workbook_keeps_a_month_as_written_and_a_day_as_a_date():
    import_bytes(month_and_year_file())
    stream = io.BytesIO()
    claims_write(claim_rows(), format="xlsx", stream=stream)
    for model in (Claim, Source):
        model.objects.all().delete()
    report = import_bytes(stream.getvalue(), name="claims.xlsx")
    assert report.ok, report.errors
    assert sorted(Claim.objects.values_list("claimed_on_precision", flat=True)) == ["month", "year"]


def test_a_date_that_is_no_day_month_or_year_is_the_rows_error_with_its_line():
    report = import_bytes(csv_bytes([claim_row(), claim_row(party="Ministry", claimed_on="2017-13")]))
    assert not report.ok
    assert [(note.line, note.message) for note in report.errors] == [
        (3, "claimed_on '2017-13' is not a date as YYYY-MM-DD, YYYY-MM or YYYY")
    ]


def test_the_database_stores_a_month_only_as_its_first_day():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_claim(claimed_on=date(2017, 9, 8), claimed_on_precision="month")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(published_on=date(2017, 9, 1), published_on_precision="year")
    make_claim(claimed_on=date(2017, 9, 1), claimed_on_precision="month")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL writes the CSV itself")
def test_postgresql_writes_months_and_years_as_python_writes_them():
    import_bytes(month_and_year_file())
    copied, written = io.StringIO(), io.StringIO()
    claims_export(Claim.objects.all(), format="csv", stream=copied)
    claims_write(claim_rows(), format="csv", stream=written)
    assert copied.getvalue() == written.getvalue()
    assert ",2017-09," in copied.getvalue()


def test_staff_enter_a_claim_made_in_a_month(editor_client):
    event, party, source = make_event(), make_party(), make_source()
    data = {
        "event": event.pk, "party": party.pk, "category": "civilian", "claimed_on": "2017-09-12",
        "claimed_on_precision": "month", "source": source.pk, "wording": "12 killed", "qualifier": "",
    }  # fmt: skip
    page = editor_client.get(reverse("admin:tracker_claim_add")).content.decode()
    assert 'name="claimed_on_precision"' in page
    editor_client.post(reverse("admin:tracker_claim_add"), data, follow=True)
    claim = Claim.objects.get()
    assert (claim.claimed_on, claim.claimed_on_precision) == (date(2017, 9, 1), "month")


@pytest.mark.parametrize(("language", "shown"), [("en", "September 2017"), ("ar", "سبتمبر 2017")])
def test_a_claim_made_in_a_month_shows_its_month_in_the_pages_language(reader, language, shown):
    source = make_source(published_on=date(2016, 1, 1), published_on_precision="year")
    claim = make_claim(claimed_on=date(2017, 9, 1), claimed_on_precision="month", source=source)
    reader.cookies["django_language"] = language
    page = reader.get(reverse("event_detail", args=[claim.event.ref])).content.decode()
    assert f'<time datetime="2017-09">{shown}</time>' in page
    assert '<time datetime="2016">2016</time>' in page


def test_the_discrepancies_json_gives_a_claims_month_as_stated():
    make_claim(claimed_on=date(2017, 9, 1), claimed_on_precision="month")
    (record,) = discrepancy_records()
    assert [claim["claimed_on"] for group in record["groups"] for claim in group["claims"]] == ["2017-09"]


def test_a_claim_named_again_by_its_first_day_is_the_same_claim_and_keeps_its_month():
    import_bytes(month_and_year_file())
    report = import_bytes(csv_bytes([claim_row(claimed_on="2017-09-01", source_date="2016")]))
    assert report.ok and report.unchanged == 1 and report.created["claims"] == 0
    assert Claim.objects.get(party__name="Raqqa Monitor").claimed_on_precision == "month"
