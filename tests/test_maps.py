"""The offline map: country outlines shipped with the app, a marker per located event, shaped by level."""

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_claim, make_event, make_party
from tracker.presentation import maps
from tracker.web.views import event_list

pytestmark = pytest.mark.django_db


def located(ref, latitude, longitude, **fields):
    return make_event(ref=ref, latitude=Decimal(latitude), longitude=Decimal(longitude), **fields)


def marker_shapes(html: str) -> dict[str, str]:
    """Return each marker's event address and the shape it is drawn as."""
    return dict(re.findall(r'<a href="([^"]+)" class="marker [^"]+"><title>[^<]*</title><path [^>]*d="([^"]+)"', html))


def test_the_event_list_maps_each_located_event_linking_to_it_by_the_shape_of_its_level(reader):
    denial = located("SY-DENIAL", "35.95", "39.01")
    make_claim(denial, make_party(), count=0)
    make_claim(denial, make_party(), count=12)
    single = located("SY-SINGLE", "36.2", "37.15")
    make_claim(single, make_party(), count=4)
    make_event(ref="SY-NOWHERE")  # no coordinates: listed, not mapped
    html = reader.get(reverse("event_list")).content.decode()
    shapes = marker_shapes(html)
    assert set(shapes) == {"/events/SY-DENIAL/", "/events/SY-SINGLE/"}
    assert shapes["/events/SY-DENIAL/"] == maps.SHAPES["denial"]
    assert shapes["/events/SY-SINGLE/"] == maps.SHAPES["single"]
    assert shapes["/events/SY-DENIAL/"] != shapes["/events/SY-SINGLE/"]
    assert "2 of these events have coordinates." in html


def test_the_map_draws_the_country_outlines_around_the_events_from_the_app_itself(reader):
    located("SY-RAQQA", "35.95", "39.01")
    html = reader.get(reverse("event_list")).content.decode()
    land = re.search(r'<path class="land" d="([^"]*)"', html).group(1)
    assert land.count("M") >= 3  # Syria and its neighbours, at least
    assert "http" not in re.search(r"<svg id=\"events-map\".*?</svg>", html, re.S).group(0).replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_the_map_shows_only_the_filtered_events(reader):
    located("SY-2017", "35.95", "39.01", start_date=date(2017, 5, 1))
    located("SY-2019", "36.2", "37.15", start_date=date(2019, 5, 1))
    html = reader.get(reverse("event_list"), {"date_from": "2019-01-01"}).content.decode()
    assert set(marker_shapes(html)) == {"/events/SY-2019/"}


def test_the_map_is_bounded_and_says_how_many_it_leaves_out(reader, monkeypatch):
    monkeypatch.setattr(event_list, "MAP_MARKERS", 2)
    for number in range(3):
        located(f"SY-{number}", "35.9", f"{38 + number}")
    html = reader.get(reverse("event_list")).content.decode()
    assert len(marker_shapes(html)) == 2
    assert "The first 2 of these events in the list’s order, of 3 with coordinates." in html


def test_a_filtered_list_counts_its_events_and_those_located_once_each(reader, monkeypatch):
    """The list counts its events and the located ones together: a party's second claim on an
    event, or an event without coordinates, must not throw either number off."""
    monkeypatch.setattr(event_list, "MAP_MARKERS", 2)
    ministry = make_party(name="Ministry")
    for number in range(3):
        event = located(f"SY-{number}", "35.9", f"{38 + number}")
        make_claim(event, ministry, claimed_on=date(2020, 1, 1))
        make_claim(event, ministry, claimed_on=date(2020, 1, 2))
    make_claim(make_event(ref="SY-NOWHERE"), ministry)
    located("SY-OTHER", "35.9", "41")

    html = reader.get(reverse("event_list"), {"party": ministry.pk}).content.decode()

    assert "4 events match." in html
    assert "The first 2 of these events in the list’s order, of 3 with coordinates." in html


def test_a_list_without_located_events_has_no_map(reader):
    make_event(ref="SY-NOWHERE")
    assert "events-map" not in reader.get(reverse("event_list")).content.decode()


def test_marker_labels_from_the_data_are_escaped():
    marker = maps.Marker(latitude=35.9, longitude=39.0, level=None, label="<script>x</script>", url="/events/A/")
    html = maps.event_map([marker], map_id="m", title="t", description="d")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_each_level_has_its_own_shape():
    assert len(set(maps.SHAPES.values())) == len(maps.SHAPES)


def marker_points(html: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for x, y in re.findall(r'<a href="[^"]+" class="marker[^>]*>.*?translate\(([\d.]+),([\d.]+)\)', html)
    ]


def test_a_pair_a_kilometre_apart_is_drawn_apart_and_north_is_up():
    north = maps.Marker(latitude=35.959, longitude=39.01, level="single", label="north", url="/events/N/")
    south = maps.Marker(latitude=35.95, longitude=39.01, level="major", label="south", url="/events/S/")
    html = maps.event_map([north, south], map_id="m", title="t", description="d", min_span=maps.PAIR_SPAN)
    points = dict(zip(re.findall(r'<a href="([^"]+)"', html), marker_points(html), strict=True))
    (north_x, north_y), (south_x, south_y) = points["/events/N/"], points["/events/S/"]
    assert north_x == south_x and south_y - north_y > 20


def test_the_outlines_are_built_from_world_atlas_topojson(tmp_path):
    """A country drawn by two arcs, one of them reversed, becomes one closed ring of degrees."""
    topology = {
        "transform": {"scale": [0.5, 0.5], "translate": [30.0, 30.0]},
        "arcs": [[[0, 0], [20, 0], [0, 20]], [[0, 0], [0, 20], [20, 0]]],
        "objects": {
            "countries": {"geometries": [{"type": "Polygon", "arcs": [[0, ~1]], "properties": {"name": "Squareland"}}]}
        },
    }
    source, target = tmp_path / "countries.json", tmp_path / "outlines.json"
    source.write_text(json.dumps(topology), encoding="utf-8")

    call_command("build_outlines", str(source), str(target), stdout=io.StringIO())

    outlines = json.loads(target.read_text(encoding="utf-8"))
    assert outlines["countries"] == [
        {"name": "Squareland", "rings": [[30.0, 30.0, 40.0, 30.0, 40.0, 40.0, 30.0, 40.0, 30.0, 30.0]]}
    ]
