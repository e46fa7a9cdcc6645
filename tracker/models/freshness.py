"""The data version: one number, counted up in the transaction of every write that changes what the
pages show, so that an answer built at one version can be reused until the next (tracker.web.freshness
builds the pages' ETags from it). Being in the transaction, it becomes visible with the data it stands
for, never before.

Counting up takes the row's lock until the commit, so a long write (an import) counts up once, at its
end, inside `data_changes_deferred()`: other writers then wait for its last moment only, not for all of it.

A request reads it once, inside `data_version_pinned()`: its ETag and the cache keys of the summaries it
shows then stand for the same version.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

ROW = 1  # the one row, made by the migration that made the table
deferred: ContextVar[list | None] = ContextVar("data_changes_deferred", default=None)
pinned: ContextVar[list | None] = ContextVar("data_version_pinned", default=None)  # [] until read, then [number]


class DataVersion(models.Model):
    number = models.PositiveBigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return str(self.number)


def data_version() -> int:
    """Return the data version as committed (or as this transaction has counted it up); inside a
    `data_version_pinned()` block, as first read in it."""
    memo = pinned.get()
    if memo:
        return memo[0]
    number = DataVersion.objects.filter(pk=ROW).values_list("number", flat=True).first() or 0
    if memo is not None:
        memo.append(number)
    return number


@contextmanager
def data_version_pinned() -> Iterator[None]:
    """Read the data version at most once in the block, and again only after the block itself counts it up."""
    if pinned.get() is not None:
        yield
        return
    token = pinned.set([])
    try:
        yield
    finally:
        pinned.reset(token)


def data_changed(**kwargs) -> None:
    """Count the data version up, or note that it is to be, at the end of the deferring block under way.
    Takes any keyword arguments, so as to be a receiver of any signal."""
    noted = deferred.get()
    if noted is not None:
        noted.append(True)
        return
    memo = pinned.get()
    if memo:
        memo.clear()  # read again after this write
    if not DataVersion.objects.filter(pk=ROW).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=ROW)  # a table emptied since its migration (a test's flush)
        DataVersion.objects.filter(pk=ROW).update(number=F("number") + 1)


@contextmanager
def data_changes_deferred() -> Iterator[None]:
    """Count the version up once, when the block ends without an error, if anything in it changed data."""
    if deferred.get() is not None:
        yield
        return
    noted: list = []
    token = deferred.set(noted)
    try:
        yield
    finally:
        deferred.reset(token)
    if noted:
        data_changed()
