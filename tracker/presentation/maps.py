"""Maps drawn on the server as inline SVG: country outlines the app ships, and a marker per event.

Nothing is loaded from elsewhere and no script runs, so the map works offline and under the
strict content security policy. The outlines are Natural Earth's, vendored from world-atlas by
tracker/management/commands/build_outlines.py. Each marker's shape says its level as much as its colour does, and
links to its event.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.models import Level
from tracker.presentation.charts import WIDTH, svg_open
from tracker.rules import discrepancy

OUTLINES = Path(__file__).with_name("outlines.json")
MIN_HEIGHT, MAX_HEIGHT = 240, 520
LEGEND_HEIGHT = 26
MIN_SPAN = 5.0  # degrees (about 550 km) shown at least, so that a single event shows its country around it
PAIR_SPAN = 0.15  # for two events a few km apart: about 17 km, so that 1 km between them shows
MARGIN = 0.12  # of the span, on each side, so that no marker sits on the edge
RADIUS = 6

# level: the marker's shape, drawn around (0, 0); colours are in tracker.css as on the badges.
SHAPES = {
    discrepancy.DENIAL: "M0,-7 L7,6 L-7,6 Z",  # a triangle, as on the badge
    discrepancy.MAJOR: "M0,-7 L7,0 L0,7 L-7,0 Z",  # a diamond
    discrepancy.MINOR: "M-5.5,0 A5.5,5.5 0 1,0 5.5,0 A5.5,5.5 0 1,0 -5.5,0 Z",  # a filled disc
    discrepancy.SINGLE: "M-5,0 A5,5 0 1,0 5,0 A5,5 0 1,0 -5,0 Z",  # a ring (unfilled in the CSS)
    discrepancy.AGREE: "M-5,-5 L5,-5 L5,5 L-5,5 Z",  # a square
    None: "M-5,-1.5 L-1.5,-1.5 L-1.5,-5 L1.5,-5 L1.5,-1.5 L5,-1.5 L5,1.5 L1.5,1.5 L1.5,5 L-1.5,5 L-1.5,1.5 L-5,1.5 Z",
}


@dataclass(frozen=True)
class Marker:
    """One event on the map: where it is, its level (None without claims), a label and its page."""

    latitude: float
    longitude: float
    level: str | None
    label: str
    url: str


@dataclass(frozen=True)
class Ring:
    """One outline ring in degrees, with its bounding box to skip it quickly when it is out of view."""

    points: tuple[tuple[float, float], ...]
    west: float
    south: float
    east: float
    north: float


@cache
def outline_rings() -> tuple[Ring, ...]:
    with OUTLINES.open(encoding="utf-8") as file:
        countries = json.load(file)["countries"]
    rings = []
    for country in countries:
        for flat in country["rings"]:
            points = tuple(zip(flat[0::2], flat[1::2], strict=True))
            longitudes, latitudes = flat[0::2], flat[1::2]
            rings.append(Ring(points, min(longitudes), min(latitudes), max(longitudes), max(latitudes)))
    return tuple(rings)


@dataclass(frozen=True)
class View:
    """The part of the world a map shows, and how degrees become pixels (equirectangular, its
    longitudes narrowed by the cosine of the middle latitude, which is true enough for a region)."""

    west: float
    north: float
    scale: float  # pixels per degree of latitude
    narrowing: float
    height: int

    @classmethod
    def around(cls, markers: list[Marker], min_span: float = MIN_SPAN) -> View:
        latitudes = [marker.latitude for marker in markers]
        longitudes = [marker.longitude for marker in markers]
        middle_lat = (min(latitudes) + max(latitudes)) / 2
        narrowing = max(math.cos(math.radians(middle_lat)), 0.2)
        lat_span = max(max(latitudes) - min(latitudes), min_span) * (1 + 2 * MARGIN)
        lon_span = max(max(longitudes) - min(longitudes), min_span) * (1 + 2 * MARGIN)
        height = round(min(MAX_HEIGHT, max(MIN_HEIGHT, WIDTH * lat_span / (lon_span * narrowing))))
        # The tighter of the two fits sets the scale; the other direction shows more around it.
        scale = min(WIDTH / (lon_span * narrowing), height / lat_span)
        middle_lon = (min(longitudes) + max(longitudes)) / 2
        west = middle_lon - WIDTH / (2 * scale * narrowing)
        north = middle_lat + height / (2 * scale)
        return cls(west=west, north=north, scale=scale, narrowing=narrowing, height=height)

    @property
    def east(self) -> float:
        return self.west + WIDTH / (self.scale * self.narrowing)

    @property
    def south(self) -> float:
        return self.north - self.height / self.scale

    def point(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = (longitude - self.west) * self.scale * self.narrowing
        y = (self.north - latitude) * self.scale
        return round(x, 1), round(y, 1)

    def shows(self, ring: Ring) -> bool:
        across = ring.east >= self.west and ring.west <= self.east
        return across and ring.north >= self.south and ring.south <= self.north


# A list shows the same view on every load until its first events change; formatting the world's
# outlines again each time cost more than the rest of the page.
@lru_cache(maxsize=64)
def outline_path(view: View) -> str:
    """Return one SVG path of every country ring in view (rings reaching past the edge are cut by the frame)."""
    commands = []
    for ring in outline_rings():
        if not view.shows(ring):
            continue
        points = [view.point(longitude, latitude) for longitude, latitude in ring.points]
        commands.append("M" + " ".join(f"{x},{y}" for x, y in points) + "Z")
    return "".join(commands)


def event_marker(ref: str, title: str, latitude, longitude, level: str | None) -> Marker:
    """Return an event's marker, labelled with its ref and title and linked to its page."""
    return Marker(
        latitude=float(latitude),
        longitude=float(longitude),
        level=level,
        label=f"{ref} — {title}",
        url=reverse("event_detail", args=[ref]),
    )


def level_label(level: str | None) -> str:
    return Level(level).label if level else _("no claims yet")


def event_map(
    markers: list[Marker], *, map_id: str, title: str, description: str, min_span: float = MIN_SPAN
) -> SafeString:
    """Draw the events on the country outlines around them, with a legend of the levels shown; the map
    spans min_span degrees at least."""
    if not markers:
        return mark_safe("")
    view = View.around(markers, min_span)
    height = view.height + LEGEND_HEIGHT
    # The most severe last, so that they are drawn on top of the others.
    order = {level: index for index, level in enumerate([None, *reversed(Level.values)])}
    drawn = sorted(markers, key=lambda marker: order[marker.level])
    # Written with escape() and f-strings rather than format_html: a list's map draws hundreds of markers
    # on every load. Only the url and the label come from the data; the rest are the module's constants.
    labels = {level: escape(level_label(level)) for level in SHAPES}
    pins = mark_safe(
        "".join(
            f'<a href="{escape(marker.url)}" class="marker level-{marker.level or "none"}">'
            f"<title>{escape(marker.label)} ({labels[marker.level]})</title>"
            f'<path transform="translate({x},{y})" d="{SHAPES[marker.level]}"/></a>'
            for marker in drawn
            for x, y in [view.point(marker.longitude, marker.latitude)]
        )
    )
    return format_html(
        '{}<rect class="sea" width="{}" height="{}"/><path class="land" d="{}"/>{}{}</svg>',
        svg_open(map_id, "event-map", height, title, description),
        WIDTH,
        view.height,
        outline_path(view),
        pins,
        legend(sorted({marker.level for marker in markers}, key=lambda level: -order[level]), view.height),
    )


def legend(levels: list[str | None], top: int) -> SafeString:
    """A row under the map: each level shown, as its marker and its word."""
    entries = []
    x = 12
    for level in levels:
        label = level_label(level)
        entry = format_html(
            '<g class="marker level-{}"><path transform="translate({},{})" d="{}"/></g>'
            '<text class="legend" x="{}" y="{}">{}</text>',
            level or "none", x, top + 14, SHAPES[level], x + 11, top + 18, label,
        )  # fmt: skip
        entries.append(entry)
        x += 24 + 8 * len(label)
    return mark_safe("".join(entries))  # each entry was built by format_html
