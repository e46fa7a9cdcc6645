"""Imports ask the admin's permissions: adding needs add, changing a stored record needs change.

A user who may only add can import new claims, and files that restate what is stored, but
cannot retract, reword or annotate claims others entered, nor hide a public source, by importing.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts import READER_PERMISSIONS, make_user
from tests.helpers import claim_row, csv_bytes
from tracker.ingest import importer
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, Party, Source

pytestmark = pytest.mark.django_db
ADD_PERMISSIONS = ["add_event", "add_party", "add_source", "add_claim"]


def import_csv(rows, **options):
    return file_import(file=io.BytesIO(csv_bytes(rows)), name="claims.csv", **options)


def everything_stored():
    """What an import could have touched, as values, history included."""
    return (
        sorted(Claim.objects.values_list("pk", "retracted", "wording", "notes")),
        sorted(Source.objects.values_list("pk", "confidential")),
        *(model.objects.count() for model in (Event, Party, Source, Claim)),
        *(model.history.count() for model in (Event, Party, Source, Claim)),
    )


@pytest.fixture
def adder(db):
    """A staff member who may add records but not change them."""
    return make_user("adder", *READER_PERMISSIONS, *ADD_PERMISSIONS, is_staff=True)


@pytest.fixture
def stored():
    """One claim on a public source, imported by an operator."""
    assert import_csv([claim_row(source_url="https://example.org/a")]).ok


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"retracted": "true"}, "the claim is stored already; changing its retracted needs the permission "
                                "tracker.change_claim"),
        ({"notes": "rewritten"}, "the claim is stored already; changing its notes needs the permission "
                                 "tracker.change_claim"),
        ({"wording": "twelve", "notes": "x"}, "the claim is stored already; changing its wording, notes needs the "
                                              "permission tracker.change_claim"),
        ({"source_confidential": "true"}, "source_confidential: marking the stored source confidential needs the "
                                          "permission tracker.change_source"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_user_who_may_only_add_cannot_change_stored_records_by_importing(stored, adder, change, message, dry_run):
    before = everything_stored()
    rows = [claim_row(category="total"), claim_row(source_url="https://example.org/a", **change)]

    report = import_csv(rows, user=adder, dry_run=dry_run)

    assert [(note.line, note.message) for note in report.errors] == [(3, message)]
    assert everything_stored() == before


def test_a_user_who_may_change_imports_the_same_changes(stored, editor):
    rows = [claim_row(source_url="https://example.org/a", retracted="true", notes="withdrawn",
                      source_confidential="true")]  # fmt: skip
    report = import_csv(rows, user=editor)
    assert report.ok and report.updated == 1
    claim = Claim.objects.select_related("source").get()
    assert (claim.retracted, claim.notes, claim.source.confidential) == (True, "withdrawn", True)


def test_the_command_without_a_user_may_change_everything(stored):
    report = import_csv([claim_row(source_url="https://example.org/a", retracted="true", source_confidential="true")])
    assert report.ok and report.updated == 1


def test_restating_what_is_stored_needs_no_permission_to_change(stored, adder):
    report = import_csv([claim_row(source_url="https://example.org/a"), claim_row(category="total")], user=adder)
    assert report.ok and (report.unchanged, report.created["claims"]) == (1, 1)


def test_a_source_the_import_itself_makes_may_be_hidden_by_a_later_row(adder, monkeypatch):
    # One line a chunk, so that the new source is written before the row that hides it.
    monkeypatch.setattr(importer, "LOOK_AHEAD", 1)
    rows = [claim_row(source_url="https://example.org/b"),
            claim_row(category="total", source_url="https://example.org/b", source_confidential="true")]  # fmt: skip
    report = import_csv(rows, user=adder)
    assert report.ok, report.errors
    assert Source.objects.get().confidential


def test_adding_needs_the_permission_to_add_each_new_record(db):
    claims_only = make_user("claims-only", *READER_PERMISSIONS, "add_claim", is_staff=True)
    report = import_csv([claim_row()], user=claims_only, dry_run=True)
    assert [(note.line, note.message) for note in report.errors] == [
        (2, "adding a new event needs the permission tracker.add_event; adding a new party needs the permission "
            "tracker.add_party; adding a new source needs the permission tracker.add_source")
    ]  # fmt: skip
    assert import_csv([claim_row()]).ok
    nothing_to_add = make_user("nothing-to-add", *READER_PERMISSIONS, "add_event", is_staff=True)
    report = import_csv([claim_row(category="total")], user=nothing_to_add)
    assert [note.message for note in report.errors] == ["adding a new claim needs the permission tracker.add_claim"]


def test_the_admin_preview_names_the_permission_and_offers_no_import(stored, adder, client):
    client.force_login(adder)
    content = csv_bytes([claim_row(source_url="https://example.org/a", retracted="true")])
    response = client.post("/admin/tracker/claim/import/", {"file": SimpleUploadedFile("c.csv", content),
                                                            "format": "claims"}, follow=True)  # fmt: skip
    page = response.content.decode()
    assert "changing its retracted needs the permission tracker.change_claim" in page
    assert "Import these claims" not in page
    assert not Claim.objects.get().retracted
