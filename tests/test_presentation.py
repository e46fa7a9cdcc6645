"""The words and numbers the pages, the admin and the downloads put on discrepancies, read without a
database: counts, ratios, spreads, sentences, labels and "all sides"."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from tracker.exports.discrepancies import group_name
from tracker.models import ComparisonGroup, ContainmentDiscrepancy, Inconsistency, Party, Subgroup
from tracker.presentation import labels, numbers, sentences, sides
from tracker.rules.counts import Count


def group(level, lo_max, hi_min, ratio=None, outcome="killed", category="total"):
    return SimpleNamespace(
        level=level,
        lo_max=lo_max,
        hi_min=hi_min,
        bounds=(lo_max, hi_min),
        ratio=ratio,
        outcome=outcome,
        category=category,
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


@pytest.mark.parametrize(
    "category, words",
    [
        ("total", "one party says no one died, while another counts at least 8 deaths"),
        ("civilian", "one party counts no civilian deaths, while another counts at least 8 civilian deaths"),
        ("combatant", "one party counts no combatant deaths, while another counts at least 8 combatant deaths"),
        ("unknown", "one party counts no deaths of unknown status, while another counts at least 8 such deaths"),
    ],
)
def test_a_denial_says_what_is_denied_not_that_no_one_died(category, words):
    """A belligerent that concedes no civilian deaths has not said that no one died."""
    assert words in sentences.level_sentence(group("denial", 8, 0, category=category))


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


# Unsaved, with a key, as a stored comparison holds its subgroup.
CHILDREN = Subgroup(pk=1, code="children", name="children", name_ar="أطفال", category="civilian")


def subgroup_containment(level, lo, hi, ratio=None, outcome="killed"):
    return ContainmentDiscrepancy(
        outcome=outcome, category="civilian", subgroup=CHILDREN, level=level, lo=lo, hi=hi, ratio=ratio,
        parts_party=Party(name="Euphrates Monitor"), whole_party=Party(name="Russian MoD"),
    )  # fmt: skip


def test_a_subgroup_above_another_partys_whole_is_one_sentence_with_both_counts():
    item = subgroup_containment("major", 8, 5, Decimal("1.60"))
    assert sentences.containment_sentence(item, [], subgroup="children") == (
        "Major discrepancy: Euphrates Monitor's children (8) exceed Russian MoD's 5 civilians: "
        "\u20661.60×\u2069 as many, 3 deaths apart."
    )
    assert sentences.containment_sentence(subgroup_containment("denial", 2, 0), [], subgroup="children") == (
        "Denial: Euphrates Monitor's children (2) exceed Russian MoD's 0 civilians."
    )
    injured = subgroup_containment("minor", 6, 5, Decimal("1.20"), outcome="injured")
    assert sentences.containment_sentence(injured, [], subgroup="children").endswith(
        "exceed Russian MoD's 5 injured civilians, but only by 1 injured (\u20661.20×\u2069)."
    )


def test_a_partys_own_subgroup_above_its_own_whole_is_said_to_not_add_up():
    item = Inconsistency(
        party=Party(name="Russian MoD"), outcome="killed", category="civilian", subgroup=CHILDREN, lo=8, hi=5
    )
    assert sentences.inconsistency_sentence(item, "children") == (
        "Russian MoD's own report does not add up: children (8) among at most 5 civilians."
    )
    with translation.override("ar"):
        assert sentences.inconsistency_sentence(item, labels.subgroup_name(CHILDREN)) == (
            "تقرير Russian MoD نفسه لا يستقيم: أطفال (8) من أصل 5 مدنيين على الأكثر."
        )


def test_the_injureds_sentences_count_the_injured_not_the_dead():
    denial = sentences.level_sentence(group("denial", 8, 0, outcome="injured"))
    assert denial == "Denial: one party says no one was injured, while another counts at least 8 injured."
    major = sentences.level_sentence(group("major", 40, 12, Decimal("3.33"), outcome="injured"))
    assert major.endswith("28 injured apart.") and "death" not in major
    assert sentences.level_sentence(group("agree", 12, 14, outcome="injured")).endswith(
        "allows \u206612 – 14\u2069 injured."
    )
    with translation.override("ar"):
        assert "11 جريحًا على الأقل" in sentences.level_sentence(group("denial", 11, 0, outcome="injured"))


def test_subgroups_and_the_injured_are_named_in_a_comparisons_label():
    children = ComparisonGroup(category="civilian", subgroup=CHILDREN)
    assert labels.comparison_label(children) == "Civilian, of whom: children"
    assert labels.comparison_label(ComparisonGroup(category="civilian", outcome="injured")) == "Civilian (injured)"
    assert labels.comparison_label(subgroup_containment("major", 8, 5)) == "Civilian, children against the whole"
    with translation.override("ar"):
        assert labels.comparison_label(children).endswith("منهم: أطفال")
        # A subgroup staff added without an Arabic name keeps its English one.
        assert labels.subgroup_name(Subgroup(code="drivers", name="drivers")) == "drivers"
