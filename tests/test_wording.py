"""The wording reader's breakdown: who among the dead, the injured beside them, words of magnitude."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.rules.counts import APPROXIMATE, AT_LEAST, EXACT, RANGE, Count
from tracker.rules.wording import INJURED, KILLED, Part, breakdown_from_wording, count_from_wording


def exact(best):
    return Count(EXACT, best=best)


def part(category, subgroup, count, outcome=KILLED):
    return Part(category, subgroup, outcome, count)


BREAKDOWNS = [
    ("12 civilians, including 4 children", [part("civilian", None, exact(12)), part("civilian", "children", exact(4))]),
    (
        "4 commanders among 40 militants",
        [part("combatant", None, exact(40)), part("combatant", "commanders", exact(4))],
    ),
    (
        "killed 4 commanders among 40 militants",
        [part("combatant", None, exact(40)), part("combatant", "commanders", exact(4))],
    ),
    (
        "about 40 militants, among them four field commanders",
        [part("combatant", None, Count(APPROXIMATE, best=40)), part("combatant", "commanders", exact(4))],
    ),
    ("7 civilians and 3 fighters", [part("civilian", None, exact(7)), part("combatant", None, exact(3))]),
    ("3 killed and 12 wounded", [part(None, None, exact(3)), part(None, None, exact(12), INJURED)]),
    ("killed 12, wounded 30", [part(None, None, exact(12)), part(None, None, exact(30), INJURED)]),
    (
        "3 civilians killed and 12 wounded",
        [part("civilian", None, exact(3)), part("civilian", None, exact(12), INJURED)],
    ),
    (
        "12-15 civilians including 3-4 children",
        [
            part("civilian", None, Count(RANGE, low=12, high=15)),
            part("civilian", "children", Count(RANGE, low=3, high=4)),
        ],
    ),
    (
        "at least 20 civilians, including 5 children and 3 women",
        [
            part("civilian", None, Count(AT_LEAST, low=20)),
            part("civilian", "children", exact(5)),
            part("civilian", "women", exact(3)),
        ],
    ),
    (
        "7 civilians, including 2 children, and 3 fighters, among them 2 commanders",
        [
            part("civilian", None, exact(7)),
            part("civilian", "children", exact(2)),
            part("combatant", None, exact(3)),
            part("combatant", "commanders", exact(2)),
        ],
    ),
    (
        "dozens of civilians, including 5 journalists",
        [part("civilian", None, Count(AT_LEAST, low=12)), part("civilian", "journalists", exact(5))],
    ),
    # A subgroup's own category where the whole names none ("people").
    ("40 people, including 10 children", [part(None, None, exact(40)), part("civilian", "children", exact(10))]),
    ("مقتل 12 مدنياً بينهم 4 أطفال", [part("civilian", None, exact(12)), part("civilian", "children", exact(4))]),
    (
        "نحو 40 مسلحاً من بينهم أربعة قادة",
        [part("combatant", None, Count(APPROXIMATE, best=40)), part("combatant", "commanders", exact(4))],
    ),
    ("مقتل 4 قادة من بين 40 مسلحا", [part("combatant", None, exact(40)), part("combatant", "commanders", exact(4))]),
    ("سبعة مدنيين وثلاثة مسلحين", [part("civilian", None, exact(7)), part("combatant", None, exact(3))]),
    ("مقتل 3 وإصابة 12", [part(None, None, exact(3)), part(None, None, exact(12), INJURED)]),
    ("5 children and 3 women", [part("civilian", "children", exact(5)), part("civilian", "women", exact(3))]),
    ("12 قتيلا و30 جريحا", [part(None, None, exact(12)), part(None, None, exact(30), INJURED)]),
    (
        "عشرات المدنيين بينهم خمس نساء",
        [part("civilian", None, Count(AT_LEAST, low=10)), part("civilian", "women", exact(5))],
    ),
    (
        "مقتل ثلاثة وعشرين مدنيا منهم سبعة أطفال",
        [part("civilian", None, exact(23)), part("civilian", "children", exact(7))],
    ),
]


@pytest.mark.parametrize(("wording", "parts"), BREAKDOWNS, ids=[wording for wording, _ in BREAKDOWNS])
def test_breakdown_read_from_wording(wording, parts):
    assert breakdown_from_wording(wording) == tuple(parts)


@pytest.mark.parametrize(
    "wording",
    [
        "", "40 militants", "around 40", "40 or so", "سبعة مدنيين", "dozens of fighters", "4 children",
        "On 12 September, around 40 militants were killed", "a 10-year-old boy among 5 dead", "no civilians",
        "12 civilians and 4", "12 civilians and 4 others were killed", "4 of the 40 were children",
        "40 militants, including 4 children", "12 civilians, including 1.5 children",
        "12 civilians killed and 3 killed",
    ],
)  # fmt: skip
def test_wording_without_a_sure_breakdown_proposes_none(wording):
    assert breakdown_from_wording(wording) is None


def test_unnamed_category_and_outcome_are_the_claims_own():
    assert breakdown_from_wording("12, including 4 children", category="total", outcome=INJURED) == (
        part("total", None, exact(12), INJURED),
        part("civilian", "children", exact(4), INJURED),
    )


WHOLES = [
    ("killed 4 commanders among 40 militants", exact(40)),
    ("4 commanders among 40 militants", exact(40)),
    ("about 40 militants, among them four field commanders", Count(APPROXIMATE, best=40)),
    ("12 civilians, including 4 children", exact(12)),
    ("7 civilians and 3 fighters", exact(7)),
    ("40 or so", Count(APPROXIMATE, best=40)),
    ("40-odd fighters", Count(APPROXIMATE, best=40)),
    ("سبعة مدنيين", exact(7)),
    ("ثلاث نساء", exact(3)),
    ("أحد عشر مدنيا", exact(11)),
    ("ثلاثة عشر مسلحا", exact(13)),
    ("عشرون قتيلا", exact(20)),
    ("عشرين مدنيا", exact(20)),
    ("ثلاثة وعشرون مدنيا", exact(23)),
    ("ثلاثة آلاف", exact(3000)),
    ("12 wounded and 3 killed", exact(3)),
    ("tens of civilians", Count(AT_LEAST, low=10)),
    ("dozens of fighters", Count(AT_LEAST, low=12)),
    ("hundreds of people", Count(AT_LEAST, low=100)),
    ("thousands of civilians", Count(AT_LEAST, low=1000)),
    ("tens of thousands", Count(AT_LEAST, low=10_000)),
    ("عشرات القتلى", Count(AT_LEAST, low=10)),
    ("مئات المدنيين", Count(AT_LEAST, low=100)),
    ("آلاف الضحايا", Count(AT_LEAST, low=1000)),
    ("عشرات الآلاف", Count(AT_LEAST, low=10_000)),
    ("طفل يبلغ 10 سنوات بين 5 قتلى", exact(5)),
    ("a 10-year-old boy among 5 dead", exact(5)),
    ("no civilians", exact(0)),
]


@pytest.mark.parametrize(("wording", "count"), WHOLES, ids=[wording for wording, _ in WHOLES])
def test_the_count_is_the_whole_not_the_first_number(wording, count):
    assert count_from_wording(wording) == count


@pytest.mark.parametrize(
    ("wording", "outcome", "subgroup", "count"),
    [
        ("3 killed and 12 wounded", INJURED, None, exact(12)),
        ("12 civilians, including 4 children", KILLED, "children", exact(4)),
        ("12 civilians, including 4 children", KILLED, "women", None),
        ("مقتل 3 وإصابة 12", INJURED, None, exact(12)),
    ],
)
def test_a_part_of_the_wording_is_read_on_request(wording, outcome, subgroup, count):
    assert count_from_wording(wording, outcome=outcome, subgroup=subgroup) == count


def test_injured_alone_is_no_count_of_the_killed():
    assert count_from_wording("12 wounded") is None
    assert count_from_wording("12 wounded", outcome=INJURED) == exact(12)


WHOLE_WORDS = {"civilian": ["civilians", "residents", "مدنيين"], "combatant": ["militants", "fighters", "مسلحين"]}
SUBGROUP_WORDS = {
    "civilian": [("children", "children"), ("women", "women"), ("journalists", "journalists"), ("أطفال", "children")],
    "combatant": [("commanders", "commanders"), ("field commanders", "commanders"), ("قادة", "commanders")],
}
TEMPLATES = [
    "{whole} {whole_word}, including {part} {part_word}",
    "{whole} {whole_word}, among them {part} {part_word}",
    "killed {part} {part_word} among {whole} {whole_word}",
    "{part} {part_word} among {whole} {whole_word}",
    "مقتل {whole} {whole_word} بينهم {part} {part_word}",
    "مقتل {part} {part_word} من بين {whole} {whole_word}",
]


@given(
    category=st.sampled_from(sorted(WHOLE_WORDS)),
    template=st.sampled_from(TEMPLATES),
    whole=st.integers(min_value=0, max_value=100_000),
    part_number=st.integers(min_value=0, max_value=100_000),
    data=st.data(),
)
def test_a_whole_and_a_subgroup_always_yield_their_numbers(category, template, whole, part_number, data):
    whole_word = data.draw(st.sampled_from(WHOLE_WORDS[category]))
    part_word, subgroup = data.draw(st.sampled_from(SUBGROUP_WORDS[category]))
    wording = template.format(whole=whole, whole_word=whole_word, part=part_number, part_word=part_word)
    assert breakdown_from_wording(wording) == (
        part(category, None, exact(whole)),
        part(category, subgroup, exact(part_number)),
    )
    assert count_from_wording(wording) == exact(whole)
    assert count_from_wording(wording, subgroup=subgroup) == exact(part_number)


WORDS = ["civilians", "fighters", "children", "commanders", "women", "people", "killed", "wounded", "مدنيين", "أطفال"]
SEPARATORS = [", including ", " and ", " among ", ", ", " بينهم ", " و"]
SUBGROUP_WORD_LIST = {"children", "commanders", "women", "أطفال"}


@given(
    numbers=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=5, unique=True),
    data=st.data(),
)
def test_a_whole_never_comes_from_a_number_of_a_subgroup(numbers, data):
    words = [data.draw(st.sampled_from(WORDS)) for _ in numbers]
    separators = [data.draw(st.sampled_from(SEPARATORS)) for _ in numbers[1:]]
    chunks = [f"{number} {word}" for number, word in zip(numbers, words, strict=True)]
    wording = chunks[0] + "".join(separator + chunk for separator, chunk in zip(separators, chunks[1:], strict=True))
    word_of = dict(zip(numbers, words, strict=True))
    for proposed in breakdown_from_wording(wording) or ():
        number = proposed.count.best
        assert number in word_of
        assert (word_of[number] in SUBGROUP_WORD_LIST) == (proposed.subgroup is not None), wording
