"""Reading counts from wording, and the rules a count's numbers must follow."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_event, make_party, make_source
from tracker.models import Claim
from tracker.rules.counts import QUALIFIERS, Count, count_problems
from tracker.rules.wording import count_from_wording

WORDINGS = [
    ("40 killed", Count("exact", best=40)),
    ("around 40", Count("approximate", best=40)),
    ("About 40 militants", Count("approximate", best=40)),
    ("around 40 militants of the Islamic State terror group were killed", Count("approximate", best=40)),
    ("approximately 300", Count("approximate", best=300)),
    ("nearly 100", Count("approximate", best=100)),
    ("an estimated 1,200 people", Count("approximate", best=1200)),
    ("at least 12", Count("at_least", low=12)),
    ("At least 12 civilians, including 4 children", Count("at_least", low=12)),
    ("more than 12", Count("at_least", low=13)),
    ("over 1,000", Count("at_least", low=1001)),
    ("no fewer than 8", Count("at_least", low=8)),
    ("40+", Count("at_least", low=40)),
    ("12 or more", Count("at_least", low=12)),
    ("up to 30", Count("at_most", high=30)),
    ("as many as 30", Count("at_most", high=30)),
    ("no more than 30", Count("at_most", high=30)),
    ("fewer than 30", Count("at_most", high=29)),
    ("12-15", Count("range", low=12, high=15)),
    ("12–15 dead", Count("range", low=12, high=15)),
    ("12 to 15", Count("range", low=12, high=15)),
    ("between 12 and 15", Count("range", low=12, high=15)),
    ("no civilians", Count("exact", best=0)),
    ("no civilian casualties", Count("exact", best=0)),
    ("None", Count("exact", best=0)),
    ("nobody was killed", Count("exact", best=0)),
    ("no one", Count("exact", best=0)),
    ("Not one civilian was harmed", Count("exact", best=0)),
    ("one killed", Count("exact", best=1)),
    ("forty", Count("exact", best=40)),
    ("Forty-two fighters", Count("exact", best=42)),
    ("one hundred and twenty", Count("exact", best=120)),
    ("a dozen", Count("exact", best=12)),
    ("two dozen", Count("exact", best=24)),
    ("around forty", Count("approximate", best=40)),
    ("at least two thousand five hundred", Count("at_least", low=2500)),
    ("12 civilians, including 4 children", Count("exact", best=12)),
    ("مقتل ٤٠ شخصا", Count("exact", best=40)),  # Arabic-Indic digits
    ("half a dozen", Count("exact", best=6)),
    ("two or three dozen", Count("range", low=24, high=36)),
    ("1.200 dead", Count("exact", best=1200)),
    ("a death toll of 2000", Count("exact", best=2000)),
    ("On 12 September, around 40 militants were killed", Count("approximate", best=40)),
    ("on September 5, 2017, 40 militants were killed", Count("exact", best=40)),
    ("in 2017 at least 12 died", Count("at_least", low=12)),
    ("3 killed on 2017-09-12", Count("exact", best=3)),
    ("an eight-year-old girl and 3 others", Count("exact", best=3)),
    ("a 10-year-old boy among 5 dead", Count("exact", best=5)),
    ("no lives were lost", Count("exact", best=0)),
    ("not a single civilian", Count("exact", best=0)),
    ("13 martyrs", Count("exact", best=13)),
    ("نحو 40 مسلحاً", Count("approximate", best=40)),
    ("حوالي 40", Count("approximate", best=40)),
    ("مقتل 12 مدنياً على الأقل", Count("at_least", low=12)),
    ("ما لا يقل عن 12 مدنياً", Count("at_least", low=12)),
    ("أكثر من 12", Count("at_least", low=13)),
    ("حتى 30 قتيلاً", Count("at_most", high=30)),
    ("أقل من 30", Count("at_most", high=29)),
    ("بين 12 و 15", Count("range", low=12, high=15)),
    ("لا يوجد ضحايا مدنيين", Count("exact", best=0)),
    ("لم يسقط أي ضحايا", Count("exact", best=0)),
    ("12 may have died", Count("exact", best=12)),
    ("killed 4 in May 2018", Count("exact", best=4)),
    ("dozens", Count("at_least", low=12)),
    ("hundreds of civilians", Count("at_least", low=100)),
]


@pytest.mark.parametrize(("wording", "count"), WORDINGS, ids=[wording for wording, _ in WORDINGS])
def test_count_read_from_wording(wording, count):
    assert count_from_wording(wording) == count


@pytest.mark.parametrize(
    "wording",
    [
        "", "many", "unknown", "15-12", "several civilians", "fewer than 0", "several dozen",
        "no figure given", "No information on casualties", "no confirmation of deaths",
        "an eight-year-old girl", "1.5 million",
    ],
)  # fmt: skip
def test_unreadable_wording_is_refused(wording):
    assert count_from_wording(wording) is None


VALID = [
    ("exact", None, 0, None),
    ("exact", None, 40, None),
    ("approximate", None, 40, None),
    ("at_least", 12, None, None),
    ("at_least", 12, 15, None),
    ("at_most", None, None, 30),
    ("range", 12, None, 15),
    ("range", 12, 12, 12),
    ("range", 12, 13, 15),
]


@pytest.mark.parametrize("numbers", VALID)
def test_counts_that_make_sense(numbers):
    assert count_problems(*numbers) == {}


INVALID = [
    (("exact", None, None, None), "best", "needs a best"),
    (("exact", None, -1, None), "best", "negative"),
    (("exact", None, 2_147_483_648, None), "best", "larger than any death count"),
    (("range", 0, None, 10**12), "high", "larger than any death count"),
    (("exact", 3, 4, None), "low", "has no low"),
    (("approximate", None, 40, 44), "high", "has no high"),
    (("at_least", None, None, None), "low", "needs a low"),
    (("at_least", 12, None, 20), "high", "has no high"),
    (("at_most", None, None, None), "high", "needs a high"),
    (("at_most", 2, None, 30), "low", "has no low"),
    (("range", 12, None, None), "high", "needs a high"),
    (("range", 15, None, 12), "low", "above the high"),
    (("range", 12, 20, 15), "best", "above the high"),
    (("range", 12, 10, 15), "best", "below the low"),
    (("", None, 4, None), "qualifier", "Choose a qualifier"),
    (("roughly", None, 4, None), "qualifier", "Unknown qualifier"),
]


@pytest.mark.parametrize(("numbers", "field", "message"), INVALID)
def test_counts_that_do_not_make_sense_say_why(numbers, field, message):
    assert message in count_problems(*numbers)[field]


numbers = st.one_of(st.none(), st.integers(min_value=-2, max_value=6))


@pytest.mark.django_db
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(qualifier=st.sampled_from(("", "roughly", *QUALIFIERS)), low=numbers, best=numbers, high=numbers)
def test_the_database_accepts_exactly_the_counts_the_rules_accept(claim_parts, qualifier, low, best, high):
    """The constraints in the database and `count_problems` are two forms of one rule: they must agree."""
    event, party, source = claim_parts
    claim = Claim(event=event, party=party, source=source, category="total", claimed_on=date(2018, 1, 1),
                  qualifier=qualifier, low=low, best=best, high=high)  # fmt: skip
    try:
        with transaction.atomic():
            # A plain queryset: the insert alone, without the summaries' refresh.
            QuerySet(Claim).bulk_create([claim])
            transaction.set_rollback(True)
        stored = True
    except IntegrityError:
        stored = False
    assert stored == (not count_problems(qualifier, low, best, high)), count_problems(qualifier, low, best, high)


@pytest.fixture
def claim_parts():
    return make_event(), make_party(), make_source()
