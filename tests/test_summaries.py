"""The stored summaries stay equal to what the rules give, whatever path a write takes."""

import io
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from tests.assertions import assert_summaries_in_step
from tests.factories import make_claim, make_event, make_party, make_source, seeded_subgroup
from tests.helpers import claim_row, csv_bytes
from tracker import summaries
from tracker.ingest.importer import file_import
from tracker.models import Claim, ComparisonGroup, ContainmentDiscrepancy, Event, Inconsistency, Subgroup
from tracker.models.signals import claims_changes_batched
from tracker.rules.counts import LARGEST_COUNT
from tracker.rules.discrepancy import event_result
from tracker.summaries import thresholds
from tracker.summaries.backends import python as rules_backend

pytestmark = pytest.mark.django_db


def test_saving_a_claim_updates_its_event():
    event = make_event()
    make_claim(event, count=40)
    event.refresh_from_db()
    assert (event.level, event.claim_count) == ("single", 1)
    make_claim(event, count=12)
    event.refresh_from_db()
    assert (event.level, str(event.ratio), event.party_count) == ("major", "3.33", 2)


def test_editing_retracting_and_deleting_a_claim_update_the_event():
    event = make_event()
    make_claim(event, count=40)
    low = make_claim(event, count=12)
    low.best = 38
    low.save()
    event.refresh_from_db()
    assert event.level == "minor"
    low.retracted = True
    low.save()
    event.refresh_from_db()
    assert event.level == "single"
    low.delete()
    event.refresh_from_db()
    assert (event.level, event.claim_count) == ("single", 1)


def test_moving_a_claim_refreshes_both_events():
    first, second = make_event(), make_event()
    make_claim(first, count=40)
    moving = make_claim(first, count=12)
    moving.event = second
    moving.save()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.level, second.level) == ("single", "single")
    assert_summaries_in_step()


def test_queryset_writes_keep_summaries_in_step():
    event = make_event()
    make_claim(event, count=40)
    make_claim(event, count=12)
    Claim.objects.filter(best=12).update(best=40)
    event.refresh_from_db()
    assert event.level == "agree"
    Claim.objects.bulk_create([Claim(event=event, party=make_party(), source=make_source(), category="civilian",
                                     qualifier="exact", best=0, claimed_on=date(2018, 1, 3))])  # fmt: skip
    event.refresh_from_db()
    assert event.level == "denial"
    Claim.objects.filter(best=0).delete()
    event.refresh_from_db()
    assert event.level == "agree"


def test_saving_an_event_loaded_before_its_claims_changed_keeps_the_summary():
    event = make_event()
    stale = Event.objects.get(pk=event.pk)
    make_claim(event, count=0)
    make_claim(event, count=8)
    stale.title = "Renamed"
    stale.save()
    event.refresh_from_db()
    assert (event.title, event.level, event.claim_count) == ("Renamed", "denial", 2)


def test_moving_claims_through_the_related_manager_refreshes_both_events():
    first, second = make_event(), make_event()
    make_claim(first, count=0)
    moving = make_claim(first, count=8)
    second.claims.add(moving)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.level, second.level) == ("single", "single")
    assert_summaries_in_step()


def test_deleting_an_event_deletes_its_summary():
    event = make_event()
    make_claim(event, count=40)
    make_claim(event, count=4)
    Event.objects.filter(pk=event.pk).delete()
    assert not ComparisonGroup.objects.exists()
    assert not Claim.objects.exists()


@pytest.fixture
def refreshes(monkeypatch):
    """Record the events each stored refresh writes, one set per refresh."""
    written = []
    backend = summaries.backend()
    store = backend.summaries_store

    def recording(*, event_ids, thresholds):
        written.append(set(event_ids))
        return store(event_ids=event_ids, thresholds=thresholds)

    monkeypatch.setattr(backend, "summaries_store", recording)
    return written


def test_deleting_an_event_does_not_summarise_it_again(refreshes):
    event = make_event()
    for count in (40, 4, 9):
        make_claim(event, count=count)
    refreshes.clear()
    event.delete()
    assert refreshes == []


def test_deleting_claims_of_an_event_refreshes_it_once(refreshes, django_assert_max_num_queries):
    event, other = make_event(), make_event()
    for count in range(1, 11):
        make_claim(event, count=count)
    make_claim(other, count=3)
    refreshes.clear()
    # Before: 82 queries, a refresh per claim. Now the rows, their history, one refresh (with its
    # upkeep of the party and month tallies: ten queries, whatever the number of claims), and its
    # grades (the stored grades, current claims, perpetrators and the organisation's assessments: four). The
    # rules' backend reads the fate claims of the people named in the event, for its named dead (one). Since: the
    # grades read the sources their sources relay and write what changed, the deleted claims' containment parts
    # and inconsistencies are read before the delete, and the data version is counted up once, at the end.
    with django_assert_max_num_queries(44):
        Claim.objects.filter(event=event).delete()
    assert refreshes == [{event.pk}]
    assert_summaries_in_step()


@pytest.mark.parametrize(
    "write",
    [
        lambda claims: claims.update(notes="checked against the hospital list"),
        lambda claims: claims.model.objects.bulk_update(
            [setattr(claim, "notes", "checked") or claim for claim in claims], ["notes"]
        ),
        lambda claims: [setattr(claim, "wording", "forty") or claim.save() for claim in claims],
        lambda claims: [claim.save(update_fields=["notes"]) for claim in claims],
    ],
    ids=["update", "bulk_update", "save", "save_update_fields"],
)
def test_writes_the_rules_ignore_refresh_nothing(write, refreshes, django_assert_max_num_queries):
    event = make_event()
    make_claim(event, count=40)
    make_claim(event, count=4)
    refreshes.clear()
    # Before: 12 queries for the update, 11 for a save. Now reading the two claims, then their rows
    # and history only, and for a save the data version it counts up (the pages show what changed).
    with django_assert_max_num_queries(7):
        write(Claim.objects.filter(event=event))
    assert refreshes == []


def test_a_write_the_rules_read_refreshes_each_event_once(refreshes):
    first, second = make_event(), make_event()
    for event in (first, second):
        make_claim(event, count=40)
        make_claim(event, count=4)
    refreshes.clear()
    Claim.objects.filter(best=4).update(retracted=True)
    assert refreshes == [{first.pk, second.pk}]
    first.refresh_from_db()
    assert first.level == "single"


def test_summaries_are_written_by_field_name():
    result = event_result([], thresholds())
    assert set(rules_backend.event_summary(result)) == set(Event.SUMMARY_FIELDS)


def test_the_injured_level_and_a_party_at_odds_with_itself_are_stored():
    event, ministry, monitor = make_event(), make_party(name="Ministry"), make_party(name="Monitor")
    children = seeded_subgroup("children")
    make_claim(event, ministry, count=12)
    make_claim(event, monitor, count=12)
    make_claim(event, ministry, count=40, outcome="injured")
    make_claim(event, monitor, count=0, outcome="injured")
    event.refresh_from_db()
    injured = (event.level, event.injured_level, event.injured_severity, event.inconsistent)
    assert injured == ("agree", "denial", 5, False)

    part = make_claim(event, monitor, count=15, subgroup=children)  # "12 civilians, of whom 15 children"
    event.refresh_from_db()
    assert event.inconsistent is True
    item = Inconsistency.objects.get(event=event)
    assert (item.party, item.subgroup, item.lo, item.hi, item.part_claim, item.outcome) == (
        monitor, children, 15, 12, part, "killed",
    )  # fmt: skip
    # Against the ministry's whole too: a containment discrepancy of the subgroup, which sets the level.
    containment = ContainmentDiscrepancy.objects.get(event=event)
    assert (containment.subgroup, containment.parts_party, containment.whole_party) == (children, monitor, ministry)
    assert (event.level, containment.sets_level) == ("minor", True)
    assert_summaries_in_step()

    part.delete()
    event.refresh_from_db()
    assert (event.inconsistent, event.level) == (False, "agree")
    assert not Inconsistency.objects.exists()


def test_a_rebuild_writes_the_inconsistencies_afresh():
    """Inconsistencies lost or left stale (a restore, a bug) come back as the rules give them."""
    event, monitor = make_event(), make_party(name="Monitor")
    whole = make_claim(event, monitor, count=12)
    part = make_claim(event, monitor, count=15, subgroup=seeded_subgroup("children"))
    stale = make_event()
    Inconsistency.objects.all().delete()
    Inconsistency.objects.create(event=stale, party=monitor, category="civilian", subgroup=part.subgroup, lo=9, hi=1,
                                 part_claim=part, whole_claim=whole)  # fmt: skip
    call_command("rebuild_summaries", verbosity=0)
    assert list(Inconsistency.objects.values_list("event", "part_claim", "whole_claim", "lo", "hi")) == [
        (event.pk, part.pk, whole.pk, 15, 12),
    ]  # fmt: skip
    assert_summaries_in_step()


def test_deferred_refresh_happens_once_at_the_end():
    event = make_event()
    with claims_changes_batched(sender=Claim):
        make_claim(event, count=40)
        make_claim(event, count=12)
        event.refresh_from_db()
        assert event.level is None  # not yet refreshed inside the block
    event.refresh_from_db()
    assert event.level == "major"


def test_rebuild_command_applies_new_thresholds():
    event = make_event()
    make_claim(event, count=40)
    make_claim(event, count=12)
    with override_settings(TRACKER_MAJOR_RATIO=4):
        call_command("rebuild_summaries", verbosity=0)
        event.refresh_from_db()
        assert event.level == "minor"
        assert_summaries_in_step()


COUNTS = [
    ("exact", None, 0, None), ("exact", None, 12, None), ("exact", None, 40, None),
    ("approximate", None, 40, None), ("at_least", 10, None, None), ("at_most", None, None, 15),
    ("range", 12, None, 15), ("range", 30, 35, 45),
]  # fmt: skip


@pytest.mark.parametrize("seed", range(8))
def test_random_writes_keep_stored_summaries_equal_to_the_rules(seed):
    rng = random.Random(seed)
    parties = [make_party() for _ in range(4)]
    sources = [make_source() for _ in range(2)]
    events = [make_event() for _ in range(3)]
    subgroups = [None, None, *Subgroup.objects.filter(code__in=["children", "journalists"]).order_by("code")]

    def new_claim():
        return Claim(
            event=rng.choice(events),
            party=rng.choice(parties),
            source=rng.choice(sources),
            outcome=rng.choice(["killed", "killed", "injured"]),
            category=rng.choice(["civilian", "combatant", "total", "unknown"]),
            victim_side=rng.choice([None, None, *parties[:2]]),
            subgroup=rng.choice(subgroups),
            claimed_on=date(2018, 1, 1) + timedelta(days=rng.randrange(4)),
            retracted=rng.random() < 0.15,
            **dict(zip(["qualifier", "low", "best", "high"], rng.choice(COUNTS), strict=True)),
        )

    def create():
        new_claim().save()

    def any_claim():
        keys = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
        return Claim.objects.get(pk=rng.choice(keys)) if keys else None

    def change():
        claim = any_claim()
        if claim:
            template = new_claim()
            fields = ["qualifier", "claimed_on", "retracted", "category", "victim_side", "event", "outcome", "subgroup"]
            for field in rng.sample(fields, 2):
                if field == "qualifier":
                    claim.qualifier, claim.low, claim.best, claim.high = (
                        template.qualifier, template.low, template.best, template.high,
                    )  # fmt: skip
                else:
                    setattr(claim, field, getattr(template, field))
            claim.save()

    def delete():
        claim = any_claim()
        if claim:
            claim.delete()

    def notes_only():
        claim = any_claim()
        if claim:
            claim.notes = f"checked {rng.random()}"
            claim.save()

    def bulk_delete():
        Claim.objects.filter(party=rng.choice(parties), category="total").delete()

    def queryset_update():
        Claim.objects.filter(party=rng.choice(parties)).update(retracted=rng.random() < 0.5)

    def queryset_move():
        Claim.objects.filter(event=rng.choice(events), category="civilian").update(event=rng.choice(events))

    def bulk_update():
        claims = list(Claim.objects.filter(party=rng.choice(parties)))
        for claim in claims:
            claim.retracted, claim.notes = rng.random() < 0.3, "bulk"
        Claim.objects.bulk_update(claims, ["retracted", "notes"])

    def related_move():
        claim = any_claim()
        if claim:
            rng.choice(events).claims.add(claim)

    def bulk_create():
        Claim.objects.bulk_create([new_claim() for _ in range(3)])

    def replace_event():
        victim = events.pop(rng.randrange(len(events)))
        victim.delete()
        events.append(make_event())

    def import_file():
        claims = [new_claim() for _ in range(2)]
        rows = [
            claim_row(
                event_ref=claim.event.ref, party=claim.party.name, category=claim.category,
                victim_side=claim.victim_side.name if claim.victim_side else "", qualifier=claim.qualifier,
                low=str(claim.low or ""), best="" if claim.best is None else str(claim.best),
                high=str(claim.high or ""), claimed_on=claim.claimed_on.isoformat(),
                retracted="true" if claim.retracted else "false",
            )
            for claim in claims
        ]  # fmt: skip
        assert file_import(file=io.BytesIO(csv_bytes(rows)), name="claims.csv").ok

    writes = [create] * 5 + [change] * 3
    writes += [delete, bulk_delete, queryset_update, queryset_move, related_move, bulk_create, replace_event]
    writes += [notes_only, bulk_update, import_file]
    # The seed article's case to start from, so that the writes change, move and delete a containment
    # discrepancy as well as make new ones.
    make_claim(events[0], parties[2], count=("approximate", None, 40, None), category="combatant",
               victim_side=parties[0])  # fmt: skip
    make_claim(events[0], parties[3], count=0, category="combatant")
    assert ContainmentDiscrepancy.objects.count() == 1
    for _ in range(30):
        rng.choice(writes)()
        assert_summaries_in_step()


def test_parts_adding_up_past_the_largest_count_are_stored():
    event, counting = make_event(), make_party()
    for _side in range(6):
        make_claim(event, counting, count=LARGEST_COUNT, category="combatant", victim_side=make_party())
    make_claim(event, count=1, category="total")
    event.refresh_from_db()
    assert (event.level, event.ratio) == ("major", 6 * LARGEST_COUNT)
    assert ContainmentDiscrepancy.objects.get(event=event).lo == 6 * LARGEST_COUNT
    assert_summaries_in_step()


def test_the_database_holds_one_group_per_event_category_and_side():
    event = make_event()
    make_claim(event, count=40)
    with pytest.raises(IntegrityError), transaction.atomic():
        ComparisonGroup.objects.create(event=event, category="civilian")  # the claim's group is stored already


def test_the_migration_names_the_groups_stored_twice():
    """A database from before the constraint may hold an event's group twice: the migration stops and names it."""
    path = next(Path(apps.get_app_config("tracker").path, "migrations").glob("*_comparison_group_once.py"))
    migration = __import__(f"tracker.migrations.{path.stem}", fromlist=["duplicates_refused"])
    event = make_event()
    make_claim(event, count=40)
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("DROP INDEX group_once_per_event_outcome_category_side_subgroup")
    stored = ComparisonGroup.objects.get()
    again = ComparisonGroup.objects.create(event=event, category="civilian")

    with pytest.raises(RuntimeError) as refused:
        migration.duplicates_refused(apps, None)

    message = str(refused.value)
    assert f"event id {event.pk} has comparison groups id {stored.pk}, id {again.pk}" in message
    assert "of category civilian and no victim side" in message and "rebuild_summaries" in message


def test_a_dry_run_and_a_refused_import_summarise_nothing(refreshes):
    """Both roll back: recomputing the summaries of what is about to vanish was work for nothing."""
    good = claim_row(event_ref="DRY-1", best="40")
    dry = file_import(file=io.BytesIO(csv_bytes([good])), name="claims.csv", dry_run=True)
    refused = file_import(file=io.BytesIO(csv_bytes([good, claim_row(qualifier="exact", best="")])), name="claims.csv")
    assert dry.ok and not refused.ok
    assert refreshes == []
    assert not Event.objects.exists()
    stored = file_import(file=io.BytesIO(csv_bytes([good])), name="claims.csv")
    assert stored.ok and len(refreshes) == 1
