"""Reads of the read-heavy pages from a read replica (DATABASE_REPLICA_URL), tested with Django's TEST MIRROR."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from tests.accounts import make_user
from tests.conftest import REPLICA
from tests.factories import make_claim, make_event, make_party
from tracker.models import Event, Party
from tracker.replicas import ReplicaRouter, replica_reads
from tracker.roles import EDITOR, VIEWER, role_assign

BOTH = [DEFAULT_DB_ALIAS, REPLICA]


@pytest.fixture
def replica(settings):
    settings.READ_REPLICA = REPLICA


@pytest.fixture
def reading():
    """Inside a read-heavy page's request, as the middleware marks it."""
    token = replica_reads.set(True)
    yield
    replica_reads.reset(token)


def test_only_a_read_heavy_pages_reads_of_records_go_to_the_replica(replica, reading):
    router = ReplicaRouter()
    assert router.db_for_read(Event) == REPLICA
    assert router.db_for_read(get_user_model()) == DEFAULT_DB_ALIAS  # sign-in never lags
    assert router.db_for_write(Event) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Event) == DEFAULT_DB_ALIAS  # after a write, what it wrote
    assert router.allow_migrate(REPLICA, "tracker") is False and router.allow_migrate(DEFAULT_DB_ALIAS, "tracker")


def test_without_a_replica_every_read_goes_to_the_primary(reading):
    assert ReplicaRouter().db_for_read(Event) == DEFAULT_DB_ALIAS


def queries_by_database(client, path: str) -> dict[str, list[str]]:
    captured = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
    for context in captured.values():
        context.__enter__()
    try:
        assert client.get(path).status_code == 200
    finally:
        for context in captured.values():
            context.__exit__(None, None, None)
    return {alias: [query["sql"] for query in context.captured_queries] for alias, context in captured.items()}


def tracker_tables(queries: list[str]) -> list[str]:
    return [sql for sql in queries if '"tracker_' in sql]


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.parametrize("path", ["/", "/events/", "/events/SYR-1/", "/parties/", "/events/export.csv", "/api/events/"])
def test_read_heavy_pages_read_the_records_from_the_replica(client, replica, path):
    make_claim(make_event(ref="SYR-1"), make_party(name="Ministry"), count=40)
    user = make_user("replica-reader")
    role_assign(user=user, roles=[VIEWER])
    client.force_login(user)

    queries = queries_by_database(client, path)

    assert tracker_tables(queries[REPLICA]) and not tracker_tables(queries[DEFAULT_DB_ALIAS])
    # Sign-in never reads the replica; the name of a record's author, joined into the record's row, may lag with it.
    assert not [sql for sql in queries[REPLICA] if 'FROM "django_session"' in sql or 'FROM "auth_user"' in sql]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_admin_reads_from_the_primary(client, replica):
    make_event(ref="SYR-1")
    user = make_user("replica-editor")
    role_assign(user=user, roles=[EDITOR])
    client.force_login(user)

    queries = queries_by_database(client, "/admin/tracker/event/")

    assert tracker_tables(queries[DEFAULT_DB_ALIAS]) and not queries[REPLICA]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_after_a_write_the_request_reads_from_the_primary(replica, reading):
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert Party.objects.count() == 0
    Party.objects.create(name="Monitor", kind="monitor")
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary:
        assert Party.objects.count() == 1

    assert len(on_replica.captured_queries) == 1 and len(on_primary.captured_queries) == 1
