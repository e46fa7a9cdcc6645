"""The event list's downloads, filtered as on the page: one discrepancy record per event, every claim of
the events in the claims format, or every assessment of them in the assessments format; and the parties'
track records table."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import View

from tracker.exports.assessments import ASSESSMENT_CONTENT_TYPES, assessment_rows, assessments_write
from tracker.exports.claims import CLAIM_CONTENT_TYPES, claims_export
from tracker.exports.discrepancies import DISCREPANCY_CONTENT_TYPES, discrepancies_write, discrepancy_records
from tracker.exports.track_records import TRACK_RECORD_CONTENT_TYPES, track_record_rows, track_records_write
from tracker.filters import EventFilter, TrackRecordForm
from tracker.models import Assessment, Claim, Event
from tracker.presentation.track_records import chosen_rows
from tracker.web.filenames import download_name, track_records_name
from tracker.web.tokens import TokenAccess
from tracker.web.views.mixins import TrackerAccess

BYTE_ORDER_MARK = "\ufeff"


class FilteredDownload(TokenAccess, TrackerAccess, View):
    """A download of the event list as filtered on the page; filters that cannot be read are a 400.

    Scripts may send the API's token instead of signing in (tracker.web.tokens). A CSV starts with
    a byte order mark, without which Excel on Windows reads UTF-8 as another encoding.
    """

    content_types: dict[str, str] = {}
    name = ""

    def get(self, request, format):
        if format not in self.content_types:
            raise Http404(_("No download in the format “%(format)s”.") % {"format": format})
        filterset = EventFilter(request.GET or None, queryset=Event.objects.all(), request=request)
        if filterset.is_bound and not filterset.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            return HttpResponseBadRequest(
                _("The filters could not be read: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content_type=self.content_types[format])
        filename = download_name(filterset, kind=self.name, format=format, hxl=self.hxl)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        if format == "csv":
            response.write(BYTE_ORDER_MARK)
        self.write(filterset.qs, format=format, stream=response)
        return response

    @property
    def hxl(self) -> bool:
        return False

    def write(self, events, *, format: str, stream) -> None:
        raise NotImplementedError


class EventDownloadView(FilteredDownload):
    """The event list as filtered and ordered on the page, as CSV, JSON or xlsx.

    `?hxl=1` adds a second row of HXL hashtags under the CSV or xlsx header.
    """

    content_types = DISCREPANCY_CONTENT_TYPES
    name = "events"

    @property
    def hxl(self) -> bool:
        return self.request.GET.get("hxl", "") in ("1", "true", "yes")

    def write(self, events, *, format, stream):
        site = self.request.build_absolute_uri("/").rstrip("/")  # each row links back to its event's page
        discrepancies_write(discrepancy_records(events, site=site), format=format, stream=stream, hxl=self.hxl)


class EventClaimsDownloadView(FilteredDownload):
    """Every claim of the filtered events, one row per claim in the claims format, which imports back.

    Confidential sources and their claims' notes are left out for those who may not see them, as on
    the pages: such a download is then no full backup.
    """

    content_types = CLAIM_CONTENT_TYPES
    name = "claims"

    def write(self, events, *, format, stream):
        claims = Claim.objects.filter(event__in=events.order_by().values("pk"))
        claims_export(claims, user=self.request.user, format=format, stream=stream)


class EventAssessmentsDownloadView(FilteredDownload):
    """Every assessment of the filtered events, each assessor's earlier ones too, one row each in the
    assessments format (as export_assessments writes it), which imports back."""

    content_types = ASSESSMENT_CONTENT_TYPES
    name = "assessments"

    def write(self, events, *, format, stream):
        assessments = Assessment.objects.filter(event__in=events.order_by().values("pk"))
        assessments_write(assessment_rows(assessments), format=format, stream=stream)


class TrackRecordDownloadView(TokenAccess, TrackerAccess, View):
    """The parties' track records table under the filters of the page (tracker.filters.TrackRecordForm), one
    row per party by name, as CSV, JSON or xlsx; filters that cannot be read are a 400 saying why."""

    def get(self, request, format):
        if format not in TRACK_RECORD_CONTENT_TYPES:
            raise Http404(_("No download in the format “%(format)s”.") % {"format": format})
        form = TrackRecordForm(request.GET)
        rows = chosen_rows(form, lambda filters: list(track_record_rows(filters)))
        if rows is None:
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            return HttpResponseBadRequest(
                _("The filters could not be read: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content_type=TRACK_RECORD_CONTENT_TYPES[format])
        filename = track_records_name(form.cleaned_data, format=format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        if format == "csv":
            response.write(BYTE_ORDER_MARK)
        track_records_write(rows, format=format, stream=response)
        return response
