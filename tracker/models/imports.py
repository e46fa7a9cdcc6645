"""Imports run by a background worker: the uploaded file, how far the work has gone, and what it found."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJobQuerySet(models.QuerySet):
    def without_upload(self):
        """Return the jobs without their file, which may be tens of megabytes: pages never show it."""
        return self.defer("content")

    def running(self):
        """Return the jobs a worker is on (or was on, if it stopped without finishing)."""
        return self.filter(state__in=ImportJob.RUNNING)


class ImportJob(models.Model):
    """A file uploaded in the admin, previewed and then imported by a worker, for the user who uploaded it.

    The file is kept in the database, not on the web server's disk, so that any web process and any
    worker on any machine can read it.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PREVIEWING = "previewing", _("Checking the file")
        PREVIEWED = "previewed", _("Checked, waiting for your confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = (State.QUEUED, State.PREVIEWING, State.IMPORTING)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="import_jobs", verbose_name=_("uploaded by")
    )
    name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=40)
    # The worker writes the report's messages in the language the uploader used, not its own.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    content = models.BinaryField(_("file"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)  # runs started, retries included
    preview = models.JSONField(_("preview"), null=True, blank=True)  # the dry run's report
    result = models.JSONField(_("result"), null=True, blank=True)  # the import's report
    failure = models.TextField(_("why it failed"), blank=True)  # beyond bad rows: a worker lost, say
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Touched as a worker goes on, so that a job no worker is on any more can be told from a long one.
    heartbeat = models.DateTimeField(_("last sign of work"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "heartbeat"], name="importjob_state_heartbeat")]

    def __str__(self):
        return f"{self.name} ({self.state})"

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING
