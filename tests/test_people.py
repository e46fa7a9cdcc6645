"""Named people and their fate claims: the folded names a search reads, the rules the database holds, and the
conflicts stored on each person kept in step with every write of a fate claim."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from tests.factories import make_event, make_fate_claim, make_party, make_person
from tracker.models import FateClaim, OtherName, Person
from tracker.models.signals import fates_changed, fates_changes_batched
from tracker.rules.fates import fate_summary
from tracker.summaries.fates import person_fates_refresh

pytestmark = pytest.mark.django_db


def stored(person) -> tuple[list[str], int]:
    person.refresh_from_db()
    return person.conflicts, person.reported_deaths


def assert_in_step(*people):
    """The stored conflicts and deaths of these people are what the rules give from their fate claims now."""
    for person in people:
        reports = [fate_claim.report() for fate_claim in FateClaim.objects.filter(person=person).for_rules()]
        found = fate_summary(reports, fate_days=7)
        assert stored(person) == ([kind for kind in ("killed_twice", "alive_after_death", "disputed")
                                   if kind in found.conflicts], found.reported_deaths)  # fmt: skip


# Names as others spell them.


@pytest.fixture
def khalimov():
    person = make_person(name="Gulmurod Khalimov")
    OtherName.objects.create(person=person, name="Гулмурод Халимов")
    OtherName.objects.create(person=person, name="غلمراد حليموف")
    make_person(name="Abu Bakr al-Baghdadi")
    return person


@pytest.mark.parametrize(
    "typed", ["Halimov", "Khalimov", "Xalimov", "gulmurod halimov", "GULMUROD KHALIMOV", "Халимов", "حليموف"]
)
def test_a_name_is_found_as_others_spell_it(khalimov, typed):
    assert list(Person.objects.named(typed)) == [khalimov]


def test_a_search_finds_no_one_else_and_blank_finds_everyone(khalimov):
    assert not Person.objects.named("Kalimov").exists()
    assert Person.objects.named("  ").count() == 2


def test_folded_keys_follow_a_renamed_person_and_other_name(khalimov):
    khalimov.name = "Gulmurod Halimov"
    khalimov.save(update_fields=["name"])
    other = khalimov.other_names.get(name="Гулмурод Халимов")
    other.name = "Gulmurod Xalimov"
    other.save()
    assert Person.objects.get(pk=khalimov.pk).name_folded == "gulmurod halimov"
    assert OtherName.objects.get(pk=other.pk).folded == "gulmurod halimov"


# What the database refuses, whatever way in.


def test_age_and_age_group_must_agree():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(age=30, age_group="child")
    make_person(age=12, age_group="child")
    make_person(age=40)


def test_a_fate_claim_needs_a_date_or_an_event():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_fate_claim(fate_date=None)
    fate_claim = make_fate_claim(fate_date=None, event=make_event(start_date=date(2017, 4, 1)))
    assert fate_claim.day == date(2017, 4, 1)


def test_clean_names_the_missing_date_and_keeps_a_month_as_its_first_day():
    fate_claim = FateClaim(
        person=make_person(), party=make_party(), source=make_fate_claim().source, fate="killed",
        claimed_on=date(2018, 2, 14), claimed_on_precision="month",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        fate_claim.full_clean()
    assert "fate_date" in refused.value.message_dict
    fate_claim.fate_date, fate_claim.fate_date_precision = date(2017, 4, 20), "month"
    fate_claim.full_clean()
    assert (fate_claim.fate_date, fate_claim.claimed_on) == (date(2017, 4, 1), date(2018, 2, 1))


# The stored conflicts, kept in step by every write path.


def test_creating_fate_claims_stores_the_conflicts():
    person = make_person()
    make_fate_claim(person, fate_date=date(2017, 4, 1))
    assert stored(person) == ([], 1)
    make_fate_claim(person, fate="fatally_wounded", fate_date=date(2017, 9, 8))
    assert stored(person) == (["killed_twice"], 2)
    make_fate_claim(person, fate="alive", fate_date=date(2018, 2, 1), claimed_on=date(2018, 2, 1))
    assert stored(person) == (["killed_twice", "alive_after_death"], 2)


def test_changing_retracting_and_deleting_a_fate_claim_keep_the_person_in_step():
    person = make_person()
    first = make_fate_claim(person, fate_date=date(2017, 4, 1))
    second = make_fate_claim(person, fate_date=date(2017, 9, 8))
    assert stored(person) == (["killed_twice"], 2)
    second.fate_date = date(2017, 4, 5)
    second.save()
    assert stored(person) == ([], 1)
    second.fate_date = date(2017, 9, 8)
    second.save()
    first.retracted = True
    first.save()
    assert stored(person) == ([], 1)
    second.delete()
    assert stored(person) == ([], 0)


def test_a_save_of_what_the_rules_ignore_refreshes_nothing(django_assert_num_queries):
    fate_claim = make_fate_claim()
    fate_claim.notes = "Named by a neighbour."
    with django_assert_num_queries(3):  # the update, its history and the data version: no refresh
        fate_claim.save()


def test_moving_a_fate_claim_to_another_person_refreshes_both():
    person, other = make_person(), make_person()
    make_fate_claim(person, fate_date=date(2017, 4, 1))
    moved = make_fate_claim(person, fate_date=date(2017, 9, 8))
    moved.person = other
    moved.save()
    assert (stored(person), stored(other)) == (([], 1), ([], 1))


def test_the_bulk_paths_keep_people_in_step():
    person, other = make_person(), make_person()
    party = make_party()
    source = make_fate_claim().source
    FateClaim.objects.bulk_create(
        [
            FateClaim(
                person=person,
                party=party,
                source=source,
                fate="killed",
                fate_date=date(2017, 4, 1),
                claimed_on=date(2017, 4, 2),
            ),
            FateClaim(
                person=person,
                party=make_party(),
                source=source,
                fate="killed",
                fate_date=date(2017, 9, 8),
                claimed_on=date(2017, 9, 9),
            ),
        ]
    )
    assert stored(person) == (["killed_twice"], 2)
    FateClaim.objects.filter(person=person, party=party).update(retracted=True)
    assert stored(person) == ([], 1)
    FateClaim.objects.filter(person=person).update(person=other)
    assert (stored(person), stored(other)) == (([], 0), ([], 1))
    moved = list(FateClaim.objects.filter(person=other))
    for fate_claim in moved:
        fate_claim.person, fate_claim.retracted = person, False
    FateClaim.objects.bulk_update(moved, ["person", "retracted"])
    assert (stored(person), stored(other)) == ((["killed_twice"], 2), ([], 0))
    FateClaim.objects.filter(person=person).delete()
    assert stored(person) == ([], 0)


def test_a_batch_announces_its_people_once_and_not_after_an_error():
    person, party = make_person(), make_party()
    announced = []

    def listen(sender, person_ids, **kwargs):
        announced.append(set(person_ids))

    fates_changed.connect(listen)
    try:
        with pytest.raises(RuntimeError), transaction.atomic(), fates_changes_batched(sender=FateClaim):
            make_fate_claim(person, party)
            raise RuntimeError
        assert announced == []
        other = make_person()
        with fates_changes_batched(sender=FateClaim):
            for days in (0, 30, 60):
                make_fate_claim(other if days else person, party, fate_date=date(2017, 1, 1) + timedelta(days))
    finally:
        fates_changed.disconnect(listen)
    assert announced == [{person.pk, other.pk}]
    assert (stored(person), stored(other)) == (([], 1), ([], 1))


def test_moving_an_event_moves_the_date_of_the_claims_that_take_it():
    event = make_event(start_date=date(2017, 9, 8))
    person = make_person()
    make_fate_claim(person, event=event)
    make_fate_claim(person, fate_date=date(2017, 9, 9))
    assert stored(person) == ([], 1)
    event.start_date = date(2017, 4, 1)
    event.save()
    # Different dates months apart, the claim without an event is in none: killed twice.
    assert stored(person) == (["killed_twice"], 2)


def test_a_disputed_fate_in_one_event():
    event = make_event(start_date=date(2017, 9, 8))
    person = make_person()
    make_fate_claim(person, event=event)
    make_fate_claim(person, fate="wounded", event=event)
    assert stored(person) == (["disputed"], 1)
    assert list(Person.objects.in_conflict("disputed")) == [person]
    assert list(Person.objects.in_conflict()) == [person]
    assert not Person.objects.in_conflict("killed_twice").exists()


@override_settings(TRACKER_FATE_DAYS=30)
def test_the_days_are_a_setting():
    person = make_person()
    make_fate_claim(person, fate_date=date(2017, 9, 8))
    make_fate_claim(person, fate_date=date(2017, 9, 28))
    assert stored(person) == ([], 1)


def test_deleting_a_person_takes_their_fate_claims():
    person = make_person()
    make_fate_claim(person)
    person.delete()
    assert not FateClaim.objects.exists()


def test_a_refresh_after_anything_agrees_with_the_rules():
    people = [make_person() for _ in range(3)]
    event = make_event(start_date=date(2017, 9, 8))
    for index, person in enumerate(people):
        make_fate_claim(person, event=event)
        make_fate_claim(person, fate="alive", fate_date=date(2017, 9, 8) + timedelta(days=10 * index))
    person_fates_refresh(people=[person.pk for person in people])
    assert_in_step(*people)


def test_history_and_versions_follow_each_save_but_not_the_stored_conflicts():
    person = make_person()
    make_fate_claim(person)
    person.refresh_from_db()
    assert (person.version, person.history.count()) == (1, 1)
    fate_claim = FateClaim.objects.get()
    fate_claim.fate = "alive"
    fate_claim.save()
    assert (fate_claim.version, fate_claim.history.count()) == (2, 2)


def test_rebuild_summaries_stores_every_persons_conflicts_again_after_the_days_change(settings):
    person = make_person()
    make_fate_claim(person, fate_date=date(2017, 9, 8))
    make_fate_claim(person, fate_date=date(2017, 9, 28))
    assert stored(person) == (["killed_twice"], 2)
    settings.TRACKER_FATE_DAYS = 30
    out = io.StringIO()
    call_command("rebuild_summaries", stdout=out)
    assert stored(person) == ([], 1)
    assert "the fate conflicts of 1 person" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no trigram index: its search scans")
def test_a_search_by_name_reads_the_trigram_indexes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: ask whether the index can serve
    plan = Person.objects.named("halimov").order_by().explain()
    assert "person_name_folded_trigram" in plan and "other_name_folded_trigram" in plan, plan
