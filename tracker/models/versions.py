"""A version number on the records staff edit, so that a save made from a stale page is refused."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """A record whose every save counts up its version; the admin refuses a form whose version is old."""

    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Counts the saves, to refuse a save from a stale page.")
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
