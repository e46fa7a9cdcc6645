"""The matching rules: which events of different datasets may be one incident, and how alike they are.

Pure Python: values in, values out. Two events are a candidate when they come from different
origins, lie in the same country, have dates that can overlap (each date read at its
precision), lie within the radius where both have coordinates, and have compatible event
types. Each candidate has a score from 0 to 100 and the reasons for it.

Candidates are found by blocking, never by comparing every pair: events are bucketed by
country and by each day their dates can cover, and within a day by a coarse grid of cells at
least as wide as the radius, so that only neighbouring cells are compared.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DAY = "day"
WEEK = "week"
MONTH = "month"
YEAR = "year"

OTHER_TYPE = "other"  # "not said": GED, for one, never says whether an event was an airstrike

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
# Cells are sized for this latitude, so that up to it a cell is at least as wide as the radius;
# conflict data does not reach further toward the poles.
GRID_LATITUDE = 80

# Reasons, as codes with values: the pages put them into words.
SAME_DAY = "same_day"  # both dated the same single day
DATES_OVERLAP = "dates_overlap"  # day-precise spans that overlap
DATES_MAY_OVERLAP = "dates_may_overlap"  # a coarser date (week, month, year) that can cover the other
DISTANCE = "distance"  # value: kilometres apart
NO_COORDINATES = "no_coordinates"  # one of them has none: the place is not compared
SAME_TYPE = "same_type"  # value: the type
TYPE_UNSAID = "type_unsaid"  # one says "other": not contradicted

# How much each finding adds to the score (100 at most: the same day, the same spot, the same type).
DATE_POINTS = {SAME_DAY: 40, DATES_OVERLAP: 30, DATES_MAY_OVERLAP: 15}
PLACE_POINTS = 40  # at zero distance, falling to 0 at the radius
TYPE_POINTS = {SAME_TYPE: 20, TYPE_UNSAID: 10}


@dataclass(frozen=True)
class EventFacts:
    """What the rules need to know of one event. `origins` holds its dataset and those merged into it."""

    key: Hashable
    origins: frozenset[str]
    start: date
    end: date | None
    precision: str
    country: str
    latitude: float | None
    longitude: float | None
    event_type: str

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Candidate:
    """Two events that may be one incident; `first` has the smaller key."""

    first: Hashable
    second: Hashable
    score: int
    reasons: tuple[tuple[str, object], ...]
    distance_km: float | None


def date_span(start: date, end: date | None, precision: str) -> tuple[date, date]:
    """Return the first and last day an event's date can mean: a month-precise event is dated its
    first day and can be any day of that month (to the end of its end date's month)."""
    last = end or start
    if precision == WEEK:
        return start, last + timedelta(days=6)
    if precision == MONTH:
        return start.replace(day=1), last.replace(day=calendar.monthrange(last.year, last.month)[1])
    if precision == YEAR:
        return date(start.year, 1, 1), date(last.year, 12, 31)
    return start, last


def distance_km(a: EventFacts, b: EventFacts) -> float:
    """The great-circle distance between two located events (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def is_type_compatible(a: str, b: str) -> bool:
    return a == b or OTHER_TYPE in (a, b)


def date_reason(a: EventFacts, b: EventFacts) -> str | None:
    a_first, a_last = date_span(a.start, a.end, a.precision)
    b_first, b_last = date_span(b.start, b.end, b.precision)
    if a_first > b_last or b_first > a_last:
        return None
    if a.precision != DAY or b.precision != DAY:
        return DATES_MAY_OVERLAP
    if a_first == a_last == b_first == b_last:
        return SAME_DAY
    return DATES_OVERLAP


def candidate(a: EventFacts, b: EventFacts, *, radius_km: float) -> Candidate | None:
    """Return the candidate these two events make, or None if any rule keeps them apart."""
    if a.origins & b.origins or a.country != b.country or not is_type_compatible(a.event_type, b.event_type):
        return None
    when = date_reason(a, b)
    if when is None:
        return None
    reasons: list[tuple[str, object]] = [(when, None)]
    score = DATE_POINTS[when]
    distance = None
    if a.is_located and b.is_located:
        distance = distance_km(a, b)
        if distance > radius_km:
            return None
        reasons.append((DISTANCE, round(distance, 2)))
        score += round(PLACE_POINTS * (1 - distance / radius_km)) if radius_km else PLACE_POINTS
    else:
        reasons.append((NO_COORDINATES, None))
    kind = SAME_TYPE if a.event_type == b.event_type and a.event_type != OTHER_TYPE else TYPE_UNSAID
    reasons.append((kind, a.event_type if kind == SAME_TYPE else None))
    score += TYPE_POINTS[kind]
    first, second = sorted((a.key, b.key))
    return Candidate(first=first, second=second, score=score, reasons=tuple(reasons), distance_km=distance)


def cell_size(radius_km: float) -> float:
    """Degrees per grid cell: at least a degree, and at least the radius wide up to GRID_LATITUDE."""
    return max(1.0, radius_km / (KM_PER_DEGREE * math.cos(math.radians(GRID_LATITUDE))))


def candidates(events: Iterable[EventFacts], *, radius_km: float) -> list[Candidate]:
    """Return every candidate among these events, best first (then by key, for a stable order)."""
    size = cell_size(radius_km)
    buckets: dict[tuple[str, date], list[EventFacts]] = defaultdict(list)
    for event in events:
        first, last = date_span(event.start, event.end, event.precision)
        for offset in range((last - first).days + 1):
            buckets[(event.country, first + timedelta(days=offset))].append(event)
    found: dict[tuple, Candidate] = {}
    compared: set[tuple] = set()
    for bucket in buckets.values():
        if len(bucket) < 2 or len(set().union(*(event.origins for event in bucket))) < 2:
            continue
        for a, b in neighbour_pairs(bucket, size):
            if not a.origins.isdisjoint(b.origins):
                continue  # the same dataset: never a candidate, and the commonest pair by far
            pair = (a.key, b.key) if a.key < b.key else (b.key, a.key)
            if pair in compared:
                continue
            compared.add(pair)
            found_candidate = candidate(a, b, radius_km=radius_km)
            if found_candidate is not None:
                found[pair] = found_candidate
    return sorted(found.values(), key=lambda item: (-item.score, item.first, item.second))


def neighbour_pairs(bucket: list[EventFacts], size: float):
    """Yield the pairs of a day's events that may be within reach: those in the same or neighbouring
    cells, and every pair with an event that has no coordinates."""
    cells: dict[tuple[int, int], list[EventFacts]] = defaultdict(list)
    unplaced = []
    for event in bucket:
        if event.is_located:
            cells[(math.floor(event.latitude / size), math.floor(event.longitude / size))].append(event)
        else:
            unplaced.append(event)
    for index, event in enumerate(unplaced):
        yield from ((event, other) for other in unplaced[index + 1 :])
        yield from ((event, other) for other in bucket if other.is_located)
    for (row, column), members in cells.items():
        for index, event in enumerate(members):
            yield from ((event, other) for other in members[index + 1 :])
        # Each neighbouring cell once: the four "later" neighbours of each cell.
        for step in ((0, 1), (1, -1), (1, 0), (1, 1)):
            neighbours = cells.get((row + step[0], column + step[1]), ())
            yield from ((event, other) for event in members for other in neighbours)


def one_to_one(found: Iterable[Candidate]) -> list[Candidate]:
    """Return the candidates whose two events are in no other candidate: the unambiguous links."""
    found = list(found)
    uses = Counter(key for item in found for key in (item.first, item.second))
    return [item for item in found if uses[item.first] == 1 and uses[item.second] == 1]
