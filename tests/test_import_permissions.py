"""Imports ask the admin's permissions: adding needs add, changing a stored record needs change.

A user who may only add can import new claims, and files that restate what is stored, but
cannot retract, reword or annotate claims others entered by importing. Naming a confidential source
needs the permission to see one.
"""

import io

import pytest
from django.contrib.auth.models import Permission
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
    rows = [claim_row(source_url="https://example.org/a", retracted="true", notes="withdrawn")]
    report = import_csv(rows, user=editor)
    assert report.ok and report.updated == 1
    claim = Claim.objects.get()
    assert (claim.retracted, claim.notes) == (True, "withdrawn")


def test_the_command_without_a_user_may_change_everything(stored):
    report = import_csv([claim_row(source_url="https://example.org/a", retracted="true", notes="withdrawn")])
    assert report.ok and report.updated == 1


def test_restating_what_is_stored_needs_no_permission_to_change(stored, adder):
    report = import_csv([claim_row(source_url="https://example.org/a"), claim_row(category="total")], user=adder)
    assert report.ok and (report.unchanged, report.created["claims"]) == (1, 1)


@pytest.mark.parametrize("dry_run", [True, False])
def test_only_who_may_see_confidential_sources_may_name_one(stored, adder, editor, dry_run):
    before = everything_stored()
    rows = [claim_row(category="total"), claim_row(source_title="Informant", source_confidential="true")]

    for user in (adder, editor):
        report = import_csv(rows, user=user, dry_run=dry_run)
        assert [(note.line, note.message) for note in report.errors] == [
            (3, "source_confidential: naming a confidential source needs the permission "
                "tracker.view_confidential_source"),
        ]  # fmt: skip
        assert everything_stored() == before

    editor.user_permissions.add(Permission.objects.get(codename="view_confidential_source"))
    editor = type(editor).objects.get(pk=editor.pk)  # its permissions read afresh
    assert import_csv(rows, user=editor, dry_run=dry_run).ok


def test_a_later_row_marking_a_source_confidential_names_another_source(monkeypatch):
    # One line a chunk, so that the public source is written before the row that names the other.
    monkeypatch.setattr(importer, "LOOK_AHEAD", 1)
    rows = [claim_row(source_url="https://example.org/b"),
            claim_row(category="total", source_url="https://example.org/b", source_confidential="true"),
            claim_row(category="combatant", source_url="https://example.org/b")]  # fmt: skip
    report = import_csv(rows)
    assert report.ok, report.errors
    assert [note.line for note in report.warnings] == [3]
    assert sorted(Source.objects.values_list("confidential", "claims__category")) == [
        (False, "civilian"), (False, "combatant"), (True, "total"),
    ]  # fmt: skip


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


def test_giving_a_stored_source_a_relay_needs_the_permission_to_change_sources(stored, adder, editor):
    tass = Source.objects.create(title="TASS", url="https://tass.example/1")
    relayed = claim_row(source_url="https://example.org/a", source_relays="https://tass.example/1")
    before = everything_stored()

    report = import_csv([relayed], user=adder)

    assert [note.message for note in report.errors] == [
        "source_relays: giving the stored source 'https://example.org/a' a relay needs the permission "
        "tracker.change_source"
    ]
    assert everything_stored() == before
    assert import_csv([relayed], user=editor).ok
    assert Source.objects.get(url="https://example.org/a").relays == tass
