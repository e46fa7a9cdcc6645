"""On PostgreSQL the summaries are computed in SQL: what it stores equals what the pure rules store."""

import threading
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from django.db import connection, transaction
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.assertions import assert_tallies_in_step
from tests.factories import make_event, make_party, make_person, make_source
from tracker.models import (
    Claim,
    ComparisonGroup,
    ContainmentDiscrepancy,
    Event,
    EventMonthTally,
    FateClaim,
    Inconsistency,
    MonthTally,
    PartyEventTally,
    PartyTally,
    Subgroup,
)
from tracker.models.signals import claims_changes_batched
from tracker.rules.counts import LARGEST_COUNT
from tracker.summaries import event_summaries_refresh, thresholds
from tracker.summaries.backends import postgresql as sql_backend
from tracker.summaries.backends import python as rules_backend

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps the rules' own path"),
]

# Party keys whose text order differs from their numeric order ("10" < "9"), as the rules break ties.
PARTY_KEYS = (9, 10, 11, 100, 2, 1000)
SUBGROUP_KEYS = (90, 100)  # likewise: "100" before "90"
CATEGORIES = ("total", "civilian", "combatant", "unknown")
DAYS = (date(2018, 1, 1), date(2018, 1, 1), date(2018, 2, 3), date(2019, 12, 31))
ENTERED = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 1, 2, tzinfo=UTC))

numbers = st.one_of(st.integers(0, 12), st.integers(0, 500), st.integers(LARGEST_COUNT - 3, LARGEST_COUNT), st.just(0))
# "About n" with n at half the largest count or more may spread past what a bound column holds.
approximate = st.one_of(st.integers(0, 500), st.integers(2**30 - 3, 2**30 - 1))
counts = st.one_of(
    st.builds(lambda best: ("exact", None, best, None), numbers),
    st.builds(lambda best: ("approximate", None, best, None), approximate),
    st.builds(lambda low: ("at_least", low, None, None), numbers),
    st.builds(lambda high: ("at_most", None, None, high), numbers),
    st.tuples(numbers, numbers).map(lambda pair: ("range", min(pair), None, max(pair))),
)
claims = st.fixed_dictionaries(
    {
        "party": st.sampled_from(PARTY_KEYS),
        "outcome": st.sampled_from(("killed", "killed", "injured")),
        "category": st.sampled_from(CATEGORIES),
        "side": st.sampled_from((None, None, *PARTY_KEYS[:3])),
        "subgroup": st.sampled_from((None, None, *SUBGROUP_KEYS)),
        "count": counts,
        "claimed_on": st.sampled_from(DAYS),
        "entered_at": st.sampled_from(ENTERED),
        "retracted": st.sampled_from((False, False, False, True)),
    }
)


def stated_once(claim):
    """A party states a count once for a date in a source (the claims share one source)."""
    return tuple(claim[name] for name in ("party", "outcome", "category", "side", "subgroup", "claimed_on", "count"))


events = st.lists(st.lists(claims, max_size=14, unique_by=stated_once), min_size=1, max_size=4)
# Fate claims about a few people, in one of the drawn events (by its index, wrapped) or in none: the named
# dead of each event are set against its killed counts.
fate_claims = st.lists(
    st.fixed_dictionaries(
        {
            "person": st.integers(0, 3),
            "party": st.sampled_from(PARTY_KEYS),
            "fate": st.sampled_from(("killed", "killed", "fatally_wounded", "wounded", "captured", "alive")),
            "hedge": st.sampled_from(("stated", "stated", "possible")),
            "status": st.sampled_from(("civilian", "combatant", "unknown")),
            "event": st.one_of(st.none(), st.integers(0, 4)),
            "claimed_on": st.sampled_from(DAYS),
            "entered_at": st.sampled_from(ENTERED),
            "retracted": st.sampled_from((False, False, False, True)),
        }
    ),
    max_size=10,
)
fractions = st.builds(Fraction, st.integers(0, 60), st.integers(1, 60))
rules = st.fixed_dictionaries(
    {
        "TRACKER_APPROXIMATE_TOLERANCE": fractions.filter(lambda tolerance: tolerance <= 1),
        "TRACKER_MAJOR_RATIO": fractions.map(lambda ratio: 1 + ratio),
        "TRACKER_MAJOR_GAP": st.integers(0, 10),
    }
)


def rows(queryset, *, leave_out=("id",)) -> list[dict]:
    fields = [field.attname for field in queryset.model._meta.concrete_fields if field.attname not in leave_out]
    return sorted(queryset.values(*fields), key=repr)


def listed(queryset) -> list[dict]:
    """The rows in the order pages list them (by event, then by key), without their keys."""
    fields = [field.attname for field in queryset.model._meta.concrete_fields if field.attname != "id"]
    return list(queryset.order_by("event_id", "pk").values(*fields))


def stored() -> dict:
    """Every row the summaries and tallies store, without the keys of rows they make anew."""
    parts: dict[int, list] = {}
    for discrepancy_id, claim_id in ContainmentDiscrepancy.parts.through.objects.order_by("pk").values_list(
        "containmentdiscrepancy_id", "claim_id"
    ):
        parts.setdefault(discrepancy_id, []).append(claim_id)
    containment = ContainmentDiscrepancy.objects.order_by("event_id", "pk")
    return {
        "events": list(Event.objects.order_by("pk").values("pk", *Event.SUMMARY_FIELDS)),
        "groups": listed(ComparisonGroup.objects.all()),
        "containment": listed(containment),
        "parts": [parts.get(pk, []) for pk in containment.values_list("pk", flat=True)],
        "inconsistencies": listed(Inconsistency.objects.all()),
        "current": list(Claim.objects.order_by("pk").values_list("pk", "is_current")),
        "party_event_tallies": rows(PartyEventTally.objects.all()),
        "event_month_tallies": rows(EventMonthTally.objects.all()),
        # A total moved back to nothing may stay as a row of zeros: it shows as no total.
        "party_tallies": rows(PartyTally.objects.filter(claims__gt=0), leave_out=()),
        "month_tallies": rows(MonthTally.objects.filter(claims__gt=0), leave_out=()),
    }


def stored_by_the_rules() -> dict:
    """Store every event's summary by the rules' backend, the tallies counted afresh; return the rows."""
    rules_backend.rebuild_begin()
    rules_backend.summaries_store(event_ids=list(Event.objects.values_list("pk", flat=True)), thresholds=thresholds())
    rules_backend.rebuild_end()
    return stored()


def make_parties():
    for key in SUBGROUP_KEYS:
        Subgroup.objects.create(pk=key, code=f"subgroup_{key}", name=f"Subgroup {key}")
    return {key: make_party(pk=key, name=f"Party {key}") for key in PARTY_KEYS}


def make_fate_claims(events, drawn: list[dict], parties, source):
    """Make the drawn fate claims about four people, each in the event its index picks (wrapped), or in none."""
    people = [make_person() for _ in range(4)]
    FateClaim.objects.bulk_create(
        FateClaim(
            person=people[fate["person"]],
            party=parties[fate["party"]],
            source=source,
            fate=fate["fate"],
            hedge=fate["hedge"],
            status=fate["status"],
            event=None if fate["event"] is None else events[fate["event"] % len(events)],
            fate_date=DAYS[0] if fate["event"] is None else None,
            claimed_on=fate["claimed_on"],
            entered_at=fate["entered_at"],
            retracted=fate["retracted"],
        )
        for fate in drawn
    )


def make_claims(event, drawn: list[dict], parties, source):
    Claim.objects.bulk_create(
        Claim(
            event=event,
            party=parties[claim["party"]],
            source=source,
            outcome=claim["outcome"],
            category=claim["category"],
            victim_side=parties.get(claim["side"]),
            subgroup_id=claim["subgroup"],
            claimed_on=claim["claimed_on"],
            entered_at=claim["entered_at"],
            retracted=claim["retracted"],
            **dict(zip(("qualifier", "low", "best", "high"), claim["count"], strict=True)),
        )
        for claim in drawn
    )


@settings(max_examples=150)
@given(events, fate_claims, rules)
def test_the_sql_stores_what_the_rules_store(drawn_events, drawn_fates, drawn_rules):
    with override_settings(**drawn_rules), transaction.atomic():
        parties, source = make_parties(), make_source()
        with claims_changes_batched(sender=Claim):  # the refresh of the touched events, in SQL
            made = [make_event() for _ in [*drawn_events, []]]  # and an event without claims
            for event, drawn in zip(made, drawn_events, strict=False):
                make_claims(event, drawn, parties, source)
            make_fate_claims(made, drawn_fates, parties, source)
        refreshed = stored()
        event_summaries_refresh()  # the rebuild of every event, in SQL
        rebuilt = stored()
        expected = stored_by_the_rules()
        assert refreshed == expected
        assert rebuilt == expected
        transaction.set_rollback(True)


def claim(
    party, count, category="civilian", side=None, *, on=DAYS[0], entered=ENTERED[0], outcome="killed", subgroup=None
):
    if isinstance(count, int):
        count = ("exact", None, count, None)
    return {
        "party": party, "outcome": outcome, "category": category, "side": side, "subgroup": subgroup, "count": count,
        "claimed_on": on, "entered_at": entered, "retracted": False,
    }  # fmt: skip


UNBOUNDED = ("at_least", 5, None, None)

# Each case: the claims, then what the SQL must store as the rules do: each containment discrepancy
# as (whole category, parts party, whole party, L, H), and the comparison that sets the event's level.
TIE_BREAKS = {
    "full tie between parts parties: the first by text, 10 before 9": (
        [claim(9, 5, side=11), claim(10, 5, side=11), claim(100, 2)],
        [("civilian", 10, 100, 5, 2)],
        ("containment", "civilian"),
    ),
    "full tie between whole parties: the first by text, 10 before 9": (
        [claim(100, 5, side=11), claim(9, 2), claim(10, 2)],
        [("civilian", 100, 10, 5, 2)],
        ("containment", "civilian"),
    ),
    "equal exact ratios: the largest L": (
        [claim(9, 6, side=11), claim(10, 9, side=11), claim(100, 2), claim(1000, 3)],
        [("civilian", 10, 100, 9, 2)],
        ("containment", "civilian"),
    ),
    "equal rounded ratios (1.51): the exact one decides, before L": (
        [claim(9, 301), claim(10, 200), claim(9, 151, "combatant"), claim(10, 100, "combatant")],
        [],
        ("group", "combatant"),
    ),
    "a group of the same rank as a containment leads": (
        [claim(9, 8, side=11), claim(100, 2), claim(10, 8, "combatant"), claim(1000, 2, "combatant")],
        [("civilian", 9, 100, 8, 2)],
        ("group", "combatant"),
    ),
    "agreeing groups: an unbounded H ranks below a bounded one": (
        [
            claim(9, UNBOUNDED),
            claim(10, UNBOUNDED),
            claim(9, 5, "combatant"),
            claim(10, (("range", 5, None, 9)), "combatant"),
        ],
        [],
        ("group", "combatant"),
    ),
    "wholes of the same rank: the total first": (
        [claim(9, 4, "civilian"), claim(100, 2, "total"), claim(10, 4, "unknown", side=11), claim(1000, 2, "unknown")],
        [("total", 10, 100, 4, 2), ("unknown", 10, 1000, 4, 2)],
        ("containment", "total"),
    ),
    "subgroups of the same rank: the first by text, 100 before 90": (
        [claim(9, 8, subgroup=90), claim(10, 8, subgroup=100), claim(100, 2)],
        [("civilian", 9, 100, 8, 2), ("civilian", 10, 100, 8, 2)],
        ("containment", "civilian", 100),
    ),
    "a whole added up before a subgroup of the same rank": (
        [claim(9, 8, side=11), claim(10, 8, subgroup=90), claim(100, 2)],
        [("civilian", 9, 100, 8, 2), ("civilian", 10, 100, 8, 2)],
        ("containment", "civilian"),
    ),
    "the killed set the level, however far apart the injured": (
        [claim(9, 0, outcome="injured"), claim(10, 50, outcome="injured"), claim(9, 5), claim(10, 6)],
        [],
        ("group", "civilian"),
    ),
}


@pytest.mark.parametrize(("drawn", "containment", "leading"), TIE_BREAKS.values(), ids=TIE_BREAKS.keys())
def test_ties_are_broken_as_the_rules_break_them(drawn, containment, leading):
    parties = make_parties()
    event = make_event()
    make_claims(event, drawn, parties, make_source())
    stored_containment = [
        (row.category, row.parts_party_id, row.whole_party_id, row.lo, row.hi)
        for row in ContainmentDiscrepancy.objects.filter(event=event).order_by("category")
    ]
    assert sorted(stored_containment) == sorted(containment)
    leads = [
        (kind, row.category, *([row.subgroup_id] if row.subgroup_id else []))
        for kind, comparisons in (("group", ComparisonGroup.objects), ("containment", ContainmentDiscrepancy.objects))
        for row in comparisons.filter(event=event, sets_level=True)
    ]
    assert leads == [leading]
    assert stored() == stored_by_the_rules()


EDITS = ("edit", "retract", "move", "delete", "drop the event")


@settings(max_examples=40)
@given(events, st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 99), counts), max_size=8))
def test_refreshing_the_touched_events_after_edits_equals_a_rebuild(drawn_events, edits):
    with transaction.atomic():
        parties = make_parties()
        for drawn in drawn_events:
            source = make_source()
            make_claims(make_event(), drawn, parties, source)
        for action, pick, count in edits:
            keys = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
            if not keys:
                break
            picked = Claim.objects.get(pk=keys[pick % len(keys)])
            if action == "edit":
                picked.qualifier, picked.low, picked.best, picked.high = count
                picked.source = make_source()  # a count stated anew, so never one the party stated already
                picked.save()
            elif action == "retract":
                picked.retracted = not picked.retracted
                picked.save()
            elif action == "move":
                events_now = list(Event.objects.order_by("pk"))
                picked.event = events_now[pick % len(events_now)]
                picked.save()
            elif action == "delete":
                picked.delete()
            else:
                picked.event.delete()
        refreshed = stored()
        event_summaries_refresh()
        assert refreshed == stored()
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_recounting_the_totals_waits_for_an_import_of_a_new_month():
    """A refresh that makes a month's total while a rebuild recounts the totals: before, it committed
    between the recount's DELETE and INSERT, and the rebuild failed on a duplicate month."""
    party, source = make_party(name="Monitor"), make_source()
    Claim.objects.create(
        event=make_event(ref="A-1"), party=party, source=source, category="civilian", qualifier="exact", best=3,
        claimed_on=date(2020, 1, 5),
    )  # fmt: skip
    # A party and a month new to the totals: nothing the recount deletes holds the refresh up.
    other, newcomer, errors = make_event(ref="B-1"), make_party(name="Hospital"), []

    def import_elsewhere():
        try:
            Claim.objects.create(
                event=other, party=newcomer, source=source, category="civilian", qualifier="exact", best=1,
                claimed_on=date(2021, 7, 1),
            )  # fmt: skip
        except Exception as error:  # what would reach the importing user
            errors.append(error)
        finally:
            connection.close()

    recount = sql_backend.TOTALS_RECOUNT
    months_inserted = next(
        at for at, statement in enumerate(recount) if statement.startswith("INSERT INTO") and "month" in statement
    )
    importing = threading.Thread(target=import_elsewhere)
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in recount[:months_inserted]:
            cursor.execute(statement)
        importing.start()
        importing.join(timeout=1)  # time enough to commit, had it not waited
        for statement in recount[months_inserted:]:
            cursor.execute(statement)
    importing.join()

    assert not errors
    assert Claim.objects.count() == 2
    assert_tallies_in_step()


def test_the_named_dead_tied_with_a_partys_parts_follow_them():
    """Three named civilians and a party's three civilians of one side, against another party's one: two
    discrepancies of one rank, the parts' first and setting the level, as the rules order them."""
    parties, source = make_parties(), make_source()
    event = make_event()
    make_claims(event, [claim(9, 3, side=11), claim(100, 1)], parties, source)
    drawn = [{"person": person, "party": 10, "fate": "killed", "hedge": "stated", "status": "civilian",
              "event": 0, "claimed_on": DAYS[0], "entered_at": ENTERED[0], "retracted": False}
             for person in range(3)]  # fmt: skip
    make_fate_claims([event], drawn, parties, source)
    stored_containment = list(
        ContainmentDiscrepancy.objects.filter(event=event)
        .order_by("pk")
        .values_list("parts_party_id", "whole_party_id", "lo", "hi", "named", "sets_level")
    )
    assert stored_containment == [(9, 100, 3, 1, False, True), (None, 100, 3, 1, True, False)]
    assert Event.objects.get(pk=event.pk).named_killed == 3
    assert stored() == stored_by_the_rules()
