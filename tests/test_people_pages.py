"""The people's list and a person's page: the filters (shared with the API), the sort, the conflicts in words, the
timeline and its chart, in English and in Arabic."""

import re
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_event, make_fate_claim, make_party, make_person
from tracker.filters import PersonFilter
from tracker.models import FateClaim, OtherName, Person
from tracker.rules import fates

pytestmark = pytest.mark.django_db


@pytest.fixture
def khalimov():
    """Gulmurod Khalimov as the issue tells it: killed in Mosul, fatally wounded near Deir ez-Zor, then alive."""
    person = make_person(name="Gulmurod Khalimov", role="field commander", affiliation=make_party(name="Islamic State"))
    OtherName.objects.create(person=person, name="Гулмурод Халимов")
    mosul = make_event(
        ref="IRQ-2017-04-MOS", location_name="Mosul", start_date=date(2017, 4, 1), date_precision="month"
    )
    deir = make_event(ref="SYR-2017-09-DEZ-01", location_name="Deir ez-Zor", start_date=date(2017, 9, 8))
    telegraph, ministry = make_party(name="The Daily Telegraph"), make_party(name="Russian Ministry of Defence")
    make_fate_claim(person, telegraph, event=mosul, claimed_on=date(2017, 4, 20))
    make_fate_claim(person, ministry, "fatally_wounded", event=deir, claimed_on=date(2017, 9, 10))
    make_fate_claim(person, make_party(name="Tajikistan"), "alive", fate_date=date(2018, 2, 1),
                    fate_date_precision="month", claimed_on=date(2018, 2, 5))  # fmt: skip
    make_person(name="Abu Bakr al-Baghdadi")
    return Person.objects.get(pk=person.pk)


def listed(**params) -> list[str]:
    found = PersonFilter(params, queryset=Person.objects.all())
    assert found.is_valid(), found.errors
    return [person.name for person in found.qs]


@pytest.mark.parametrize("typed", ["Halimov", "Khalimov", "Xalimov", "gulmurod halimov", "Халимов"])
def test_the_name_filter_finds_a_name_as_others_spell_it(khalimov, typed):
    assert listed(q=typed) == ["Gulmurod Khalimov"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's")
def test_on_postgresql_the_name_filter_finds_a_near_spelling_where_no_name_holds_it(khalimov):
    assert listed(q="Khalimoff") == ["Gulmurod Khalimov"]
    make_person(name="Rustam Salimov")
    assert listed(q="Khalimov") == ["Gulmurod Khalimov"]  # not Salimov too: a name holds what was typed
    assert listed(q="Salimoff") == ["Rustam Salimov"]


def test_most_reported_deaths_first_then_by_name(khalimov):
    once = make_person(name="Aaron Once")
    make_fate_claim(once)
    assert listed() == ["Gulmurod Khalimov", "Aaron Once", "Abu Bakr al-Baghdadi"]


def test_filters_by_affiliation_conflict_and_event(khalimov):
    assert listed(affiliation=khalimov.affiliation_id) == ["Gulmurod Khalimov"]
    assert listed(conflict="killed_twice") == ["Gulmurod Khalimov"]
    assert listed(conflict="alive_after_death") == ["Gulmurod Khalimov"]
    assert listed(conflict="disputed") == []
    assert listed(conflict="any") == ["Gulmurod Khalimov"]
    assert listed(event="SYR-2017-09-DEZ-01") == ["Gulmurod Khalimov"]
    assert listed(event=str(khalimov.fate_claims.first().event_id)) == ["Gulmurod Khalimov"]


def test_the_fate_filter_reads_current_claims_only(khalimov):
    ministry = khalimov.fate_claims.get(fate="fatally_wounded").party
    assert listed(fate="fatally_wounded") == ["Gulmurod Khalimov"]
    assert listed(fate="captured") == []
    # The ministry's later word, then its retraction: the earlier claim stands again.
    later = make_fate_claim(khalimov, ministry, "captured", fate_date=date(2017, 10, 1), claimed_on=date(2017, 10, 2))
    assert listed(fate="fatally_wounded") == [] and listed(fate="captured") == ["Gulmurod Khalimov"]
    later.retracted = True
    later.save()
    assert listed(fate="fatally_wounded") == ["Gulmurod Khalimov"] and listed(fate="captured") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"fate": "dead"}, "fate"), ({"conflict": "twice"}, "conflict"), ({"event": "NOWHERE-1"}, "event"),
     ({"affiliation": "999999"}, "affiliation"), ({"event": "9" * 30}, "event")],
)  # fmt: skip
def test_a_bad_filter_value_is_refused_by_name(params, field):
    found = PersonFilter(params, queryset=Person.objects.all())
    assert not found.is_valid() and field in found.errors


claim_days = st.tuples(
    st.integers(0, 2), st.sampled_from(sorted(fates.DEATHS | fates.SURVIVALS)), st.integers(1, 4), st.integers(0, 2),
    st.booleans(),
)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(st.lists(claim_days, max_size=6))
def test_current_in_sql_is_the_rules_current(django_db_blocker, made):
    """FateClaimQuerySet.current() and the rules' current_reports pick the same claims, ties of claim dates too."""
    with django_db_blocker.unblock():
        FateClaim.objects.all().delete()
        person, parties = make_person(), [make_party() for _ in range(3)]
        for party, fate, claimed_day, entered, retracted in made:
            make_fate_claim(person, parties[party], fate, claimed_on=date(2017, 9, claimed_day), retracted=retracted,
                            entered_at=date(2017, 9, 20 + entered).isoformat() + "T00:00Z")  # fmt: skip
        claims = FateClaim.objects.filter(person=person).for_rules()
        expected = {report.key for report in fates.current_reports(claim.report() for claim in claims)}
        assert set(FateClaim.objects.filter(person=person).current().values_list("pk", flat=True)) == expected


def test_the_list_shows_each_person_with_their_deaths_and_conflicts(reader, khalimov):
    page = reader.get(reverse("person_list")).content.decode()
    assert "Gulmurod Khalimov" in page and "Гулмурод Халимов" in page and "field commander" in page
    assert "Islamic State" in page and "reported killed 2 times" in page
    assert ">killed twice</span>" in page and ">alive after death</span>" in page
    assert reverse("person_detail", args=[khalimov.pk]) in page


def test_the_list_says_why_it_is_empty_and_which_filter_it_cannot_read(reader, khalimov):
    page = reader.get(reverse("person_list"), {"q": "Nobody"}).content.decode()
    assert "No person matches these filters." in page
    page = reader.get(reverse("person_list"), {"conflict": "twice"}).content.decode()
    assert "Some filters could not be read" in page and "twice is not one of the available choices" in page
    assert reverse("person_detail", args=[khalimov.pk]) not in page
    Person.objects.all().delete()
    assert "No person has been named yet." in reader.get(reverse("person_list")).content.decode()


def test_the_person_page_states_each_conflict_in_a_sentence(reader, khalimov):
    page = reader.get(reverse("person_detail", args=[khalimov.pk])).content.decode()
    assert "in \u2068Mosul\u2069" in page  # names keep their own direction inside a sentence of either
    page = page.replace("\u2068", "").replace("\u2069", "")
    assert (
        "Reported killed twice: killed in Mosul in April 2017 by The Daily Telegraph, and fatally wounded in "
        "Deir ez-Zor on 8 September 2017 by Russian Ministry of Defence."
    ) in page
    assert (
        "Reported alive after death: killed in Mosul in April 2017 by The Daily Telegraph, but alive in February 2018 "
        "by Tajikistan."
    ) in page
    assert "reported killed 2 times" in page


def test_the_person_page_lists_every_fate_claim_with_its_standing_and_draws_them(reader, khalimov):
    make_fate_claim(khalimov, make_party(name="Rumour Mill"), "killed", fate_date=date(2016, 1, 1), retracted=True)
    page = reader.get(reverse("person_detail", args=[khalimov.pk])).content.decode()
    assert '<time datetime="2017-04">April 2017</time>' in page  # the event's month, as stated
    assert '<time datetime="2018-02">February 2018</time>' in page
    assert reverse("event_detail", args=["SYR-2017-09-DEZ-01"]) in page
    assert "fatally wounded" in page and "Rumour Mill" in page and 'class="status status-retracted"' in page
    assert '<svg id="fate-chart"' in page and page.count('class="death"') == 3 and page.count('class="survival"') == 1
    marks = page.replace("\u2068", "").replace("\u2069", "")
    assert "<title>killed in Mosul in April 2017 by The Daily Telegraph</title>" in marks  # each mark says what it is


def test_a_person_without_claims_has_a_page_and_an_unknown_one_none(reader):
    person = make_person(name="Unheard Of")
    page = reader.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "No fate claim names this person yet." in page
    assert reader.get(reverse("person_detail", args=[person.pk + 1000])).status_code == 404


def test_the_people_pages_in_arabic(reader, khalimov):
    reader.cookies["django_language"] = "ar"
    page = reader.get(reverse("person_list")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page and "<h1>الأشخاص</h1>" in page
    assert "Gulmurod Khalimov" in page
    page = reader.get(reverse("person_detail", args=[khalimov.pk])).content.decode()
    assert "أُبلغ عن مقتله مرتين" in page  # "Reported killed twice"
    assert re.search(r'<svg id="fate-chart"[^>]* dir="ltr"', page)  # the chart runs left to right as time does
    assert "بحسب \u2068The Daily Telegraph\u2069</title>" in page  # a mark says who said it in Arabic words
