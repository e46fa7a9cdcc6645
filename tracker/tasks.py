"""The tracker's background tasks (django-tasks): each runs on a worker, `manage.py import_worker`."""

from django_tasks import task

from tracker.ingest.jobs import import_job_run


@task()
def import_job_preview(job_id: int) -> None:
    """Check an uploaded file without storing anything, and keep what an import would do."""
    import_job_run(job_id=job_id, dry_run=True)


@task()
def import_job_import(job_id: int) -> None:
    """Import a file whose preview its uploader confirmed."""
    import_job_run(job_id=job_id, dry_run=False)
