"""Sources: where a claim was published, some of them confidential."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models.versions import Versioned

SOURCE_UNNAMED = _("A source needs a title or a URL.")


class Source(Versioned):
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=16, blank=True, help_text=_("Language code, e.g. en, ar, ru.")
    )
    excerpt = models.TextField(_("excerpt"), blank=True, help_text=_("The passage quoted from the source."))
    archive_url = models.URLField(_("archive URL"), max_length=1000, blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Hidden from everyone without the permission to see confidential sources."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("view_confidential_source", _("Can see confidential sources"))]
        indexes = [models.Index(fields=["url"], name="source_url")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title="") | ~Q(url=""),
                name="source_titled_or_linked",
                violation_error_message=SOURCE_UNNAMED,
            ),
        ]

    def __str__(self):
        label = self.title or self.url
        if self.publisher:
            label = f"{label} ({self.publisher})"
        return label

    def clean(self):
        # The constraint's words, on the title (see Event.clean).
        if not self.title and not self.url:
            raise ValidationError({"title": SOURCE_UNNAMED})
