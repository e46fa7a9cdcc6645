"""Data entry for staff: events with their claims inline, parties, sources, each with its history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from tracker.admin import accounts, assessments, claims, events, people, records  # noqa: F401  (each registers its models)

admin.site.site_header = _("Casualty-claim discrepancy tracker")
admin.site.site_title = _("Claims tracker")
admin.site.index_title = _("Data entry")

# The queue of background tasks is the workers' business: people follow an import on its own page,
# which says what it found in their words and shows the file's data only to who may see it.
admin.site.unregister(DBTaskResult)
