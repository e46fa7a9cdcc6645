"""Writing one discrepancy record per event: JSON with nested groups and claims, or a flat row
per event (CSV, xlsx) with an optional row of HXL hashtags.

`discrepancies_write(discrepancy_records(events), format="csv"|"json"|"xlsx", stream=..., hxl=False)`;
a view can write straight into an HttpResponse.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import IO

from django.conf import settings
from django.db import connections
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import translation

from tracker.exports.spreadsheets import XLSX_CONTENT_TYPE, iter_with_header, xlsx_write
from tracker.ingest.formulas import formula_escaped
from tracker.models import Assessment, Claim, ComparisonGroup, ContainmentDiscrepancy, Event, Inconsistency
from tracker.models.assessments import FIGURE_CATEGORIES, FIGURE_COLUMNS
from tracker.presentation.numbers import count_text, range_text
from tracker.presentation.sides import all_sides_text, is_all_sides, sided_categories
from tracker.rules import discrepancy, grading
from tracker.rules.counts import Count, Interval, interval_for
from tracker.rules.dates import stated_text

DISCREPANCY_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": XLSX_CONTENT_TYPE,
}


def ratio_value(number):
    """A ratio or a coordinate as JSON holds it: a number, or null."""
    return None if number is None else float(number)


EVENT_FIELDS = (
    "pk", "ref", "title", "start_date", "date_precision", "country", "location_name", "admin_region", "latitude",
    "longitude", "event_type", "description", "level", "ratio", "classification_dispute", "injured_level",
    "suggested_grade", "named_killed",
)  # fmt: skip
EVENTS_AT_ONCE = 2000


@dataclass(frozen=True, slots=True)
class Named:
    """A party as a record names it."""

    name: str


@dataclass(frozen=True, slots=True)
class Reading:
    """A count as reported, the interval it allows, and how a download words it."""

    count: Count
    interval: Interval
    reported: str


def reading(count: tuple, readings: dict) -> Reading:
    """One `Reading` per distinct count, worked out once: a million claims hold a few thousand distinct counts."""
    found = readings.get(count)
    if found is None:
        counted = Count(*count)
        with translation.override("en"):  # a download reads the same whatever the language of the page
            reported = count_text(counted)
        interval = interval_for(counted, tolerance=settings.TRACKER_APPROXIMATE_TOLERANCE)
        found = readings[count] = Reading(counted, interval, reported)
    return found


@dataclass(slots=True)
class ClaimLine:
    """What a record reads of a claim, fetched as a tuple: cheaper by far than a model instance."""

    pk: int
    party: Named
    outcome: str
    category: str
    victim_side_id: int | None
    victim_side: Named | None
    subgroup: str | None  # its code
    reading: Reading
    claimed_on: date
    claimed_on_precision: str
    is_current: bool
    retracted: bool

    @property
    def count(self) -> Count:
        return self.reading.count

    @property
    def interval(self) -> Interval:
        return self.reading.interval


@dataclass(slots=True)
class GroupLine:
    outcome: str
    category: str
    victim_side_id: int | None
    victim_side: Named | None
    subgroup: str | None
    level: str | None
    ratio: Decimal | None
    lo_max: int | None
    hi_min: int | None
    sets_level: bool


@dataclass(slots=True)
class ContainmentLine:
    outcome: str
    category: str
    victim_side: Named | None
    subgroup: str | None
    level: str
    ratio: Decimal | None
    lo: int
    hi: int
    parts_party: Named | None  # None where the parts are the named dead
    whole_party: Named
    whole_claim_id: int
    sets_level: bool
    named: bool
    parts: set = field(default_factory=set)  # keys of the claims added up


def named(name: str | None, names: dict) -> Named | None:
    """One `Named` per name, shared by every line that names it."""
    if name is None:
        return None
    found = names.get(name)
    if found is None:
        found = names[name] = Named(name)
    return found


def among(event_ids: list[int]):
    """Return the value of an `event_id__in` filter for these events: on PostgreSQL one array, not one
    parameter per event, which Django and psycopg would otherwise spell out query by query."""
    if connections[Claim.objects.db].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [event_ids])
    return event_ids


def event_lines(event_ids: list[int], names: dict, readings: dict) -> tuple[dict, dict, dict, dict, dict]:
    """Return, per event, its claims, groups, containment discrepancies, inconsistencies and assessments as
    lines (six queries)."""
    claims, groups, containment, inconsistencies = (defaultdict(list) for _ in range(4))
    event_ids = among(event_ids)
    claim_rows = (
        Claim.objects.filter(event_id__in=event_ids)
        .order_by("event_id", "claimed_on", "entered_at", "pk")
        .values_list("event_id", "pk", "party__name", "outcome", "category", "victim_side_id", "victim_side__name",
                     "subgroup__code", "qualifier", "low", "best", "high", "claimed_on", "claimed_on_precision",
                     "is_current", "retracted")
    )  # fmt: skip
    for (
        event_id,
        pk,
        party,
        outcome,
        category,
        side_id,
        side,
        subgroup,
        *count,
        claimed_on,
        claimed_on_precision,
        current,
        retracted,
    ) in claim_rows:
        claims[event_id].append(
            ClaimLine(pk, named(party, names), outcome, category, side_id, named(side, names), subgroup,
                      reading(tuple(count), readings), claimed_on, claimed_on_precision, current, retracted)
        )  # fmt: skip
    group_rows = ComparisonGroup.objects.filter(event_id__in=event_ids).order_by("event_id", "pk").values_list(
        "event_id", "outcome", "category", "victim_side_id", "victim_side__name", "subgroup__code", "level", "ratio",
        "lo_max", "hi_min", "sets_level",
    )  # fmt: skip
    for event_id, outcome, category, side_id, side, *rest in group_rows:
        groups[event_id].append(GroupLine(outcome, category, side_id, named(side, names), *rest))
    by_pk = {}
    containment_rows = ContainmentDiscrepancy.objects.filter(event_id__in=event_ids).order_by("event_id", "pk")
    containment_rows = containment_rows.values_list(
        "pk", "event_id", "outcome", "category", "victim_side__name", "subgroup__code", "level", "ratio", "lo", "hi",
        "parts_party__name", "whole_party__name", "whole_claim_id", "sets_level", "named",
    )  # fmt: skip
    for (
        pk,
        event_id,
        outcome,
        category,
        side,
        subgroup,
        level,
        ratio,
        lo,
        hi,
        parts_party,
        whole_party,
        *rest,
    ) in containment_rows:
        line = ContainmentLine(outcome, category, named(side, names), subgroup, level, ratio, lo, hi,
                               named(parts_party, names), named(whole_party, names), *rest)  # fmt: skip
        containment[event_id].append(by_pk.setdefault(pk, line))
    Parts = ContainmentDiscrepancy.parts.through
    parts = Parts.objects.filter(containmentdiscrepancy__event_id__in=event_ids).values_list(
        "containmentdiscrepancy_id", "claim_id"
    )
    for containment_id, claim_id in parts:
        by_pk[containment_id].parts.add(claim_id)
    inconsistency_rows = (
        Inconsistency.objects.filter(event_id__in=event_ids)
        .order_by("event_id", "pk")
        .values_list(
            "event_id", "party__name", "outcome", "category", "victim_side__name", "subgroup__code", "lo", "hi"
        )
    )
    for event_id, *inconsistency in inconsistency_rows:
        inconsistencies[event_id].append(dict(zip(INCONSISTENCY_KEYS, inconsistency, strict=True)))
    return claims, groups, containment, inconsistencies, assessment_lines(event_ids)


@dataclass(frozen=True, slots=True)
class AssessmentLine:
    """An assessor's current assessment of an event, with the grade of its first."""

    assessor: str
    grade: str
    initial_grade: str
    method: str
    figures: list[grading.Figure]


def assessment_lines(event_ids) -> dict[int, list[AssessmentLine]]:
    """Return, per event, each assessor's current assessment, by the assessor's name (one query: every
    assessment, the first of each assessor its initial grade, the last its current one)."""
    rows = (
        Assessment.objects.filter(event_id__in=event_ids)
        .order_by("event_id", "assessor__name", "assessor_id", "assessed_on")
        .values_list("event_id", "assessor_id", "assessor__name", "grade", "method", *FIGURE_COLUMNS)
    )
    initial: dict[tuple, str] = {}
    current: dict[tuple, AssessmentLine] = {}
    for event_id, assessor_id, assessor, grade, method, *figures in rows:
        initial.setdefault((event_id, assessor_id), grade)
        ends = dict(zip(FIGURE_COLUMNS, figures, strict=True))
        current[event_id, assessor_id] = AssessmentLine(
            assessor,
            grade,
            initial[event_id, assessor_id],
            method,
            [
                grading.Figure(category, low, ends[f"{category}_high"])
                for category in FIGURE_CATEGORIES
                if (low := ends[f"{category}_low"]) is not None
            ],
        )
    lines = defaultdict(list)
    for (event_id, _assessor_id), line in current.items():  # in the rows' order: by event, then assessor
        lines[event_id].append(line)
    return lines


def assessment_record(line: AssessmentLine, compared: Iterable[grading.ComparedClaim]) -> dict:
    """An assessment as a record (and the API) gives it: its grades, method, figures, and where each party's
    current claim of an assessed category stands against them (tracker.rules.grading), parties by name."""
    compared = sorted(compared, key=lambda claim: claim.party)
    return {
        "assessor": line.assessor,
        "grade": line.grade,
        "initial_grade": line.initial_grade,
        "method": line.method,
        "figures": [{"category": item.category, "low": item.low, "high": item.high} for item in line.figures],
        "against": [
            {"party": item.party, "category": item.category, "standing": item.standing}
            for item in grading.claims_against(line.figures, compared)
        ],
    }


# An inconsistency as a record gives it: one party's subgroup (L) above its own whole (H).
INCONSISTENCY_KEYS = ("party", "outcome", "category", "victim_side", "subgroup", "lo", "hi")


def discrepancy_records(events=None, *, site: str = "") -> Iterator[dict]:
    """Yield one record per event, in the given order (all events, most severe first, by default):
    its stored level and ratio, each group with its claims, each containment discrepancy, and the
    comparison that sets the level with each party's current count in it.

    Each record's `url` is its event page's address: under `site` ("https://tracker.example.org"), or
    the path alone without one.
    """
    events = events if events is not None else Event.objects.by_severity()
    names: dict[str, Named] = {}
    readings: dict[tuple, Reading] = {}
    rows = events.values_list(*EVENT_FIELDS).iterator(EVENTS_AT_ONCE)
    while chunk := list(islice(rows, EVENTS_AT_ONCE)):
        lines = event_lines([row[0] for row in chunk], names, readings)
        for pk, *event in chunk:
            record = event_record(event, *(lines_of.get(pk, []) for lines_of in lines))
            record["url"] = site + reverse("event_detail", args=[record["ref"]])
            yield record


def group_key(line: ClaimLine | GroupLine) -> tuple:
    """What tells a claim's comparison group apart within its event."""
    return line.outcome, line.category, line.victim_side_id, line.subgroup


def compared_claims(claims: list[ClaimLine]) -> list[grading.ComparedClaim]:
    """Return an event's current claims as their comparison with an assessment reads them."""
    return [
        grading.ComparedClaim(
            claim.party.name,
            claim.category,
            claim.interval.lo,
            claim.interval.hi,
            victim_side=claim.victim_side_id,
            outcome=claim.outcome,
            subgroup=claim.subgroup,
        )
        for claim in claims
        if claim.is_current
    ]


def event_record(
    event: tuple, claims: list, groups: list, containment: list, inconsistencies: list, assessments: list
) -> dict:
    (ref, title, start_date, date_precision, country, location, admin1, latitude, longitude, event_type, description,
     level, ratio, dispute, injured_level, suggested, named_killed) = event  # fmt: skip
    claims_by_group: dict[tuple, list[ClaimLine]] = {}
    for claim in claims:
        claims_by_group.setdefault(group_key(claim), []).append(claim)
    sided = sided_categories(claims)
    return {
        "ref": ref,
        "title": title,
        "date": start_date.isoformat(),
        "date_precision": date_precision,
        "country": country,
        "location": location,
        "admin1": admin1,
        "latitude": ratio_value(latitude),
        "longitude": ratio_value(longitude),
        "event_type": event_type,
        "description": description,
        "level": level,
        "ratio": ratio_value(ratio),
        "classification_dispute": dispute,
        "injured_level": injured_level,
        "named_killed": named_killed,
        "groups": [
            {
                "outcome": group.outcome,
                "category": group.category,
                "victim_side": group.victim_side.name if group.victim_side_id else None,
                "subgroup": group.subgroup,
                "level": group.level,
                "ratio": ratio_value(group.ratio),
                "claims": [claim_record(claim) for claim in claims_by_group.get(group_key(group), [])],
            }
            for group in groups
        ],
        "containment": [
            {
                "outcome": item.outcome,
                "category": item.category,
                "victim_side": item.victim_side.name if item.victim_side else None,
                "subgroup": item.subgroup,
                "level": item.level,
                "ratio": ratio_value(item.ratio),
                "lo": item.lo,
                "hi": item.hi,
                "parts_party": item.parts_party.name if item.parts_party else None,
                "whole_party": item.whole_party.name,
                # The named dead are no party's claims: said so where `parts_party` is empty.
                **({"parts": "named"} if item.named else {}),
            }
            for item in containment
        ],
        "inconsistencies": inconsistencies,
        "suggested_grade": suggested,
        "assessments": [assessment_record(line, compared_claims(claims)) for line in assessments],
        "level_set_by": level_set_by(groups, containment, claims_by_group, claims, sided),
    }


def claim_record(claim: ClaimLine) -> dict:
    count, interval = claim.count, claim.interval
    return {
        "party": claim.party.name,
        "qualifier": count.qualifier,
        "low": count.low,
        "best": count.best,
        "high": count.high,
        "lo": interval.lo,
        "hi": interval.hi,
        "claimed_on": stated_text(claim.claimed_on, claim.claimed_on_precision),  # 2017-09 for a month
        "current": claim.is_current,
        "retracted": claim.retracted,
    }


def group_name(
    category: str, side: str | None, *, all_sides: bool, outcome: str = discrepancy.KILLED, subgroup: str | None = None
) -> str:
    """Name a group for analysts: "civilian", "combatant: Islamic State", "combatant: all sides",
    "injured civilian", "civilian, of whom children"."""
    name = category if outcome == discrepancy.KILLED else f"{outcome} {category}"
    if side is not None:
        name = f"{name}: {side}"
    elif all_sides:
        name = f"{name}: {all_sides_text(language='en')}"
    return f"{name}, of whom {subgroup}" if subgroup else name


def line_group_name(line: ClaimLine | GroupLine, sided: set[str]) -> str:
    """Name the group of a claim or a group line."""
    side = line.victim_side.name if line.victim_side_id else None
    return group_name(
        line.category, side, all_sides=is_all_sides(line, sided), outcome=line.outcome, subgroup=line.subgroup
    )


def current_count(claim: ClaimLine, role: str, sided: set[str]) -> dict:
    """One party's current count in the comparison that sets the level: what it said, and its interval."""
    interval = claim.interval
    return {
        "party": claim.party.name,
        "role": role,
        "group": line_group_name(claim, sided),
        "reported": claim.reading.reported,
        "lo": interval.lo,
        "hi": interval.hi,
    }


def level_set_by(groups, containment, claims_by_group, claims, sided) -> dict | None:
    """Describe the comparison that sets the event's level, L and H as the page shows them, and the
    current counts it compares: a group's current claims, or a containment's parts and whole."""
    item = next((item for item in containment if item.sets_level), None)
    if item is not None:
        counts = [current_count(claim, "part", sided) for claim in claims if claim.pk in item.parts]
        counts += [current_count(claim, "whole", sided) for claim in claims if claim.pk == item.whole_claim_id]
        return {"comparison": containment_name(item), "lo": item.lo, "hi": item.hi, "counts": counts}
    group = next((group for group in groups if group.sets_level), None)
    if group is None:
        return None
    current = [claim for claim in claims_by_group.get(group_key(group), []) if claim.is_current]
    return {
        "comparison": line_group_name(group, sided),
        "lo": group.lo_max,
        "hi": group.hi_min,
        "counts": [current_count(claim, "count", sided) for claim in current],
    }


def containment_name(item: ContainmentLine) -> str:
    """Name a containment discrepancy for analysts: "containment: part of combatant", for a subgroup
    "containment: commanders, part of combatant: Islamic State", for the named dead "containment: named dead,
    part of combatant"."""
    side = item.victim_side.name if item.victim_side else None
    whole = group_name(item.category, side, all_sides=False, outcome=item.outcome)
    if item.named:
        return f"containment: named dead, part of {whole}"
    return f"containment: {item.subgroup}, part of {whole}" if item.subgroup else f"containment: part of {whole}"


# The flat form of a discrepancy record, one row per event, with the HXL hashtag of each column.
DISCREPANCY_COLUMNS = {
    "ref": "#event+id",
    "title": "#event+name",
    "date": "#date",
    "date_precision": "#date+precision",
    "country": "#country+code",
    "location": "#loc+name",
    "admin1": "#adm1+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "event_type": "#event+type",
    "description": "#description",
    "url": "#meta+url",
    "level": "#severity",
    "ratio": "#indicator+ratio+num",
    "classification_dispute": "#indicator+classification_dispute",
    "comparison": "#indicator+comparison",
    "comparison_lo": "#affected+killed+largest_lower_bound",
    "comparison_hi": "#affected+killed+smallest_upper_bound",
    "comparison_counts": "#meta+counts",
    "claimants": "#org+name",
    "groups": "#indicator+groups+num",
    "containment_discrepancies": "#indicator+containment+num",
    "parties": "#indicator+parties+num",
    "claims": "#indicator+claims+num",
    "injured_level": "#severity+injured",
    # Before the last column, which always holds a value: a workbook's row ends at its last value.
    "suggested_grade": "#indicator+grade+suggested",
    "grade": "#indicator+grade",
    "assessor": "#org+assessor",
    "inconsistent": "#indicator+inconsistent",
}
DISCREPANCY_CSV_COLUMNS = list(DISCREPANCY_COLUMNS)


def counts_text(counts: list[dict]) -> str:
    """Put each party's current count in one cell.

    "Ministry: about 40 (36 – 44); Monitor: 7", or for containment "Ministry, part (combatant:
    Islamic State): about 40 (36 – 44); Monitor, whole (combatant: all sides): 0".
    """
    cells = []
    for count in counts:
        who = count["party"] if count["role"] == "count" else f"{count['party']}, {count['role']} ({count['group']})"
        compared = range_text(count["lo"], count["hi"])
        reading = count["reported"] if compared == count["reported"] else f"{count['reported']} ({compared})"
        cells.append(f"{who}: {reading}")
    return "; ".join(cells)


def discrepancy_row(record: dict) -> dict:
    """Flatten an event's discrepancy record into one row.

    The comparison columns are those of the comparison that sets the event's level, as the page
    shows it: its name, L and H (H empty when unbounded), and each party's current count in it.
    """
    set_by = record["level_set_by"] or {"comparison": None, "lo": None, "hi": None, "counts": []}
    organisation = settings.TRACKER_ORGANISATION.casefold()
    organisations = next((item for item in record["assessments"] if item["assessor"].casefold() == organisation), None)
    parties = list(dict.fromkeys(claim["party"] for group in record["groups"] for claim in group["claims"]))
    return {
        "ref": record["ref"],
        "title": record["title"],
        "date": date.fromisoformat(record["date"]),  # a date cell in a workbook
        "date_precision": record["date_precision"],
        "country": record["country"],
        "location": record["location"],
        "admin1": record["admin1"],
        "latitude": record["latitude"],
        "longitude": record["longitude"],
        "event_type": record["event_type"],
        "description": record["description"],
        "url": record["url"],
        "level": record["level"],
        "ratio": record["ratio"],
        "classification_dispute": record["classification_dispute"],
        "comparison": set_by["comparison"],
        "comparison_lo": set_by["lo"],
        "comparison_hi": set_by["hi"],
        "comparison_counts": counts_text(set_by["counts"]),
        "claimants": "; ".join(parties),
        "groups": len(record["groups"]),
        "containment_discrepancies": len(record["containment"]),
        "parties": len(parties),
        "claims": sum(len(group["claims"]) for group in record["groups"]),
        "injured_level": record["injured_level"],
        "suggested_grade": record["suggested_grade"],
        # The organisation's current assessment, as the event list shows and filters it.
        "grade": organisations["grade"] if organisations else None,
        "assessor": organisations["assessor"] if organisations else None,
        "inconsistent": bool(record["inconsistencies"]),
    }


def discrepancy_csv_row(record: dict) -> dict:
    """Flatten an event's discrepancy record into one CSV row of text, no cell run as a formula."""
    row = discrepancy_row(record)
    row["ratio"] = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
    for flag in ("classification_dispute", "inconsistent"):
        row[flag] = "true" if row[flag] else "false"
    return {column: "" if value is None else formula_escaped(str(value)) for column, value in row.items()}


def discrepancies_write(records: Iterable[dict], *, format: str, stream: IO, hxl: bool = False) -> None:
    """Write discrepancy records as "csv" or "json" (text stream) or "xlsx" (binary stream).

    JSON is an array of the records, streamed one by one; CSV and xlsx hold one flat row per
    event, with the HXL hashtags as a second row when `hxl` is set.
    """
    hashtags = list(DISCREPANCY_COLUMNS.values()) if hxl else None
    if format == "json":
        stream.write("[")
        for index, record in enumerate(records):
            stream.write(("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False))
        stream.write("\n]\n")
    elif format == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(DISCREPANCY_CSV_COLUMNS)
        if hashtags:
            writer.writerow(hashtags)
        writer.writerows(discrepancy_csv_row(record).values() for record in records)
    elif format == "xlsx":
        rows = (list(discrepancy_row(record).values()) for record in records)
        xlsx_write(
            iter_with_header(DISCREPANCY_CSV_COLUMNS, rows, hashtags),
            stream,
            sheet_title="discrepancies",
            header_rows=2 if hashtags else 1,
        )
    else:
        raise ValueError(f"unknown discrepancy format {format!r}")
