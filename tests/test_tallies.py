"""The stored tallies (per party, per month) stay equal to a count over every claim, whatever the writes."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncMonth

from tests.factories import make_claim, make_event, make_party, make_source
from tracker.models import Claim, Event, MonthTally, PartyTally
from tracker.models.tallies import LEVEL_COLUMNS, STANDING_COLUMNS
from tracker.rules import discrepancy

pytestmark = pytest.mark.django_db


def counted_party_tallies() -> dict[int, dict]:
    """Count, over every claim as stored, what the party tally should hold (the old per-request count)."""
    tallies: dict[int, Counter] = {}
    for claim in Claim.objects.with_group_summary().select_related("event"):
        tally = tallies.setdefault(claim.party_id, Counter())
        tally["claims"] += 1
        if claim.standing is not None:
            tally[claim.standing] += 1
    events = Claim.objects.order_by().values_list("party_id", "event_id", "event__level").distinct()
    for party, _event, level in events:
        tallies[party]["events"] += 1
        if level is not None:
            tallies[party][LEVEL_COLUMNS[level]] += 1
    columns = ("claims", "events", *STANDING_COLUMNS, *LEVEL_COLUMNS.values())
    return {party: {name: tally[name] for name in columns} for party, tally in tallies.items()}


def stored_party_tallies() -> dict[int, dict]:
    columns = ("claims", "events", *STANDING_COLUMNS, *LEVEL_COLUMNS.values())
    return {
        row["party_id"]: {name: row[name] for name in columns}
        for row in PartyTally.objects.filter(claims__gt=0).values("party_id", *columns)
    }


def counted_months() -> dict:
    per_month = Claim.objects.order_by().annotate(month=TruncMonth("claimed_on")).values_list("month")
    return dict(per_month.annotate(total=Count("pk")))


def stored_months() -> dict:
    return dict(MonthTally.objects.filter(claims__gt=0).values_list("month", "claims"))


def assert_in_step():
    assert stored_party_tallies() == counted_party_tallies()
    assert stored_months() == counted_months()


def test_the_tallies_follow_every_kind_of_write():
    ministry, monitor, hospital = make_party(), make_party(), make_party()
    strike, shelling = make_event(), make_event()
    claims = [
        make_claim(strike, ministry, count=40, category="combatant"),
        make_claim(strike, monitor, count=4, category="combatant", claimed_on=date(2018, 2, 3)),
        make_claim(strike, hospital, count=("range", 4, None, 40), category="combatant"),
        make_claim(shelling, monitor, count=7, claimed_on=date(2019, 5, 1)),
        make_claim(shelling, hospital, count=0),
    ]
    assert_in_step()
    claims[1].best = 38  # now agreeing with the ministry
    claims[1].save()
    assert_in_step()
    claims[2].event = shelling  # moved to another event
    claims[2].save()
    assert_in_step()
    Claim.objects.filter(pk=claims[3].pk).update(party=ministry, claimed_on=date(2020, 1, 9))
    assert_in_step()
    Claim.objects.filter(pk=claims[4].pk).update(retracted=True)
    assert_in_step()
    claims[0].delete()
    assert_in_step()
    Claim.objects.bulk_create([Claim(event=strike, party=hospital, source=make_source(), category="total",
                                     qualifier="exact", best=3, claimed_on=date(2017, 12, 31))])  # fmt: skip
    assert_in_step()
    shelling.delete()
    assert_in_step()
    Event.objects.all().delete()
    assert_in_step()
    assert not stored_months()


def test_a_rebuild_sets_wrong_tallies_right():
    party = make_party()
    for day in (1, 2, 3):
        make_claim(make_event(), party, count=day, claimed_on=date(2018, 3, day))
    PartyTally.objects.update(claims=99, above=5)
    MonthTally.objects.update(claims=1)
    call_command("rebuild_summaries", stdout=None)
    assert_in_step()
    assert stored_months() == {date(2018, 3, 1): 3}


def test_a_party_tally_counts_its_events_by_level():
    ministry, monitor = make_party(), make_party()
    apart = make_event()
    make_claim(apart, ministry, count=40)
    make_claim(apart, monitor, count=4)
    make_claim(make_event(), ministry, count=9)
    tally = PartyTally.objects.get(party=ministry)
    assert (tally.events, tally.events_major, tally.events_single) == (2, 1, 1)
    assert PartyTally.objects.get(party=monitor).events_major == 1
    assert discrepancy.MAJOR in LEVEL_COLUMNS
