"""Reads of the read-heavy pages from a PostgreSQL read replica, when one is configured.

With DATABASE_REPLICA_URL set, the pages that only read (the dashboard, the lists, an event, a
party, the downloads and the API) read the tracker's records from the replica, so that a second
database server carries them. Everything else stays on the primary: every write; every read of a
request once it has written (so that it reads what it wrote, which the replica may not have yet);
the admin, whose forms check versions against the latest data; and sign-in, sessions and tokens,
which must never lag.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

# The pages whose requests may read from the replica, by URL name; and every route of the read API.
REPLICA_PAGES = {
    "dashboard", "event_list", "event_download", "event_claims_download", "event_assessments_download",
    "event_detail", "party_list", "party_detail",
}  # fmt: skip
REPLICA_ROUTES = ("api/",)
READING_METHODS = ("GET", "HEAD")

replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_page(request) -> bool:
    """Whether this request is a read of a read-heavy page."""
    match = request.resolver_match
    return (
        request.method in READING_METHODS
        and match is not None
        and (match.url_name in REPLICA_PAGES or match.route.startswith(REPLICA_ROUTES))
    )


class ReplicaReadsMiddleware:
    """Let the read-heavy pages' requests read from the replica, for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = replica_reads.set(False)
        try:
            return self.get_response(request)
        finally:
            replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.READ_REPLICA and replica_page(request):
            replica_reads.set(True)


class ReplicaRouter:
    """Send a read-heavy page's reads of the tracker's records to the replica, and the rest to the primary."""

    def db_for_read(self, model, **hints):
        if settings.READ_REPLICA and replica_reads.get() and model._meta.app_label == "tracker":
            return settings.READ_REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        replica_reads.set(False)  # what this request reads next, it reads from where it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database under two names: an object read from the replica may be linked to one written.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
