"""Whole cases in one claims file: an event's alleged perpetrators (`event_perpetrators`) and the source a
source only repeats (`source_relays`), read on import and written by every claims export."""

import io

import pytest
from django.contrib.auth.models import Permission

from tests.factories import make_claim, make_event, make_party, make_source
from tests.helpers import claim_row, csv_bytes, import_bytes, stored_counts
from tracker.exports.claims import claim_rows, claims_write
from tracker.models import Claim, Event, Party, Source

pytestmark = pytest.mark.django_db

NOTHING_STORED = (0,) * 8


def perpetrators(ref: str) -> set[tuple[str, str]]:
    return {(party.name, party.kind) for party in Event.objects.get(ref=ref).alleged_perpetrators.all()}


def errors(report) -> list[tuple[int, str]]:
    return [(note.line, note.message) for note in report.errors]


def exported() -> bytes:
    stream = io.StringIO()
    claims_write(claim_rows(), format="csv", stream=stream)
    return stream.getvalue().encode()


# Alleged perpetrators


def test_a_new_event_gets_the_perpetrators_the_file_names_new_ones_as_other_with_a_warning():
    make_party(name="Russian Ministry of Defence", kind="state_military")
    report = import_bytes(csv_bytes([claim_row(event_perpetrators="russian ministry of defence | Militia X")]))

    assert report.ok, errors(report)
    assert perpetrators("SYR-2018-01-RAQ-01") == {
        ("Russian Ministry of Defence", "state_military"),
        ("Militia X", "other"),
    }
    assert [(note.line, note.message) for note in report.warnings] == [
        (
            2,
            "event_perpetrators 'Militia X' is a new party; it is added with the kind 'other' unless a later row "
            "names its party_kind",
        )
    ]


def test_a_perpetrator_is_found_by_its_alias():
    make_party(name="Russian Ministry of Defence", kind="state_military", aliases="MoD Russia")
    report = import_bytes(csv_bytes([claim_row(event_perpetrators="mod russia")]))

    assert report.ok, errors(report)
    assert perpetrators("SYR-2018-01-RAQ-01") == {("Russian Ministry of Defence", "state_military")}
    assert Party.objects.count() == 2  # the claimant and the ministry: no party for the alias


def test_a_perpetrator_named_as_claimant_on_the_same_row_keeps_the_kind_it_is_given():
    row = claim_row(party="Militia X", party_kind="armed_group", event_perpetrators="Militia X")
    report = import_bytes(csv_bytes([row]))

    assert report.ok and not report.warnings
    assert perpetrators("SYR-2018-01-RAQ-01") == {("Militia X", "armed_group")}


def test_a_stored_event_takes_a_row_naming_its_perpetrators_or_none():
    event = make_event(ref="SYR-2018-01-RAQ-01")
    event.alleged_perpetrators.set([make_party(name="Ministry"), make_party(name="Army")])
    rows = [claim_row(event_perpetrators="army|MINISTRY"), claim_row(event_perpetrators="", best="13")]

    report = import_bytes(csv_bytes(rows))

    assert report.ok, errors(report)
    assert {party.name for party in event.alleged_perpetrators.all()} == {"Ministry", "Army"}


def test_a_stored_event_refuses_other_perpetrators_naming_which_differ():
    event = make_event(ref="SYR-2018-01-RAQ-01")
    event.alleged_perpetrators.set([make_party(name="Ministry"), make_party(name="Army")])
    before = stored_counts()

    report = import_bytes(csv_bytes([claim_row(event_perpetrators="Ministry|Militia X")]))

    assert errors(report) == [
        (
            2,
            "event_perpetrators: the event SYR-2018-01-RAQ-01 has other alleged perpetrators (Militia X, Army "
            "differ); leave the column empty, or name the same parties",
        )
    ]
    assert stored_counts() == before
    assert not Party.objects.filter(name="Militia X").exists()


def test_a_later_row_of_a_new_event_must_name_the_perpetrators_an_earlier_one_gave():
    rows = [claim_row(event_perpetrators="Ministry"), claim_row(event_perpetrators="Army", best="13")]

    report = import_bytes(csv_bytes(rows))

    assert [line for line, _ in errors(report)] == [3]
    assert "(Army, Ministry differ)" in errors(report)[0][1]
    assert stored_counts() == NOTHING_STORED


# Relays


def relayed_case(**fields) -> list[dict]:
    """Two claims of one event, by a monitor and a hospital, citing TASS and a paper that may relay it."""
    return [
        claim_row(party="Monitor", source_title="TASS", source_url="https://tass.example/1", best="4",
                  event_perpetrators="Ministry"),
        claim_row(party="Hospital", party_kind="medical", source_title="Paper", source_url="https://paper.example/2",
                  best="5", **fields),
    ]  # fmt: skip


def test_a_relay_to_a_source_on_an_earlier_line_counts_the_two_as_one_report():
    report = import_bytes(csv_bytes(relayed_case(source_relays="https://tass.example/1")))

    assert report.ok, errors(report)
    assert Source.objects.get(title="Paper").relays == Source.objects.get(title="TASS")
    assert Event.objects.get().suggested_grade == "weak"


def test_without_the_relay_the_two_sources_corroborate():
    assert import_bytes(csv_bytes(relayed_case())).ok
    assert Event.objects.get().suggested_grade == "fair"


def test_a_relay_names_a_stored_source_by_url_or_by_title_where_it_has_none():
    by_url = make_source(title="TASS", url="https://tass.example/1")
    by_title = make_source(title="Agency bulletin")
    rows = [
        claim_row(source_title="Paper", source_url="https://paper.example/2", source_relays="https://tass.example/1"),
        claim_row(source_title="Radio", source_url="", source_relays="Agency bulletin", best="13"),
    ]

    report = import_bytes(csv_bytes(rows))

    assert report.ok, errors(report)
    assert Source.objects.get(title="Paper").relays == by_url
    assert Source.objects.get(title="Radio").relays == by_title


def test_a_stored_source_given_a_relay_stores_its_events_grades_again():
    event = make_event(ref="SYR-2018-01-RAQ-01")
    event.alleged_perpetrators.add(make_party(name="Ministry"))
    tass = make_source(title="TASS", url="https://tass.example/1")
    paper = make_source(title="Paper", url="https://paper.example/2")
    make_claim(event, make_party(name="Monitor"), count=4, source=tass)
    make_claim(event, make_party(name="Hospital"), count=5, source=paper)
    event.refresh_from_db()
    assert event.suggested_grade == "fair"

    row = claim_row(party="Hospital", best="5", source_title="Paper", source_url="https://paper.example/2",
                    source_date="", claimed_on="2018-01-01", source_relays="https://tass.example/1")  # fmt: skip
    report = import_bytes(csv_bytes([row]))

    assert report.ok, errors(report)
    paper.refresh_from_db()
    event.refresh_from_db()
    assert (paper.relays, event.suggested_grade) == (tass, "weak")


def test_an_unknown_relay_or_one_on_a_later_line_is_the_lines_error_and_nothing_is_stored():
    rows = [
        claim_row(source_title="Paper", source_relays="https://tass.example/1"),
        claim_row(source_title="TASS", source_url="https://tass.example/1", best="13"),
    ]

    report = import_bytes(csv_bytes(rows))

    assert errors(report) == [
        (
            2,
            "source_relays 'https://tass.example/1' is no source in the tracker nor on an earlier line: give the "
            "URL of the source relayed, or its title where it has none",
        )
    ]
    assert stored_counts() == NOTHING_STORED


def test_a_relay_that_closes_a_loop_is_refused_naming_the_chain():
    tass = make_source(title="TASS", url="https://tass.example/1")
    paper = make_source(title="Paper", url="https://paper.example/2", relays=tass)
    rows = [claim_row(source_title="TASS", source_url="https://tass.example/1", source_date="",
                      source_relays="https://paper.example/2")]  # fmt: skip

    report = import_bytes(csv_bytes(rows))

    assert errors(report) == [
        (
            2,
            "The relays would go round in a loop (https://tass.example/1 → https://paper.example/2 → "
            "https://tass.example/1): a chain of relays ends at a source that relays nothing.",
        )
    ]
    tass.refresh_from_db()
    assert (tass.relays, paper.relays) == (None, tass)


def test_a_loop_within_the_file_is_refused():
    rows = [
        claim_row(source_title="A", source_url=""),
        claim_row(source_title="B", source_url="", source_relays="A", best="2"),
        claim_row(source_title="A", source_url="", source_relays="B", best="3"),
    ]

    report = import_bytes(csv_bytes(rows))

    assert errors(report) == [
        (4, "The relays would go round in a loop (A → B → A): a chain of relays ends at a source that relays nothing.")
    ]


def test_a_source_relaying_another_already_refuses_a_different_relay_naming_both():
    tass, agency = make_source(title="TASS", url="https://tass.example/1"), make_source(title="Agency")
    make_source(title="Paper", url="https://paper.example/2", relays=tass)
    rows = [claim_row(source_title="Paper", source_url="https://paper.example/2", source_date="",
                      source_relays="Agency")]  # fmt: skip

    report = import_bytes(csv_bytes(rows))

    assert errors(report) == [
        (
            2,
            "source_relays: source 'https://paper.example/2' relays 'https://tass.example/1' already, not 'Agency'",
        )
    ]
    assert agency.relayed_by.count() == 0


# Round trip


def test_export_import_export_keeps_perpetrators_and_relays_even_to_a_later_row():
    ministry = make_party(name="Ministry", kind="state_military")
    first, second = make_event(ref="A-EARLY"), make_event(ref="Z-LATE")
    first.alleged_perpetrators.set([ministry, make_party(name="Militia", kind="armed_group")])
    untitled = make_source(title="Agency bulletin")  # no URL: named by its title
    tass = make_source(title="TASS", url="https://tass.example/1", relays=untitled)
    paper = make_source(title="Paper", url="https://paper.example/2", relays=tass)
    # The relaying sources are cited by the earlier event: the export lists what they relay first.
    make_claim(first, make_party(name="Hospital"), count=5, source=paper)
    make_claim(first, make_party(name="Monitor"), count=4, source=tass)
    make_claim(second, ministry, count=2, source=untitled)
    file = exported()
    claims = Claim.objects.count()

    Source.objects.update(relays=None)  # a relayed source is protected while relayed
    for model in (Claim, Event, Source, Party):
        model.objects.all().delete()
    report = import_bytes(file)

    assert report.ok, errors(report)
    assert Claim.objects.count() == claims
    assert exported() == file
    assert Source.objects.get(title="Paper").relays.relays.title == "Agency bulletin"
    assert [line.split(",")[0] for line in file.decode().splitlines()[1:]] == ["Z-LATE", "A-EARLY", "A-EARLY"]


def test_a_loop_through_a_source_hidden_from_the_importer_names_it_only_as_confidential(editor):
    editor.user_permissions.remove(Permission.objects.get(codename="view_confidential_source"))
    editor = type(editor).objects.get(pk=editor.pk)  # its permissions read again
    tass = make_source(title="TASS", url="https://tass.example/1")
    informant = make_source(title="Informant", confidential=True, relays=tass)
    make_source(title="Paper", url="https://paper.example/2", relays=informant)
    rows = [claim_row(source_title="TASS", source_url="https://tass.example/1", source_date="",
                      source_relays="https://paper.example/2")]  # fmt: skip

    report = import_bytes(csv_bytes(rows), user=editor)

    assert [message for _, message in errors(report)] == [
        "The relays would go round in a loop (https://tass.example/1 → https://paper.example/2 → Confidential "
        "source → https://tass.example/1): a chain of relays ends at a source that relays nothing."
    ]
