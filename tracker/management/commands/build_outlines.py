"""Build tracker/presentation/outlines.json, the country outlines the offline map draws, from world-atlas.

world-atlas (npm, ISC licence) ships Natural Earth's countries (public domain) as TopoJSON. This
script decodes its 1:50m file, simplifies each ring and writes plain rings of degrees, so that
the app needs neither a TopoJSON reader nor the 750 kB original at run time:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python manage.py build_outlines package/countries-50m.json tracker/presentation/outlines.json

It needs only the standard library, and the same input always gives the same output.
"""

import json

from django.core.management.base import BaseCommand

# About 3 km: finer than a pixel of a map of the Levant 720 pixels wide, and the file stays near 500 kB.
TOLERANCE = 0.03
DECIMALS = 2


def decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Return each arc as absolute degrees (TopoJSON stores quantised steps from the previous point)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for steps in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in steps:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """Join a ring's arcs; a negative index ~i is arc i reversed, and each arc repeats the last point."""
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker: keep the points further than tolerance from the line their neighbours make."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                away = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                away = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if away > distance:
                farthest, distance = index, away
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def country_rings(geometry: dict, arcs: list) -> list[list[float]]:
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
    rings = []
    for polygon in polygons:
        for indexes in polygon:
            points = simplified(ring_points(indexes, arcs), TOLERANCE)
            flat = []
            for x, y in points:
                pair = [round(x, DECIMALS), round(y, DECIMALS)]
                if flat[-2:] != pair:
                    flat += pair
            if len(flat) >= 8:  # a ring of at least four points (the last repeats the first)
                rings.append(flat)
    return rings


def outlines_build(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as file:
        topology = json.load(file)
    arcs = decoded_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings = country_rings(geometry, arcs)
        if rings:
            countries.append({"name": geometry["properties"]["name"], "rings": rings})
    outlines = {
        "source": "world-atlas 2.0.2, countries-50m.json: Natural Earth 1:50m Admin 0 (public domain)",
        "countries": sorted(countries, key=lambda country: country["name"]),
    }
    with open(target, "w", encoding="utf-8") as file:
        json.dump(outlines, file, ensure_ascii=False, separators=(",", ":"))
        file.write("\n")


class Command(BaseCommand):
    help = "Build the offline map's country outlines (tracker/presentation/outlines.json) from world-atlas's TopoJSON."

    def add_arguments(self, parser):
        parser.add_argument("source", help="world-atlas's countries-50m.json")
        parser.add_argument("target", help="where to write the outlines, e.g. tracker/presentation/outlines.json")

    def handle(self, *args, source, target, **options):
        outlines_build(source, target)
        self.stdout.write(f"Wrote {target}.")
