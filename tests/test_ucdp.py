"""Importing the UCDP Georeferenced Event Dataset (GED 19.1 and 23.1 headers) through the claims importer."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from tests.helpers import FIXTURES, csv_bytes
from tracker.ingest.formats.ucdp_ged import country_code
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, Party, Source

pytestmark = pytest.mark.django_db


def ged_import(path=FIXTURES / "ged191_syria_2017.csv", **options):
    with path.open("rb") as stream:
        return file_import(file=stream, name=path.name, format="ucdp-ged", **options)


def counts_of(event: Event) -> dict:
    return {
        (claim.category, claim.victim_side.name if claim.victim_side else None): (
            claim.qualifier, claim.low, claim.best, claim.high,
        )
        for claim in event.claims.select_related("victim_side")
    }  # fmt: skip


def test_ged_191_row_becomes_an_event_with_the_claims_of_ucdp():
    report = ged_import()

    assert report.ok, report.errors
    event = Event.objects.get(ref="GED-241714")
    assert (event.country.code, event.start_date, event.date_precision, event.event_type) == (
        "SY", date(2017, 1, 14), "day", "other",
    )  # fmt: skip
    assert event.latitude is not None and event.location_name
    assert "Conflict: Syria: Government (state-based conflict)." in event.description
    assert counts_of(event) == {
        ("total", None): ("range", 1, 2, 2),
        ("combatant", "Government of Syria"): ("exact", None, 1, None),
        ("combatant", "Syrian insurgents"): ("exact", None, 1, None),
    }
    assert {claim.party.name for claim in event.claims.all()} == {"UCDP GED"}
    assert Party.objects.get(name="UCDP GED").kind == "monitor"
    assert Party.objects.get(name="Government of Syria").kind == "government"
    assert Party.objects.get(name="Syrian insurgents").kind == "armed_group"
    assert event.claims.first().claimed_on == date(2017, 1, 14)  # the event's date_end


def test_one_sided_violence_and_unknown_deaths_map_to_their_categories():
    ged_import()

    one_sided = Event.objects.get(ref="GED-255112")
    assert one_sided.event_type == "other"
    assert counts_of(one_sided) == {
        ("total", None): ("exact", None, 97, None),
        ("civilian", None): ("exact", None, 97, None),
    }
    unknown = Event.objects.get(ref="GED-245191")
    assert counts_of(unknown)[("unknown", None)] == ("exact", None, 38, None)
    assert unknown.date_precision == "month"


def test_best_outside_low_high_is_imported_widened_and_warned():
    report = ged_import()

    warned = {note.line: note.message for note in report.warnings}
    assert set(warned) == {5, 6}
    assert "low 2, best 2, high 1 are out of order; imported as the range 1–2" in warned[5]
    assert counts_of(Event.objects.get(ref="GED-255082"))[("total", None)] == ("range", 1, 2, 2)
    assert counts_of(Event.objects.get(ref="GED-255083"))[("total", None)] == ("range", 1, 1, 2)
    assert "out of order" in Claim.objects.get(event__ref="GED-255083", category="total").notes


def test_several_sources_of_a_row_become_one_source():
    ged_import()

    source = Claim.objects.filter(event__ref="GED-234828").first().source
    assert "; " in source.publisher
    assert source.published_on is not None
    assert source.title and source.excerpt.startswith('"')


def test_headlines_and_offices_longer_than_a_title_are_kept_whole_in_the_excerpt(tmp_path):
    rows = list(csv.DictReader(io.StringIO((FIXTURES / "ged191_syria_2017.csv").read_text(encoding="utf-8"))))
    headlines = ";".join(f"Headline number {number} of a long day of reporting" for number in range(20))
    offices = ";".join(f"News office {number}" for number in range(20))
    rows[0].update(source_headline=headlines, source_office=offices)
    path = tmp_path / "ged.csv"
    path.write_bytes(csv_bytes(rows))

    assert ged_import(path).ok
    source = Claim.objects.filter(event__ref=f"GED-{rows[0]['id']}").first().source
    assert len(source.title) == 500 and source.title.endswith("…")
    assert f"Headlines: {'; '.join(headlines.split(';'))}" in source.excerpt
    assert f"Offices: {'; '.join(offices.split(';'))}" in source.excerpt


def test_ged_231_header_with_country_names_ucdp_spells_its_own_way():
    report = ged_import(FIXTURES / "ged231_sample.csv")

    assert report.ok, report.errors
    assert {event.ref: event.country.code for event in Event.objects.all()} == {
        "GED-300380": "SY", "GED-21300": "AO", "GED-239436": "CD", "GED-42721": "CI",
        "GED-285578": "SY", "GED-236880": "AF",
    }  # fmt: skip
    assert [note.line for note in report.warnings] == [7]
    long_side = Party.objects.get(name__startswith="al-Qa'qa Brigade")
    assert len(long_side.name) == 238
    # A row without headline takes its title from the article line.
    assert Claim.objects.filter(event__ref="GED-21300").first().source.title.startswith("Reuters 1989-05-17")


def test_importing_ged_again_changes_nothing():
    ged_import()
    counts = (Event.objects.count(), Source.objects.count(), Party.objects.count(), Claim.objects.count())
    history = Claim.history.count() + Event.history.count() + Source.history.count()

    report = ged_import()

    assert report.ok and sum(report.created.values()) == 0 and report.updated == 0
    assert report.unchanged == Claim.objects.count()
    assert (Event.objects.count(), Source.objects.count(), Party.objects.count(), Claim.objects.count()) == counts
    assert Claim.history.count() + Event.history.count() + Source.history.count() == history


def test_unknown_country_is_a_row_error_and_nothing_is_stored():
    rows = list(csv_rows(FIXTURES / "ged191_syria_2017.csv"))
    rows[2]["country"] = "Atlantis"
    report = file_import(file=io.BytesIO(csv_bytes(rows)), name="ged.csv", format="ucdp-ged")

    assert [(note.line, note.message) for note in report.errors] == [
        (4, "country 'Atlantis' cannot be matched to an ISO 3166 code")
    ]
    assert not Event.objects.exists()


def test_bad_death_count_is_a_row_error():
    rows = list(csv_rows(FIXTURES / "ged191_syria_2017.csv"))
    rows[0]["deaths_a"] = "two"
    report = file_import(file=io.BytesIO(csv_bytes(rows)), name="ged.csv", format="ucdp-ged")

    assert [note.line for note in report.errors] == [2]
    assert "deaths_a 'two' is not a whole number" in report.errors[0].message


def test_a_claims_file_given_as_ged_is_refused_on_line_1():
    report = file_import(file=io.BytesIO(b"event_ref,party\nX,Y\n"), name="claims.csv", format="ucdp-ged")
    assert [note.line for note in report.errors] == [1]
    assert report.errors[0].message.startswith("not a UCDP GED file: missing column(s) id, type_of_violence")


def test_command_imports_ged_and_prints_the_warnings(tmp_path):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "import_claims", str(FIXTURES / "ged191_syria_2017.csv"), "--format", "ucdp-ged", stdout=stdout, stderr=stderr
    )
    assert "Imported ged191_syria_2017.csv: 6 rows: new 6 events" in stdout.getvalue()
    assert "line 5: UCDP's low 2, best 2, high 1 are out of order" in stderr.getvalue()


@pytest.mark.parametrize(
    ("name", "code"),
    [("Syria", "SY"), ("Russia (Soviet Union)", "RU"), ("Yemen (North Yemen)", "YE"), ("Bosnia-Herzegovina", "BA"),
     ("Kingdom of eSwatini (Swaziland)", "SZ"), ("Macedonia, FYR", "MK"), ("Atlantis", None)],
)  # fmt: skip
def test_country_names(name, code):
    assert country_code(name) == code


def csv_rows(path):
    with path.open(encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def test_no_ged_event_is_given_a_type_that_ged_does_not_state():
    # Once, 840 of the 1,000 sample events became "ground clash", bombings by warplanes among them.
    for path in (FIXTURES / "ged231_sample.csv", FIXTURES / "ged191_syria_2017.csv"):
        report = ged_import(path)
        assert report.ok, report.errors
    assert set(Event.objects.values_list("event_type", flat=True)) == {"other"}
    airstrikes = Event.objects.filter(claims__source__title__icontains="airstrike").distinct()
    assert airstrikes.exists() and not airstrikes.filter(event_type="ground_clash").exists()
