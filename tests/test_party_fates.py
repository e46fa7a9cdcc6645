"""A party's page counts its death claims about named people, and those of them in a fate conflict, by the
rules' own pairs, in a fixed number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_event, make_fate_claim, make_party, make_person
from tests.test_views import query_count
from tracker.summaries.fates import DeathClaims, party_death_claims

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return make_party(name="Defence Ministry", kind="government")


def test_a_party_s_death_claims_and_those_in_conflict(ministry):
    times, tajikistan = make_party(name="The Times", kind="media"), make_party(name="Tajikistan", kind="government")
    khalimov, commander, cook, medic = (make_person(name=name) for name in ("Khalimov", "Commander", "Cook", "Medic"))
    # Killed twice: the ministry's death claim and the newspaper's, months apart.
    make_fate_claim(khalimov, ministry, fate="fatally_wounded", fate_date=date(2017, 9, 8))
    make_fate_claim(khalimov, times, fate="killed", fate_date=date(2017, 4, 20))
    # Alone: a death claim in no conflict.
    make_fate_claim(commander, ministry, fate="killed")
    # Not death claims: superseded by the ministry's own later word, hedged, or not a death.
    make_fate_claim(cook, ministry, fate="killed", claimed_on=date(2017, 9, 10))
    make_fate_claim(cook, ministry, fate="captured", claimed_on=date(2017, 9, 20))
    make_fate_claim(medic, ministry, fate="killed", hedge="possible")
    # A person in conflict whose conflict leaves the ministry's claim out: the ministry said only "wounded".
    disputed = make_person(name="Disputed")
    make_fate_claim(disputed, ministry, fate="wounded", fate_date=date(2017, 1, 1))
    make_fate_claim(disputed, times, fate="killed", fate_date=date(2017, 1, 1))
    make_fate_claim(disputed, tajikistan, fate="alive", fate_date=date(2018, 1, 1))
    assert party_death_claims(ministry.pk) == DeathClaims(total=2, in_conflict=1)
    assert party_death_claims(times.pk) == DeathClaims(total=2, in_conflict=2)
    assert party_death_claims(tajikistan.pk) == DeathClaims()


def test_the_party_page_says_its_death_claims(reader, ministry):
    khalimov = make_person(name="Khalimov")
    make_fate_claim(khalimov, ministry, fate="killed", fate_date=date(2017, 9, 8))
    make_fate_claim(khalimov, make_party(name="Tajikistan"), fate="alive", fate_date=date(2018, 2, 1))
    page = reader.get(reverse("party_detail", args=[ministry.pk])).content.decode()
    assert "Death claims about named people" in page
    assert "1 death claim, 1 in a fate conflict" in page


def test_the_party_page_reads_fate_claims_in_a_fixed_number_of_queries(reader, ministry):
    make_fate_claim(make_person(), ministry, event=make_event())
    few = query_count(reader, reverse("party_detail", args=[ministry.pk]))
    other = make_party(name="Monitor")
    for number in range(20):
        person = make_person()
        make_fate_claim(person, ministry, fate_date=date(2017, 1, number + 1))
        make_fate_claim(person, other, fate="alive", fate_date=date(2018, 1, number + 1))
    assert query_count(reader, reverse("party_detail", args=[ministry.pk])) == few
