"""Data entry for staff: events with their claims inline, parties, sources, each with its history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.admin import claims, events, records  # noqa: F401  (each registers its models)

admin.site.site_header = _("Casualty-claim discrepancy tracker")
admin.site.site_title = _("Claims tracker")
admin.site.index_title = _("Data entry")
