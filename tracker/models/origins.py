"""Where a record came from: the dataset and its identifier there."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.models.choices import Origin


class Originated(models.Model):
    """A record that knows the dataset it came from and its identifier there, so that a re-import
    finds it again and a link between datasets can be traced."""

    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.MANUAL,
        help_text=_("The dataset the record came from."),
    )  # fmt: skip
    origin_id = models.CharField(
        _("identifier in its origin"), max_length=200, blank=True,
        help_text=_("The record's identifier in that dataset, by which a re-import finds it."),
    )  # fmt: skip

    class Meta:
        abstract = True
