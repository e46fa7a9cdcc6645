"""Writing an import's new rows and their history through PostgreSQL's COPY.

INSERT batches spend most of a large import in Django building each statement's parameters
and in simple_history building a historical object per row; COPY takes the values as they
are. The rows stored are those of `bulk_create_with_history`: the primary keys are drawn from
the table's own sequence, and each row gets its history record of creation ('+') with the
importing user and the reason.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone


def keys_drawn(model: type[models.Model], count: int) -> list[int]:
    """Draw `count` primary keys from the model's sequence, as inserts would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [key for (key,) in cursor.fetchall()]


def rows_copy(model: type[models.Model], fields: list[models.Field], rows) -> None:
    """COPY rows (tuples of values in the order of `fields`) into the model's table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def created_with_history(instances: list[models.Model], model: type[models.Model], *, user, reason: str) -> None:
    """Store new objects of one model, and the history record of each one's creation.

    The models an import makes hold only values that PostgreSQL takes as Python gives them
    (text, numbers, dates, times, flags, keys), so no field prepares its value for the database.
    They are read as assigned, under any descriptor that dresses them (a country as its code).
    """
    for instance, key in zip(instances, keys_drawn(model, len(instances)), strict=True):
        # As bulk_create does: a relation to an object written since it was assigned takes its key.
        instance._prepare_related_fields_for_save(operation_name="bulk_create")
        instance.pk = key
        instance._state.adding = False
        instance._state.db = connection.alias
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    rows_copy(model, fields, (tuple(vars(instance)[name] for name in names) for instance in instances))

    history = model.history.model
    tracked = list(history.tracked_fields)
    tracked_names = [field.attname for field in tracked]
    # As simple_history does when no user is given: the user of the request under way, if any.
    history_user = user or history.get_default_history_user(instances[0])
    history_user_id = getattr(history_user, "pk", None)
    extra = [history._meta.get_field(name) for name in ("history_date", "history_change_reason", "history_type")]
    extra.append(history._meta.get_field("history_user"))
    rows_copy(
        history,
        [*tracked, *extra],
        (
            (*(vars(instance)[name] for name in tracked_names), timezone.now(), reason, "+", history_user_id)
            for instance in instances
        ),
    )
