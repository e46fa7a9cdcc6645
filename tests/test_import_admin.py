"""The admin's Import claims page: upload, a dry-run preview with every bad row, then confirm."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.factories import make_source
from tests.helpers import FIXTURES, claim_row, csv_bytes, xlsx_bytes
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, ImportJob

pytestmark = pytest.mark.django_db
URL = "/admin/tracker/claim/import/"


def job_url(job) -> str:
    return reverse("admin:tracker_claim_import_job", kwargs={"job_id": job.pk})


def upload(client, content: bytes, name: str = "claims.csv", format: str = "claims"):
    """Upload a file and follow to its job's page (the worker has run: tests run tasks at once)."""
    return client.post(URL, {"file": SimpleUploadedFile(name, content), "format": format}, follow=True)


def test_claim_list_links_to_the_import_page(editor_client):
    assert URL in editor_client.get(reverse("admin:tracker_claim_changelist")).content.decode()


def test_preview_stores_nothing_then_confirm_imports(editor_client, editor):
    response = upload(editor_client, csv_bytes([claim_row(), claim_row(category="total", best="20")]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview (nothing stored yet)" in page and "Import these claims" in page
    assert response.context["report"].created["claims"] == 2
    assert not Claim.objects.exists()
    job = response.context["job"]
    assert job.state == ImportJob.State.PREVIEWED and job.uploaded_by == editor

    response = editor_client.post(job_url(job), {"confirm": "1"}, follow=True)

    assert "Imported claims.csv: 2 rows" in response.content.decode()
    assert Claim.objects.count() == 2
    assert Claim.history.first().history_user == editor
    assert Claim.history.first().history_change_reason.startswith("import of claims.csv in the admin (import job ")
    # The same preview cannot be imported twice.
    again = editor_client.post(job_url(job), {"confirm": "1"}, follow=True)
    assert "already imported, or cannot be" in again.content.decode()
    assert Claim.objects.count() == 2


def test_bad_rows_are_listed_with_line_numbers_and_cannot_be_confirmed(editor_client):
    rows = [
        claim_row(),
        claim_row(qualifier="", best="", wording="several"),
        claim_row(event_ref="NEW-1", country="Syria"),
    ]
    response = upload(editor_client, csv_bytes(rows))

    page = response.content.decode()
    assert "2 bad rows: nothing will be imported" in page
    assert [note.line for note in response.context["report"].errors] == [3, 4]
    assert "wording: The count cannot be read from “several”." in page
    assert "Import these claims" not in page
    assert not Event.objects.exists()


def test_xlsx_and_ged_files_are_accepted(editor_client):
    row = claim_row()
    response = upload(editor_client, xlsx_bytes([list(row), list(row.values())]), "claims.xlsx")
    assert response.context["report"].ok

    response = upload(editor_client, (FIXTURES / "ged191_syria_2017.csv").read_bytes(), "ged.csv", "ucdp-ged")
    report = response.context["report"]
    assert report.ok and report.created["events"] == 6
    assert "Warnings (imported all the same)" in response.content.decode()


def test_other_file_types_are_refused_by_the_form(editor_client):
    response = upload(editor_client, b"{}", "claims.json")
    assert "report" not in response.context and response.context["form"].errors["file"]


def test_staff_without_the_add_permissions_are_refused(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert client.get(URL).status_code == 403


def test_the_preview_does_not_tell_whether_a_confidential_source_exists(editor_client):
    make_source(title="Informant", url="https://secret.example/a", confidential=True)
    known = upload(editor_client, csv_bytes([claim_row(source_url="https://secret.example/a")]))
    unknown = upload(editor_client, csv_bytes([claim_row(source_url="https://guess.example/b")]))
    for response in (known, unknown):
        report = response.context["report"]
        assert (report.created["sources"], report.reused["sources"]) == (1, 0)


def test_the_preview_counts_in_any_language(editor_client):
    editor_client.cookies["django_language"] = "ar"
    # The request leaves its language active in the test's thread; later tests expect their own.
    with translation.override(translation.get_language()):
        response = upload(editor_client, csv_bytes([claim_row()]))
    report = response.context["report"]
    assert (report.created["events"], report.created["claims"]) == (1, 1)
    assert 'dir="rtl"' in response.content.decode()


def test_a_semicolon_separated_file_is_previewed_and_imported(editor_client):
    content = csv_bytes([claim_row(), claim_row(category="total", best="20")]).replace(b",", b";")

    response = upload(editor_client, content)

    assert response.status_code == 200
    assert response.context["report"].created["claims"] == 2
    assert "missing required column" not in response.content.decode()


def test_the_preview_shows_the_first_new_and_changed_claims_to_check_the_mapping(editor_client, editor):
    file_import(file=io.BytesIO(csv_bytes([claim_row(best="7")])), name="first.csv", user=editor)
    rows = [claim_row(best="7", retracted="true")] + [
        claim_row(event_ref=f"SYR-NEW-{number}", best=str(number), wording=f"{number} killed") for number in range(8)
    ]

    response = upload(editor_client, csv_bytes(rows))

    page = response.content.decode()
    new = response.context["samples"]["new"]
    assert [(sample["line"], sample["event"], sample["count"]) for sample in new] == [
        (line, f"SYR-NEW-{line - 3}", str(line - 3)) for line in range(3, 8)
    ]
    assert "The first 5 new claims, as they will be stored" in page and "SYR-NEW-4" in page and "SYR-NEW-5" not in page
    assert "The first claim stored already that the file changes" in page
    [changed] = response.context["samples"]["changed"]
    assert (changed["line"], changed["retracted"], changed["changed"]) == (2, True, ["retracted"])
    assert not Claim.objects.filter(retracted=True).exists()


def test_the_preview_shows_how_outcome_and_subgroup_were_read(editor_client):
    rows = [claim_row(best="12"), claim_row(outcome="Injured", subgroup="Medical workers", best="2")]

    response = upload(editor_client, csv_bytes(rows))

    new = response.context["samples"]["new"]
    assert [(sample["outcome"], sample["subgroup"]) for sample in new] == [
        ("killed", None), ("injured", "medical_workers"),
    ]  # fmt: skip
    page = response.content.decode()
    assert "<td>injured</td>" in page and "<td>medical_workers</td>" in page


@pytest.mark.parametrize("confidant", [False, True])
def test_the_preview_names_a_confidential_source_and_its_notes_only_to_who_may_see_them(client, editor, confidant):
    if confidant:
        editor.user_permissions.add(Permission.objects.get(codename="view_confidential_source"))
    client.force_login(editor)
    row = claim_row(source_title="Informant in Raqqa", source_confidential="true", notes="Told by the son of the imam")

    page = upload(client, csv_bytes([row])).content.decode()

    assert ("Informant in Raqqa" in page, "Told by the son of the imam" in page) == (confidant, confidant)
    # Without the grant the row is refused, as the admin's checkbox is read-only to them.
    assert ("naming a confidential source needs the permission" in page) != confidant
    assert ("Import these claims" in page, "Raqqa Monitor" in page) == (confidant, confidant)
