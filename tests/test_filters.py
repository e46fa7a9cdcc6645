"""The event list's FilterSet, tested directly: each parameter, their combination, order, bad input."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_claim, make_event, make_party, seeded_subgroup
from tracker.filters import RATIO_OF_THE_KILLED, EventFilter, LongSelect, PartyFilter
from tracker.models import Event, Party

pytestmark = pytest.mark.django_db


def refs(params) -> list[str]:
    filterset = EventFilter(params, queryset=Event.objects.all())
    assert filterset.is_valid(), filterset.errors
    return [event.ref for event in filterset.qs]


@pytest.fixture
def events():
    """Four events: a major civilian gap, a denial, an agreement, and one without claims."""
    monitor, ministry, hospital = make_party(name="Monitor"), make_party(name="Ministry"), make_party(name="Hospital")
    major = make_event(ref="SYR-MAJ", title="Strike on Raqqa market", country="SY", event_type="airstrike",
                       start_date=date(2018, 5, 1), location_name="Raqqa")  # fmt: skip
    make_claim(major, monitor, count=40)
    make_claim(major, ministry, count=12)
    denial = make_event(ref="IRQ-DEN", title="Mosul shelling", country="IQ", event_type="shelling",
                        start_date=date(2019, 1, 1), location_name="Mosul",
                        description="Old city, west bank")  # fmt: skip
    make_claim(denial, ministry, count=0)
    make_claim(denial, monitor, count=8)
    agree = make_event(ref="SYR-AGR", title="Clash at the dam", country="SY", event_type="ground_clash",
                       start_date=date(2017, 3, 1), location_name="Tabqa")  # fmt: skip
    make_claim(agree, hospital, count=5, category="combatant")
    make_claim(agree, monitor, count=("range", 4, None, 6), category="combatant")
    make_event(ref="YEM-NONE", title="Unreported", country="YE", start_date=date(2020, 1, 1))
    return {"monitor": monitor, "ministry": ministry, "hospital": hospital}


def test_no_parameters_list_most_severe_first_then_newest(events):
    assert refs({}) == ["IRQ-DEN", "SYR-MAJ", "SYR-AGR", "YEM-NONE"]


def test_unbound_filter_lists_by_severity(events):
    assert [event.ref for event in EventFilter(None, queryset=Event.objects.all()).qs][:2] == ["IRQ-DEN", "SYR-MAJ"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("syr-maj", ["SYR-MAJ"]),  # ref, any case
        ("market", ["SYR-MAJ"]),  # title
        ("tabqa", ["SYR-AGR"]),  # location
        ("west bank", ["IRQ-DEN"]),  # description
        ("   ", ["IRQ-DEN", "SYR-MAJ", "SYR-AGR", "YEM-NONE"]),  # blank is ignored
    ],
)
def test_q_searches_ref_title_location_and_description(events, text, expected):
    assert refs({"q": text}) == expected


def test_level_allows_several(events):
    params = {"level": ["major", "agree"]}
    assert refs(params) == ["SYR-MAJ", "SYR-AGR"]


def test_country_and_event_type(events):
    assert refs({"country": "SY"}) == ["SYR-MAJ", "SYR-AGR"]
    assert refs({"event_type": "shelling"}) == ["IRQ-DEN"]


def test_party_is_the_claimant(events):
    assert refs({"party": events["hospital"].pk}) == ["SYR-AGR"]
    assert refs({"party": events["ministry"].pk}) == ["IRQ-DEN", "SYR-MAJ"]


def test_category_keeps_events_with_claims_about_it(events):
    assert refs({"category": "combatant"}) == ["SYR-AGR"]


def test_dates_bound_the_start_date_inclusively(events):
    assert refs({"date_from": "2018-05-01", "date_to": "2019-01-01"}) == ["IRQ-DEN", "SYR-MAJ"]


def test_min_ratio_compares_the_stored_ratio(events):
    assert Event.objects.get(ref="SYR-MAJ").ratio == Decimal("3.33")
    assert refs({"min_ratio": "3.33"}) == ["IRQ-DEN", "SYR-MAJ"]  # a denial's ratio is unbounded
    assert refs({"min_ratio": "3.34"}) == ["IRQ-DEN"]


def test_classification_dispute(events):
    civilians = make_event(ref="SYR-CD")
    make_claim(civilians, events["ministry"], count=30, category="combatant")
    make_claim(civilians, events["monitor"], count=9, category="civilian")
    assert refs({"classification_dispute": "true"}) == ["SYR-CD"]
    assert "SYR-CD" not in refs({"classification_dispute": "false"})


def test_filters_combine(events):
    assert refs({"country": "SY", "level": ["major", "agree"], "party": events["monitor"].pk, "q": "dam"}) == [
        "SYR-AGR"
    ]


@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("severity", ["YEM-NONE", "SYR-AGR", "SYR-MAJ", "IRQ-DEN"]),
        ("-ratio", ["IRQ-DEN", "SYR-MAJ", "YEM-NONE", "SYR-AGR"]),  # a denial widest; no ratio last, newest first
        ("ratio", ["SYR-MAJ", "IRQ-DEN", "YEM-NONE", "SYR-AGR"]),
        ("-date", ["YEM-NONE", "IRQ-DEN", "SYR-MAJ", "SYR-AGR"]),
        ("date", ["SYR-AGR", "SYR-MAJ", "IRQ-DEN", "YEM-NONE"]),
        ("-claims", ["IRQ-DEN", "SYR-MAJ", "SYR-AGR", "YEM-NONE"]),
    ],
)
def test_ordering(events, ordering, expected):
    assert refs({"ordering": ordering}) == expected


@pytest.mark.parametrize(
    "params, field",
    [
        ({"level": "catastrophic"}, "level"),
        ({"country": "XX"}, "country"),
        ({"event_type": "flood"}, "event_type"),
        ({"party": "999999"}, "party"),
        ({"party": "abc"}, "party"),
        ({"category": "animals"}, "category"),
        ({"date_from": "2018-13-45"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"min_ratio": "lots"}, "min_ratio"),
        ({"min_ratio": "0.5"}, "min_ratio"),
        ({"classification_dispute": "maybe"}, "classification_dispute"),
        ({"ordering": "title"}, "ordering"),
        ({"outcome": "dead"}, "outcome"),
        ({"injured_level": ["catastrophic"]}, "injured_level"),
        ({"inconsistent": "maybe"}, "inconsistent"),
    ],
)
def test_bad_parameters_are_form_errors(events, params, field):
    filterset = EventFilter(params, queryset=Event.objects.all())
    assert not filterset.is_valid()
    assert field in filterset.errors


def test_a_from_date_after_the_to_date_is_refused_with_a_reason(events):
    filterset = EventFilter({"date_from": "2019-01-02", "date_to": "2018-01-01"}, queryset=Event.objects.all())
    assert not filterset.is_valid()
    assert "before the “From” date" in str(filterset.errors["date_to"])


def test_a_country_code_in_lower_case_is_read(events):
    assert refs({"country": "iq"}) == ["IRQ-DEN"]


# The injured: an outcome of its own, each event at the level of its injured counts.


def injured_counted(event, level, *claims, children=None):
    """Give an event claims of the injured (and a party's count of injured children, as `(party, count)`),
    saved as the app saves them, and check the injured level the summaries stored for them."""
    for party, count in claims:
        make_claim(event, party, count=count, outcome="injured")
    if children:
        party, count = children
        make_claim(event, party, count=count, outcome="injured", subgroup=seeded_subgroup("children"))
    event.refresh_from_db()
    assert event.injured_level == level


@pytest.fixture
def injured(events):
    """The injured of the major and the denial events, and an event counted only in injured, where the
    monitor counts more injured children than injured civilians in all."""
    monitor, ministry = events["monitor"], events["ministry"]
    injured_counted(Event.objects.get(ref="SYR-MAJ"), "major", (monitor, 30), (ministry, 3))
    injured_counted(Event.objects.get(ref="IRQ-DEN"), "single", (monitor, 10))
    only = make_event(ref="SYR-INJ", title="Strike on a bus", start_date=date(2018, 6, 1))
    injured_counted(only, "denial", (monitor, 20), (ministry, 0), children=(monitor, 25))
    return events


def test_the_killed_are_counted_unless_the_injured_are_chosen(injured):
    listed = ["IRQ-DEN", "SYR-MAJ", "SYR-AGR", "YEM-NONE", "SYR-INJ"]  # no killed counts: at no level, by date
    assert refs({}) == refs({"outcome": "killed"}) == listed
    assert refs({"level": ["denial"]}) == ["IRQ-DEN"]


def test_the_injured_list_their_events_at_the_level_of_their_injured_counts(injured):
    assert refs({"outcome": "injured"}) == ["SYR-INJ", "SYR-MAJ", "IRQ-DEN"]
    assert refs({"outcome": "injured", "level": ["denial"]}) == ["SYR-INJ"]
    assert refs({"outcome": "injured", "level": ["major", "single"]}) == ["SYR-MAJ", "IRQ-DEN"]
    assert refs({"outcome": "injured", "ordering": "severity"}) == ["IRQ-DEN", "SYR-MAJ", "SYR-INJ"]
    assert refs({"outcome": "injured", "ordering": "-date"}) == ["IRQ-DEN", "SYR-INJ", "SYR-MAJ"]
    assert refs({"outcome": "injured", "country": "IQ"}) == ["IRQ-DEN"]


def test_the_injured_list_leaves_out_an_event_whose_injured_count_was_retracted(events):
    make_claim(Event.objects.get(ref="SYR-MAJ"), events["monitor"], count=12, outcome="injured")
    make_claim(Event.objects.get(ref="IRQ-DEN"), events["monitor"], count=7, outcome="injured", retracted=True)
    assert refs({"outcome": "injured"}) == ["SYR-MAJ"]


def test_injured_level_filters_beside_the_killed_level(injured):
    assert refs({"injured_level": ["single", "major"]}) == ["IRQ-DEN", "SYR-MAJ"]  # most severe killed first
    assert refs({"level": ["denial"], "injured_level": ["single"]}) == ["IRQ-DEN"]
    assert refs({"level": ["major"], "injured_level": ["single"]}) == []


def test_inconsistent_lists_the_events_where_a_party_counts_more_of_a_part_than_of_the_whole(injured):
    assert refs({"inconsistent": "true"}) == ["SYR-INJ"]
    assert refs({"inconsistent": "false"}) == ["IRQ-DEN", "SYR-MAJ", "SYR-AGR", "YEM-NONE"]


@pytest.mark.parametrize(
    "params, field",
    [({"min_ratio": "2"}, "min_ratio"), ({"ordering": "-ratio"}, "ordering"), ({"ordering": "ratio"}, "ordering")],
)
def test_the_injured_have_no_ratio_to_filter_or_order_by(injured, params, field):
    filterset = EventFilter({"outcome": "injured", **params}, queryset=Event.objects.all())
    assert not filterset.is_valid()
    assert filterset.errors[field] == [RATIO_OF_THE_KILLED]
    assert refs(params)  # the killed have one


@pytest.fixture
def parties():
    """Three parties with claims (one of them with three) and two imported without any."""
    monitor = make_party(name="Euphrates Monitor", short_name="EM", aliases="Furat Watch\nFW")
    ministry = make_party(name="Ministry of Defence", short_name="MoD", kind="state_military")
    hospital = make_party(name="Field Hospital", kind="medical")
    for count in (3, 4, 5):
        make_claim(party=monitor, count=count)
    make_claim(party=ministry)
    make_claim(party=hospital)
    make_party(name="Side A of a GED row", kind="other")
    make_party(name="Side B of a GED row", kind="other")


def party_names(params) -> list[str]:
    filterset = PartyFilter(params, queryset=Party.objects.for_list())
    assert filterset.is_valid(), filterset.errors
    return [party.name for party in filterset.qs]


def test_parties_with_claims_only_unless_asked_for_all(parties):
    assert party_names({}) == ["Euphrates Monitor", "Field Hospital", "Ministry of Defence"]
    assert party_names(None) == party_names({})
    assert party_names({"claims": "all"}) == [
        "Euphrates Monitor", "Field Hospital", "Ministry of Defence", "Side A of a GED row", "Side B of a GED row",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "euphrates"}, ["Euphrates Monitor"]),
        ({"q": "mod"}, ["Ministry of Defence"]),  # short name
        ({"q": "furat watch"}, ["Euphrates Monitor"]),  # an alias
        ({"q": "  "}, ["Euphrates Monitor", "Field Hospital", "Ministry of Defence"]),  # blank: no filter
        ({"kind": "medical"}, ["Field Hospital"]),
        ({"kind": "other"}, []),
        ({"kind": "other", "claims": "all"}, ["Side A of a GED row", "Side B of a GED row"]),
        ({"q": "ged", "claims": "all"}, ["Side A of a GED row", "Side B of a GED row"]),
        ({"ordering": "-claims"}, ["Euphrates Monitor", "Field Hospital", "Ministry of Defence"]),
        ({"ordering": "-name"}, ["Ministry of Defence", "Field Hospital", "Euphrates Monitor"]),
    ],
)
def test_party_filters(parties, params, expected):
    assert party_names(params) == expected


def test_a_party_kind_that_does_not_exist_is_an_error(parties):
    assert not PartyFilter({"kind": "spy"}, queryset=Party.objects.all()).is_valid()


@pytest.mark.parametrize("params", [{"level": ["major"]}, {"level": ["denial", "minor"], "country": "SY"}])
def test_filters_on_the_events_own_columns_ask_no_distinct(events, params):
    query = str(EventFilter(params, queryset=Event.objects.all()).qs.query)
    assert "DISTINCT" not in query.upper()


def test_the_event_filter_lists_only_claimants_and_countries_with_events(events):
    bystander = make_party(name="Never Claims")
    form = EventFilter({}, queryset=Event.objects.all()).form
    parties = [label for value, label in form.fields["party"].widget.choices if value]
    countries = [value for value, label in form.fields["country"].widget.choices if value]
    assert bystander.name not in parties and parties
    assert set(countries) == set(Event.objects.values_list("country", flat=True))
    # Not listed is not refused: every party can still be filtered on.
    assert EventFilter({"party": bystander.pk}, queryset=Event.objects.all()).is_valid()


choice_texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@given(
    choices=st.lists(st.tuples(choice_texts, choice_texts), max_size=8, unique_by=lambda choice: choice[0]),
    chosen=st.one_of(st.none(), choice_texts),
    attrs=st.dictionaries(
        st.sampled_from(["id", "aria-describedby", "class", "required", "disabled"]),
        st.one_of(st.booleans(), choice_texts),
        max_size=3,
    ),
)
def test_a_long_select_is_written_as_djangos_own_select_writes_it(choices, chosen, attrs):
    """The filter's party and country lists are written in Python for speed, to the same bytes."""
    choices = [("", "Any"), *choices]
    if chosen is None and choices:
        chosen = choices[len(choices) // 2][0]

    fast = LongSelect(attrs=attrs, choices=choices).render("party", chosen, {"id": "id_party"})
    django_own = forms.Select(attrs=attrs, choices=choices).render("party", chosen, {"id": "id_party"})

    assert fast == django_own
