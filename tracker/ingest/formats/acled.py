"""ACLED's published CSV export as an import format: each event read as the claim of ACLED.

Columns as ACLED's export names them (`event_id_cnty, event_date, year, time_precision,
disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1, actor2, assoc_actor_2,
inter2, interaction, civilian_targeting, iso, region, country, admin1, admin2, admin3, location,
latitude, longitude, geo_precision, source, source_scale, notes, fatalities, tags, timestamp`).
Each row becomes one event, ref and identifier its `event_id_cnty`, and one claim of the party
"ACLED" (a `monitor`): `fatalities`, `exact`, as

- `civilian` where `civilian_targeting` is set: ACLED's methodology counts the dead of an event
  that targets civilians as civilians;
- `total` otherwise: ACLED's fatalities of a battle or a strike are everyone it killed, of every
  side, and ACLED does not split them.

Choices, so that importing the same file again finds everything already stored:
- Dates as ACLED writes them: "16 May 2025" (its export), "2025-05-16" (its API), "16-May-2025".
- `time_precision`: 1 the day, 2 within a week (`week`), 3 only the month (`month`; the event is
  dated the first of that month, as the tracker dates month-precise events, and ACLED's own date
  is kept in the description).
- The claim is dated the event's date, the day by which ACLED's count holds: `timestamp` changes
  whenever ACLED edits the row.
- Event type from `sub_event_type`: Air/drone strike is an airstrike; Shelling/artillery/missile
  attack a shelling; Armed clash and the taking of territory a ground clash; Remote
  explosive/landmine/IED, Suicide bomb and Grenade a bombing; anything else `other`.
- Alleged perpetrators: `actor1` of violence against civilians and of explosions/remote violence,
  `actor1` and `actor2` of a battle (each side killed); none for protests, riots and strategic
  developments. Their kind from `inter1`/`inter2` (ACLED's codes 1–8 or their names).
- One source per event: "ACLED event <id>: <source>" (the outlets ACLED coded it from) as title,
  "ACLED" as publisher, the event's date, and ACLED's `notes` as excerpt.
- Country from `iso` (ISO 3166 numeric), else from the `country` name; neither readable is the
  row's error, as are a date, a precision or a fatalities count that cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tracker.ingest.formats.base import Format, ImportLine, Rows, columns_missing, shortened
from tracker.ingest.rows import COUNT_DIGITS, shown
from tracker.models.choices import Origin

PARTY = "ACLED"
PARTY_KIND = "monitor"

REQUIRED_COLUMNS = [
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "source", "notes", "fatalities",
]  # fmt: skip
DATE_FORMATS = ["%d %B %Y", "%Y-%m-%d", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y"]
PRECISION = {"1": "day", "2": "week", "3": "month"}
EVENT_TYPES = {
    "air/drone strike": "airstrike",
    "shelling/artillery/missile attack": "shelling",
    "armed clash": "ground_clash",
    "government regains territory": "ground_clash",
    "non-state actor overtakes territory": "ground_clash",
    "remote explosive/landmine/ied": "bombing",
    "suicide bomb": "bombing",
    "grenade": "bombing",
}
# ACLED's actor types, by code (older exports) or by name (newer ones).
ACTOR_KINDS = {
    "1": "state_military", "state forces": "state_military",
    "2": "armed_group", "rebel group": "armed_group",
    "3": "armed_group", "political militia": "armed_group",
    "4": "armed_group", "identity militia": "armed_group",
    "8": "state_military", "external/other forces": "state_military",
}  # fmt: skip
ONE_SIDED = {"violence against civilians", "explosions/remote violence"}
DESCRIBED = [
    ("disorder_type", "Disorder type"), ("event_type", "Event type"), ("sub_event_type", "Sub-event type"),
    ("actor1", "Actor 1"), ("assoc_actor_1", "Associated with actor 1"), ("actor2", "Actor 2"),
    ("assoc_actor_2", "Associated with actor 2"), ("interaction", "Interaction"),
    ("civilian_targeting", "Civilian targeting"), ("admin2", "Admin 2"), ("admin3", "Admin 3"),
    ("geo_precision", "Geo precision"), ("source_scale", "Source scale"), ("tags", "Tags"),
]  # fmt: skip
TITLE_LENGTH = 300
WHOLE_NUMBER = re.compile(r"\d+")


def header_problems(header: list[str]) -> list[str]:
    return columns_missing(header, REQUIRED_COLUMNS, dataset=_("an ACLED export"))


def acled_date(text: str, problems: list[str]) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    problems.append(f"event_date '{shown(text)}' is not a date as ACLED writes them (16 May 2025, or 2025-05-16)")
    return None


def country_code(row: dict) -> str | None:
    iso = row.get("iso", "").strip()
    code = countries.alpha2(iso) if WHOLE_NUMBER.fullmatch(iso) else ""
    return code or countries.by_name(row.get("country", "").strip()) or None


def perpetrators(row: dict) -> list[str]:
    """Return the alleged perpetrators as `name|kind` lines: who did the killing, as ACLED's event type says."""
    kind = row.get("event_type", "").strip().casefold()
    if kind not in ONE_SIDED | {"battles"}:
        return []
    sides = [("actor1", "inter1")] if kind in ONE_SIDED else [("actor1", "inter1"), ("actor2", "inter2")]
    return [
        f"{row[actor].strip()}|{ACTOR_KINDS.get(row.get(inter, '').strip().casefold(), 'other')}"
        for actor, inter in sides
        if row.get(actor, "").strip()
    ]


def description(row: dict, precision: str) -> str:
    lines = [f"ACLED event {row['event_id_cnty'].strip()}."]
    if precision == "month":
        lines.append(f"ACLED's date: {row['event_date'].strip()} (only the month is known).")
    lines += [f"{label}: {row[column].strip()}" for column, label in DESCRIBED if row.get(column, "").strip()]
    if row.get("notes", "").strip():
        lines.append(f"Notes: {row['notes'].strip()}")
    return "\n".join(lines)


def acled_line(line: int, row: dict[str, str]) -> ImportLine:
    """Map one ACLED row to the event and the claim of ACLED it makes, with its problems."""
    problems: list[str] = row.pop(None, [])  # what the table saw wrong with the line
    identifier = row.get("event_id_cnty", "").strip()
    if not identifier:
        problems.append("event_id_cnty is empty")
    day = acled_date(row.get("event_date", "").strip(), problems)
    precision = PRECISION.get(row.get("time_precision", "").strip())
    if precision is None:
        problems.append(f"time_precision '{shown(row.get('time_precision', ''))}' is not 1, 2 or 3")
    fatalities = row.get("fatalities", "").strip()
    if not WHOLE_NUMBER.fullmatch(fatalities) or len(fatalities.lstrip("0")) > COUNT_DIGITS:
        problems.append(f"fatalities '{shown(fatalities)}' is not a whole number of deaths")
    country = country_code(row)
    if country is None:
        problems.append(f"country '{shown(row.get('country', ''))}' cannot be matched to an ISO 3166 code")
    if problems:
        return ImportLine(line, [], problems)

    start = day.replace(day=1) if precision == "month" else day
    place = row["location"].strip() or row["admin1"].strip() or countries.name(country)
    sub_event = row["sub_event_type"].strip()
    source = row["source"].strip()
    targets_civilians = bool(row.get("civilian_targeting", "").strip())
    claim = {
        "event_ref": identifier,
        "origin_id": identifier,
        "event_title": shortened(f"{sub_event or row['event_type'].strip() or 'Event'} at {place}", TITLE_LENGTH),
        "event_date": start.isoformat(),
        "date_precision": precision,
        "event_type": EVENT_TYPES.get(sub_event.casefold(), "other"),
        "country": country,
        "admin1": row["admin1"].strip(),
        "location": place,
        "latitude": row["latitude"].strip(),
        "longitude": row["longitude"].strip(),
        "event_description": description(row, precision),
        "event_perpetrator_kinds": "\n".join(perpetrators(row)),
        "party": PARTY,
        "party_kind": PARTY_KIND,
        "category": "civilian" if targets_civilians else "total",
        "qualifier": "exact",
        "best": str(int(fatalities)),
        "wording": f"{int(fatalities)} fatalities" + (" (civilians targeted)" if targets_civilians else ""),
        "claimed_on": day.isoformat(),
        # One source per event: ACLED's notes, its excerpt, are the event's own.
        "source_title": shortened(f"ACLED event {identifier}" + (f": {source}" if source else ""), 500),
        "source_publisher": PARTY,
        "source_date": day.isoformat(),
        "source_excerpt": row["notes"].strip(),
    }
    return ImportLine(line, [claim])


def acled_lines(rows: Rows) -> Iterator[ImportLine]:
    for line, row in rows:
        yield acled_line(line, row)


FORMAT = Format(
    name="acled",
    label=_("ACLED export (CSV)"),
    header_problems=header_problems,
    lines=acled_lines,
    origin=Origin.ACLED,
)
