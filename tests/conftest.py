import os

import pytest
from django.conf import settings as settings_module
from django.contrib.auth.models import Permission
from django.utils import translation
from hypothesis import settings

from tests.accounts import make_reader, make_user
from tests.factories import subgroups_seeded

REPLICA = "replica"

# Property tests draw the same examples on every run, so that a failure in CI replays anywhere;
# HYPOTHESIS_PROFILE=explore draws new ones. No deadline per example: on a shared machine a slow
# example is load, not a fault, and the suite never asserts a timing.
settings.register_profile("replayable", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("explore", derandomize=False, max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "replayable"))


def pytest_addoption(parser):
    parser.addoption("--write-golden", action="store_true", help="write the golden export files afresh (make golden)")


@pytest.fixture
def reader(client, db):
    """A client signed in as a researcher who may read every page but not see confidential sources."""
    client.force_login(make_reader())
    return client


@pytest.fixture
def editor(db):
    """A staff member who may enter data but not see confidential sources."""
    codenames = (
        Permission.objects.filter(content_type__app_label="tracker")
        .exclude(codename="view_confidential_source")
        .values_list("codename", flat=True)
    )
    return make_user("editor", *codenames, is_staff=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A read replica alias that mirrors the test database (Django's TEST MIRROR), as
    DATABASE_REPLICA_URL makes one. Only the tests that set READ_REPLICA read from it
    (tests/test_replicas.py); it is not used otherwise."""
    default = settings_module.DATABASES["default"]
    settings_module.DATABASES[REPLICA] = {**default, "TEST": {**default.get("TEST", {}), "MIRROR": "default"}}


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request in Arabic leaves Arabic active in the thread: each test starts in the default language."""
    yield
    translation.activate(settings_module.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run inside the request that queues them, so a test sees their outcome at once;
    one test runs the database backend's worker itself (test_import_jobs.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def choices_forgotten():
    """What is kept in the cache (the filter choices of tracker.choice_cache, every party's track records) is read
    afresh in each test: a test's writes roll back, and the next test's data version repeats an earlier one's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def subgroups(request):
    """The subgroups the migration seeds, for every test with a database: a transactional test's flush
    empties every table, and the seeds with it, for the tests that run after it."""
    if request.node.get_closest_marker("django_db") is None:
        wanted = {"db", "transactional_db"} & set(request.fixturenames)
        if not wanted:
            return
        request.getfixturevalue(wanted.pop())
    subgroups_seeded()
