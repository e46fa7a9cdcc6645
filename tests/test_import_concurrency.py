"""Imports started at once on PostgreSQL give what they give one after the other.

Each import runs in its own thread, through its own database connection, as two web requests or
two commands would. A rendezvous holds each import before its first write until the other has
read what it needs too (for at most two seconds): the interleaving that overlapping imports meet
by chance, made certain, so that these tests fail whenever imports are not serialised.
"""

import contextlib
import io
import threading

import pytest
from django.db import connection, connections

from tests.helpers import claim_row, csv_bytes
from tracker.ingest.importer import ImportReport, file_import
from tracker.ingest.writer import BatchWriter
from tracker.models import Claim, Event, Source

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one connection write at a time by itself; the advisory lock is PostgreSQL's",
    ),
]
RENDEZVOUS_SECONDS = 2


@pytest.fixture(autouse=True)
def each_reads_before_either_writes(monkeypatch):
    rendezvous = threading.Barrier(2, timeout=RENDEZVOUS_SECONDS)
    flush = BatchWriter.flush

    def flush_after_rendezvous(writer):
        if not getattr(writer, "met", False):
            writer.met = True
            # Broken when the other import does not come: it waits for this one to finish (serialised).
            with contextlib.suppress(threading.BrokenBarrierError):
                rendezvous.wait()
        flush(writer)

    monkeypatch.setattr(BatchWriter, "flush", flush_after_rendezvous)


def imports_at_once(*contents: bytes) -> list[ImportReport]:
    """Import each file in a thread of its own, all at once; re-raise whatever escaped an import."""
    outcomes: list = [None] * len(contents)

    def import_one(index: int, content: bytes) -> None:
        try:
            outcomes[index] = file_import(file=io.BytesIO(content), name=f"claims-{index}.csv")
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=import_one, args=item) for item in enumerate(contents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    return outcomes


def claims_of_one_event(count: int, **fields) -> list[dict]:
    """Claims that differ only by their count, so that they share one stored event."""
    return [claim_row(best=str(number), **fields) for number in range(count)]


def test_the_same_file_imported_twice_at_once_is_stored_once():
    assert file_import(file=io.BytesIO(csv_bytes([claim_row()])), name="event.csv").ok  # the event is stored
    rows = [
        claim_row(best=str(number), source_url=f"https://example.org/{number // 2}", source_title=f"Report {number}")
        for number in range(1500)
    ]
    content = csv_bytes(rows)

    first, second = imports_at_once(content, content)

    assert first.ok and second.ok
    assert sorted([first.created["claims"], second.created["claims"]]) == [0, 1500]
    assert sorted([first.unchanged, second.unchanged]) == [0, 1500]
    assert Claim.objects.count() == 1501
    assert Source.objects.exclude(url="").count() == 750  # one source per URL
    assert Claim.history.count() == 1501


def test_two_files_making_the_same_new_event_make_it_once():
    ministry = csv_bytes(claims_of_one_event(600, event_ref="NEW-1", party="Ministry", party_kind="government"))
    monitor = csv_bytes(claims_of_one_event(600, event_ref="NEW-1", party="Monitor", party_kind="monitor"))

    reports = imports_at_once(ministry, monitor)

    assert all(report.ok for report in reports)
    assert sorted(report.created["events"] for report in reports) == [0, 1]
    assert Event.objects.count() == 1
    assert Claim.objects.filter(event__ref="NEW-1").count() == 1200


def test_files_changing_the_same_claims_in_opposite_orders_give_one_file_then_the_other():
    rows = claims_of_one_event(1000)
    assert file_import(file=io.BytesIO(csv_bytes(rows)), name="stored.csv").ok
    retracting = csv_bytes([{**row, "retracted": "true"} for row in rows])
    annotating = csv_bytes([{**row, "notes": "checked"} for row in reversed(rows)])

    reports = imports_at_once(retracting, annotating)

    assert [report.updated for report in reports] == [1000, 1000]
    # Whichever ran last states every claim: all of them as one file says, none mixed.
    assert set(Claim.objects.values_list("retracted", "notes")) in ({(True, "")}, {(False, "checked")})
