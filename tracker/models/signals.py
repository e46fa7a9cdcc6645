"""The signals the models send, so that what is kept from the claims (summaries, tallies, caches)
is kept by receivers above them, connected in TrackerConfig.ready(), and the models import nothing
above them (Wagtail's `page_published` pattern).

`claims_changed` is sent inside the transaction of every write that can change what the
discrepancy rules read of an event's claims: a save, a delete, the claims queryset's bulk writes and
an import's COPY. Its `event_ids` are the events touched. Writes to fields the rules ignore send
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.dispatch import Signal

claims_changed = Signal()  # sent with event_ids: a frozenset of event primary keys

_batch: ContextVar[ClaimChanges | None] = ContextVar("claim_changes_batch", default=None)


class ClaimChanges:
    """The events touched inside a `claims_changes_batched()` block, to be announced once at its end."""

    def __init__(self):
        self.event_ids: set[int] = set()
        self.discarded = False

    def discard(self) -> None:
        """Announce nothing at the end: the block's writes are being rolled back."""
        self.discarded = True


def claims_changed_send(*, sender: type[models.Model], event_ids: Iterable[int | None]) -> None:
    """Announce that the claims of these events changed, at once or at the end of the batch under way."""
    touched = {event_id for event_id in event_ids if event_id is not None}
    if not touched:
        return
    batch = _batch.get()
    if batch is not None:
        batch.event_ids |= touched
        return
    claims_changed.send(sender=sender, event_ids=frozenset(touched))


@contextmanager
def claims_changes_batched(*, sender: type[models.Model]) -> Iterator[ClaimChanges]:
    """Announce the events touched inside the block once, when it ends without an error, instead of
    at every write: a bulk path, an admin save of many inlines or an import summarises each event once.
    Nested blocks join the outermost one."""
    outer = _batch.get()
    if outer is not None:
        yield outer
        return
    batch = ClaimChanges()
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
    # Not after an error: the writes roll back, and there is nothing new to summarise.
    if not batch.discarded:
        claims_changed_send(sender=sender, event_ids=batch.event_ids)


def claim_save_announce(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    """Announce a saved claim's event, and the event it left when it moved, if the rules read what changed."""
    if raw:  # loaded from a backup, which holds the summaries too
        return
    if not created and (
        (update_fields is not None and not sender.has_rule_fields(update_fields)) or not instance.has_rule_changes()
    ):
        return
    claims_changed_send(sender=sender, event_ids={instance.event_id, instance.loaded_event_id})
    instance.rules_remember()


def claim_delete_announce(sender, instance, origin=None, **kwargs) -> None:
    """Announce a deleted claim's event, unless the event itself is being deleted."""
    event_model = sender.event.field.related_model
    deleting_event = isinstance(origin, event_model) or (
        isinstance(origin, models.QuerySet) and origin.model is event_model
    )
    if not deleting_event:
        claims_changed_send(sender=sender, event_ids={instance.event_id})
