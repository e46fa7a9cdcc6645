"""The track records on the pages: a party's page, the parties' table, the comparison, the downloads, the
API and the dashboard, under the same filters.

The fixture: over six Syrian airstrikes, the Ministry counts 2 where the Monitor counts 10 and the Hospital
12 (below them: ratio 2 ÷ 11); the Monitor stands above the median of the two others (10 ÷ 7), the Hospital
too (12 ÷ 6 = ×2). A seventh event, in Iraq, has the Ministry deny (0) what the Monitor counts (9).
"""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.accounts import make_reader
from tests.factories import make_claim, make_event, make_party
from tests.test_translations import arabic_get
from tracker.presentation import charts

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    ministry = make_party(name="Ministry", kind="government")
    monitor = make_party(name="Monitor", kind="monitor")
    hospital = make_party(name="Hospital", kind="medical")
    for number in range(1, 7):
        event = make_event(start_date=date(2018, number, 1), country="SY", event_type="airstrike")
        make_claim(event, ministry, count=2, category="civilian")
        make_claim(event, monitor, count=10, category="civilian")
        make_claim(event, hospital, count=12, category="civilian")
    iraq = make_event(start_date=date(2018, 9, 1), country="IQ", event_type="airstrike")
    make_claim(iraq, ministry, count=0, category="civilian")
    make_claim(iraq, monitor, count=9, category="civilian")
    return {"Ministry": ministry, "Monitor": monitor, "Hospital": hospital}


@pytest.fixture
def reader(client):
    client.force_login(make_reader())
    return client


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def track_section(html: str, heading: str = 'id="track-record-heading"') -> str:
    return html[html.index(heading) : html.index("</section>", html.index(heading))]


def test_a_partys_page_shows_its_figures_and_a_chart_of_its_ratios(reader, parties):
    shown = track_section(page(reader, reverse("party_detail", args=[parties["Ministry"].pk])))
    assert "Groups compared</th><td>7</td>" in shown
    assert "Below the others</th><td>7 (100%)</td>" in shown
    assert "Denials</th><td>1</td>" in shown
    assert '<td dir="ltr">×0.182</td>' in shown  # 2 ÷ 11
    assert '<svg id="track-record-chart"' in shown and "agree" in shown
    assert 'class="too-few"' not in shown


def test_the_filters_narrow_a_partys_record_and_say_too_few(reader, parties):
    shown = track_section(page(reader, reverse("party_detail", args=[parties["Ministry"].pk]), country="IQ"))
    assert "Groups compared</th><td>1</td>" in shown
    assert "Compared in 1 group only: too few to say." in shown
    assert "<svg" not in shown  # a denial has no ratio


def test_a_filter_naming_no_party_says_so(reader, parties):
    shown = page(reader, reverse("party_detail", args=[parties["Ministry"].pk]), against="Nobody", date_from="x")
    assert "No party is named “Nobody”." in shown and "Enter a valid date." in shown
    assert "Groups compared" not in track_section(shown)


def test_the_parties_table_is_ordered_as_asked(reader, parties):
    def order(track_order):
        shown = page(reader, reverse("party_list"), track_order=track_order)
        table = track_section(shown, 'id="track-records-heading"')
        return sorted(parties, key=lambda name: table.index(f'dir="auto">{name}</a>'))

    assert order("-median") == ["Hospital", "Monitor", "Ministry"]
    assert order("median") == ["Ministry", "Monitor", "Hospital"]
    assert order("-below") == ["Ministry", "Hospital", "Monitor"]  # the others never below: by name
    assert order("-denials") == ["Ministry", "Hospital", "Monitor"]


def test_the_parties_table_takes_the_filters(reader, parties):
    shown = track_section(page(reader, reverse("party_list"), country="IQ"), 'id="track-records-heading"')
    assert ">Hospital</a>" not in shown and ">Ministry</a>" in shown and "too few to say" in shown
    wrong = track_section(page(reader, reverse("party_list"), victim_side="theirs"), 'id="track-records-heading"')
    assert "Select a valid choice." in wrong and "<table" not in wrong


def test_two_to_five_parties_side_by_side(reader, parties):
    ids = [parties["Ministry"].pk, parties["Hospital"].pk]
    shown = page(reader, reverse("party_compare"), party=ids)
    assert shown.index(">Ministry</a>") < shown.index(">Hospital</a>")
    assert "Below the others</th><td>7 (100%)</td><td>0 (0%)</td>" in shown
    assert '<svg id="compare-chart"' in shown


@pytest.mark.parametrize(
    "ids, message, status",
    [
        ([], "Choose two to five parties to compare", 200),
        (["1"], "Choose two to five parties to compare", 200),
        (["1", "2", "3", "4", "5", "6"], "Choose at most 5 parties to compare; 6 were chosen.", 400),
        (["1", "abc", "99999"], "No party has the id abc, 99999.", 400),
    ],
)
def test_a_comparison_of_too_few_or_too_many_or_unknown_parties_says_so(reader, parties, ids, message, status):
    ids = [str(parties["Ministry"].pk) if pk == "1" else pk for pk in ids]
    response = reader.get(reverse("party_compare"), {"party": ids})
    assert response.status_code == status
    assert message in response.content.decode()


def test_the_table_downloads_as_csv_json_and_xlsx_under_the_filters(reader, parties):
    response = reader.get(reverse("track_record_download", args=["csv"]), {"country": "sy"})
    assert response["Content-Disposition"] == 'attachment; filename="track-records-syria.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert [(row["party"], row["groups"], row["median_ratio"]) for row in rows] == [
        ("Hospital", "6", "2.000"), ("Ministry", "6", "0.182"), ("Monitor", "6", "1.429"),
    ]  # fmt: skip
    records = json.loads(reader.get(reverse("track_record_download", args=["json"])).content)
    assert {record["party"]: record["denials"] for record in records} == {"Hospital": 0, "Ministry": 1, "Monitor": 0}
    workbook = load_workbook(io.BytesIO(reader.get(reverse("track_record_download", args=["xlsx"])).content))
    table = list(workbook.active.values)
    assert table[0][:3] == ("party", "groups", "above") and table[2][:2] == ("Ministry", 7)


def test_a_download_under_filters_it_cannot_read_is_a_400(reader, parties):
    response = reader.get(reverse("track_record_download", args=["csv"]), {"others": "Nobody"})
    assert response.status_code == 400 and "No party is named “Nobody”." in response.content.decode()
    assert reader.get(reverse("track_record_download", args=["pdf"])).status_code == 404


def test_the_api_serves_the_records_under_the_filters(reader, parties):
    records = reader.get("/api/track-records/", {"others_kind": "monitor"}).json()
    assert {record["party"]: (record["groups"], record["median_ratio"]) for record in records} == {
        "Hospital": (6, 1.2), "Ministry": (7, 0.2), "Monitor": (0, None),  # no other monitor to set it against
    }  # fmt: skip
    wrong = reader.get("/api/track-records/", {"date_from": "2019-01-01", "date_to": "2018-01-01"})
    assert wrong.status_code == 400 and "date_to" in wrong.json()


def test_the_dashboard_names_the_parties_furthest_above_and_below(reader, parties):
    shown = page(reader, reverse("dashboard"))
    section = shown[shown.index('id="track-extremes-heading"') :]
    above, below = section.split("Furthest below")[:2]
    assert f'href="{reverse("party_detail", args=[parties["Hospital"].pk])}"' in above and "×2" in above
    assert "Ministry" in below and "Ministry" not in above


def test_the_dashboard_without_enough_groups_says_so(reader):
    shown = page(reader, reverse("dashboard"))
    assert "No party has been compared in five groups or more yet." in shown


def test_the_track_record_reads_in_arabic(client, parties):
    client.force_login(make_reader("reader-ar"))
    shown = arabic_get(client, reverse("party_detail", args=[parties["Ministry"].pk])).content.decode()
    section = track_section(shown)
    assert "سجل الادعاءات" in section and "دون الآخرين" in section and "متوافق" in section
    assert "لا يُقارَن أي من ادعاءاته" not in section and "مقياس لوغاريتمي" in section


def test_the_chart_puts_agreeing_counts_on_the_mark_at_one_and_widens_its_log_axis():
    chart = charts.ratio_chart(
        [charts.RatioBox("Agrees", 1, 1, 1, "×1"), charts.RatioBox("<Far>", 0.5, 40, 250, "×40")],
        chart_id="c", title="t", description="d", agree_label="agree",
    )  # fmt: skip
    agree = re.search(r'<line class="bound agree" x1="([\d.]+)"', chart)[1]
    assert f'<line class="median" x1="{agree}"' in chart
    assert re.findall(r'class="tick" x="[\d.]+" y="\d+">(×[\d.]+)<', chart) == [
        "×0.1", "×1", "×10", "×100", "×1000",
    ]  # fmt: skip
    assert "&lt;Far&gt;" in chart and "<Far>" not in chart


def test_a_download_is_named_after_its_filters(reader, parties):
    params = {"category": "civilian", "victim_side": "none", "date_from": "2018-01-01", "date_to": "2018-12-31",
              "others_kind": "monitor", "against": "others"}  # fmt: skip
    response = reader.get(reverse("track_record_download", args=["json"]), params)
    expected = "track-records-civilian-2018-none-others-monitor.json"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    against = reader.get(reverse("track_record_download", args=["csv"]), {"against": "monitor"})
    assert against["Content-Disposition"] == 'attachment; filename="track-records-against-monitor.csv"'


def test_the_track_filters_keep_the_parties_lists_search(reader, parties):
    shown = track_section(page(reader, reverse("party_list"), q="Min", kind="government"), 'id="track-records-heading"')
    assert '<input type="hidden" name="q" value="Min">' in shown
    assert '<input type="hidden" name="kind" value="government">' in shown


def test_the_tables_download_links_carry_its_filters_but_not_the_list_page(reader, parties):
    shown = track_section(page(reader, reverse("party_list"), country="SY", page="1"), 'id="track-records-heading"')
    for format in ("csv", "xlsx", "json"):
        assert f'href="{reverse("track_record_download", args=[format])}?country=SY"' in shown
    unfiltered = track_section(page(reader, reverse("party_list")), 'id="track-records-heading"')
    assert f'href="{reverse("track_record_download", args=["csv"])}"' in unfiltered
