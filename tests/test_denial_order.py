"""Denials ranked by the deaths they deny, everywhere most severe comes first: a denial of 240 dead is never
buried under denials of one."""

from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories import make_claim, make_event, make_party
from tracker.models import Event
from tracker.summaries.ranking import DENIAL_RANK

pytestmark = pytest.mark.django_db


def denial(ref: str, day: date, denied: tuple) -> Event:
    """An event where a ministry says no civilians died and a monitor counts `denied` (qualifier, low, best, high)."""
    event = make_event(ref=ref, start_date=day)
    make_claim(event, make_party(name=f"Ministry {ref}"), count=0, category="civilian")
    make_claim(event, make_party(name=f"Monitor {ref}"), count=denied, category="civilian")
    return event


@pytest.fixture
def denials():
    """A recent denial of one death, and an older one of 240 to 250."""
    return denial("DENY-ONE", date(2021, 3, 1), 1), denial("DENY-MANY", date(2017, 9, 8), ("range", 240, None, 250))


def test_a_denial_is_ranked_by_the_deaths_it_denies(denials):
    ranks = dict(Event.objects.values_list("ref", "ratio_rank"))
    assert ranks == {"DENY-ONE": DENIAL_RANK + 1, "DENY-MANY": DENIAL_RANK + 240}
    assert list(Event.objects.by_severity().values_list("ref", flat=True)) == ["DENY-MANY", "DENY-ONE"]


@pytest.mark.parametrize("page", ["dashboard", "event_list", "to_assess"])
def test_the_pages_list_the_largest_denial_first(reader, denials, page):
    content = reader.get(reverse(page)).content.decode()
    assert content.index("DENY-MANY") < content.index("DENY-ONE")


def test_the_events_download_lists_the_largest_denial_first(reader, denials):
    content = reader.get(reverse("event_download", args=["csv"])).content.decode()
    assert content.index("DENY-MANY") < content.index("DENY-ONE")


def test_the_migration_ranks_the_denials_stored_before_it(denials):
    path = next(Path(apps.get_app_config("tracker").path, "migrations").glob("*_denials_ranked.py"))
    migration = __import__(f"tracker.migrations.{path.stem}", fromlist=["denials_rank"])
    Event.objects.update(ratio_rank=DENIAL_RANK)  # as stored before

    migration.denials_rank(apps, None)

    assert dict(Event.objects.values_list("ref", "ratio_rank")) == {
        "DENY-ONE": DENIAL_RANK + 1, "DENY-MANY": DENIAL_RANK + 240,
    }  # fmt: skip
