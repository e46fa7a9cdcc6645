"""The admin's import page: upload; a worker previews the file; confirm; the worker imports it.

The upload is kept in the database as an import job (tracker.ingest.jobs) and its page shows how
far the worker has gone, refreshing itself while it works, then the preview or the result.
"""

from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from tracker import visibility
from tracker.admin.reviews import records_review_said
from tracker.ingest.formats import FORMATS
from tracker.ingest.importer import ImportReport
from tracker.ingest.jobs import import_job_confirm, import_job_create, job_records
from tracker.ingest.limits import ImportLimits, megabytes
from tracker.ingest.tables import READABLE
from tracker.models import ImportJob, ReviewState
from tracker.models.reviews import REVIEW_PERMISSION
from tracker.presentation.numbers import count_text

IMPORT_PERMISSIONS = ["tracker.add_claim", "tracker.add_event", "tracker.add_party", "tracker.add_source"]
RECENT_JOBS = 10  # of the user's own, listed on the upload page
REFRESH_SECONDS = 2  # how often a job's page reloads itself while a worker is on it


def format_choices() -> list[tuple[str, str]]:
    return [(format.name, format.label) for format in FORMATS.values()]


class ClaimsFileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .csv (UTF-8) or .xlsx file, in the format you choose below."),
        validators=[FileExtensionValidator([suffix.removeprefix(".") for suffix in READABLE])],
    )
    # Read from the registry each time the form is made, so that the page offers every format.
    format = forms.ChoiceField(label=_("Format"), choices=format_choices, initial="claims")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        largest = ImportLimits.from_settings().max_bytes
        if upload.size > largest:
            raise forms.ValidationError(
                _("The file is %(size)s, more than an import takes (%(largest)s); split it into smaller files.")
                % {"size": megabytes(upload.size), "largest": megabytes(largest)}
            )
        return upload


def samples_shown(samples: dict, user) -> dict:
    """Return an import's sample claims as this user may see them, each with its count in words."""
    return {
        kind: [
            {**shown, "count": count_text(SimpleNamespace(**shown))}
            for shown in (visibility.claim_sample_shown(sample, user) for sample in taken)
        ]
        for kind, taken in samples.items()
    }


def page_context(request, model_admin) -> dict:
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    return {
        **model_admin.admin_site.each_context(request),
        "title": _("Import claims"),
        "opts": model_admin.model._meta,
    }


def claims_import_view(request, model_admin):
    """Show the upload form and the user's recent imports; on upload, keep the file as a job and show it."""
    context = page_context(request, model_admin)
    form = ClaimsFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_job_create(upload=form.cleaned_data["file"], format=form.cleaned_data["format"], user=request.user)
        return redirect("admin:tracker_claim_import_job", job_id=job.pk)
    done = ImportJob.objects.without_upload().filter(state=ImportJob.State.DONE)
    context.update(
        form=form,
        jobs=ImportJob.objects.without_upload().filter(uploaded_by=request.user)[:RECENT_JOBS],
        # Where a reviewer finds the imports whose rows they may review.
        others_jobs=(
            done.exclude(uploaded_by=request.user).select_related("uploaded_by")[:RECENT_JOBS]
            if request.user.has_perm(REVIEW_PERMISSION) else []
        ),
    )  # fmt: skip
    # A form that cannot be read is the request's fault.
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "admin/tracker/claim/import.html", context, status=status)


def import_job_view(request, job_id: int, model_admin):
    """Show a job to its uploader: its progress, then its preview or result; take the confirmation."""
    context = page_context(request, model_admin)
    # Only the uploader, but for a reviewer of an import done: the job holds the file, and runs with
    # the uploader's permissions; its rows are reviewed by someone else.
    jobs = ImportJob.objects.without_upload()
    if request.user.has_perm(REVIEW_PERMISSION):
        jobs = jobs.filter(Q(uploaded_by=request.user) | Q(state=ImportJob.State.DONE))
    else:
        jobs = jobs.filter(uploaded_by=request.user)
    job = get_object_or_404(jobs, pk=job_id)
    uploader = job.uploaded_by_id == request.user.pk
    if request.method == "POST" and "review" in request.POST:
        if uploader:
            messages.error(request, _("You uploaded this import: another reviewer must review its rows."))
        else:
            records_review_said(request, *job_records(job))
        return redirect("admin:tracker_claim_import_job", job_id=job.pk)
    if request.method == "POST" and "confirm" in request.POST and uploader:
        if not import_job_confirm(job=job):
            messages.error(request, _("That preview was already imported, or cannot be; upload the file again."))
        return redirect("admin:tracker_claim_import_job", job_id=job.pk)
    kept = job.result or job.preview
    report = ImportReport.from_dict(kept) if kept else None
    context.update(
        job=job,
        report=report,
        samples=samples_shown(kept["samples"], request.user) if kept else {},
        name=job.name,
        summary=report.summary() if report and job.state == ImportJob.State.DONE else None,
        refresh_seconds=REFRESH_SECONDS if job.running else None,
        form=ClaimsFileForm(),
        uploader=uploader,
        awaiting_review=(
            sum(records.filter(review_state=ReviewState.ENTERED).count() for records in job_records(job))
            if job.state == ImportJob.State.DONE else 0
        ),
    )  # fmt: skip
    return TemplateResponse(request, "admin/tracker/claim/import_job.html", context)
