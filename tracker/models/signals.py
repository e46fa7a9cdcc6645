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

from tracker.models.freshness import data_changes_deferred

claims_changed = Signal()  # sent with event_ids: a frozenset of event primary keys
# Sent with person_ids (a frozenset of person primary keys) by every write that can change what the fate
# rules read of those people's fate claims, in its transaction, as `claims_changed` is for events.
fates_changed = Signal()


class Changes:
    """The records touched inside a batched block, to be announced once at its end."""

    def __init__(self):
        self.ids: set[int] = set()
        self.discarded = False

    def discard(self) -> None:
        """Announce nothing at the end: the block's writes are being rolled back."""
        self.discarded = True


class Announcer:
    """Sends one signal naming the records touched (by `keyword`), at once or once at the end of a batch."""

    def __init__(self, signal: Signal, keyword: str):
        self.signal, self.keyword = signal, keyword
        self.batch: ContextVar[Changes | None] = ContextVar(f"{keyword}_batch", default=None)

    def send(self, *, sender: type[models.Model], ids: Iterable[int | None]) -> None:
        touched = {key for key in ids if key is not None}
        if not touched:
            return
        batch = self.batch.get()
        if batch is not None:
            batch.ids |= touched
            return
        self.signal.send(sender=sender, **{self.keyword: frozenset(touched)})

    @contextmanager
    def batched(self, *, sender: type[models.Model]) -> Iterator[Changes]:
        outer = self.batch.get()
        if outer is not None:
            yield outer
            return
        batch = Changes()
        token = self.batch.set(batch)
        # The block's writes count the data version up once, at its end, not once a record.
        with data_changes_deferred():
            try:
                yield batch
            finally:
                self.batch.reset(token)
            # Not after an error: the writes roll back, and there is nothing new to summarise.
            if not batch.discarded:
                self.send(sender=sender, ids=batch.ids)


claims_announcer = Announcer(claims_changed, "event_ids")
fates_announcer = Announcer(fates_changed, "person_ids")


def claims_changed_send(*, sender: type[models.Model], event_ids: Iterable[int | None]) -> None:
    """Announce that the claims of these events changed, at once or at the end of the batch under way."""
    claims_announcer.send(sender=sender, ids=event_ids)


def claims_changes_batched(*, sender: type[models.Model]):
    """Announce the events touched inside the block once, when it ends without an error, instead of
    at every write: a bulk path, an admin save of many inlines or an import summarises each event once.
    Nested blocks join the outermost one."""
    return claims_announcer.batched(sender=sender)


def fates_changed_send(*, sender: type[models.Model], person_ids: Iterable[int | None]) -> None:
    """Announce that the fate claims of these people changed, at once or at the end of the batch under way."""
    fates_announcer.send(sender=sender, ids=person_ids)


def fates_changes_batched(*, sender: type[models.Model]):
    """Announce the people touched inside the block once, when it ends without an error (as for claims)."""
    return fates_announcer.batched(sender=sender)


def is_rule_write(sender, instance, *, created: bool, update_fields, raw: bool) -> bool:
    """Whether a save can change what the rules read of a record: new, or a field they read changed. Not a
    record loaded from a backup, which holds the summaries too."""
    if raw:
        return False
    return created or not (
        (update_fields is not None and not sender.has_rule_fields(update_fields)) or not instance.has_rule_changes()
    )


def claim_save_announce(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    """Announce a saved claim's event, and the event it left when it moved, if the rules read what changed."""
    if is_rule_write(sender, instance, created=created, update_fields=update_fields, raw=raw):
        claims_changed_send(sender=sender, event_ids={instance.event_id, instance.loaded_event_id})
        instance.rules_remember()


def is_deleted_with(origin, model) -> bool:
    """Whether a delete began at a record of this model (or a queryset of them): what goes with it needs no
    summary of its own."""
    return isinstance(origin, model) or (isinstance(origin, models.QuerySet) and origin.model is model)


def claim_delete_announce(sender, instance, origin=None, **kwargs) -> None:
    """Announce a deleted claim's event, unless the event itself is being deleted."""
    if not is_deleted_with(origin, sender.event.field.related_model):
        claims_changed_send(sender=sender, event_ids={instance.event_id})


def fate_claim_save_announce(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    """Announce a saved fate claim's person, and the person it left when it moved, if the rules read what changed.

    The events of the people's fate claims count their named dead anew on that announcement; the event a
    fate claim left, which may hold none of them now, is announced as claims changed there."""
    if is_rule_write(sender, instance, created=created, update_fields=update_fields, raw=raw):
        fates_changed_send(sender=sender, person_ids={instance.person_id, instance.loaded_person_id})
        if instance.loaded_event_id != instance.event_id:
            claims_changed_send(sender=sender, event_ids={instance.loaded_event_id})
        instance.rules_remember()


def fate_claim_delete_announce(sender, instance, origin=None, **kwargs) -> None:
    """Announce a deleted fate claim's event, which lost one of its named dead, and its person, unless the
    person itself is being deleted."""
    claims_changed_send(sender=sender, event_ids={instance.event_id})
    if not is_deleted_with(origin, sender.person.field.related_model):
        fates_changed_send(sender=sender, person_ids={instance.person_id})
