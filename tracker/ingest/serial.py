"""Imports that store run one after the other, so that imports started at once give what they give in turn.

Two imports running side by side would each look up what is stored, both find the same new event
or source missing, and both make it (one file imported twice at once stores every claim twice;
two files naming the same new event collide on its reference), or lock the same claims in
opposite orders and deadlock. On PostgreSQL a storing import therefore takes a transaction-level
advisory lock before it reads anything: the next one waits, then reads what the first stored.
The lock is released when the import's transaction ends, committed or rolled back, so a failed
or killed import cannot leave it held. SQLite lets one connection write at a time by itself.

A merge of two events, and its undo, take the same lock (tracker.linking): an import that had
read an event before it was merged would otherwise write to it after it was gone, or, having
found no aliases when it began, make the merged event anew beside its alias.
"""

from __future__ import annotations

from django.db import connection

# Any fixed number, the same in every process; no other advisory lock of this database uses it.
IMPORT_LOCK = 7_221_432_640  # "tracker imports"


def imports_serialise() -> None:
    """Wait until no other storing import, merge or undo of a merge runs, and keep others waiting until
    this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
