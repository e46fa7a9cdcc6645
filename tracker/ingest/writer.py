"""Writing what an import makes and changes, a chunk of lines at a time, with its history."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection, models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tracker.ingest.copying import created_with_history
from tracker.models import Assessment, Claim, Event, FateClaim, OtherName, Party, Person, Source
from tracker.models.reviews import Reviewed
from tracker.models.signals import claims_changed_send, fates_changed_send
from tracker.summaries.grades import grades_store

BATCH_SIZE = 500


def copies() -> bool:
    """Whether new objects are written by COPY: on PostgreSQL, which has it."""
    return connection.vendor == "postgresql"


class BatchWriter:
    """Queues new objects and changes to stored ones, and writes them in a few queries per model.

    Every object written gets its history record, with the importing user and the reason, as a
    save() would give it; on years of data bulk writes are the difference between seconds and
    minutes. On PostgreSQL new objects are written by COPY (tracker.ingest.copying), faster still.
    """

    # What a claim, an assessment or a fate claim refers to is written before it.
    MODELS = (Party, Event, Source, Person, OtherName, FateClaim, Claim, Assessment)

    def __init__(self, *, user=None, reason: str = ""):
        self.user = user
        self.reason = reason
        self.new: dict[type[models.Model], list[models.Model]] = {model: [] for model in self.MODELS}
        self.changed: dict[type[models.Model], dict[int, models.Model]] = {model: {} for model in self.MODELS}
        self.changed_fields: dict[type[models.Model], set[str]] = {model: set() for model in self.MODELS}

    def add(self, instance: models.Model) -> None:
        """Queue a new object to be created."""
        self.new[type(instance)].append(instance)

    def update(self, instance: models.Model, fields: list[str]) -> None:
        """Queue these fields of a stored object to be written, counting up its version once a batch,
        as a save would: a page opened before the import then refuses to write over it, and a reviewed
        record waits for review again."""
        if instance.pk not in self.changed[type(instance)]:
            instance.version += 1
        # A change sends a reviewed claim or assessment back to be reviewed again, as a save would.
        undone = instance.review_undo() if isinstance(instance, Reviewed) else ()
        self.changed[type(instance)][instance.pk] = instance
        self.changed_fields[type(instance)].update([*fields, "version", *undone])

    @property
    def history(self) -> dict:
        """How simple_history's bulk writes record who made the changes and why."""
        return {"batch_size": BATCH_SIZE, "default_user": self.user, "default_change_reason": self.reason}

    def flush(self) -> None:
        """Write what is queued, and start the next batch."""
        # Bulk writes send no post_save: the events whose assessments they write have their grades stored here.
        assessed = {assessment.event_id for assessment in self.new[Assessment]}
        assessed |= {assessment.event_id for assessment in self.changed[Assessment].values()}
        for model, instances in self.new.items():
            if instances:
                self.created(model, instances)
            instances.clear()
        for model, instances in self.changed.items():
            if instances:
                bulk_update_with_history(
                    list(instances.values()), model, fields=sorted(self.changed_fields[model]), **self.history
                )
            instances.clear()
            self.changed_fields[model].clear()
        grades_store(assessed)

    def created(self, model: type[models.Model], instances: list[models.Model]) -> None:
        if model is Source:
            # A new source relaying another new one takes its key: written after it.
            for relayed_first in relay_generations(instances):
                self.written(model, relayed_first)
        else:
            self.written(model, instances)

    def written(self, model: type[models.Model], instances: list[models.Model]) -> None:
        if not copies():
            bulk_create_with_history(instances, model, **self.history)
            return
        created_with_history(instances, model, user=self.user, reason=self.reason)
        if model is Claim:
            # COPY passes by the claims' bulk_create, which announces their events.
            claims_changed_send(sender=Claim, event_ids={claim.event_id for claim in instances})
        elif model is FateClaim:
            fates_changed_send(sender=FateClaim, person_ids={fate_claim.person_id for fate_claim in instances})


def relay_generations(sources: list[Source]) -> Iterator[list[Source]]:
    """Yield new sources in groups to write in turn, each group once the one before it is written: a source
    after the new one it relays, whose key it takes."""
    pending = sources
    while pending:
        ready = [source for source in pending if not relays_unwritten(source)]
        yield ready
        written = {id(source) for source in ready}
        pending = [source for source in pending if id(source) not in written]


def relays_unwritten(source: Source) -> bool:
    return Source.relays.is_cached(source) and source.relays is not None and source.relays.pk is None
