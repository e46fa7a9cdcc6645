"""The fate conflicts of shared/DESIGN.md (*People and their fates*): one row per rule case, and a
brute-force oracle held equal to the rules on drawn fate claims."""

from datetime import date, datetime, timedelta
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.rules import fates
from tracker.rules.fates import FateReport, FateSummary
from tracker.rules.names import folded

DAY = date(2017, 9, 8)
ENTERED = datetime(2018, 1, 1)


def report(key, party, fate, day_offset=0, *, event=None, claimed=0, hedge="stated", retracted=False, entered=0):
    return FateReport(
        key=key, party=party, fate=fate, day=DAY + timedelta(days=day_offset), event=event,
        claimed_on=DAY + timedelta(days=claimed), entered_at=ENTERED + timedelta(minutes=entered), hedge=hedge,
        retracted=retracted,
    )  # fmt: skip


def summary(*conflicts, deaths=0):
    return FateSummary(conflicts=frozenset(conflicts), reported_deaths=deaths)


# (case, fate claims, conflicts and distinct deaths)
RULE_CASES = [
    ("no claims", [], summary()),
    ("one death claim", [report(1, 1, "killed")], summary(deaths=1)),
    ("fatally wounded is a death", [report(1, 1, "fatally_wounded")], summary(deaths=1)),
    ("wounded alone is no death", [report(1, 1, "wounded")], summary()),
    (
        "killed twice: days 8 apart",
        [report(1, 1, "killed", 0), report(2, 2, "killed", 8)],
        summary("killed_twice", deaths=2),
    ),
    ("not twice: days exactly 7 apart", [report(1, 1, "killed", 0), report(2, 2, "killed", 7)], summary(deaths=1)),
    (
        "killed twice: different events on one day",
        [report(1, 1, "killed", event=1), report(2, 2, "killed", event=2)],
        summary("killed_twice", deaths=1),
    ),
    (
        "not twice: same event, dates a month apart",
        [report(1, 1, "killed", 0, event=1), report(2, 2, "fatally_wounded", 30, event=1)],
        summary(deaths=1),
    ),
    (
        "not twice: one claim in an event, the other in none, same week",
        [report(1, 1, "killed", 0, event=1), report(2, 2, "killed", 3)],
        summary(deaths=1),
    ),
    (
        "retracted death claim ignored",
        [report(1, 1, "killed", 0), report(2, 2, "killed", 60, retracted=True)],
        summary(deaths=1),
    ),
    (
        "possible hedge ignored",
        [report(1, 1, "killed", 0), report(2, 2, "killed", 60, hedge="possible")],
        summary(deaths=1),
    ),
    (
        "latest per party wins: a party that says killed, then alive, makes no death claim",
        [report(1, 1, "killed", 0, claimed=1), report(2, 1, "alive", 30, claimed=40), report(3, 2, "killed", 60)],
        summary(deaths=1),
    ),
    (
        "latest per party wins: same claim date, the latest entered stands",
        [report(1, 1, "alive", 30, entered=2), report(2, 1, "killed", 0, entered=1), report(3, 2, "killed", 60)],
        summary(deaths=1),
    ),
    (
        "a retraction lets the party's earlier claim stand",
        [report(1, 1, "killed", 0, claimed=1), report(2, 1, "alive", 30, claimed=40, retracted=True)],
        summary(deaths=1),
    ),
    (
        "alive after death: 8 days after",
        [report(1, 1, "killed", 0), report(2, 2, "alive", 8)],
        summary("alive_after_death", deaths=1),
    ),
    (
        "not alive after death: exactly 7 days after",
        [report(1, 1, "killed", 0), report(2, 2, "alive", 7)],
        summary(deaths=1),
    ),
    (
        "captured after death counts as alive after death",
        [report(1, 1, "killed", 0), report(2, 2, "captured", 100)],
        summary("alive_after_death", deaths=1),
    ),
    ("alive before death is no conflict", [report(1, 1, "killed", 0), report(2, 2, "alive", -100)], summary(deaths=1)),
    (
        "possibly alive after death ignored",
        [report(1, 1, "killed", 0), report(2, 2, "alive", 100, hedge="possible")],
        summary(deaths=1),
    ),
    (
        "disputed: one event, killed and wounded",
        [report(1, 1, "killed", 0, event=1), report(2, 2, "wounded", 0, event=1)],
        summary("disputed", deaths=1),
    ),
    (
        "not disputed: survival in another event, within the days",
        [report(1, 1, "killed", 0, event=1), report(2, 2, "wounded", 0, event=2)],
        summary(deaths=1),
    ),
    (
        "disputed and alive after death at once: one event, dates apart",
        [report(1, 1, "killed", 0, event=1), report(2, 2, "alive", 20, event=1)],
        summary("disputed", "alive_after_death", deaths=1),
    ),
    (
        "deaths joined transitively: 0, 6 and 12 days are one death, yet 0 and 12 are twice",
        [report(1, 1, "killed", 0), report(2, 2, "killed", 6), report(3, 3, "killed", 12)],
        summary("killed_twice", deaths=1),
    ),
    (
        "Khalimov: Mosul in April, Deir ez-Zor in September, alive in February",
        [
            FateReport(1, 1, "killed", date(2017, 4, 1), date(2017, 4, 20), ENTERED, event=1),
            FateReport(2, 2, "fatally_wounded", date(2017, 9, 8), date(2017, 9, 8), ENTERED, event=2),
            FateReport(3, 3, "alive", date(2018, 2, 1), date(2018, 2, 15), ENTERED),
        ],
        summary("killed_twice", "alive_after_death", deaths=2),
    ),
]


@pytest.mark.parametrize("reports, expected", [case[1:] for case in RULE_CASES], ids=[case[0] for case in RULE_CASES])
def test_fate_rule(reports, expected):
    assert fates.fate_summary(reports, fate_days=7) == expected
    assert fates.fate_summary(list(reversed(reports)), fate_days=7) == expected


def test_fate_days_is_a_parameter():
    reports = [report(1, 1, "killed", 0), report(2, 2, "killed", 10)]
    assert fates.fate_summary(reports, fate_days=10) == summary(deaths=1)
    assert fates.fate_summary(reports, fate_days=9) == summary("killed_twice", deaths=2)


# The oracle: the definitions as sets, written apart from the rules.


def oracle(reports, fate_days):
    current = []
    for party in {r.party for r in reports}:
        standing = [r for r in reports if r.party == party and not r.retracted]
        if standing:
            current.append(max(standing, key=lambda r: (r.claimed_on, r.entered_at, r.key)))
    deaths = [r for r in current if r.hedge == "stated" and r.fate in ("killed", "fatally_wounded")]
    alive = [r for r in current if r.hedge == "stated" and r.fate in ("alive", "wounded", "captured")]
    conflicts = set()
    if any(
        not (a.event and a.event == b.event)
        and ((a.event and b.event and a.event != b.event) or abs((a.day - b.day).days) > fate_days)
        for a, b in combinations(deaths, 2)
    ):
        conflicts.add("killed_twice")
    if any((s.day - d.day).days > fate_days for d in deaths for s in alive):
        conflicts.add("alive_after_death")
    if any(d.event is not None and d.event == s.event for d in deaths for s in alive):
        conflicts.add("disputed")
    # Distinct deaths: the connected components of the "same event or within the days" graph.
    joined = {
        (a.key, b.key)
        for a in deaths
        for b in deaths
        if (a.event is not None and a.event == b.event) or abs((a.day - b.day).days) <= fate_days
    }
    unseen, components = {d.key for d in deaths}, 0
    while unseen:
        components += 1
        reach = {unseen.pop()}
        while True:
            more = {b for a, b in joined if a in reach} - reach
            if not more:
                break
            reach |= more
        unseen -= reach
    return FateSummary(conflicts=frozenset(conflicts), reported_deaths=components)


reports_drawn = st.lists(
    st.builds(
        lambda party, fate, day, event, claimed, entered, hedge, retracted: (
            party,
            fate,
            day,
            event,
            claimed,
            entered,
            hedge,
            retracted,
        ),
        st.integers(1, 4),
        st.sampled_from(["killed", "fatally_wounded", "wounded", "captured", "alive"]),
        st.integers(0, 40),
        st.one_of(st.none(), st.integers(1, 3)),
        st.integers(0, 5),
        st.integers(0, 2),
        st.sampled_from(["stated", "stated", "possible"]),
        st.booleans(),
    ),
    max_size=8,
)


@given(reports_drawn, st.integers(0, 10))
def test_rules_agree_with_the_oracle(drawn, fate_days):
    reports = [
        report(key, party, fate, day, event=event, claimed=claimed, entered=entered, hedge=hedge, retracted=retracted)
        for key, (party, fate, day, event, claimed, entered, hedge, retracted) in enumerate(drawn, start=1)
    ]
    assert fates.fate_summary(reports, fate_days=fate_days) == oracle(reports, fate_days)


# Folded names: one key for the spellings a name is met in.

FOLDED_ALIKE = [
    ("Khalimov", "Halimov", "Xalimov", "KHALIMOV", "Khalímov"),
    ("Gulmurod Khalimov", "gulmurod halimov", "Gulmurod  Xalimov"),
    ("Shamil", "Şamil", "Šamil"),
    ("Jamal", "Djamal", "Dzhamal"),
    ("Mustafa", "Moustafa"),
    ("Farouk", "Faruk", "Pharouk"),
    ("Kasim", "Qasim"),
    ("Walid", "Valid"),
    ("Abu Bakr al-Baghdadi", "Abū Bakr al Baghdādī", "abu bakr al-baghdadi"),
]


@pytest.mark.parametrize("spellings", FOLDED_ALIKE, ids=[spellings[0] for spellings in FOLDED_ALIKE])
def test_spellings_fold_alike(spellings):
    assert len({folded(spelling) for spelling in spellings}) == 1


def test_folding_keeps_other_scripts_and_tells_names_apart():
    assert folded("Гулмурод Халимов") == "гулмурод халимов"
    assert folded("أبو بكر") == folded("ابو بكر")  # the hamza is a mark, as an accent is
    assert folded("Halimov") != folded("Kalimov")


@given(st.text(max_size=30))
def test_folding_twice_changes_nothing(name):
    assert folded(folded(name)) == folded(name)


# (case, current fate claims, the keys of those some conflict sets against another)
IN_CONFLICT_CASES = [
    ("no conflict", [report(1, 1, "killed"), report(2, 2, "killed", 3)], set()),
    ("killed twice: both", [report(1, 1, "killed", 0), report(2, 2, "killed", 30)], {1, 2}),
    ("alive after death: both", [report(1, 1, "killed", 0), report(2, 2, "alive", 30)], {1, 2}),
    (
        "disputed: both, not the third party's possible death",
        [report(1, 1, "killed", event=1), report(2, 2, "wounded", event=1), report(3, 3, "killed", hedge="possible")],
        {1, 2},
    ),
    (
        "a survival before the death is in none",
        [report(1, 1, "wounded", -30), report(2, 2, "killed", 0), report(3, 3, "alive", 60)],
        {2, 3},
    ),
]


@pytest.mark.parametrize(("case", "current", "keys"), IN_CONFLICT_CASES, ids=[case[0] for case in IN_CONFLICT_CASES])
def test_the_claims_in_conflict_are_those_of_the_rules_pairs(case, current, keys):
    assert fates.in_conflict(current, fate_days=7) == keys
