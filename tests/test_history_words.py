"""An event's and a claim's history in words a reader can follow: an empty field as a dash, a long text's
changed words, what an event was created with."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_claim, make_event, make_party
from tests.test_admin import history_table

pytestmark = pytest.mark.django_db

NOTES = (
    "Reported by the monitor's network in the eastern countryside; three witnesses named the street, "
    "the time of the strike and the families of the dead, and two of them confirmed the count by phone "
    "later that night, before the lines were cut again across the whole of the country"
)


def histories(client, claim) -> list[str]:
    """The claim's own history and its event's timeline, each as the table a reader sees."""
    return [
        history_table(client.get(reverse(name, args=[pk])).content.decode())
        for name, pk in (("admin:tracker_claim_history", claim.pk), ("admin:tracker_event_history", claim.event_id))
    ]


def test_a_victim_side_set_where_there_was_none_reads_from_a_dash(editor_client):
    claim = make_claim(party=make_party(name="Ministry"))
    claim.victim_side = make_party(name="IS", kind="armed_group")
    claim.save()
    for table in histories(editor_client, claim):
        assert re.search(r"Victim side:</strong>\s*(<bdi>)?—", table)
        assert "Deleted party" not in table and "pk=None" not in table


def test_a_long_notes_change_shows_its_changed_words_and_keeps_the_rest_readable(editor_client):
    claim = make_claim(notes=NOTES)
    claim.notes = NOTES.replace("three witnesses", "four witnesses")
    claim.save()
    for table in histories(editor_client, claim):
        assert "chars]" not in table
        assert "<del>three</del>" in table and "<ins>four</ins>" in table
        assert "witnesses named the street" in table  # the words around the change, as written


def test_an_events_created_entry_lists_what_it_was_created_with(editor_client):
    event = make_event(ref="SYR-2017-09-DEZ-01", title="Strike near Deir ez-Zor", start_date=date(2017, 9, 5))
    table = history_table(editor_client.get(reverse("admin:tracker_event_history", args=[event.pk])).content.decode())
    created = table[table.index('<tr class="history-event">') :]
    assert "<bdi>SYR-2017-09-DEZ-01</bdi>" in created
    assert "<bdi>Strike near Deir ez-Zor</bdi>" in created
    assert "Syria" in created
