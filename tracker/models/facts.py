"""Records whose stored summaries read some of their fields: a save that changes none of those refreshes nothing."""

from django.db import models, transaction

from tracker.models.signals import Announcer


class RuleFacts(models.Model):
    """A record that remembers, as loaded, the fields its rules read (`RULE_FIELDS`, as attribute names)."""

    RULE_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def has_rule_fields(cls, fields) -> bool:
        """Whether a write to these fields (names or attribute names) can change a rule's result."""
        return any(f"{name}_id" in cls.RULE_FIELDS or name in cls.RULE_FIELDS for name in fields)

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record.rules_remember()
        return record

    def rules_remember(self):
        """Remember what the rules read of this record as stored, so that a save that changes none of it
        refreshes nothing, and a move to another event or person refreshes the one it left too."""
        self._loaded_facts = {name: self.__dict__.get(name) for name in self.RULE_FIELDS}

    def has_rule_changes(self) -> bool:
        loaded = getattr(self, "_loaded_facts", None)
        return loaded is None or any(self.__dict__.get(name) != value for name, value in loaded.items())

    def loaded_fact(self, name: str):
        """Return a field's value as loaded (None for a record not loaded)."""
        return getattr(self, "_loaded_facts", {}).get(name)


class AnnouncedQuerySet(models.QuerySet):
    """Bulk writes that bypass save() and announce what they touch too: the records named by their `announced`
    field (an attribute name: `event_id`), through `announcer` (tracker.models.signals), once per call, in the
    write's own transaction, and not at all when only fields the rules ignore change. Atomic as Django's own
    bulk_create is, without a savepoint: inside a transaction, a failure fails it whole."""

    announced = ""
    announcer: Announcer

    def update(self, **kwargs):
        if not self.model.has_rule_fields(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            # Taken before the update, which may change the very fields this queryset filters on. Records
            # moved elsewhere are pinned by key, to find where they went.
            touched = set(self.order_by().values_list(self.announced, flat=True).distinct())
            moving = {self.announced, self.announced.removesuffix("_id")} & set(kwargs)
            keys = list(self.values_list("pk", flat=True)) if moving else None
            updated = super().update(**kwargs)
            if moving:
                touched |= set(self.model.objects.filter(pk__in=keys).values_list(self.announced, flat=True))
            self.announcer.send(sender=self.model, ids=touched)
        return updated

    def delete(self):
        # Each deleted record announces itself (its post_delete receiver): once each, in one batch.
        with transaction.atomic(using=self.db, savepoint=False), self.announcer.batched(sender=self.model):
            return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            self.announcer.send(sender=self.model, ids={getattr(record, self.announced) for record in created})
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        if not self.model.has_rule_fields(fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            keys = [record.pk for record in objs]
            moved_from = set(self.model.objects.filter(pk__in=keys).values_list(self.announced, flat=True))
            updated = super().bulk_update(objs, fields, *args, **kwargs)
            moved_to = {getattr(record, self.announced) for record in objs}
            self.announcer.send(sender=self.model, ids=moved_from | moved_to)
        return updated
