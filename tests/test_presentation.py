"""The words and numbers the pages, the admin and the downloads put on discrepancies, read without a
database: counts, ratios, spreads, sentences, labels and "all sides"."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from tracker.exports.discrepancies import group_name
from tracker.models import ComparisonGroup, ContainmentDiscrepancy
from tracker.presentation import labels, numbers, sentences, sides
from tracker.rules.counts import Count


def group(level, lo_max, hi_min, ratio=None, outcome="killed"):
    return SimpleNamespace(
        level=level, lo_max=lo_max, hi_min=hi_min, bounds=(lo_max, hi_min), ratio=ratio, outcome=outcome
    )


@pytest.mark.parametrize(
    "group_, expected",
    [
        (group("major", 40, 12, Decimal("3.33")), "12 – 40, 3.3×"),
        (group("minor", 20, 18, Decimal("1.11")), "18 – 20, 1.11×"),
        (group("denial", 8, 0), "0 – 8"),
        (group("agree", 12, 14), "12 – 14"),
        (group("agree", 13, 13), "13"),
        (group("single", 9, None), "≥ 9"),
        (group(None, None, None), ""),
        (None, ""),
    ],
)
def test_spread_text(group_, expected):
    assert numbers.spread_text(group_) == expected


@pytest.mark.parametrize(
    "ratio, expected",
    [(Decimal("1.49"), "1.49×"), (Decimal("1.50"), "1.50×"), (Decimal("3.33"), "3.3×"), (None, "")],
)
def test_ratio_is_rounded_for_reading_only(ratio, expected):
    assert numbers.ratio_text(ratio) == expected


@pytest.mark.parametrize(
    "count, expected",
    [
        (Count("exact", best=0), "0"),
        (Count("approximate", best=40), "about 40"),
        (Count("at_least", low=12), "at least 12"),
        (Count("at_most", high=30), "at most 30"),
        (Count("range", low=12, high=15), "12 – 15"),
    ],
)
def test_count_text(count, expected):
    assert numbers.count_text(count) == expected


def test_level_sentence_gives_the_numbers():
    sentence = sentences.level_sentence(group("major", 40, 12, Decimal("3.33")))
    assert "(40)" in sentence and "3.3×" in sentence and "(12)" in sentence and "28 deaths apart" in sentence
    assert "no one died" in sentences.level_sentence(group("denial", 8, 0))


def item(category, side_id=None):
    return SimpleNamespace(category=category, victim_side_id=side_id)


def test_only_an_unsided_claim_or_group_among_sided_ones_of_its_category_counts_all_sides():
    claims = [item("combatant"), item("combatant", 7), item("civilian")]
    sided = sides.sided_categories(claims)
    assert sided == {"combatant"}
    assert [sides.is_all_sides(claim, sided) for claim in claims] == [True, False, False]
    assert not sides.is_all_sides(item("combatant"), sides.sided_categories([item("combatant")]))


def test_all_sides_is_labelled_in_the_page_s_language_and_in_english_for_downloads():
    with translation.override("ar"):
        assert sides.all_sides_text() == "كل الأطراف"
        assert sides.all_sides_text(language="en") == "all sides"
        # A download names the group in English whatever the language it was asked in, and leaves it on.
        assert group_name("combatant", None, all_sides=True) == "combatant: all sides"
        assert translation.get_language() == "ar"
    assert sides.all_sides_text() == "all sides"
    assert group_name("combatant", "Islamic State", all_sides=False) == "combatant: Islamic State"
    assert group_name("civilian", None, all_sides=False) == "civilian"


def test_comparison_label_names_the_side_all_sides_or_the_category_alone():
    group = ComparisonGroup(category="combatant")
    assert labels.comparison_label(group) == "Combatant"
    assert labels.comparison_label(group, all_sides=True) == "Combatant: all sides"
    with translation.override("ar"):
        assert labels.comparison_label(group, all_sides=True).endswith(": كل الأطراف")
    containment = ContainmentDiscrepancy(category="combatant")
    assert labels.comparison_label(containment) == "Combatant: each side against all sides"
    assert labels.comparison_label(ContainmentDiscrepancy(category="total")) == "Total: its parts against the whole"
