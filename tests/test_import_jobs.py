"""Imports as background jobs: the upload kept in the database, a worker's progress, its result, its loss."""

import io
import signal
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.accounts import make_user
from tests.helpers import claim_row, csv_bytes
from tracker.ingest import jobs, writer
from tracker.ingest.importer import file_import
from tracker.ingest.jobs import import_jobs_recover
from tracker.models import Claim, Event, ImportJob

URL = "/admin/tracker/claim/import/"
State = ImportJob.State


def job_url(job) -> str:
    return reverse("admin:tracker_claim_import_job", kwargs={"job_id": job.pk})


def upload(client, content: bytes, name: str = "claims.csv", **options):
    return client.post(URL, {"file": SimpleUploadedFile(name, content), "format": "claims"}, **options)


def rows(count: int) -> list[dict]:
    return [claim_row(event_ref=f"SYR-JOB-{number}", best=str(number)) for number in range(count)]


@pytest.mark.django_db
def test_the_upload_is_kept_in_the_database_and_shown_only_to_who_uploaded_it(editor_client, editor):
    content = csv_bytes(rows(3))

    response = upload(editor_client, content)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job_url(job)
    assert bytes(job.content) == content and job.name == "claims.csv" and job.uploaded_by == editor
    assert (job.state, job.rows_done, job.rows_total) == (State.PREVIEWED, 3, 3)
    other = make_user("other-editor", *[p.codename for p in editor.user_permissions.all()], is_staff=True)
    client = Client()
    client.force_login(other)
    assert client.get(job_url(job)).status_code == 404
    assert "claims.csv" not in client.get(URL).content.decode()  # nor listed among the other's imports
    assert "claims.csv" in editor_client.get(URL).content.decode()


@pytest.mark.django_db
def test_a_job_under_way_shows_its_progress_on_a_page_that_reloads_itself(editor_client, editor):
    job = ImportJob.objects.create(
        uploaded_by=editor, name="big.csv", format="claims", content=b"", state=State.IMPORTING,
        rows_done=1200, rows_total=16566,
    )  # fmt: skip

    page = editor_client.get(job_url(job)).content.decode()

    assert "Importing" in page and "1200 of 16566 rows" in page
    assert '<progress value="1200" max="16566">' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    job.state = State.DONE
    job.save()
    assert "http-equiv" not in editor_client.get(job_url(job)).content.decode()


@pytest.mark.django_db
def test_the_import_runs_with_the_permissions_of_who_uploaded_it_when_it_runs(editor_client, editor):
    file_import(file=io.BytesIO(csv_bytes(rows(1))), name="first.csv", user=editor)
    response = upload(editor_client, csv_bytes([{**rows(1)[0], "retracted": "true"}]), follow=True)
    job = response.context["job"]
    assert job.state == State.PREVIEWED
    editor.user_permissions.remove(Permission.objects.get(codename="change_claim"))

    page = editor_client.post(job_url(job), {"confirm": "1"}, follow=True).content.decode()

    job.refresh_from_db()
    assert job.state == State.FAILED
    assert "changing its retracted needs the permission tracker.change_claim" in page
    assert not Claim.objects.get().retracted


@pytest.mark.django_db
def test_a_worker_that_fails_halfway_stores_nothing_and_the_job_says_so(editor_client, monkeypatch):
    job = upload(editor_client, csv_bytes(rows(3)), follow=True).context["job"]

    def crash(self):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(writer.BatchWriter, "flush", crash)
    page = editor_client.post(job_url(job), {"confirm": "1"}, follow=True).content.decode()

    job.refresh_from_db()
    assert job.state == State.FAILED and "stored nothing of the file" in job.failure
    # The uploader is told where the error is logged, not its text, which is the operator's.
    assert f"logged as import job {job.pk}" in page
    assert "ConnectionError" not in page and "the database went away" not in page
    assert not Claim.objects.exists() and not Event.objects.exists()


def lost(editor, *, state, attempts, minutes_ago):
    content = csv_bytes(rows(2))
    return ImportJob.objects.create(
        uploaded_by=editor, name="lost.csv", format="claims", content=content, state=state, attempts=attempts,
        heartbeat=timezone.now() - timedelta(minutes=minutes_ago),
    )  # fmt: skip


@pytest.mark.django_db
def test_a_job_a_stopped_worker_left_is_retried_by_the_next_worker(editor):
    importing = lost(editor, state=State.IMPORTING, attempts=1, minutes_ago=30)
    previewing = lost(editor, state=State.PREVIEWING, attempts=1, minutes_ago=30)
    under_way = lost(editor, state=State.IMPORTING, attempts=1, minutes_ago=1)

    assert {job.pk for job in import_jobs_recover()} == {importing.pk, previewing.pk}

    for job in (importing, previewing, under_way):
        job.refresh_from_db()
    assert (importing.state, importing.attempts) == (State.DONE, 2)
    assert Claim.objects.count() == 2 and Claim.history.filter(history_user=editor).count() == 2
    assert (previewing.state, previewing.attempts, previewing.preview["rows"]) == (State.PREVIEWED, 2, 2)
    assert under_way.state == State.IMPORTING  # a worker is still on it


@pytest.mark.django_db
def test_a_job_lost_too_often_is_marked_failed_clearly(editor, settings):
    settings.IMPORT_JOB_ATTEMPTS = 2
    job = lost(editor, state=State.IMPORTING, attempts=2, minutes_ago=30)

    import_jobs_recover()

    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.failure.startswith("The worker stopped during this job 2 times")
    assert "nothing of the file was stored" in job.failure
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_a_preview_left_unconfirmed_for_a_day_is_closed_and_its_file_deleted(editor):
    job = lost(editor, state=State.PREVIEWED, attempts=1, minutes_ago=0)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=2))
    recent = lost(editor, state=State.PREVIEWED, attempts=1, minutes_ago=0)

    import_jobs_recover()

    job.refresh_from_db()
    recent.refresh_from_db()
    assert (job.state, bytes(job.content)) == (State.FAILED, b"")
    assert "not confirmed within a day" in job.failure
    assert recent.state == State.PREVIEWED and bytes(recent.content)


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_work_for_a_worker(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    editor = make_user("queued-editor", "add_claim", "add_event", "add_party", "add_source", is_staff=True)
    client.force_login(editor)
    upload(client, csv_bytes(rows(3)))
    job = ImportJob.objects.get()
    assert job.state == State.QUEUED and job.preview is None  # the request only stored the file

    worker_once()

    job.refresh_from_db()
    assert (job.state, job.preview["created"]["claims"]) == (State.PREVIEWED, 3)
    client.post(job_url(job), {"confirm": "1"})
    job.refresh_from_db()
    assert job.state == State.IMPORTING and not Claim.objects.exists()

    worker_once()

    job.refresh_from_db()
    assert (job.state, job.result["created"]["claims"], job.rows_done) == (State.DONE, 3, 3)
    assert Claim.objects.count() == 3
    assert bytes(job.content) == b""  # the file is not kept once imported


def worker_once():
    """Run the import worker until the queue is empty, as `manage.py import_worker --batch` does."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("import_worker", "--batch", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def test_progress_is_written_every_few_hundred_lines(monkeypatch):
    written = []
    progress = jobs.JobProgress.__new__(jobs.JobProgress)
    monkeypatch.setattr(progress, "write", written.append, raising=False)
    records = [(line, {}) for line in range(2, 503)]
    assert list(progress.rows(iter(records))) == records
    assert written == [199, 399]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_progress_is_seen_while_the_import_is_under_way(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one connection write at a time: the progress is written when the run ends")
    editor = make_user("progress-editor", "add_claim", "add_event", "add_party", "add_source", is_staff=True)
    job = ImportJob.objects.create(
        uploaded_by=editor, name="big.csv", format="claims", content=csv_bytes(rows(450)), state=State.IMPORTING
    )
    seen = []
    write = jobs.JobProgress.write

    def write_then_look(self, rows_done):
        write(self, rows_done)
        # Read from the import's own connection, inside its open transaction: committed by the other.
        seen.append(ImportJob.objects.values_list("rows_done", flat=True).get(pk=job.pk))

    monkeypatch.setattr(jobs.JobProgress, "write", write_then_look)
    jobs.import_job_run(job_id=job.pk, dry_run=False)

    job.refresh_from_db()
    assert seen == [199, 399]
    assert (job.state, job.rows_done, job.rows_total) == (State.DONE, 450, 450)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it is done
def test_a_worker_writes_the_report_in_the_language_of_who_uploaded_it(client, settings):
    """The worker runs in the server's language; an Arabic-speaking uploader still reads why a row is bad in Arabic."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    editor = make_user("arabic-editor", "add_claim", "add_event", "add_party", "add_source", is_staff=True)
    client.force_login(editor)
    client.cookies["django_language"] = "ar"
    upload(client, csv_bytes([claim_row(claimed_on="2018-02-30")]))

    with translation.override("en"):  # the worker's own language
        worker_once()

    job = ImportJob.objects.get()
    assert job.language == "ar"
    assert [message for _line, message in job.preview["errors"]] == [
        "القيمة '2018-02-30' في claimed_on ليست تاريخًا بصيغة YYYY-MM-DD أو YYYY-MM أو YYYY"
    ]
