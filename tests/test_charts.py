"""The server-drawn SVG charts."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from tracker.models import ComparisonGroup
from tracker.presentation.charts import Column, IntervalBar, axis_ticks, column_chart, interval_chart, nice_ceiling
from tracker.presentation.panels import group_panel

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def bars_chart(bars, lo_max=None, hi_min=None):
    return parse(interval_chart(bars, chart_id="c", lo_max=lo_max, hi_min=hi_min, title="T", description="D"))


def test_interval_chart_is_well_formed_and_named_for_screen_readers():
    svg = bars_chart([IntervalBar("Monitor", 12, 12, "12"), IntervalBar("Ministry", 36, 44, "36 – 44")], 36, 12)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").text == "T"
    assert [row.find(f"{SVG}title").text for row in svg.iter(f"{SVG}g")] == ["Monitor: 12", "Ministry: 36 – 44"]


def test_gap_between_h_and_l_is_shaded_only_when_counts_disagree():
    apart = bars_chart([IntervalBar("A", 12, 12, "12"), IntervalBar("B", 40, 40, "40")], lo_max=40, hi_min=12)
    gap = apart.find(f"{SVG}rect[@class='gap']")
    assert gap is not None and float(gap.get("width")) > 0
    agreeing = bars_chart([IntervalBar("A", 10, 14, "10 – 14"), IntervalBar("B", 12, 12, "12")], 12, 12)
    assert agreeing.find(f"{SVG}rect[@class='gap']") is None


def test_zero_claim_is_a_visible_point_at_the_origin():
    svg = bars_chart([IntervalBar("Ministry", 0, 0, "0"), IntervalBar("Monitor", 8, 8, "8")], lo_max=8, hi_min=0)
    ministry = next(svg.iter(f"{SVG}g"))
    point = ministry.find(f"{SVG}polygon[@class='point']")
    xs = [float(pair.split(",")[0]) for pair in point.get("points").split()]
    assert max(xs) - min(xs) >= 10  # wide enough to see
    assert min(xs) < float(svg.find(f"{SVG}line[@class='tick']").get("x1")) < max(xs)  # centred on 0


def test_open_ended_claim_ends_in_an_open_arrow_at_the_axis_end():
    svg = bars_chart([IntervalBar("Hospital", 9, None, "≥ 9"), IntervalBar("Monitor", 12, 12, "12")], 12, 12)
    hospital = next(svg.iter(f"{SVG}g"))
    arrow = hospital.find(f"{SVG}polyline[@class='open-end']")
    assert arrow is not None
    bar = hospital.find(f"{SVG}rect[@class='bar']")
    assert (
        float(bar.get("x")) + float(bar.get("width"))
        > float(svg.find(f"{SVG}g/{SVG}text[@class='value']").get("x")) - 20
    )


def test_party_names_with_markup_are_escaped_in_the_chart():
    svg = interval_chart([IntervalBar("<script>x</script>", 1, 2, "1 – 2")], chart_id="c", lo_max=1, hi_min=2,
                         title="<b>", description="&")  # fmt: skip
    assert "<script>" not in str(svg) and "&lt;script&gt;" in str(svg)
    parse(svg)


def test_long_party_names_are_shortened_on_the_axis_but_whole_in_the_tooltip():
    name = "Syrian Observatory for Human Rights, field office east"
    row = next(bars_chart([IntervalBar(name, 1, 1, "1")]).iter(f"{SVG}g"))
    assert row.find(f"{SVG}title").text.startswith(name)
    assert row.find(f"{SVG}text[@class='party']").text.endswith("…")


def test_column_chart_has_a_column_per_period_with_its_count():
    svg = parse(column_chart([Column(3, "2018-01: 3"), Column(0, "2018-02: 0"), Column(7, "2018-03: 7", "2018")],
                             chart_id="m", title="Claims", description="per month"))  # fmt: skip
    columns = list(svg.iter(f"{SVG}g"))
    assert [column.find(f"{SVG}title").text for column in columns] == ["2018-01: 3", "2018-02: 0", "2018-03: 7"]
    heights = [float(column.find(f"{SVG}rect").get("height")) for column in columns]
    assert heights[1] == 0 and heights[2] > heights[0] > 0


@pytest.mark.parametrize("value, expected", [(0, 1), (1, 1), (7, 8), (11, 12), (50.6, 60), (101, 120), (999, 1000)])
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected


def test_axis_ticks_start_at_zero_and_stay_within_the_axis():
    assert axis_ticks(60) == [0, 20, 40, 60]
    assert axis_ticks(1) == [0, 1]


@pytest.mark.parametrize(
    ("outcome", "english", "arabic"), [("killed", "deaths", "القتلى"), ("injured", "injured", "الجرحى")]
)
def test_a_groups_chart_names_what_its_axis_counts_the_dead_or_the_injured(outcome, english, arabic):
    group = ComparisonGroup(pk=1, outcome=outcome, category="civilian", level="single", lo_max=3, hi_min=3)

    def axis_title():
        chart = parse(group_panel(group, [], all_sides=False).chart)
        return chart.find(f"{SVG}text[@class='axis-title']").text

    assert axis_title() == english
    with translation.override("ar"):
        assert axis_title() == arabic
