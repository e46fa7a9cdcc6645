"""A merge of two events and an import started at once on PostgreSQL run one after the other.

The import and the merge each run in a thread of their own, through their own database connection,
as an import job and a click on the link review would. A hook holds whichever starts first inside
its transaction, after it has read, until the other has finished (for at most two seconds): the
interleaving that a merge during a long import meets by chance, made certain, so that these tests
fail whenever merges and imports are not serialised.
"""

import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from tests.factories import make_claim, make_event, make_party
from tests.helpers import claim_row, csv_bytes
from tracker import linking
from tracker.ingest.importer import LOOK_AHEAD, file_import
from tracker.ingest.resolvers import EventResolver
from tracker.models import Claim, Event, EventAlias, LinkStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one connection write at a time by itself; the advisory lock is PostgreSQL's",
    ),
]
HOLD_SECONDS = 2
MERGED_REF = "GED-285578"


class Outcome:
    """What a function run in a thread of its own returned, or the exception that escaped it."""

    def __init__(self, function):
        self.value = self.error = None
        self.thread = threading.Thread(target=self.run, args=[function])
        self.thread.start()

    def run(self, function) -> None:
        try:
            self.value = function()
        except Exception as error:
            self.error = error
        finally:
            connections.close_all()  # this thread's own connection

    def result(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value


def pair_to_merge() -> tuple[Event, Event]:
    """Two events of one incident, each with a claim; the one entered first is kept."""
    kept = make_event(ref="AW-CS1", origin="airwars", origin_id="CS1", start_date=date(2018, 1, 5),
                      latitude=Decimal("35.950000"), longitude=Decimal("39.010000"))  # fmt: skip
    merged = make_event(ref=MERGED_REF, origin="ucdp_ged", origin_id="285578", start_date=date(2018, 1, 5),
                        latitude=Decimal("35.951000"), longitude=Decimal("39.010000"))  # fmt: skip
    make_claim(kept, make_party(name="Airwars"), count=4, category="civilian")
    make_claim(merged, make_party(name="UCDP GED"), count=3, category="civilian")
    return kept, merged


def only_candidate():
    (candidate,) = linking.link_proposal().candidates
    return candidate


def import_of(rows: list[dict]):
    return lambda: file_import(file=io.BytesIO(csv_bytes(rows)), name="claims.csv")


def test_a_merge_during_an_import_waits_and_the_rows_of_the_merged_event_land_on_the_kept_one(monkeypatch):
    kept, merged = pair_to_merge()
    candidate = only_candidate()
    # The first look-ahead is all of new events; the merged event's row comes in the next one.
    rows = [claim_row(best=str(number)) for number in range(LOOK_AHEAD)]
    rows.append(claim_row(event_ref=MERGED_REF, party="Monitor of the merged event", best="9"))
    import_has_read, merge_done = threading.Event(), threading.Event()
    look_ahead = EventResolver.look_ahead

    def look_ahead_then_hold(resolver, *args, **kwargs):
        found = look_ahead(resolver, *args, **kwargs)
        if not import_has_read.is_set():
            import_has_read.set()
            merge_done.wait(HOLD_SECONDS)  # not done in time when the merge waits for this import
        return found

    monkeypatch.setattr(EventResolver, "look_ahead", look_ahead_then_hold)

    def merge_once_the_import_has_read():
        assert import_has_read.wait(HOLD_SECONDS * 5)
        try:
            return linking.event_link_accept(candidate=candidate, user=None)
        finally:
            merge_done.set()

    importing = Outcome(import_of(rows))
    merging = Outcome(merge_once_the_import_has_read)
    report, link = importing.result(), merging.result()

    assert report.ok, list(report.errors)
    assert link.status == LinkStatus.ACCEPTED
    # Never a new event beside the alias: the import's row went to the event it named, which then merged.
    assert not Event.objects.filter(ref=MERGED_REF).exists()
    assert EventAlias.objects.get(ref=MERGED_REF).event_id == kept.pk
    assert Claim.objects.get(party__name="Monitor of the merged event").event_id == kept.pk
    restored = linking.event_link_undo(link=link, user=None)
    assert (restored.pk, restored.ref) == (merged.pk, MERGED_REF)
    assert set(restored.claims.values_list("party__name", flat=True)) == {"UCDP GED", "Monitor of the merged event"}


def test_an_import_during_a_merge_waits_and_finds_the_merged_event_through_its_alias(monkeypatch):
    kept, merged = pair_to_merge()
    candidate = only_candidate()
    # No event columns: the row names a stored event, as a re-import of one dataset's claims would.
    row = {"event_ref": MERGED_REF, "party": "Monitor of the merged event", "party_kind": "monitor",
           "category": "civilian", "qualifier": "exact", "best": "9", "claimed_on": "2018-01-06",
           "source_title": "Daily report"}  # fmt: skip
    merge_has_read, import_done = threading.Event(), threading.Event()
    delete = Event.delete

    def delete_then_hold(event, *args, **kwargs):
        deleted = delete(event, *args, **kwargs)
        merge_has_read.set()
        import_done.wait(HOLD_SECONDS)  # not done in time when the import waits for this merge
        return deleted

    monkeypatch.setattr(Event, "delete", delete_then_hold)

    def import_once_the_merge_has_read():
        assert merge_has_read.wait(HOLD_SECONDS * 5)
        try:
            return import_of([row])()
        finally:
            import_done.set()

    merging = Outcome(lambda: linking.event_link_accept(candidate=candidate, user=None))
    importing = Outcome(import_once_the_merge_has_read)
    link, report = merging.result(), importing.result()

    assert report.ok, list(report.errors)
    assert (report.created["events"], report.created["claims"]) == (0, 1)
    assert Claim.objects.get(party__name="Monitor of the merged event").event_id == kept.pk
    assert not Event.objects.filter(ref=MERGED_REF).exists()
    # The undo restores the merged event with its own claim; the row imported through the alias stays.
    restored = linking.event_link_undo(link=link, user=None)
    assert (restored.pk, restored.ref) == (merged.pk, MERGED_REF)
    assert list(restored.claims.values_list("party__name", flat=True)) == ["UCDP GED"]
    assert Claim.objects.get(party__name="Monitor of the merged event").event_id == kept.pk
