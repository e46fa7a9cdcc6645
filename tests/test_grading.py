"""The rules of an assessment (shared/DESIGN.md, "Beyond counting"): independent sources, the
suggested grade and where claims stand against assessed figures; one table row per rule, and their invariants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.rules.discrepancy import ABOVE, BELOW, INJURED, WITHIN
from tracker.rules.grading import (
    CONFIRMED,
    CONTESTED,
    FAIR,
    WEAK,
    Against,
    ComparedClaim,
    Figure,
    GradedClaim,
    claims_against,
    suggested_grade,
)
from tracker.rules.independence import (
    RelayLoop,
    has_independent,
    independent_origins,
    origin,
    origins,
    relay_chain,
    relay_loop,
)

# --- Independent sources -------------------------------------------------------------------------

# A newspaper repeats Reuters, which repeats TASS; the monitor publishes first-hand.
RELAYS = {"newspaper": "reuters", "reuters": "tass", "tass": None, "monitor": None}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("tass", "tass"),  # a first publisher is its own origin
        ("reuters", "tass"),
        ("newspaper", "tass"),  # the end of the chain, however long
        ("unlisted", "unlisted"),  # a source the map does not name relays nothing
    ],
)
def test_a_source_s_origin_is_the_end_of_its_chain_of_relays(source, expected):
    assert origin(source, RELAYS) == expected


def test_origins_give_every_source_its_origin():
    assert origins(RELAYS) == {"newspaper": "tass", "reuters": "tass", "tass": "tass", "monitor": "monitor"}


@pytest.mark.parametrize(
    ("sources", "count", "expected"),
    [
        (["newspaper", "reuters", "tass"], 2, False),  # three sources, one report
        (["newspaper", "monitor"], 2, True),
        (["newspaper", "monitor"], 3, False),
        ([], 1, False),
        (["tass"], 1, True),
    ],
)
def test_sources_are_independent_only_where_their_origins_differ(sources, count, expected):
    assert has_independent(sources, RELAYS, count) is expected


def test_a_loop_of_relays_is_named_from_where_it_starts():
    with pytest.raises(RelayLoop) as loop:
        relay_chain("tass", {"tass": "reuters", "reuters": "tass"})
    assert loop.value.chain == ("tass", "reuters", "tass")
    assert str(loop.value) == "tass → reuters → tass"


@pytest.mark.parametrize(
    ("source", "relayed", "expected"),
    [
        ("tass", "newspaper", ("tass", "newspaper", "reuters", "tass")),  # closes the chain into a loop
        ("tass", "tass", ("tass", "tass")),  # relaying itself
        ("monitor", "newspaper", None),  # joins a chain that ends
        ("tass", None, None),  # relays nothing
        ("newspaper", "monitor", None),  # changes which source it relays
    ],
)
def test_a_relay_that_would_close_a_loop_is_found_with_its_chain(source, relayed, expected):
    assert relay_loop(source, relayed, RELAYS) == expected


# --- The suggested grade --------------------------------------------------------------------------


def civilians(party, lo, source=None, **fields):
    return GradedClaim(party=party, category="civilian", lo=lo, source=source or f"{party} report", **fields)


MINISTRY, MONITOR, HOSPITAL, ARMED_GROUP = "ministry", "monitor", "hospital", "armed group"

# One row per rule of the design, in its order, and the cases at its edges.
GRADE_CASES = [
    # confirmed: an alleged perpetrator's current civilian claim has lo ≥ 1.
    ("a perpetrator concedes", [civilians(MINISTRY, 2)], {MINISTRY}, CONFIRMED),
    ("a perpetrator concedes, another is named", [civilians(MINISTRY, 1)], {MINISTRY, ARMED_GROUP}, CONFIRMED),
    ("a perpetrator concedes one death", [civilians(MINISTRY, 1)], {MINISTRY}, CONFIRMED),
    ("a perpetrator says no civilians died", [civilians(MINISTRY, 0), civilians(MONITOR, 4)], {MINISTRY}, WEAK),
    # contested: harm reported, and two or more alleged perpetrators.
    ("two perpetrators named", [civilians(MONITOR, 4), civilians(HOSPITAL, 5)], {MINISTRY, ARMED_GROUP}, CONTESTED),
    ("two perpetrators, no harm reported", [civilians(MONITOR, 0)], {MINISTRY, ARMED_GROUP}, None),
    # fair: harm reported by two or more independent sources, and an alleged perpetrator named.
    ("two independent sources", [civilians(MONITOR, 4), civilians(HOSPITAL, 5)], {MINISTRY}, FAIR),
    ("one party citing two sources", [civilians(MONITOR, 4, "a"), civilians(MONITOR, 5, "b")], {MINISTRY}, FAIR),
    ("two relays of one", [civilians(MONITOR, 4, "newspaper"), civilians(HOSPITAL, 5, "reuters")], {MINISTRY}, WEAK),
    ("a relay and its origin", [civilians(MONITOR, 4, "newspaper"), civilians(HOSPITAL, 5, "tass")], {MINISTRY}, WEAK),
    ("two parties citing one source", [civilians(MONITOR, 4, "s"), civilians(HOSPITAL, 5, "s")], {MINISTRY}, WEAK),
    ("two sources, one says none died", [civilians(MONITOR, 4), civilians(HOSPITAL, 0)], {MINISTRY}, WEAK),
    ("two independent sources, no perpetrator named", [civilians(MONITOR, 4), civilians(HOSPITAL, 5)], set(), WEAK),
    # weak: harm reported.
    ("a single source", [civilians(MONITOR, 4)], {MINISTRY}, WEAK),
    ("a single source, no perpetrator", [civilians(MONITOR, 1)], set(), WEAK),
    # otherwise no suggestion.
    ("no claims", [], {MINISTRY}, None),
    ("no civilian harm", [civilians(MONITOR, 0), civilians(HOSPITAL, 0)], {MINISTRY}, None),
    ("only combatants", [GradedClaim(MINISTRY, "combatant", 40, "s")], {MINISTRY}, None),
    ("an unknown category", [GradedClaim(MONITOR, "unknown", 12, "s")], {MINISTRY}, None),
    ("a total", [GradedClaim(MINISTRY, "total", 12, "s")], {MINISTRY}, None),
    # What the rules leave aside: the injured, and subgroups (the whole's claim says whether civilians died).
    ("a perpetrator's injured", [civilians(MINISTRY, 3, outcome=INJURED)], {MINISTRY}, None),
    ("a perpetrator's children", [civilians(MINISTRY, 3, subgroup="children")], {MINISTRY}, None),
    ("children beside", [civilians(MONITOR, 4), civilians(HOSPITAL, 2, subgroup="children")], {MINISTRY}, WEAK),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "claims", "perpetrators", "expected"), GRADE_CASES, ids=[row[0] for row in GRADE_CASES]
)
def test_the_suggested_grade_follows_the_design_s_rules_in_their_order(case, claims, perpetrators, expected):
    assert suggested_grade(claims, perpetrators, RELAYS) == expected


def test_discounted_is_never_suggested():
    # Combatants only, a perpetrator's denial: "discounted" is for the assessor to decide.
    claims = [GradedClaim(MINISTRY, "combatant", 40, "s"), civilians(MINISTRY, 0)]
    assert suggested_grade(claims, {MINISTRY}, {}) is None


# Drawn events: claims from a few parties citing a few sources, some alleged perpetrators, some relays.
PARTIES = st.sampled_from([MINISTRY, MONITOR, HOSPITAL, ARMED_GROUP])
SOURCES = st.sampled_from(["a", "b", "c", "d"])
drawn_claims = st.lists(
    st.builds(
        GradedClaim, party=PARTIES, category=st.sampled_from(["civilian", "combatant"]), lo=st.integers(0, 3),
        source=SOURCES,
    ),
    max_size=6,
)  # fmt: skip
drawn_perpetrators = st.sets(PARTIES, max_size=3)
# Relays that form no loop: a source relays only one later in the list.
drawn_relays = st.dictionaries(st.sampled_from("abc"), st.sampled_from("bcd")).map(
    lambda relays: {source: relayed for source, relayed in relays.items() if relayed > source}
)


@given(drawn_claims, drawn_perpetrators, drawn_relays, SOURCES, SOURCES)
def test_adding_a_relay_never_raises_a_grade(claims, perpetrators, relays, source, relayed):
    # A relay can only join two sources into one report: a fair grade may become weak, never the reverse.
    if relayed <= source or source in relays:
        return
    before = suggested_grade(claims, perpetrators, relays)
    after = suggested_grade(claims, perpetrators, {**relays, source: relayed})
    assert after == before or (before, after) == (FAIR, WEAK)


@given(drawn_claims, drawn_perpetrators, drawn_relays, PARTIES, st.integers(1, 50))
def test_a_perpetrator_conceding_civilian_deaths_confirms(claims, perpetrators, relays, party, lo):
    perpetrators = perpetrators | {party}
    assert suggested_grade([*claims, civilians(party, lo)], perpetrators, relays) == CONFIRMED


@given(drawn_claims, drawn_perpetrators, drawn_relays, st.randoms())
def test_the_order_of_claims_never_changes_the_grade(claims, perpetrators, relays, random):
    shuffled = list(claims)
    random.shuffle(shuffled)
    assert suggested_grade(shuffled, perpetrators, relays) == suggested_grade(claims, perpetrators, relays)


# --- Assessment against claims --------------------------------------------------------------------


def compared(party, lo, hi, category="civilian", **fields):
    return ComparedClaim(party=party, category=category, lo=lo, hi=hi, **fields)


# The figure is civilians 10 to 20; one row per standing, and its edges.
AGAINST_CASES = [
    ("above the high", compared(MONITOR, 21, 25), ABOVE),
    ("at the high", compared(MONITOR, 20, 25), WITHIN),
    ("below the low", compared(MINISTRY, 0, 9), BELOW),
    ("at the low", compared(MINISTRY, 5, 10), WITHIN),
    ("inside", compared(MONITOR, 12, 15), WITHIN),
    ("wider on both sides", compared(MONITOR, 5, 30), WITHIN),
    ("open-ended above the low", compared(MONITOR, 12, None), WITHIN),
    ("open-ended above the high", compared(MONITOR, 21, None), ABOVE),
]


@pytest.mark.parametrize(("case", "claim", "expected"), AGAINST_CASES, ids=[row[0] for row in AGAINST_CASES])
def test_a_claim_stands_above_below_or_within_an_assessed_figure(case, claim, expected):
    assert claims_against([Figure("civilian", 10, 20)], [claim]) == [Against(claim.party, "civilian", expected)]


def test_against_an_open_figure_nothing_stands_above():
    claims = [compared(MONITOR, 1000, None), compared(MINISTRY, 0, 0)]
    assert claims_against([Figure("civilian", 10, None)], claims) == [
        Against(MONITOR, "civilian", WITHIN),
        Against(MINISTRY, "civilian", BELOW),
    ]


def test_only_whole_no_side_killed_claims_of_an_assessed_category_are_set_against_it():
    claims = [
        compared(MONITOR, 30, 30),
        compared(MINISTRY, 30, 30, victim_side="armed group"),  # a side's dead: not the whole
        compared(HOSPITAL, 30, 30, subgroup="children"),  # a subgroup
        compared(ARMED_GROUP, 30, 30, outcome=INJURED),  # the injured
        compared(MINISTRY, 40, 40, category="combatant"),  # no combatant figure assessed
        compared(HOSPITAL, 1, 1, category="total"),
    ]
    figures = [Figure("civilian", 10, 20), Figure("total", 5, None)]
    assert claims_against(figures, claims) == [
        Against(MONITOR, "civilian", ABOVE),
        Against(HOSPITAL, "total", BELOW),
    ]


def test_independent_origins_are_the_distinct_ends():
    assert independent_origins(["newspaper", "reuters", "monitor"], RELAYS) == {"tass", "monitor"}
