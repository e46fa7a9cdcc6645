"""The staff pages: who may see them, what they show, bad input, escaping, and query counts."""

import csv
import html
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.accounts import PASSWORD, READER_PERMISSIONS, make_confidant, make_reader, make_user
from tests.factories import claims_made, make_claim, make_event, make_party, make_source, seeded_subgroup
from tracker.models import Event
from tracker.presentation import paging
from tracker.presentation.rows import event_rows
from tracker.web.views.dashboard import YEAR_LABELS, claims_over_time
from tracker.web.views.event_list import EventListView

pytestmark = pytest.mark.django_db


@pytest.fixture
def strike():
    """The sample article's event: a ministry's "around 40" beside a group's 7, and two civilian counts."""
    ministry = make_party(name="Russian Ministry of Defence", short_name="Russian MoD", kind="state_military")
    group = make_party(name="Islamic State", kind="armed_group")
    monitor = make_party(name="Euphrates Monitor")
    event = make_event(ref="SYR-2017-09-DEZ-01", title="Airstrike near Deir ez-Zor", country="SY",
                       event_type="airstrike", start_date=date(2017, 9, 1))  # fmt: skip
    event.alleged_perpetrators.add(ministry)
    make_claim(event, ministry, count=("approximate", None, 40, None), category="combatant",
               wording="around 40 militants", claimed_on=date(2017, 9, 8),
               source=make_source(title="Ministry statement", url="https://example.org/statement",
                                  excerpt="about 40 militants were killed"))  # fmt: skip
    make_claim(event, group, count=7, category="combatant", wording="seven fighters", claimed_on=date(2017, 9, 10))
    make_claim(event, monitor, count=20, category="civilian", wording="20 civilians", claimed_on=date(2017, 9, 9))
    make_claim(event, monitor, count=12, category="civilian", wording="12 civilians", claimed_on=date(2017, 9, 12))
    make_claim(event, group, count=3, category="civilian", wording="three", claimed_on=date(2017, 9, 13),
               retracted=True)  # fmt: skip
    return event


PAGES = [
    ("dashboard", {}),
    ("event_list", {}),
    ("event_detail", {"ref": "SYR-2017-09-DEZ-01"}),
    ("party_list", {}),
]


@pytest.mark.parametrize("name, kwargs", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, strike, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_anonymous_download_and_party_page_are_sent_to_login(client, strike):
    party = strike.claims.first().party
    for url in (reverse("event_download", args=["csv"]), reverse("party_detail", args=[party.pk])):
        assert client.get(url)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name, kwargs", PAGES)
def test_signed_in_users_without_permission_get_403(client, strike, name, kwargs):
    client.force_login(make_user("nobody"))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize("name, kwargs", PAGES)
def test_readers_see_the_pages(reader, strike, name, kwargs):
    assert reader.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_reading_needs_the_whole_viewer_role_not_one_permission_of_it(client, strike):
    # Once, view_event alone showed every claim and source on the event page, yet /api/claims/ said 403.
    client.force_login(make_user("events-only", "view_event"))
    for url in (reverse("event_list"), reverse("event_detail", args=[strike.ref]), reverse("party_list"),
                f"/api/events/{strike.ref}/", "/api/claims/"):  # fmt: skip
        assert client.get(url).status_code == 403, url


def test_login_page_signs_in_and_goes_to_the_dashboard(client):
    make_reader()
    response = client.post(reverse("login"), {"username": "reader", "password": "reader-password-1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_logout_signs_out(reader):
    reader.post(reverse("logout"))
    assert reader.get(reverse("dashboard")).status_code == 302


def test_list_row_shows_level_in_words_spread_parties_and_dispute(reader, strike):
    page = reader.get(reverse("event_list")).content.decode()
    assert "SYR-2017-09-DEZ-01" in page
    assert 'class="level level-major"' in page and ">major</span>" in page
    # Worst group: H = 7 (the group's own count), L = 36 (the lower end of "around 40").
    assert "7 – 36, 5.1×" in page
    assert "Russian MoD" in page and "Islamic State" in page and "Euphrates Monitor" in page
    assert "disputed: who died" in page


def test_list_shows_only_current_claims_parties(reader, strike):
    retracted_only = make_party(name="Retracting Agency")
    make_claim(strike, retracted_only, count=100, retracted=True)
    page = reader.get(reverse("event_list")).content.decode()
    assert "Retracting Agency" not in rows_of(page)
    assert "Retracting Agency" in page  # it is still a claimant to filter by


def rows_of(page: str) -> str:
    """The event table of a list page, without the filter form's choices."""
    return page[page.index('<table class="events">') :]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "deir"},
        {"level": ["major", "minor"]},
        {"country": "SY"},
        {"event_type": "airstrike"},
        {"category": "combatant"},
        {"date_from": "2017-09-01", "date_to": "2017-09-30"},
        {"min_ratio": "5"},
        {"classification_dispute": "true"},
    ],
)
def test_each_filter_keeps_the_matching_event_and_drops_the_others(reader, strike, params):
    other = make_event(ref="IRQ-2015-OTHER", title="Other", country="IQ", event_type="bombing",
                       start_date=date(2015, 1, 1), location_name="Basra")  # fmt: skip
    make_claim(other, count=5, category="total")
    page = reader.get(reverse("event_list"), params).content.decode()
    assert "SYR-2017-09-DEZ-01" in page
    assert "IRQ-2015-OTHER" not in page


@pytest.mark.parametrize(
    ("ordering", "first", "second"),
    [
        ("", "IRQ-2015-WIDE", "SYR-2017-09-DEZ-01"),  # both major: the wider first, as on the dashboard
        ("-ratio", "IRQ-2015-WIDE", "SYR-2017-09-DEZ-01"),
        ("ratio", "SYR-2017-09-DEZ-01", "IRQ-2015-WIDE"),
    ],
)
def test_ordering_by_ratio_orders_the_rows(reader, strike, ordering, first, second):
    wide = make_event(ref="IRQ-2015-WIDE", country="IQ", start_date=date(2015, 1, 1))
    make_claim(wide, count=4, category="total")
    make_claim(wide, count=40, category="total")  # major, 10×: wider than the strike, and older
    page = rows_of(reader.get(reverse("event_list"), {"ordering": ordering}).content.decode())
    assert page.index(first) < page.index(second)


def test_party_filter_on_the_page(reader, strike):
    make_claim(make_event(ref="OTHER-1"), count=3)
    ministry = strike.alleged_perpetrators.get()
    page = reader.get(reverse("event_list"), {"party": ministry.pk}).content.decode()
    assert "SYR-2017-09-DEZ-01" in page and "OTHER-1" not in rows_of(page)


@pytest.mark.parametrize(
    "query",
    [
        "level=catastrophic",
        "date_from=2018-02-31",
        "min_ratio=abc",
        "party=abc",
        "country=ZZ",
        "ordering=password",
        "classification_dispute=perhaps",
        "outcome=dead",
        "injured_level=catastrophic",
        "inconsistent=perhaps",
        "outcome=injured&ordering=-ratio",
    ],
)
def test_bad_parameters_give_a_clear_message(reader, strike, query):
    response = reader.get(f"{reverse('event_list')}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters could not be read" in page
    assert 'role="alert"' in page
    assert "SYR-2017-09-DEZ-01" not in page


@pytest.mark.parametrize("page_number", ["abc", "0", "999", "-1"])
def test_a_bad_page_number_shows_a_page_not_an_error(reader, strike, page_number):
    response = reader.get(reverse("event_list"), {"page": page_number})
    assert response.status_code == 200
    assert "SYR-2017-09-DEZ-01" in response.content.decode()


def test_pagination_keeps_the_filters(reader):
    with claims_made():
        for number in range(55):
            make_claim(make_event(ref=f"SYR-{number:03d}", country="SY"), count=1)
    make_event(ref="IRQ-LONE", country="IQ")
    first = reader.get(reverse("event_list"), {"country": "SY", "level": "single"}).content.decode()
    assert "55 events match." in first
    assert 'href="?country=SY&amp;level=single&amp;page=2"' in first
    second = reader.get(reverse("event_list"), {"country": "SY", "level": "single", "page": 2}).content.decode()
    assert second.count('class="event-ref"') == 5
    assert "IRQ-LONE" not in second


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_download_is_the_filtered_list_as_csv(reader, strike):
    make_claim(make_event(ref="IRQ-1", country="IQ"), count=4)
    response = reader.get(reverse("event_download", args=["csv"]), {"country": "SY"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [row["ref"] for row in rows] == ["SYR-2017-09-DEZ-01"]
    assert rows[0]["level"] == "major"
    assert rows[0]["ratio"] == "5.14"
    assert rows[0]["classification_dispute"] == "true"


def test_list_links_to_the_download_with_its_filters(reader, strike):
    page = reader.get(reverse("event_list"), {"country": "SY", "page": "1"}).content.decode()
    assert f'href="{reverse("event_download", args=["csv"])}?country=SY"' in page


def test_download_with_bad_filters_is_a_400_that_says_why(reader, strike):
    response = reader.get(reverse("event_download", args=["csv"]), {"min_ratio": "x"})
    assert response.status_code == 400
    assert "min_ratio" in response.content.decode()


def test_download_keeps_the_order_chosen_on_the_page(reader, strike):
    make_claim(make_event(ref="SYR-LONE", start_date=date(2019, 1, 1)), count=4)
    rows = read_csv(reader.get(reverse("event_download", args=["csv"]), {"ordering": "-date"}))
    assert [row["ref"] for row in rows] == ["SYR-LONE", "SYR-2017-09-DEZ-01"]
    rows = read_csv(reader.get(reverse("event_download", args=["csv"])))
    assert [row["ref"] for row in rows] == ["SYR-2017-09-DEZ-01", "SYR-LONE"]  # most severe first


def test_download_as_json_and_xlsx(reader, strike):
    records = reader.get(reverse("event_download", args=["json"]), {"country": "SY"}).json()
    assert [(record["ref"], record["level"], record["ratio"]) for record in records] == [
        ("SYR-2017-09-DEZ-01", "major", 5.14)
    ]
    workbook = reader.get(reverse("event_download", args=["xlsx"]), {"hxl": "1"})
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    header, hashtags, first = (list(row) for row in sheet.iter_rows(max_row=3, values_only=True))
    assert header[0] == "ref" and hashtags[0] == "#event+id"
    assert first[header.index("level")] == "major"


def test_download_with_hxl_tags_has_them_under_the_header(reader, strike):
    lines = reader.get(reverse("event_download", args=["csv"]), {"hxl": "1"}).content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ref,") and lines[1].startswith("#event+id,")


def test_download_in_an_unknown_format_is_404(reader, strike):
    assert reader.get(reverse("event_download", args=["docx"])).status_code == 404


def test_event_page_compares_current_claims_side_by_side(reader, strike):
    page = reader.get(reverse("event_detail", args=[strike.ref])).content.decode()
    assert "Combatant dead" in page and "Civilian dead" in page
    # The sentence explains the level with its numbers.
    # The ratio is isolated left to right (U+2066 … U+2069), so that Arabic does not read "×5.1".
    assert "the highest lower bound (36) is \u20665.1×\u2069 the lowest upper bound (7), 29 deaths apart" in page
    assert "around 40 militants" in page and "about 40" in page and "36 – 44" in page
    assert "apart: higher than another party allows" in page
    assert "Ministry statement" in page and 'href="https://example.org/statement"' in page
    assert "about 40 militants were killed" in page  # the excerpt
    assert "<strong>yes</strong>" in page  # the ministry is the alleged perpetrator


def test_event_page_draws_each_group_as_an_svg_chart(reader, strike):
    page = reader.get(reverse("event_detail", args=[strike.ref])).content.decode()
    assert page.count('<svg id="group-') == 2
    assert 'class="gap"' in page  # the combatant group's gap between H and L


def test_event_page_timeline_has_superseded_and_retracted_claims(reader, strike):
    page = reader.get(reverse("event_detail", args=[strike.ref])).content.decode()
    timeline = page[page.index("Timeline of every claim") :]
    assert timeline.count('<li class="claim-') == 5
    assert 'class="status status-superseded"' in timeline and "20 civilians" in timeline
    assert 'class="status status-retracted"' in timeline and "three" in timeline


def test_unknown_event_is_404(reader):
    assert reader.get(reverse("event_detail", args=["NOPE-1"])).status_code == 404


def test_admin_link_only_for_those_who_may_edit(client, strike):
    edit_url = reverse("admin:tracker_event_change", args=[strike.pk])
    client.force_login(make_reader())
    assert edit_url not in client.get(reverse("event_detail", args=[strike.ref])).content.decode()
    client.force_login(make_user("editor", *READER_PERMISSIONS, "change_event"))
    assert edit_url in client.get(reverse("event_detail", args=[strike.ref])).content.decode()


@pytest.fixture
def secret_claim(strike):
    source = make_source(
        title="Nurse at Al-Furat hospital", publisher="Phone call", url="https://secret.example/nurse",
        excerpt="Nine bodies in the morgue", confidential=True,
    )  # fmt: skip
    make_claim(strike, make_party(name="Local hospital"), count=9, source=source, wording="nine bodies",
               notes="Called back by our field researcher Samir")  # fmt: skip
    return source


@pytest.mark.parametrize("url_name", ["event_detail", "party_detail"])
def test_confidential_source_is_hidden_from_readers_without_the_permission(client, secret_claim, url_name):
    client.force_login(make_reader())
    args = ["SYR-2017-09-DEZ-01"] if url_name == "event_detail" else [secret_claim.claims.get().party_id]
    page = client.get(reverse(url_name, args=args)).content.decode()
    assert "nine bodies" in page  # the claim itself is shown
    assert "Confidential source" in page
    for identifying in ("Nurse at Al-Furat", "Phone call", "secret.example", "Nine bodies in the morgue", "Samir"):
        assert identifying not in page


@pytest.mark.parametrize("url_name", ["event_detail", "party_detail"])
def test_confidential_source_is_shown_with_the_permission(client, secret_claim, url_name):
    client.force_login(make_confidant())
    args = ["SYR-2017-09-DEZ-01"] if url_name == "event_detail" else [secret_claim.claims.get().party_id]
    page = client.get(reverse(url_name, args=args)).content.decode()
    assert "Nurse at Al-Furat" in page and "https://secret.example/nurse" in page


def test_user_text_is_escaped_everywhere(reader):
    script = "<script>alert('x')</script>"
    party = make_party(name=f"Party {script}")
    event = make_event(ref="XSS-1", title=f"Title {script}", description=f"Desc {script}")
    make_claim(event, party, count=3, wording=f"Wording {script}",
               source=make_source(title=f"Source {script}", url="javascript:alert(1)"))  # fmt: skip
    make_claim(event, count=30)
    for url in (
        reverse("dashboard"),
        reverse("event_list"),
        reverse("event_detail", args=["XSS-1"]),
        reverse("party_list"),
        reverse("party_detail", args=[party.pk]),
    ):
        page = reader.get(url).content.decode()
        assert script not in page, url
        assert "&lt;script&gt;" in page, url
        assert 'href="javascript:' not in page, url


def test_dashboard_counts_levels_and_links_into_the_list(reader, strike):
    make_claim(make_event(ref="SINGLE-1"), count=3)
    page = reader.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("event_list")}?level=major"' in page
    assert "Most severe open discrepancies" in page and "SYR-2017-09-DEZ-01" in page
    assert "Latest claims entered" in page and "seven fighters" in page
    assert '<svg id="claims-over-time"' in page


def test_the_event_list_of_the_injured_lists_the_events_with_injured_counts(reader, strike):
    hurt = make_event(ref="INJ-1")
    make_claim(hurt, count=12, outcome="injured")
    response = reader.get(reverse("event_list"), {"outcome": "injured"})
    assert [row.event.ref for row in response.context["rows"]] == ["INJ-1"]
    assert [row.event.ref for row in reader.get(reverse("event_list")).context["rows"]] == [strike.ref, "INJ-1"]


def test_the_dashboard_counts_the_killed_unless_asked_for_the_injured(reader, strike):
    hurt = make_event(ref="INJ-1")
    make_claim(hurt, count=12, outcome="injured")
    # As the summary stores an event counted only in injured: at no level of its own, at one of its injured.
    Event.objects.filter(pk=hurt.pk).update(level=None, severity=0, injured_level="major", injured_severity=4)
    strike.refresh_from_db()

    killed = reader.get(reverse("dashboard")).context
    injured = reader.get(reverse("dashboard"), {"outcome": "injured"}).context

    def totals(context):
        return {row["level"]: row["total"] for row in context["level_counts"] if row["total"]}

    assert (killed["outcome"], totals(killed)) == ("killed", {strike.level: 1, None: 1})
    assert (injured["outcome"], totals(injured)) == ("injured", {"major": 1})
    assert [row.event.ref for row in injured["open_rows"]] == ["INJ-1"]
    assert "SYR-2017-09-DEZ-01" in [row.event.ref for row in killed["open_rows"]]


def test_the_dashboard_counts_the_killed_where_the_outcome_cannot_be_read(reader, strike):
    context = reader.get(reverse("dashboard"), {"outcome": "dead"}).context
    assert context["outcome"] == "killed"
    assert "outcome" in context["outcome_filter"].errors


def test_party_list_counts_where_its_claims_stand(reader, strike):
    # Combatants: about 40 [36, 44] against 7, apart; a range of 5 to 50 allows both of them.
    make_claim(strike, make_party(name="Hospital"), count=("range", 5, None, 50), category="combatant")
    response = reader.get(reverse("party_list"))
    standings = {party.name: party.standings for party in response.context["object_list"]}
    assert (standings["Russian Ministry of Defence"]["apart"], standings["Islamic State"]["apart"]) == (1, 1)
    assert standings["Hospital"]["within"] == 1
    assert standings["Euphrates Monitor"]["alone"] == 1  # its civilian count stands alone
    assert "Between" in response.content.decode()


def party_rows(page: str) -> str:
    return page[page.index('<table class="parties-table">') :] if '<table class="parties-table">' in page else ""


def test_party_list_shows_parties_with_claims_until_asked_for_all(reader, strike):
    for number in range(3):
        make_party(name=f"Imported side {number}", kind="other")
    response = reader.get(reverse("party_list"))
    page = response.content.decode()
    assert [party.name for party in response.context["object_list"]] == [
        "Euphrates Monitor", "Islamic State", "Russian Ministry of Defence",
    ]  # fmt: skip
    assert "Imported side" not in party_rows(page)
    assert "3 parties with claims match." in page
    assert 'name="q"' in page and 'name="kind"' in page  # a search box and the kinds to choose from
    assert 'href="?claims=all"' in page
    page = reader.get(reverse("party_list"), {"claims": "all"}).content.decode()
    assert "Imported side 0" in party_rows(page) and "6 parties match." in page


def test_party_list_searches_names_short_names_and_aliases(reader, strike):
    make_party(name="Syrian Observatory", short_name="SOHR", aliases="المرصد السوري")
    make_claim(strike, make_party(name="Hospital", aliases="Al-Furat Field Hospital"), count=3)
    for query, found in [("hospital", "Hospital"), ("furat", "Hospital"), ("mod", "Russian Ministry of Defence")]:
        names = [party.name for party in reader.get(reverse("party_list"), {"q": query}).context["object_list"]]
        assert names == [found], query
    response = reader.get(reverse("party_list"), {"q": "المرصد", "claims": "all"})
    assert [party.name for party in response.context["object_list"]] == ["Syrian Observatory"]


@pytest.mark.parametrize(
    ("params", "message", "link"),
    [
        ({"q": "nobody"}, "No party matches this search.", "?q=nobody&amp;claims=all"),
        ({"q": "nobody", "claims": "all"}, "No party matches this search.", 'href="/parties/"'),
        ({}, "No party has made a claim yet.", "?claims=all"),
        ({"claims": "all"}, "No party has been recorded yet.", None),
    ],
)
def test_party_list_says_why_it_is_empty(reader, params, message, link):
    if params != {"claims": "all"}:
        make_party(name="Imported side", kind="other")
    page = reader.get(reverse("party_list"), params).content.decode()
    assert message in page
    assert party_rows(page) == ""
    if link:
        assert link in page


def test_party_list_refuses_a_kind_it_does_not_know(reader, strike):
    page = reader.get(reverse("party_list"), {"kind": "spy"}).content.decode()
    assert "Some filters could not be read" in page and party_rows(page) == ""


def test_party_page_lists_every_claim_with_its_standing(reader, strike):
    group = make_party(name="Islamic State 2")
    party = strike.claims.get(wording="seven fighters").party
    page = reader.get(reverse("party_detail", args=[party.pk])).content.decode()
    assert "seven fighters" in page and "three" in page  # current and retracted
    assert "apart: lower than another party allows" in page
    assert group.name not in page


def test_arabic_pages_are_right_to_left(reader, strike):
    reader.cookies["django_language"] = "ar"
    page = reader.get(reverse("event_list")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>الأحداث</h1>" in page  # "Events", from the shipped translation
    assert ">كبير</span>" in page  # the level "major" in words
    assert "7 – 36, 5.1×" in page  # numbers stay as they are
    assert "SYR-2017-09-DEZ-01" in page


def test_language_switch_is_remembered(reader):
    response = reader.post(reverse("set_language"), {"language": "ar", "next": reverse("dashboard")})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "ar"
    assert response.cookies["django_language"]["max-age"] >= 60 * 60 * 24 * 300
    assert 'dir="rtl"' in reader.get(reverse("dashboard")).content.decode()


def test_the_language_follows_the_user_to_another_browser(reader):
    reader.post(reverse("set_language"), {"language": "ar", "next": reverse("dashboard")})
    elsewhere = Client()
    response = elsewhere.post(reverse("login"), {"username": "reader", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert elsewhere.cookies["django_language"].value == "ar"  # this browser now agrees


def test_one_users_language_is_not_anothers(reader):
    reader.post(reverse("set_language"), {"language": "ar", "next": reverse("dashboard")})
    other = Client()
    other.force_login(make_reader("other"))
    assert 'dir="ltr"' in other.get(reverse("dashboard")).content.decode()


def test_switching_back_to_english_is_remembered_too(reader):
    reader.post(reverse("set_language"), {"language": "ar", "next": reverse("dashboard")})
    reader.post(reverse("set_language"), {"language": "en", "next": reverse("dashboard")})
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": "reader", "password": PASSWORD})
    assert 'dir="ltr"' in elsewhere.get(reverse("dashboard")).content.decode()


def populate(events: int, claims_per_event: int):
    for number in range(events):
        event = make_event(ref=f"LOAD-{events}-{number}")
        event.alleged_perpetrators.add(make_party())
        for _ in range(claims_per_event):
            make_claim(event, count=number + 1, source=make_source(confidential=number % 2 == 0))


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The dashboard and the parties page work out every party's track record: on PostgreSQL set-based, with its
# planner settings set and given back around the query (tests/test_query_counts.py pins each page); the event
# list does not, and keeps its own bound.
@pytest.mark.parametrize(
    "url, most",
    [
        ("/", 21),
        ("/events/", 14),
        ("/parties/", 19),
        ("/parties/?claims=all&ordering=-claims", 19),
        ("/parties/?q=party&kind=monitor", 19),
    ],
)
def test_list_pages_query_count_does_not_grow_with_rows(reader, url, most, django_assert_max_num_queries):
    populate(2, 2)
    few = query_count(reader, url)
    populate(20, 3)
    with django_assert_max_num_queries(few):
        reader.get(url)
    assert few <= most


def test_event_page_query_count_does_not_grow_with_claims(reader, django_assert_max_num_queries):
    small, large = make_event(ref="SMALL"), make_event(ref="LARGE")
    children = seeded_subgroup("children")
    for number in range(2):
        make_claim(small, count=number)
    make_claim(small, count=0, category="total")  # a whole below one party's part: containment on both pages
    # A party's report that does not add up, on both pages: its children above its own civilians.
    make_claim(small, small.claims.get(best=1).party, count=3, subgroup=children)
    for number in range(30):
        make_claim(large, count=number, category=["civilian", "combatant", "total"][number % 3],
                   source=make_source(confidential=number % 2 == 0))  # fmt: skip
    for claim in large.claims.filter(category="civilian"):
        make_claim(large, claim.party, count=claim.best + 1, subgroup=children)  # each party's own report at odds
        make_claim(large, claim.party, count=claim.best, outcome="injured")
    few = query_count(reader, reverse("event_detail", args=["SMALL"]))
    with django_assert_max_num_queries(few):
        reader.get(reverse("event_detail", args=["LARGE"]))


def test_party_page_query_count_does_not_grow_with_claims(reader, django_assert_max_num_queries):
    party = make_party()
    make_claim(make_event(), party, count=1)
    few = query_count(reader, reverse("party_detail", args=[party.pk]))
    for number in range(30):
        make_claim(make_event(), party, count=number, source=make_source(confidential=True))
    with django_assert_max_num_queries(few):
        reader.get(reverse("party_detail", args=[party.pk]))


def test_claims_over_decades_keep_the_year_labels_readable():
    for year in (1989, 2022):
        make_claim(make_event(), count=3, claimed_on=date(year, 1, 5))
    ticks = [column.tick for column in claims_over_time() if column.tick]
    assert len(ticks) <= YEAR_LABELS + 1
    assert ticks[0] == "1989"
    assert len(claims_over_time()) == (2022 - 1989) * 12 + 1  # every month has its column


def test_a_claim_without_wording_shows_its_count_not_empty_quotes(reader, strike):
    make_claim(strike, count=("range", 3, None, 5), wording="", category="unknown")
    page = reader.get(reverse("event_detail", args=[strike.ref])).content.decode()
    assert "<q></q>" not in page and "“”" not in page
    assert re.search(r'<bdi class="wording">3\s–\s5</bdi>', page)


def test_deep_pages_stop_at_a_cap_with_a_word_on_how_to_reach_the_rest(reader, monkeypatch):
    monkeypatch.setattr(paging, "MAX_PAGES", 2)
    monkeypatch.setattr(EventListView, "paginate_by", 2)
    for number in range(7):
        make_event(ref=f"DEEP-{number}", start_date=date(2018, 1, 1 + number))
    page = reader.get("/events/?page=4").content.decode()
    assert "7 events match" in page
    assert "Page 2 of 2" in page
    assert "Only the first 4 rows are listed page by page" in page
    assert "narrow the filters" in page
    assert "Only the first" not in reader.get("/events/?page=1").content.decode()


def test_the_event_timeline_is_paged(reader):
    event = make_event(ref="LONG")
    party = make_party(name="Counting Agency")
    for number in range(paging.TIMELINE_PAGE_SIZE + 3):
        make_claim(event, party, count=number, claimed_on=date(2018, 1, 1) + timedelta(days=number))
    first = reader.get(reverse("event_detail", args=["LONG"])).content.decode()
    timeline = first[first.index('id="timeline-heading"') :]
    assert timeline.count('<time datetime="') == paging.TIMELINE_PAGE_SIZE
    assert f"Claims 1 to {paging.TIMELINE_PAGE_SIZE} of {paging.TIMELINE_PAGE_SIZE + 3}" in timeline
    last = reader.get(reverse("event_detail", args=["LONG"]) + "?timeline=2").content.decode()
    timeline = last[last.index('id="timeline-heading"') :]
    assert timeline.count('<time datetime="') == 3
    assert "2018-02-22" in timeline  # the latest claim, on the last page
    # The comparison still reads the current claim, wherever the timeline stands.
    assert "Counting Agency" in last[: last.index('id="timeline-heading"')]


# Who among them, and the injured.


def table_rows(page: str, anchor: str) -> list[str]:
    """The text of each row of the claims table in the section with this id, tags stripped."""
    section = page[page.index(f'id="{anchor}"') :]
    section = section[: section.index("</section>")]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)]


@pytest.fixture
def commanders():
    """The sample case as the trial entered it: the ministry's "about 40" militants, then its "four field
    commanders" as a second claim of the subgroup commanders; a monitor's "no fighters were killed"."""
    ministry = make_party(name="Russian Ministry of Defence", kind="state_military")
    group = make_party(name="Islamic State", kind="armed_group")
    monitor = make_party(name="Euphrates Monitor")
    event = make_event(ref="SYR-2017-09-DEZ-01")
    make_claim(event, ministry, count=("approximate", None, 40, None), category="combatant", victim_side=group,
               wording="around 40 militants", claimed_on=date(2017, 9, 8))  # fmt: skip
    make_claim(event, ministry, count=4, category="combatant", victim_side=group,
               subgroup=seeded_subgroup("commanders"), wording="four field commanders",
               claimed_on=date(2017, 9, 9))  # fmt: skip
    make_claim(event, monitor, count=0, category="combatant", wording="no fighters were killed",
               claimed_on=date(2017, 9, 10))  # fmt: skip
    return event


def group_anchor(event, **key) -> str:
    return f"group-{event.groups.get(**key).pk}"


def test_a_subgroup_claim_shows_under_its_partys_whole_and_the_event_stays_a_denial(reader, commanders):
    commanders.refresh_from_db()
    assert commanders.level == "denial"
    page = html.unescape(reader.get(reverse("event_detail", args=[commanders.ref])).content.decode())
    anchor = group_anchor(commanders, category="combatant", victim_side__isnull=False, subgroup=None)
    rows = table_rows(page, anchor)
    ministry = next(index for index, row in enumerate(rows) if row.startswith("Russian Ministry of Defence"))
    assert "about 40" in rows[ministry] and "36 – 44" in rows[ministry]
    assert rows[ministry + 1].startswith("of whom: commanders four field commanders ( 4 ) 4 alone")
    # The subgroup counted by one party is no comparison of its own; the denial against the monitor leads.
    assert page.count('<svg id="group-') == 2
    assert "Denial: Russian Ministry of Defence's 36 Islamic State combatants exceed Euphrates Monitor's " in page
    assert "set by Combatant: each side against all sides" in page


def test_a_subgroup_claim_is_no_revision_of_the_whole_in_the_timeline(reader, commanders):
    page = reader.get(reverse("event_detail", args=[commanders.ref])).content.decode()
    timeline = page[page.index("Timeline of every claim") :]
    assert timeline.count('class="status status-current"') == 3
    assert 'Combatant (<bdi>Islamic State</bdi>), <span class="of-whom">of whom: commanders</span>' in timeline


def test_a_subgroup_counted_by_a_party_without_a_whole_shows_under_its_category(reader):
    event = make_event()
    ministry, monitor = make_party(name="Russian MoD"), make_party(name="Euphrates Monitor")
    make_claim(event, ministry, count=5, category="civilian")
    make_claim(event, monitor, count=8, category="civilian", subgroup=seeded_subgroup("children"))
    event.refresh_from_db()
    assert event.level == "major"  # 8 children cannot be among at most 5 civilians
    page = html.unescape(reader.get(reverse("event_detail", args=[event.ref])).content.decode())
    rows = table_rows(page, group_anchor(event, category="civilian", subgroup=None))
    monitor_row = rows.index(next(row for row in rows if row.startswith("Euphrates Monitor")))
    assert "no count of the whole, only of some among them:" in rows[monitor_row]
    assert rows[monitor_row + 1].startswith("of whom: children 8 8 alone")
    assert (
        "Major discrepancy: Euphrates Monitor's children (8) exceed Russian MoD's 5 civilians: "
        "\u20661.60×\u2069 as many, 3 deaths apart." in page
    )
    assert "set by Civilian, children against the whole" in page


def test_a_partys_report_that_does_not_add_up_is_said_on_its_page_and_marked_in_the_list(reader):
    event = make_event(ref="SYR-INCONSISTENT")
    ministry = make_party(name="Russian MoD")
    make_claim(event, ministry, count=5, category="civilian")
    make_claim(event, ministry, count=8, category="civilian", subgroup=seeded_subgroup("children"))
    make_claim(make_event(ref="SYR-CONSISTENT"), ministry, count=5, category="civilian")
    page = html.unescape(reader.get(reverse("event_detail", args=[event.ref])).content.decode())
    assert "Russian MoD's own report does not add up: children (8) among at most 5 civilians." in page
    listed = rows_of(reader.get(reverse("event_list")).content.decode())
    inconsistent, consistent = listed.index("SYR-INCONSISTENT"), listed.index("SYR-CONSISTENT")
    marked = listed[inconsistent : consistent if consistent > inconsistent else None]
    assert "a report does not add up" in marked
    assert listed.count("a report does not add up") == 1
    assert "Reports that do not add up (1)" in reader.get(reverse("dashboard")).content.decode()


@pytest.fixture
def injured():
    """Killed counted by one party; the injured by two that disagree widely."""
    ministry, monitor = make_party(name="Russian MoD"), make_party(name="Euphrates Monitor")
    event = make_event(ref="SYR-INJURED")
    make_claim(event, monitor, count=12, category="civilian", wording="12 civilians killed")
    make_claim(event, monitor, count=20, category="civilian", outcome="injured", wording="20 civilians injured")
    make_claim(event, ministry, count=5, category="civilian", outcome="injured", wording="five wounded")
    return event


def test_the_injured_have_their_own_section_level_and_chart_after_the_killed(reader, injured):
    injured.refresh_from_db()
    assert (injured.level, injured.injured_level) == ("single", "major")
    page = reader.get(reverse("event_detail", args=[injured.ref])).content.decode()
    header = page[page.index('class="event-header"') : page.index("</header>", page.index('class="event-header"'))]
    assert 'class="level level-single"' in header  # the killed set the event's level
    assert "injured:" in header and 'class="level level-major"' in header
    section = page[page.index('id="injured-heading"') : page.index("Timeline of every claim")]
    assert page.index("Civilian dead") < page.index('id="injured-heading"')
    assert "Civilian injured" in section and "Civilian dead" not in section
    assert "the lowest upper bound (5), 15 injured apart." in section
    assert section.count('<svg id="group-') == 1 and ">injured</text>" in section
    assert page.count('<svg id="group-') == 2
    assert "20 civilians injured" in section and "12 civilians killed" not in section


def test_the_list_shows_the_injured_level_beside_the_killed_or_in_its_place(reader, injured):
    row = rows_of(reader.get(reverse("event_list")).content.decode())
    assert 'class="level level-single"' in row and "injured:" in row and 'class="level level-major"' in row
    [by_injured] = event_rows(Event.objects.filter(pk=injured.pk).for_list(), outcome="injured")
    assert (by_injured.level, by_injured.spread, by_injured.label) == ("major", "5 – 20, 4.0×", "Civilian (injured)")
    table = render_to_string("includes/_event_table.html", {"rows": [by_injured], "listed_outcome": "injured"})
    assert "Level of the injured" in table and 'class="level level-major"' in table and "injured:" not in table


def test_subgroups_the_injured_and_inconsistencies_in_arabic(reader, commanders):
    ministry = commanders.claims.first().party
    make_claim(commanders, ministry, count=5, category="civilian")
    make_claim(commanders, ministry, count=8, category="civilian", subgroup=seeded_subgroup("children"))
    make_claim(commanders, ministry, count=3, category="civilian", outcome="injured")
    reader.cookies["django_language"] = "ar"
    page = reader.get(reverse("event_detail", args=[commanders.ref])).content.decode()
    assert "منهم: قادة" in page  # "of whom: commanders"
    assert f"تقرير {ministry.name} نفسه لا يستقيم: أطفال (8) من أصل 5 مدنيين على الأكثر." in page
    assert ">الجرحى" in page and "الجرحى: مدني" in page  # the injured's section and its group


def test_an_event_counting_only_the_injured_says_so_rather_than_no_claims(reader):
    event = make_event(ref="SYR-ONLY-INJURED")
    make_claim(event, count=6, category="civilian", outcome="injured")
    page = reader.get(reverse("event_detail", args=[event.ref])).content.decode()
    header = page[page.index('class="event-header"') : page.index('id="injured-heading"')]
    assert "no count of the dead" in header and "no claims" not in header
    row = rows_of(reader.get(reverse("event_list")).content.decode())
    assert "no count of the dead" in row and "injured:" in row
