"""Real datasets' references, and the origin of every record: where it came from and its identifier there."""

import csv
import importlib
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_claim, make_event, make_party
from tests.helpers import FIXTURES, claim_row, csv_bytes, import_bytes
from tracker.filters import EventFilter
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event

pytestmark = pytest.mark.django_db

# As real datasets write them: an Airwars joint incident, a path-like code, an Arabic name.
REAL_REFS = ["CS134 RS0021", "a/b#c", "حلب-1", "GED-1.json", "50% off?x=1"]


@pytest.mark.parametrize("ref", REAL_REFS)
def test_a_reference_as_a_dataset_writes_it_is_accepted_and_its_page_link_and_api_work(reader, ref):
    event = make_event(ref=ref, title="Strike")
    event.full_clean()

    page = reader.get(reverse("event_detail", args=[ref]))
    assert page.status_code == 200 and page.context["event"] == event
    listing = reader.get(reverse("event_list"))
    assert reverse("event_detail", args=[ref]) in listing.content.decode()
    answer = reader.get(reverse("event-detail", args=[ref]))
    assert answer.status_code == 200 and answer.json()["ref"] == ref


def test_a_reference_with_a_slash_does_not_shadow_another_event(reader):
    make_event(ref="a")
    nested = make_event(ref="a/b")

    assert reader.get(reverse("event_detail", args=["a/b"])).context["event"] == nested
    assert reader.get("/events/a/b/").context["event"] == nested


@pytest.mark.parametrize(
    "ref, message",
    [("bad\x07ref", "control characters"), (" padded", "begin or end with a space"), ("x" * 201, "at most 200")],
)
def test_a_reference_with_control_characters_or_padding_is_refused(ref, message):
    with pytest.raises(ValidationError, match=message):
        Event(ref=ref, title="t", start_date=date(2018, 1, 1), location_name="x", country="SY").full_clean()


# Refs a browser would resolve as "." or ".." path segments: /events/../../admin/ is /admin/.
PATH_SEGMENT_REFS = [".", "..", "../../admin", "a/../b", "a/./b", "a/..", "./a"]
DOT_SEGMENT = "cannot be “.” or “..”"


@pytest.mark.parametrize("ref", PATH_SEGMENT_REFS)
def test_a_reference_a_link_would_resolve_elsewhere_is_refused(ref):
    with pytest.raises(ValidationError, match=DOT_SEGMENT):
        Event(ref=ref, title="t", start_date=date(2018, 1, 1), location_name="x", country="SY").full_clean()


@pytest.mark.parametrize("ref", ["...", "a..b", "..a", "a/.b", "GED-1.json", "v1.2/x"])
def test_dots_that_are_not_a_whole_segment_are_a_reference_like_any_other(ref):
    Event(ref=ref, title="t", start_date=date(2018, 1, 1), location_name="x", country="SY").full_clean()


def test_the_event_page_refuses_a_reference_a_link_would_resolve_elsewhere(editor_client):
    data = {
        "ref": "../../admin", "title": "Strike", "event_type": "airstrike", "start_date": "2018-01-01",
        "date_precision": "day", "location_name": "Raqqa", "country": "SY",
        "claims-TOTAL_FORMS": "0", "claims-INITIAL_FORMS": "0", "groups-TOTAL_FORMS": "0", "groups-INITIAL_FORMS": "0",
        "assessments-TOTAL_FORMS": "0", "assessments-INITIAL_FORMS": "0",
        "fate_claims-TOTAL_FORMS": "0", "fate_claims-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = editor_client.post(reverse("admin:tracker_event_add"), data)
    assert response.status_code == 200 and DOT_SEGMENT in response.content.decode()
    assert not Event.objects.exists()


def test_an_import_names_each_line_whose_reference_a_link_would_resolve_elsewhere():
    rows = [claim_row(event_ref=ref) for ref in ["..", "../../admin", "a/../b", "a/b#c"]]

    report = import_bytes(csv_bytes(rows))

    assert [(error.line, DOT_SEGMENT in error.message, "event_ref" in error.message) for error in report.errors] == [
        (2, True, True), (3, True, True), (4, True, True),
    ]  # fmt: skip
    assert not Event.objects.exists()


def test_an_airwars_incident_whose_code_a_link_would_resolve_elsewhere_is_its_lines_error(tmp_path):
    with (Path(__file__).parent / "data" / "airwars_excerpt.csv").open(newline="", encoding="utf-8") as stream:
        header, first, *rest = list(csv.reader(stream))
    first[header.index("incident_code")] = "../../admin"
    path = tmp_path / "airwars.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, first, *rest])

    with path.open("rb") as stream:
        report = file_import(file=stream, name=path.name, format="airwars", dry_run=True)

    assert [error.line for error in report.errors] == [2]
    assert DOT_SEGMENT in next(iter(report.errors)).message


def test_a_claims_file_imports_references_as_real_datasets_write_them():
    rows = [claim_row(event_ref=ref, source_title=f"Report {number}") for number, ref in enumerate(REAL_REFS)]

    report = import_bytes(csv_bytes(rows))

    assert report.ok, list(report.errors)
    assert set(Event.objects.values_list("ref", flat=True)) == set(REAL_REFS)


def test_a_control_character_in_a_reference_is_a_row_error_not_a_crash():
    report = import_bytes(csv_bytes([claim_row(event_ref="A\x00B"), claim_row(event_ref="C\tD")]))

    assert not report.ok
    assert [error.line for error in report.errors] == [2, 3]
    assert Event.objects.count() == 0


def test_a_place_described_in_a_sentence_is_kept_whole():
    place = "village of Khirab Ashk in the Kobani countryside, " * 5  # 250 characters, as Airwars writes some

    report = import_bytes(csv_bytes([claim_row(location=place.strip())]))

    assert report.ok, list(report.errors)
    assert Event.objects.get().location_name == place.strip()


def test_an_event_and_claim_entered_by_hand_are_so_marked():
    claim = make_claim()

    assert (claim.event.origin, claim.event.origin_id, claim.origin) == ("manual", "", "manual")


def test_a_claims_file_marks_its_events_and_claims():
    import_bytes(csv_bytes([claim_row()]))

    assert Event.objects.get().origin == "claims_file"
    assert Claim.objects.get().origin == "claims_file"


def test_a_ged_import_marks_its_events_and_claims_with_the_ged_id():
    with (FIXTURES / "ged191_syria_2017.csv").open("rb") as stream:
        assert file_import(file=stream, name="ged.csv", format="ucdp-ged").ok

    event = Event.objects.get(ref="GED-241714")
    assert (event.origin, event.origin_id) == ("ucdp_ged", "241714")
    assert {(claim.origin, claim.origin_id) for claim in event.claims.all()} == {("ucdp_ged", "241714")}


def test_a_re_import_lands_on_the_event_of_the_same_identifier_whatever_its_ref_became():
    with (FIXTURES / "ged191_syria_2017.csv").open("rb") as stream:
        assert file_import(file=stream, name="ged.csv", format="ucdp-ged").ok
    Event.objects.filter(ref="GED-241714").update(ref="Deir ez-Zor, 14 January 2017")
    events, claims = Event.objects.count(), Claim.objects.count()

    with (FIXTURES / "ged191_syria_2017.csv").open("rb") as stream:
        report = file_import(file=stream, name="ged.csv", format="ucdp-ged")

    assert report.ok and report.created["events"] == 0 and report.created["claims"] == 0
    assert (Event.objects.count(), Claim.objects.count()) == (events, claims)


def test_the_event_list_filters_by_origin_and_finds_an_identifier():
    by_hand = make_event()
    imported = make_event(origin="ucdp_ged", origin_id="241714")

    assert list(EventFilter({"origin": "ucdp_ged"}, Event.objects.all()).qs) == [imported]
    assert list(EventFilter({"origin": "manual"}, Event.objects.all()).qs) == [by_hand]
    assert list(EventFilter({"q": "241714"}, Event.objects.all()).qs) == [imported]


def test_the_event_page_shows_the_origin_and_identifier(reader):
    event = make_event(origin="airwars", origin_id="454483")

    page = reader.get(reverse("event_detail", args=[event.ref])).content.decode()

    assert "Airwars" in page and "454483" in page


def test_an_identifier_is_unique_within_its_dataset_only():
    make_event(origin="airwars", origin_id="1")
    make_event(origin="acled", origin_id="1")
    make_event(origin="manual")
    make_event(origin="manual")

    with pytest.raises(ValidationError, match="identifier in this dataset"):
        Event(
            ref="other", title="t", start_date=date(2018, 1, 1), location_name="x", country="SY",
            origin="airwars", origin_id="1",
        ).validate_constraints()  # fmt: skip


def test_the_migration_gives_stored_records_the_origin_their_traces_tell():
    migration = importlib.import_module("tracker.migrations.0010_references_and_origin")
    ged_party = make_party(name="UCDP GED")
    ged = make_event(ref="GED-241714")
    ged_claim = make_claim(event=ged, party=ged_party)
    staff_claim_on_ged = make_claim(event=ged)
    import_bytes(csv_bytes([claim_row(event_ref="FILE-1")]), reason="import of claims.csv")
    by_hand = make_claim()
    Event.objects.update(origin="manual", origin_id="")
    Claim.objects.update(origin="manual", origin_id="")

    migration.origins_infer(apps, None)

    ged.refresh_from_db()
    assert (ged.origin, ged.origin_id) == ("ucdp_ged", "241714")
    assert Claim.objects.get(pk=ged_claim.pk).origin_id == "241714"
    assert Claim.objects.get(pk=staff_claim_on_ged.pk).origin == "manual"
    assert Event.objects.get(ref="FILE-1").origin == "claims_file"
    assert Claim.objects.get(event__ref="FILE-1").origin == "claims_file"
    assert (by_hand.event.origin, Claim.objects.get(pk=by_hand.pk).origin) == ("manual", "manual")
