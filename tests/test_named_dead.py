"""Named against counted, kept in step: every write of a fate claim refreshes the stored summaries of the
events it touches, through the models and through the admin, as a rebuild of every event would store them."""

import io
import json
from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.accounts import make_confidant, make_reader
from tests.admin_forms import admin_page_fields
from tests.factories import make_claim, make_event, make_fate_claim, make_party, make_person, make_source
from tracker.models import ContainmentDiscrepancy, Event, FateClaim
from tracker.models.signals import fates_changes_batched
from tracker.summaries import event_summaries_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def named():
    """The ministry counts two combatants killed in the event; a monitor names three combatants killed there."""
    ministry, monitor = make_party(name="Defence ministry"), make_party(name="Monitor")
    event, elsewhere = make_event(ref="E-1", start_date=date(2017, 9, 8)), make_event(ref="E-2")
    make_claim(event, ministry, count=2, category="combatant")
    fate_claims = [
        make_fate_claim(make_person(), monitor, event=event, status="combatant", claimed_on=date(2017, 9, 10))
        for _ in range(3)
    ]
    return event, elsewhere, monitor, fate_claims


def summary(event):
    """What the event's page and lists read: its level, its named dead, and its named discrepancies."""
    event = Event.objects.get(pk=event.pk)
    containment = ContainmentDiscrepancy.objects.filter(event=event, named=True)
    return event.level, event.named_killed, list(containment.values_list("category", "lo", "hi", "parts_party"))


def stored():
    """Every event's stored summary and containment, to hold against a rebuild's."""
    fields = ("category", "lo", "hi", "named", "parts_party", "whole_party", "sets_level")
    return [
        (summary(event), list(event.containment.order_by("pk").values_list(*fields)))
        for event in Event.objects.order_by("pk")
    ]


def as_rebuilt() -> bool:
    before = stored()
    event_summaries_refresh()
    return stored() == before


NAMED_MINOR = ("minor", 3, [("combatant", 3, 2, None)])
COUNTED_ONLY = ("single", 2, [])
STILL_NAMED = ("single", 3, [])


def test_three_named_exceed_two_counted(named):
    event, elsewhere, *_ = named
    assert summary(event) == NAMED_MINOR
    assert summary(elsewhere) == (None, 0, [])
    assert as_rebuilt()


def status_changed(event, elsewhere, monitor, fate_claims):
    fate_claims[0].status = "civilian"
    fate_claims[0].save()


def hedged(event, elsewhere, monitor, fate_claims):
    fate_claims[0].hedge = "possible"
    fate_claims[0].save()


def wounded_only(event, elsewhere, monitor, fate_claims):
    fate_claims[0].fate = "wounded"
    fate_claims[0].save()


def retracted(event, elsewhere, monitor, fate_claims):
    fate_claims[0].retracted = True
    fate_claims[0].save()


def deleted(event, elsewhere, monitor, fate_claims):
    fate_claims[0].delete()


def moved(event, elsewhere, monitor, fate_claims):
    fate_claims[0].event = elsewhere
    fate_claims[0].save()


def moved_by_queryset(event, elsewhere, monitor, fate_claims):
    FateClaim.objects.filter(pk=fate_claims[0].pk).update(event=elsewhere)


def moved_in_bulk(event, elsewhere, monitor, fate_claims):
    fate_claims[0].event = elsewhere
    FateClaim.objects.bulk_update(fate_claims[:1], ["event"])


def superseded(event, elsewhere, monitor, fate_claims):
    # The monitor says later that the person died elsewhere: its claim here is no longer current.
    make_fate_claim(fate_claims[0].person, monitor, event=elsewhere, claimed_on=date(2017, 10, 1))


def dated_on(event, elsewhere, monitor, fate_claims):
    # Claimed first after all: the monitor's claim elsewhere is the later one.
    make_fate_claim(fate_claims[0].person, monitor, event=elsewhere, claimed_on=date(2017, 9, 20))
    fate_claims[0].claimed_on = date(2017, 9, 1)
    fate_claims[0].save()


def same_person(event, elsewhere, monitor, fate_claims):
    # Two of the monitor's claims turn out to be about one person, named twice: one of the named dead.
    fate_claims[0].person = fate_claims[1].person
    fate_claims[0].save()


def person_deleted(event, elsewhere, monitor, fate_claims):
    fate_claims[0].person.delete()


def party_changed(event, elsewhere, monitor, fate_claims):
    # Another party's claim now, where that party said the person was alive later.
    other = make_party(name="Family")
    make_fate_claim(fate_claims[0].person, other, fate="alive", fate_date=date(2018, 1, 1), claimed_on=date(2018, 1, 2))
    fate_claims[0].party = other
    fate_claims[0].save()


WRITES = [status_changed, hedged, wounded_only, retracted, deleted, moved, moved_by_queryset, moved_in_bulk,
          superseded, dated_on, same_person, person_deleted, party_changed]  # fmt: skip


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__ for write in WRITES])
def test_a_write_that_takes_one_of_the_named_away_levels_the_event_again(named, write):
    event, elsewhere, monitor, fate_claims = named
    write(event, elsewhere, monitor, fate_claims)
    # A civilian now: still one of the named dead, but no longer of the ministry's combatants.
    assert summary(event) == (STILL_NAMED if write is status_changed else COUNTED_ONLY)
    assert as_rebuilt()


@pytest.mark.parametrize("write", [moved, moved_by_queryset, moved_in_bulk, superseded])
def test_the_event_a_death_moves_to_counts_it(named, write):
    event, elsewhere, monitor, fate_claims = named
    write(event, elsewhere, monitor, fate_claims)
    assert Event.objects.get(pk=elsewhere.pk).named_killed == 1


def test_a_write_back_restores_the_discrepancy(named):
    event, *_, fate_claims = named
    status_changed(*named)
    fate_claims[0].status = "combatant"
    fate_claims[0].save()
    assert summary(event) == NAMED_MINOR


def test_a_note_changes_nothing_the_rules_read(named):
    fate_claim = named[3][0]
    fate_claim.notes = "As the family told it."
    with mock.patch("tracker.summaries.receivers.event_summaries_refresh") as refresh:
        fate_claim.save()
    refresh.assert_not_called()
    fate_claim.status = "civilian"
    with mock.patch("tracker.summaries.receivers.event_summaries_refresh") as refresh:
        fate_claim.save()
    refresh.assert_called_once_with(events={named[0].pk})


def test_a_batch_of_fate_claims_refreshes_each_event_once(named):
    event, *_, fate_claims = named
    refresh = mock.patch("tracker.summaries.receivers.event_summaries_refresh", wraps=event_summaries_refresh)
    with refresh as refreshed, fates_changes_batched(sender=FateClaim):
        for fate_claim in fate_claims:
            fate_claim.status = "civilian"
            fate_claim.save()
    refreshed.assert_called_once_with(events={event.pk})
    assert summary(event) == STILL_NAMED


def test_the_named_dead_entered_on_the_event_page_level_it(editor_client):
    ministry, monitor, source = make_party(name="Defence ministry"), make_party(name="Monitor"), make_source()
    event = make_event(start_date=date(2017, 9, 8))
    make_claim(event, ministry, count=0, category="combatant")
    assert Event.objects.get(pk=event.pk).level == "single"
    address = reverse("admin:tracker_event_change", args=[event.pk])
    data = admin_page_fields(editor_client.get(address))
    data |= {"fate_claims-TOTAL_FORMS": "1"} | {
        f"fate_claims-0-{name}": value
        for name, value in {
            "person": make_person(name="Gulmurod Khalimov").pk, "party": monitor.pk, "fate": "killed",
            "hedge": "stated", "status": "combatant", "claimed_on": "2017-09-10", "source": source.pk,
        }.items()
    }  # fmt: skip
    response = editor_client.post(address, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert summary(event) == ("denial", 1, [("combatant", 1, 0, None)])


def test_the_named_dead_entered_on_the_person_page_level_their_event(editor_client, named):
    event, elsewhere, _monitor, fate_claims = named
    person = fate_claims[0].person
    address = reverse("admin:tracker_person_change", args=[person.pk])
    data = admin_page_fields(editor_client.get(address))
    data["fate_claims-0-status"] = "civilian"  # the person's one fate claim, on its card
    response = editor_client.post(address, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert summary(event) == STILL_NAMED
    data = admin_page_fields(editor_client.get(address))
    data["fate_claims-0-event"] = elsewhere.pk
    data["fate_claims-0-status"] = "combatant"
    assert editor_client.post(address, data).status_code == 302
    assert summary(event) == COUNTED_ONLY
    assert Event.objects.get(pk=elsewhere.pk).named_killed == 1


def test_the_event_page_says_the_named_exceed_the_count_and_lists_them(reader, named):
    event, *_, fate_claims = named
    person = fate_claims[0].person
    person.name, person.role = "Gulmurod Khalimov", "field commander"
    person.save()
    fate_claims[0].wording = "was killed in the strike"
    fate_claims[0].save()
    page = reader.get(reverse("event_detail", args=[event.ref])).content.decode()
    assert (
        "Minor discrepancy: 3 named dead exceed Defence ministry&#x27;s 2 combatants of all sides, but only by "
        "1 death" in page
    )
    assert "Combatant: the named dead against the count" in page
    assert "named: 3 of 2" in page  # beside the ministry's count
    named_section = page[page.index('id="named-people"') :]
    assert "Gulmurod Khalimov" in named_section and "field commander" in named_section
    assert "was killed in the strike" in named_section
    assert named_section.count('<li class="fate-claim') == 3
    assert "3 named people have a death claim in this event" in named_section


def test_beside_each_count_the_named_dead_of_its_category(reader):
    ministry, monitor = make_party(name="Defence ministry"), make_party(name="Monitor")
    event = make_event()
    make_claim(event, ministry, count=("approximate", None, 40, None), category="combatant")
    make_claim(event, monitor, count=12, category="civilian")
    for _ in range(4):
        make_fate_claim(make_person(), monitor, event=event, status="combatant")
    page = reader.get(reverse("event_detail", args=[event.ref])).content.decode()
    assert "named: 4 of about 40" in page
    assert "named: 0" not in page  # no civilian is named
    assert Event.objects.get(pk=event.pk).level == "single"


def test_a_fate_claim_citing_a_confidential_source_hides_it_on_the_event_page(client, named):
    event, *_, fate_claims = named
    secret = make_source(confidential=True, title="Informant's account")
    fate_claims[0].source, fate_claims[0].notes = secret, "Told us by his cousin."
    fate_claims[0].save()
    address = reverse("event_detail", args=[event.ref])
    client.force_login(make_reader())
    page = client.get(address).content.decode()
    assert "Informant" not in page and "cousin" not in page
    assert "Confidential source" in page
    client.force_login(make_confidant())
    page = client.get(address).content.decode()
    assert "Informant&#x27;s account" in page and "Told us by his cousin." in page


def test_the_event_page_in_arabic(reader, named):
    event = named[0]
    page = reader.get(reverse("event_detail", args=[event.ref]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    named_section = page[page.index('id="named-people"') :]
    assert "Named people" not in named_section
    assert "named dead" not in page


def test_the_discrepancies_export_counts_the_named_dead(named):
    event, elsewhere, *_ = named
    records = {record["ref"]: record for record in json.loads(exported())}
    assert records[elsewhere.ref]["named_killed"] == 0
    record = records[event.ref]
    assert record["named_killed"] == 3
    assert record["containment"] == [
        {"outcome": "killed", "category": "combatant", "victim_side": None, "subgroup": None, "level": "minor",
         "ratio": 1.5, "lo": 3, "hi": 2, "parts_party": None, "whole_party": "Defence ministry", "parts": "named"},
    ]  # fmt: skip
    assert record["level_set_by"] == {
        "comparison": "containment: named dead, part of combatant", "lo": 3, "hi": 2,
        "counts": [{"party": "Defence ministry", "role": "whole", "group": "combatant", "reported": "2", "lo": 2,
                    "hi": 2}],
    }  # fmt: skip


def exported() -> str:
    out = io.StringIO()
    call_command("export_discrepancies", "--format", "json", stdout=out)
    return out.getvalue()


def test_the_lists_and_the_api_read_a_named_discrepancy(reader, named):
    event = named[0]
    page = reader.get(reverse("event_list")).content.decode()
    assert "Combatant: the named dead against the count" in page  # the comparison that sets its level
    (item,) = reader.get(f"/api/events/{event.ref}/").json()["containment"]
    assert (item["parts_party"], item["whole_party"]["name"], item["lo"], item["hi"]) == (
        None, "Defence ministry", 3, 2,
    )  # fmt: skip


def test_deleting_an_event_s_fate_claims_together_refreshes_it_once(named):
    event, *_ = named
    refresh = mock.patch("tracker.summaries.receivers.event_summaries_refresh", wraps=event_summaries_refresh)
    with refresh as refreshed:
        FateClaim.objects.filter(event=event).delete()
    refreshed.assert_called_once_with(events={event.pk})
    assert summary(event) == ("single", 0, [])
    assert as_rebuilt()


def test_deleting_a_person_named_in_events_refreshes_each_once(named):
    event, elsewhere, monitor, fate_claims = named
    person = fate_claims[0].person
    make_fate_claim(person, monitor, event=elsewhere, fate="wounded", claimed_on=date(2017, 9, 1))
    refresh = mock.patch("tracker.summaries.receivers.event_summaries_refresh", wraps=event_summaries_refresh)
    with refresh as refreshed:
        person.delete()
    refreshed.assert_called_once_with(events={event.pk, elsewhere.pk})
    assert summary(event)[1] == 2
    assert as_rebuilt()
