"""Keeping the stored discrepancy summaries in step with the claims.

Every write that changes what the rules read of an event's claims sends
tracker.models.signals.claims_changed; the receiver connected in TrackerConfig.ready()
(tracker.summaries.receivers) calls `event_summaries_refresh` with the touched events, which
computes their results and stores them, so that lists filter and sort without computing.

Two backends compute the same results behind one interface, chosen by database vendor as Django
chooses `db/backends/<vendor>`: `backends.python` runs the pure rules of tracker.rules.discrepancy
(the one definition, SQLite's path and the tests' oracle); `backends.postgresql` computes the same
set-based in SQL. A backend module has `CHUNK` (how many events it refreshes in one transaction),
`summaries_store(*, event_ids, thresholds)` (lock those events, store their results and tallies,
return how many were still there), and `rebuild_begin()` / `rebuild_end()` around a rebuild of
every event. After either backend, tracker.summaries.grades stores the events' grades by the pure rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import import_module
from itertools import islice
from types import ModuleType

from django.conf import settings
from django.db import connection, transaction

from tracker.models import Event
from tracker.rules import discrepancy
from tracker.summaries import grades
from tracker.summaries.signals import summaries_stored

BACKENDS = {"postgresql": "tracker.summaries.backends.postgresql"}
RULES_BACKEND = "tracker.summaries.backends.python"


def backend(vendor: str | None = None) -> ModuleType:
    """Return the summaries backend for this database vendor (the connection's when None)."""
    return import_module(BACKENDS.get(vendor or connection.vendor, RULES_BACKEND))


def thresholds() -> discrepancy.Thresholds:
    return discrepancy.Thresholds(
        tolerance=settings.TRACKER_APPROXIMATE_TOLERANCE,
        major_ratio=settings.TRACKER_MAJOR_RATIO,
        major_gap=settings.TRACKER_MAJOR_GAP,
    )


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def event_summaries_refresh(*, events: Iterable[int | Event] | None = None) -> int:
    """Recompute and store the summaries of these events (all events when None); return how many."""
    store = backend()
    rebuild = events is None
    if rebuild:
        event_ids = Event.objects.order_by("pk").values_list("pk", flat=True).iterator(store.CHUNK)
        with transaction.atomic():
            store.rebuild_begin()
    else:
        event_ids = sorted({getattr(event, "pk", event) for event in events if event is not None})
    rules = thresholds()
    refreshed = 0
    for chunk in chunked(event_ids, store.CHUNK):
        with transaction.atomic():
            refreshed += store.summaries_store(event_ids=chunk, thresholds=rules)
            grades.grades_store(chunk)
    if rebuild:
        with transaction.atomic():
            store.rebuild_end()
    summaries_stored.send(sender=Event, event_ids=None if rebuild else frozenset(event_ids))
    return refreshed
