"""The stored tallies (per party, per month) stay equal to a count over every claim, whatever the writes."""

from datetime import date

import pytest
from django.core.management import call_command

from tests.assertions import assert_tallies_in_step, stored_months
from tests.factories import make_claim, make_event, make_party, make_source
from tracker.models import Claim, Event, MonthTally, PartyTally
from tracker.models.tallies import LEVEL_COLUMNS
from tracker.rules import discrepancy

pytestmark = pytest.mark.django_db


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
    assert_tallies_in_step()
    claims[1].best = 38  # now agreeing with the ministry
    claims[1].save()
    assert_tallies_in_step()
    claims[2].event = shelling  # moved to another event
    claims[2].save()
    assert_tallies_in_step()
    Claim.objects.filter(pk=claims[3].pk).update(party=ministry, claimed_on=date(2020, 1, 9))
    assert_tallies_in_step()
    Claim.objects.filter(pk=claims[4].pk).update(retracted=True)
    assert_tallies_in_step()
    claims[0].delete()
    assert_tallies_in_step()
    Claim.objects.bulk_create([Claim(event=strike, party=hospital, source=make_source(), category="total",
                                     qualifier="exact", best=3, claimed_on=date(2017, 12, 31))])  # fmt: skip
    assert_tallies_in_step()
    shelling.delete()
    assert_tallies_in_step()
    Event.objects.all().delete()
    assert_tallies_in_step()
    assert not stored_months()


def test_a_rebuild_sets_wrong_tallies_right():
    party = make_party()
    for day in (1, 2, 3):
        make_claim(make_event(), party, count=day, claimed_on=date(2018, 3, day))
    PartyTally.objects.update(claims=99, above=5)
    MonthTally.objects.update(claims=1)
    call_command("rebuild_summaries", stdout=None)
    assert_tallies_in_step()
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
