"""The admin's import page: upload, a dry-run preview, then confirm."""

import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from tracker import visibility
from tracker.ingest.formats import FORMATS
from tracker.ingest.importer import file_import
from tracker.ingest.limits import ImportLimits, megabytes
from tracker.ingest.tables import READABLE
from tracker.web.presentation import count_text

# Importing claims from a file: upload, a dry-run preview, then confirm. The same service as
# `manage.py import_claims`; the uploaded file waits in the temporary folder between the steps.

IMPORT_PERMISSIONS = ["tracker.add_claim", "tracker.add_event", "tracker.add_party", "tracker.add_source"]
PENDING_IMPORTS = Path(tempfile.gettempdir()) / "tracker-imports"
PENDING_FOR = 24 * 60 * 60  # seconds an unconfirmed preview's file is kept


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


def pending_path(token: str, name: str) -> Path:
    return PENDING_IMPORTS / f"{token}{Path(name).suffix.lower()}"


def pending_pruned() -> None:
    """Delete the files of previews never confirmed: they may hold sensitive data."""
    stale_before = time.time() - PENDING_FOR
    for upload in PENDING_IMPORTS.glob("*"):
        if upload.stat().st_mtime < stale_before:
            upload.unlink(missing_ok=True)


def claims_import_view(request, model_admin):
    """Show the upload form; on upload, a dry-run preview; on confirmation, the import itself."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import claims"),
        "opts": model_admin.model._meta,
    }
    if request.method == "POST" and "confirm" in request.POST:
        return confirm_import(request, context)
    form = ClaimsFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, format = form.cleaned_data["file"], form.cleaned_data["format"]
        token = uuid.uuid4().hex
        PENDING_IMPORTS.mkdir(mode=0o700, exist_ok=True)
        pending_pruned()
        path = pending_path(token, upload.name)
        with path.open("wb") as stored:
            for chunk in upload.chunks():
                stored.write(chunk)
        report = import_file(path, name=upload.name, format=format, dry_run=True, user=request.user)
        if report.ok:
            request.session[f"claims-import-{token}"] = {"name": upload.name, "format": format}
        else:
            path.unlink(missing_ok=True)
        context.update(
            report=report,
            samples=samples_shown(report.samples.as_dict(), request.user),
            token=token,
            name=upload.name,
            format=format,
        )
    context["form"] = form
    # A file that cannot be imported as it is, or a form that cannot be read, is the request's fault.
    refused = request.method == "POST" and not (form.is_valid() and context["report"].ok)
    return TemplateResponse(request, "admin/tracker/claim/import.html", context, status=400 if refused else 200)


def samples_shown(samples: dict, user) -> dict:
    """Return an import's sample claims as this user may see them, each with its count in words."""
    return {
        kind: [
            {**shown, "count": count_text(SimpleNamespace(**shown))}
            for shown in (visibility.claim_sample_shown(sample, user) for sample in taken)
        ]
        for kind, taken in samples.items()
    }


def import_file(path: Path, *, name: str, format: str, dry_run: bool, user):
    with path.open("rb") as stream:
        return file_import(
            file=stream, name=name, format=format, dry_run=dry_run, user=user, reason=f"import of {name} in the admin"
        )


def confirm_import(request, context):
    token = request.POST.get("token", "")
    pending = request.session.pop(f"claims-import-{token}", None) if token.isalnum() else None
    path = pending_path(token, pending["name"]) if pending else None
    if path is None or not path.exists():
        messages.error(request, _("That preview has expired or was already imported; upload the file again."))
        return redirect("admin:tracker_claim_import")
    try:
        report = import_file(path, name=pending["name"], format=pending["format"], dry_run=False, user=request.user)
    finally:
        path.unlink(missing_ok=True)
    if not report.ok:  # the data changed since the preview
        context.update(report=report, name=pending["name"], format=pending["format"], form=ClaimsFileForm())
        return TemplateResponse(request, "admin/tracker/claim/import.html", context, status=400)
    messages.success(
        request, _("Imported %(name)s: %(summary)s.") % {"name": pending["name"], "summary": report.summary()}
    )
    return redirect("admin:tracker_claim_changelist")
