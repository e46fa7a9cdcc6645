"""Query counts that must not grow with the rows: the pages, the API, the downloads and the exports.

Each surface is measured on a small and on a larger data set; the count must be the same, and
no more than the pinned number (raise it only for a reason, and say which in the commit).
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts import make_reader
from tests.factories import (
    claims_made,
    make_claim,
    make_event,
    make_fate_claim,
    make_party,
    make_person,
    make_source,
    seeded_subgroup,
)
from tracker.exports.claims import claim_rows
from tracker.exports.discrepancies import discrepancy_records
from tracker.models import Event, FateClaim, OtherName, Party
from tracker.models.signals import fates_changes_batched

pytestmark = pytest.mark.django_db


def grow(events: int) -> None:
    """Add events, each with claims of several parties, sides, subgroups, outcomes and sources, one of them
    confidential, and a person named among its dead; each event summarised once, as an import does."""
    with claims_made(), fates_changes_batched(sender=FateClaim):
        parties = [make_party() for _ in range(3)]
        secret = make_source(confidential=True)
        children = seeded_subgroup("children")
        for number in range(events):
            event = make_event(start_date=date(2018, 1, 1 + number % 28))
            event.alleged_perpetrators.add(parties[0])
            make_claim(event, parties[0], count=40, category="combatant", victim_side=parties[1])
            make_claim(event, parties[1], count=0, category="combatant", source=secret, notes="hidden")
            make_claim(event, parties[2], count=("range", 5, None, 9), category="civilian")
            make_claim(event, parties[2], count=12, category="total")  # below the parts: a containment discrepancy
            # Above its own civilians (an inconsistency) and above none of another party's: shown under its whole.
            make_claim(event, parties[2], count=10, category="civilian", subgroup=children)
            # A subgroup above another party's "none" sets the level: the list names the subgroup in its row.
            make_claim(event, parties[0], count=0, category="civilian")
            make_claim(event, parties[1], count=50, category="civilian", subgroup=children)
            make_claim(event, parties[0], count=3, category="civilian", outcome="injured")
            make_claim(event, parties[2], count=8, category="civilian", outcome="injured")
            # Named dead, one of them of a confidential source, and named elsewhere too: the event's named people.
            person = make_person()
            make_fate_claim(person, parties[0], event=event, status="combatant")
            make_fate_claim(person, parties[1], event=event, status="civilian", source=secret, notes="hidden")
            make_fate_claim(person, parties[2], fate="alive", fate_date=date(2019, 1, 1), claimed_on=date(2019, 1, 2))


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def first_ref() -> str:
    return Event.objects.order_by("pk").values_list("ref", flat=True).first()


FILTERED = "level=denial&level=major&ordering=-ratio&q=Test&min_ratio=1"


def busiest_party() -> int:
    return Party.objects.for_list().order_by("-claim_total", "pk").values_list("pk", flat=True).first()


def compared_parties() -> str:
    return "&".join(f"party={pk}" for pk in Party.objects.order_by("pk").values_list("pk", flat=True)[:2])


def reader_get(client, url):
    def run():
        assert client.get(url).status_code == 200

    return run


# The events' surfaces read their containment discrepancies in one query more (the downloads and
# exports one more again, for the claims each adds up), and the API and downloads their
# inconsistencies in one more. The downloads and exports read every assessment of their events in one query
# more (the current claims they stand against are those read already); the API its assessments and the
# current claims of the killed of a whole category in two more.
# Every page and download reads the data version its ETag is built from (one query), once a request: those
# showing every party's track records keep them in the cache under that same reading (tracker.models.freshness).
# On PostgreSQL the records are worked out set-based (tracker.summaries.track_records_sql): its planner settings
# set and given back around the query, five queries more than the pure rules read on SQLite; the pins hold the
# larger.
SURFACES = {
    # name: (pinned count, how to build the call from a signed-in client)
    # The pages read stored summaries and tallies: the parties page and a party's page never count claims.
    # The dashboard counts the events to assess (one query) and sums the organisation's assessments (one query);
    # its counts by level, of disputes, of inconsistencies and by grade are one pass over the events (one query).
    # It names the parties furthest above and below the others: their track records over every claim
    # (tracker.summaries.track_records) and their pages, in five queries.
    "dashboard": (24, lambda client, reader: reader_get(client, "/")),
    # The event list draws its located events on the map (one query); an event page asks which
    # events were merged into it (one query), and, where a party's report does not add up, how (one query).
    # The list's form offers the assessors (one query, kept a minute as the claimants are).
    "event_list": (14, lambda client, reader: reader_get(client, "/events/")),
    "event_list_filtered": (
        14,
        lambda client, reader: reader_get(client, f"/events/?{FILTERED}"),
    ),
    # An event page reads its current assessments with their initial grades (one query) and, for the suggested
    # grade, the sources its claims' sources relay (one query); its named people, with every fate claim of
    # theirs that decides whether they are among its named dead, in one query.
    "event_page": (19, lambda client, reader: reader_get(client, f"/events/{first_ref()}/")),
    # The events to assess are read as the list's rows are, without its map and form; the review queue
    # reads the first hundred of each kind awaiting review with who last changed them, and counts each kind
    # (claims, fate claims, assessments).
    "to_assess": (10, lambda client, reader: reader_get(client, "/assess/")),
    "review_queue": (11, lambda client, reader: reader_get(client, "/review/")),
    # Both show track records: the parties' records (six queries), their pages (one query), and the form offers
    # the claimants and assessors by name (kept a minute as the event list's are).
    "parties": (19, lambda client, reader: reader_get(client, "/parties/")),
    # A party's page also reads its fate claims (one query), and, where it has death claims, those of their people
    # in a fate conflict (one query).
    "party_page": (21, lambda client, reader: reader_get(client, f"/parties/{busiest_party()}/")),
    "party_compare": (
        18,
        lambda client, reader: reader_get(client, f"/parties/compare/?{compared_parties()}"),
    ),
    # The records (six queries) and the data version (one query), as the API (with its token check); the
    # download's tag and the records' cache key share that one reading of the version.
    "download_track_records": (
        14,
        lambda client, reader: reader_get(client, reverse("track_record_download", args=["csv"])),
    ),
    "api_track_records": (14, lambda client, reader: reader_get(client, "/api/track-records/")),
    "api_events": (12, lambda client, reader: reader_get(client, "/api/events/")),
    "api_event": (
        12,
        lambda client, reader: reader_get(client, f"/api/events/{Event.objects.order_by('pk').first().ref}/"),
    ),
    "api_claims": (6, lambda client, reader: reader_get(client, "/api/claims/")),
    "api_parties": (6, lambda client, reader: reader_get(client, "/api/parties/")),
    "api_sources": (6, lambda client, reader: reader_get(client, "/api/sources/")),
    "download_json": (12, lambda client, reader: reader_get(client, reverse("event_download", args=["json"]))),
    "download_csv": (12, lambda client, reader: reader_get(client, reverse("event_download", args=["csv"]))),
    # The claims export reads the events' alleged perpetrators (one query), and which sources relay another, to
    # write each after the one it relays (one query).
    "export_claims": (3, lambda client, reader: lambda: list(claim_rows(user=reader))),
    "export_discrepancies": (7, lambda client, reader: lambda: list(discrepancy_records())),
}


@pytest.mark.parametrize("surface", SURFACES)
def test_query_count_does_not_grow_with_the_rows(client, surface):
    pinned, call = SURFACES[surface]
    reader = make_reader()
    reader.has_perm("tracker.view_event")  # its permissions loaded once, as a request does
    client.force_login(reader)
    grow(2)
    small = queries(call(client, reader))
    grow(12)
    large = queries(call(client, reader))
    assert small == large, f"{surface}: {small} queries for 2 events, {large} for 14"
    assert large <= pinned, f"{surface}: {large} queries, pinned at {pinned}"


def grow_people(people: int, fate_claims: int) -> int:
    """Add people, each with other names, an affiliation and fate claims of several parties in several events, one
    source confidential; return the last person's key."""
    # Each event and person summarised once, as an import does: on PostgreSQL a refresh per fate claim would hold
    # its work tables' locks to the test's end, past what the server allows.
    with claims_made(), fates_changes_batched(sender=FateClaim):
        parties, secret = [make_party() for _ in range(4)], make_source(confidential=True)
        events = [make_event(start_date=date(2017, 1 + number % 12, 1)) for number in range(5)]
        for _ in range(people):
            person = make_person(affiliation=parties[0])
            OtherName.objects.create(person=person, name=f"{person.name} alias")
            for number in range(fate_claims):
                make_fate_claim(person, parties[number % 4], ("killed", "alive", "captured")[number % 3],
                                event=events[number % 5], claimed_on=date(2017, 1 + number % 12, 2),
                                source=secret if number % 2 else None, notes="hidden")  # fmt: skip
    return person.pk


# Beside the session, the user and their permissions (four queries), and for the pages the data version of their
# ETag (one query): a person's page reads the person, their other names, and their fate claims with party, event
# and source (one query each); the people's list and the API count the people, read a page, and its other names
# (on PostgreSQL a search first asks whether a name holds what was typed, one query more); the fate claims' API
# counts them and reads a page.
PEOPLE_SURFACES = {
    "person_page": (8, lambda client, person: reader_get(client, f"/people/{person}/")),
    "people": (9, lambda client, person: reader_get(client, "/people/?conflict=any&fate=killed&q=Person")),
    # An event page lists its named people with each one's fate claims in it, their parties and sources (one
    # query, over every claim of theirs that decides who is among its named dead).
    "event_page_named": (
        15,
        lambda client, person: reader_get(client, f"/events/{FateClaim.objects.filter(person=person)[0].event.ref}/"),
    ),
    "api_people": (7, lambda client, person: reader_get(client, "/api/people/")),
    "api_fate_claims": (6, lambda client, person: reader_get(client, "/api/fate-claims/")),
}


@pytest.mark.parametrize("surface", PEOPLE_SURFACES)
def test_query_count_does_not_grow_with_people_or_their_fate_claims(client, surface):
    pinned, call = PEOPLE_SURFACES[surface]
    reader = make_reader()
    reader.has_perm("tracker.view_event")  # its permissions loaded once, as a request does
    client.force_login(reader)
    person = grow_people(2, 3)
    call(client, person)()  # the list's affiliations are read once a minute, not on every page
    small = queries(call(client, person))
    person = grow_people(8, 50)
    call(client, person)()  # fate claims refresh their events' summaries, which forget the cached choices
    large = queries(call(client, person))
    assert small == large, f"{surface}: {small} queries for 3 fate claims a person, {large} for 50"
    assert large <= pinned, f"{surface}: {large} queries, pinned at {pinned}"
