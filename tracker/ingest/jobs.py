"""Imports as background jobs: an upload kept in the database, checked and then imported by a worker.

The web request only stores the file and queues the work; a worker (`manage.py import_worker`, on
any machine) reads the file from the database, so that no web process keeps anything between
requests. Each run is one transaction, as every import is: a worker that stops halfway stores
nothing, and the job it leaves is retried or marked failed by the next worker to start
(`import_jobs_recover`). The permissions are those of the user who uploaded the file.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task

from tracker.ingest.importer import ImportReport, file_import
from tracker.ingest.tables import line_count
from tracker.models import Assessment, Claim, FateClaim, ImportJob

logger = logging.getLogger(__name__)
State = ImportJob.State
PROGRESS_EVERY = 200  # lines between two writes of a job's progress
UNCONFIRMED_FOR = timedelta(days=1)  # how long a preview waits for its confirmation, its file kept


class JobProgress:
    """Write how far a job has read while its import's transaction is still open.

    The import is one transaction, which no other connection sees until it ends; the progress is
    written through a connection of its own so that the job's page sees it at once. Only on
    PostgreSQL: SQLite lets one connection write at a time, so there the page learns the
    progress when the run ends.
    """

    def __init__(self, job: ImportJob):
        self.job = job
        primary = connections[DEFAULT_DB_ALIAS]
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS) if primary.vendor == "postgresql" else None

    def rows(self, rows):
        """Pass (line, row) records through, writing the progress every few hundred lines."""
        written = 0
        for line, row in rows:
            if line - written >= PROGRESS_EVERY:
                self.write(line - 1)
                written = line
            yield line, row

    def write(self, rows_done: int) -> None:
        if self.connection is None:
            return
        table = ImportJob._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, heartbeat = %s WHERE id = %s",  # a name from the model, not input
                [rows_done, timezone.now(), self.job.pk],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def job_reason(job: ImportJob) -> str:
    """The change reason of every historical record a job's import writes: by it the job finds its rows."""
    return f"import of {job.name} in the admin (import job {job.pk})"


def job_records(job: ImportJob) -> list:
    """Return, per reviewed model, the records this job's import created or changed (their history says so)."""
    reason = job_reason(job)
    return [
        model.objects.filter(pk__in=model.history.filter(history_change_reason=reason).values("id"))
        for model in (Claim, FateClaim, Assessment)
    ]


def import_job_create(*, upload, format: str, user) -> ImportJob:
    """Keep an uploaded file as a job and queue its preview."""
    previews_expire(now=timezone.now())  # on SQLite no worker starts to do it
    content = b"".join(upload.chunks())
    job = ImportJob.objects.create(
        uploaded_by=user, name=upload.name, format=format, content=content,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )  # fmt: skip
    import_job_preview.enqueue(job.pk)
    return job


def import_job_confirm(*, job: ImportJob) -> bool:
    """Queue the import of a job whose preview found nothing wrong; False if it is not (or no longer) such a job."""
    # One update that checks the state: a confirmation sent twice queues one import.
    confirmed = ImportJob.objects.filter(pk=job.pk, state=State.PREVIEWED).update(
        state=State.IMPORTING, rows_done=0, attempts=0, heartbeat=timezone.now()
    )
    if confirmed:
        import_job_import.enqueue(job.pk)
    return bool(confirmed)


def import_job_run(*, job_id: int, dry_run: bool) -> None:
    """Run a job's preview (a dry run) or its import, for the user who uploaded it, and keep the report."""
    started = State.QUEUED if dry_run else State.IMPORTING
    running = State.PREVIEWING if dry_run else State.IMPORTING
    claimed = ImportJob.objects.filter(pk=job_id, state=started).update(
        state=running, attempts=F("attempts") + 1, heartbeat=timezone.now()
    )
    if not claimed:
        return  # done, failed or taken by another run already
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    stream = io.BytesIO(job.content)
    job.rows_total = max(line_count(stream, name=job.name) - 1, 0)
    job.save(update_fields=["rows_total"])
    progress = JobProgress(job)
    try:
        # The job's outcome is written in the import's own transaction: the claims and the word
        # "done" are stored together or not at all.
        with transaction.atomic(), translation.override(job.language):  # the report in the uploader's language
            report = file_import(
                file=stream, name=job.name, format=job.format, dry_run=dry_run, user=job.uploaded_by,
                reason=job_reason(job), progress=progress.rows,
            )  # fmt: skip
            job_finish(job, report)
    except Exception:
        # The error's text is for the operator, in the worker's log: it may name tables, paths or
        # another user's data, and says nothing the uploader can act on.
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            state=State.FAILED, finished_at=timezone.now(),
            failure=(
                f"The worker met an error and stored nothing of the file. It is logged as import job {job_id}: "
                "ask the tracker's operator, or upload the file again."
            ),
        )  # fmt: skip
        raise
    finally:
        progress.close()


def job_finish(job: ImportJob, report: ImportReport) -> None:
    """Keep a finished run's report with its job, and its file only while it may still be imported."""
    # The total was counted from line ends, a quoted line break included: now the rows are known.
    job.rows_done = job.rows_total = report.rows
    if report.dry_run:
        job.preview = report.as_dict()
        job.state = State.PREVIEWED if report.ok else State.FAILED
    else:
        job.result = report.as_dict()
        job.state = State.DONE if report.ok else State.FAILED
    job.finished_at = timezone.now() if job.state != State.PREVIEWED else None
    if job.finished_at:
        # The file may hold confidential data: kept only while it may still be imported.
        job.content = b""
    job.save(update_fields=["rows_done", "rows_total", "preview", "result", "state", "finished_at", "content"])


def previews_expire(*, now) -> None:
    """Close the previews left unconfirmed for a day, deleting their files: they may hold confidential data."""
    ImportJob.objects.filter(state=State.PREVIEWED, created_at__lt=now - UNCONFIRMED_FOR).update(
        state=State.FAILED, content=b"", finished_at=now,
        failure="This preview was not confirmed within a day, so its file was deleted; upload it again to import it.",
    )  # fmt: skip


def import_jobs_recover(*, now=None) -> list[ImportJob]:
    """Retry, or mark failed, the jobs whose worker stopped without finishing; return them.

    A job counts as lost when its worker has given no sign of work for IMPORT_JOB_STALE_MINUTES.
    Its run was one transaction, so nothing of it was stored: it can be run again from its file.
    After IMPORT_JOB_ATTEMPTS runs it is marked failed instead, saying so. A preview left
    unconfirmed for a day is closed too, and its file deleted.
    """
    now = now or timezone.now()
    previews_expire(now=now)
    stale_before = now - timedelta(minutes=settings.IMPORT_JOB_STALE_MINUTES)
    lost = list(ImportJob.objects.without_upload().running().filter(heartbeat__lt=stale_before))
    for job in lost:
        if job.attempts >= settings.IMPORT_JOB_ATTEMPTS:
            job.state, job.finished_at = State.FAILED, timezone.now()
            job.failure = (
                f"The worker stopped during this job {job.attempts} times (it was restarted, or the machine was); "
                "nothing of the file was stored. Upload it again, or import it with `manage.py import_claims`."
            )
            job.content = b""
            job.save(update_fields=["state", "finished_at", "failure", "content"])
            continue
        # A preview starts again from the queue; an import stays "importing", its confirmation kept.
        job.state = State.QUEUED if job.state == State.PREVIEWING else job.state
        job.heartbeat = timezone.now()
        job.save(update_fields=["state", "heartbeat"])
        task = import_job_import if job.state == State.IMPORTING else import_job_preview
        task.enqueue(job.pk)
    return lost


# The tasks a worker runs (django-tasks), beside what they call.
@task()
def import_job_preview(job_id: int) -> None:
    """Check an uploaded file without storing anything, and keep what an import would do."""
    import_job_run(job_id=job_id, dry_run=True)


@task()
def import_job_import(job_id: int) -> None:
    """Import a file whose preview its uploader confirmed."""
    import_job_run(job_id=job_id, dry_run=False)
