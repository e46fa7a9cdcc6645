"""The UCDP Georeferenced Event Dataset (GED) as an import format: each row read as claim rows.

Each GED row (GED 19.1 and 23.1 CSV, original column names) becomes one event, ref
`GED-<id>`, and the claims of the party "UCDP GED" about it:

- one `total` claim from low/best/high: `exact` when the three agree, else a `range` that
  keeps `best`. UCDP publishes some rows whose best lies outside low–high (or low above
  high); the range is widened to hold all three and the row is reported as a warning.
- one `exact` claim per non-zero death column: `deaths_a` and `deaths_b` as `combatant` with
  side_a / side_b as the victim side, `deaths_civilians` as `civilian`, `deaths_unknown` as
  `unknown`.

Choices, so that importing the same file again finds everything already stored:
- The claim date is the event's `date_end`: the day by which UCDP's count holds. The
  dataset's release date is not in the file, and would change with every GED version.
- "UCDP GED" is a `monitor`: like the monitors staff compare, UCDP codes events from
  published reports. Its sides become parties: "Government of …" a `government`, "Civilians"
  `other`, any other side an `armed_group` (GED's non-state actors are organised groups).
- Event type: `other`, always. GED says who fought whom (its type of violence: state-based,
  non-state, one-sided), not how people died: a state-based event may be an airstrike, a
  shelling or a clash. A filter on "airstrike" must not miss GED's bombings by warplanes, nor
  "ground clash" hold them, so no type is guessed; the type of violence is in the description.
- Date precision from `date_prec`: 1 day; 2–3 (within a week) week; 4 month; 5 year.
  GED's `where_prec` (how precisely the place is known) goes into the description, since
  the event has no field for it.
- One source per row: the headlines (or, without them, the article line) as its title, the
  offices as publisher, the first readable `source_date` as its date, and the article line
  and original source as its excerpt (with the headlines or offices whole where the title or
  publisher cannot hold them: 244 of the 16,566 Syria rows have more than 500 characters of
  headlines). The importer reuses a source with the same title, date and publisher, so a
  row's source is found again on re-import.
- Country: GED gives names ("DR Congo (Zaire)"), not ISO codes; names are looked up in
  django-countries, then without the bracketed old name, then in `COUNTRY_NAMES`. A name that
  maps to no ISO code is the row's error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from tracker.ingest.formats.base import Format, ImportLine, Rows, columns_missing, shortened
from tracker.ingest.rows import COUNT_DIGITS, shown
from tracker.models.choices import Origin

PARTY = "UCDP GED"
PARTY_KIND = "monitor"
REF_PREFIX = "GED-"

REQUIRED_COLUMNS = [
    "id", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
    "where_prec", "where_coordinates", "adm_1", "latitude", "longitude", "country",
    "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "low", "best", "high",
]  # fmt: skip
SOURCE_COLUMNS = ["source_article", "source_office", "source_date", "source_headline", "source_original"]

# GED country names that django-countries does not know, even without their bracketed old name.
COUNTRY_NAMES = {
    "bosnia-herzegovina": "BA",
    "dr congo": "CD",
    "congo": "CG",
    "ivory coast": "CI",
    "kingdom of eswatini": "SZ",
    "macedonia, fyr": "MK",
    "vietnam": "VN",
    "laos": "LA",
    "east timor": "TL",
    "cape verde": "CV",
    "czech republic": "CZ",
    "brunei": "BN",
}

VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
WHERE_PRECISION = {
    "1": "the exact place",
    "2": "within about 25 km of the place",
    "3": "a second-order administrative division",
    "4": "a first-order administrative division",
    "5": "a part of the country, a road or a border",
    "6": "the country only",
    "7": "international waters or airspace",
}
DEATH_COLUMNS = [
    ("deaths_a", "combatant", "side_a"),
    ("deaths_b", "combatant", "side_b"),
    ("deaths_civilians", "civilian", None),
    ("deaths_unknown", "unknown", None),
]
TITLE_LENGTH = 300
# The title and publisher are a source's key on re-import: cut as before, so that sources stored by
# earlier imports are found again; the excerpt keeps what was cut.
SOURCE_TITLE_LENGTH = 500
PUBLISHER_LENGTH = 200
OFFICES = "Offices: "  # the excerpt's line of the offices whole, where the publisher cannot hold them


def header_problems(header: list[str]) -> list[str]:
    return columns_missing(header, REQUIRED_COLUMNS, dataset=_("a UCDP GED file"))


@lru_cache(maxsize=512)
def country_code(name: str) -> str | None:
    """Return the ISO 3166 code of a GED country name, or None."""
    plain = re.sub(r"\s*\(.*\)\s*$", "", name).strip()
    return countries.by_name(name) or countries.by_name(plain) or COUNTRY_NAMES.get(plain.casefold()) or None


def party_kind(side: str) -> str:
    if side.startswith("Government of"):
        return "government"
    if side.casefold() == "civilians":
        return "other"
    return "armed_group"


WHOLE_NUMBER = re.compile(r"(\d+)(?:\.0*)?")


def whole_number(row: dict, column: str, problems: list[str]) -> int | None:
    """Return a GED death count ("4", or "4.0" as some exports write it), or note why not."""
    value = row.get(column, "").strip()
    match = WHOLE_NUMBER.fullmatch(value)
    if match is None:
        problems.append(
            _("%(column)s '%(value)s' is not a whole number of deaths") % {"column": column, "value": shown(value)}
        )
        return None
    if len(match[1].lstrip("0")) > COUNT_DIGITS:  # Python reads no more than 4,300 digits as a number
        problems.append(
            _("%(column)s '%(value)s' is larger than any death count the tracker can hold")
            % {"column": column, "value": shown(value)}
        )
        return None
    return int(match[1])


def first_date(value: str) -> str:
    """Return the first readable ISO date of GED's `;`-joined source dates, or ''."""
    for part in value.split(";"):
        try:
            return date.fromisoformat(part.strip()[:10]).isoformat()
        except ValueError:
            continue
    return ""


def parts(value: str) -> list[str]:
    """Return the distinct non-empty `;`-joined parts of a GED field, in their order."""
    return list(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))


def source_offices(publisher: str, excerpt: str) -> list[str]:
    """Return the offices a GED source names: its publisher, or the excerpt's line of them where the
    publisher was cut ("SOHR; Airwars" gives SOHR and Airwars)."""
    listed = (line.removeprefix(OFFICES) for line in excerpt.splitlines() if line.startswith(OFFICES))
    return parts(next(listed, publisher))


def source_columns(row: dict) -> dict[str, str]:
    article, original = row.get("source_article", "").strip(), row.get("source_original", "").strip()
    headlines = "; ".join(parts(row.get("source_headline", "")))
    offices = "; ".join(parts(row.get("source_office", "")))
    title = shortened(headlines or article.strip('"') or f"UCDP GED event {row['id']}", SOURCE_TITLE_LENGTH)
    publisher = shortened(offices, PUBLISHER_LENGTH)
    excerpt = [article, f"Original source: {original}" if original else ""]
    # Whatever the title and publisher cannot hold is kept whole in the excerpt: nothing GED says is cut.
    excerpt += [f"Headlines: {headlines}" if title != headlines and len(headlines) > SOURCE_TITLE_LENGTH else ""]
    excerpt += [f"{OFFICES}{offices}" if publisher != offices else ""]
    return {
        "source_title": title,
        "source_publisher": publisher,
        "source_date": first_date(row.get("source_date", "")),
        "source_excerpt": "\n".join(text for text in excerpt if text),
    }


def event_columns(row: dict, country: str) -> dict[str, str]:
    violence = VIOLENCE.get(row["type_of_violence"].strip(), "unknown type of violence")
    place = row["where_coordinates"].strip() or row["adm_1"].strip() or row["country"].strip()
    start, end = row["date_start"].strip()[:10], row["date_end"].strip()[:10]
    where = WHERE_PRECISION.get(row["where_prec"].strip(), "not stated")
    description = [
        f"Conflict: {row['conflict_name'].strip()} ({violence}).",
        f"Sides: {row['dyad_name'].strip()}.",
        f"Place known to: {where}.",
        f"UCDP GED event {row['id'].strip()}" + (f" ({row['relid'].strip()})." if row.get("relid") else "."),
    ]
    if row.get("where_description", "").strip():
        description.insert(2, f"Where: {row['where_description'].strip()}")
    return {
        "event_ref": f"{REF_PREFIX}{row['id'].strip()}",
        "origin_id": row["id"].strip(),
        "event_title": shortened(f"{row['dyad_name'].strip()} at {place}", TITLE_LENGTH),
        "event_date": start,
        "event_date_end": end if end != start else "",
        "date_precision": DATE_PRECISION.get(row["date_prec"].strip(), "year"),
        "event_type": "other",
        "country": country,
        "admin1": row["adm_1"].strip(),
        "location": shortened(place, 200),
        "latitude": row["latitude"].strip(),
        "longitude": row["longitude"].strip(),
        "event_description": "\n".join(description),
    }


def ged_line(line: int, row: dict[str, str]) -> ImportLine:
    """Map one GED row to the claims it makes, with its problems and warnings."""
    problems: list[str] = row.pop(None, [])  # what the table saw wrong with the line
    warnings: list[str] = []
    if not row.get("id", "").strip():
        problems.append(_("%(column)s is empty") % {"column": "id"})
    country = country_code(row.get("country", "").strip())
    if country is None:
        problems.append(
            _("country '%(value)s' cannot be matched to an ISO 3166 code") % {"value": shown(row.get("country", ""))}
        )
    low, best, high = (whole_number(row, column, problems) for column in ("low", "best", "high"))
    deaths = {column: whole_number(row, column, problems) for column, _, _ in DEATH_COLUMNS}
    if problems:
        return ImportLine(line, [], problems)

    common = {
        **event_columns(row, country),
        **source_columns(row),
        "party": PARTY,
        "party_kind": PARTY_KIND,
        "claimed_on": row["date_end"].strip()[:10],
    }
    total = {**common, "category": "total", "best": str(best)}
    if low == best == high:
        total["qualifier"] = "exact"
    else:
        lo, hi = min(low, best, high), max(low, best, high)
        total.update(qualifier="range", low=str(lo), high=str(hi))
        if not low <= best <= high:
            note = f"UCDP's low {low}, best {best}, high {high} are out of order; imported as the range {lo}–{hi}"
            total["notes"] = f"{note}."  # stored with the claim, in the language of the data
            numbers = {"low": low, "best": best, "high": high, "lo": lo, "hi": hi}
            warnings.append(
                _(
                    "UCDP's low %(low)s, best %(best)s, high %(high)s are out of order; "
                    "imported as the range %(lo)s–%(hi)s with best %(best)s"
                )
                % numbers
            )
    claims = [total]
    for column, category, side in DEATH_COLUMNS:
        if deaths[column]:
            claim = {**common, "category": category, "qualifier": "exact", "best": str(deaths[column])}
            if side:
                claim.update(victim_side=row[side].strip(), victim_side_kind=party_kind(row[side].strip()))
            claims.append(claim)
    return ImportLine(line, claims, warnings=warnings)


def ged_lines(rows: Rows) -> Iterator[ImportLine]:
    for line, row in rows:
        yield ged_line(line, row)


FORMAT = Format(
    name="ucdp-ged",
    label=gettext_lazy("UCDP Georeferenced Event Dataset (GED 19.1 or 23.1 CSV)"),
    header_problems=header_problems,
    lines=ged_lines,
    origin=Origin.UCDP_GED,
)
