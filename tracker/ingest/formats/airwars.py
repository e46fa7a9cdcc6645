"""Airwars' civilian-harm incident table as an import format: each incident read as claim rows.

The table is the one in `shared/realdata/airwars_syria_incidents.csv` (column names as its
`.column_map.csv` gives them in English). Each incident becomes one event, ref its Airwars code
("CS134 RS0021" as Airwars writes it), identified by its `airwars_id`, with these claims:

- Airwars' own counts from its local sources, by the party "Airwars" (a `monitor`), each min–max
  as a count (`exact` when min and max agree, else a `range`; `at_least`/`at_most` when only one
  end is given): civilians killed as `civilian`, military killed as `combatant`; the children,
  women and men killed as `civilian` claims of the subgroups `children`, `women` and `men` (who
  among the civilians killed); civilians injured and military injured as `injured` claims of
  `civilian` and `combatant`.
- Each conceding belligerent's conceded civilian deaths and injuries (`conceded_civ_deaths_min/max`,
  `conceded_civ_injuries_min/max`) as that belligerent's own `civilian` claims, killed and injured,
  under the name Airwars shows ("U.S.-led Coalition").
- Each belligerent that assessed the incident as *non-credible* (and conceded no deaths) as its
  own `civilian` claim of 0 killed, worded with its verdict: in the Coalition's terms it found no
  civilian harm it more likely than not caused. Other verdicts (not yet assessed, open,
  duplicate) are no claim; every verdict is kept in the description.

The belligerents (`belligerents`, without "Unknown") become the event's alleged perpetrators.
Airwars' grading, strike status and type, cause of harm, geolocation precision, date type, and
every min–max are kept in the event's description, one "Label: value" line each, so that the
event list's search finds them ("Grading: Fair", "Children killed: 2"); the children, women and
men killed also in the notes of Airwars' civilian claim, as they were before they were claims of
their own: a re-import of incidents imported then finds every claim it made as it is, and adds
the new ones.

Airwars' grading (`airwars_grading`: Confirmed, Fair, Weak, Contested, Discounted, the tracker's five
grades) is stored as Airwars' assessment of the event: assessor "Airwars", method `source_hierarchy`
(Airwars decides by its own hierarchy of sources), rationale "Airwars grading as published", dated as
Airwars' claims are, without figures (its counts are its claims). Its Fair and Confirmed incidents are
then those the event list gives for `assessor=Airwars` and those grades. An incident without a grading
has no assessment; a grading that is not one of the five ("Contested, Discounted") is a warning, and
the incident is imported without one.

Choices, so that importing the file again finds everything already stored:
- Claims are dated the incident's `published_date` (when Airwars published it): the file has no
  date for a belligerent's assessment either, and `last_modified` changes with every edit.
- The source of every claim is the incident's Airwars page (`airwars_url`), where Airwars
  reports its count and the belligerents' assessments.
- A belligerent's claim (a concession or a verdict) is its own statement, but the file gives neither
  the statement's date nor its source: the claim's notes say so, and that it is dated and cited as
  Airwars relays it, so that no one reads Airwars' publication date as the belligerent's.
- Event type: `airstrike` when every strike type is an airstrike or a drone strike, `shelling`
  when every one is artillery or naval bombardment, `ground_clash` for ground operations only;
  anything mixed ("Airstrike and/or Artillery") or missing is `other`, since Airwars itself
  does not know which it was.

Quirks of the real file, each a warning and never a crash:
- A repeated code (TS631 and TS633 twice, different incidents with their own `airwars_id`):
  the first keeps the code as its ref, each later one is "<code> (<airwars_id>)"; a re-import
  finds each by its `airwars_id`.
- No date, or the 1970-01-01 that Airwars shows for an unknown date: the incident is not
  imported (a warning names it), since an event needs a date and none can be made up.
- Coordinates off the globe (CS1033's longitude 4239.00416) or unreadable: the incident is
  imported without coordinates.
- A belligerent conceding deaths or injuries under Airwars' name "unknown": no claim (no party to give it
  to); the concession is kept in the description.
- A subgroup counted above the civilians killed on the same row (at least 2 women killed of at
  most 0 civilians, CS1678): both claims as Airwars gives them, and a warning; the event shows
  the inconsistency in Airwars' report.
- Incidents with no count (nothing yet) become events without claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from tracker.ingest.formats.base import Format, ImportLine, Rows, columns_missing, shortened
from tracker.ingest.rows import COUNT_DIGITS, shown
from tracker.models.choices import AssessmentMethod, Grade, Origin
from tracker.rules.counts import AT_LEAST, AT_MOST, EXACT, RANGE, Count, interval_for

PARTY = "Airwars"
PARTY_KIND = "monitor"

REQUIRED_COLUMNS = [
    "incident_code", "airwars_id", "airwars_url", "incident_date", "published_date", "country_ar",
    "location_en", "latitude", "longitude", "belligerents",
    "civilians_killed_min", "civilians_killed_max", "military_killed_min", "military_killed_max",
    "belligerent_assessments", "conceding_belligerents", "conceded_civ_deaths_min", "conceded_civ_deaths_max",
]  # fmt: skip

# Airwars' country names, as its Arabic pages give them.
COUNTRY_NAMES = {"سوريا": "SY", "العراق": "IQ", "ليبيا": "LY", "الصومال": "SO", "اليمن": "YE", "لبنان": "LB"}
PLACEHOLDER_DATE = "1970-01-01"  # what Airwars shows for an incident whose date it does not know

# Airwars' internal names of belligerents (in its assessments) as the names users know, which
# are those its pages show in `belligerents`; None: no party ("unknown").
BELLIGERENT_NAMES = {
    "coalition": "U.S.-led Coalition",
    "russian_forces": "Russian Military",
    "russia": "Russian Military",
    "syrian_regime": "Syrian Regime",
    "turkey": "Turkish Military",
    "syrian_democratic_forces": "Syrian Democratic Forces",
    "ypg_forces": "YPG",
    "israeli_forces": "Israeli Military",
    "iranian_forces": "Iranian Military",
    "free_syrian_army": "Free Syrian Army",
    "isis": "Islamic State",
    "united_states": "U.S. Military",
    "united_kingdom": "UK Military",
    "iraq_government_forces": "Iraqi Military",
    "iraq": "Iraqi Military",
    "iraq_irregular_forces": "Iraqi irregular forces",
    "kurdish_forces": "Kurdish Forces",
    "rebel_forces": "Rebel forces",
    "jordan": "Jordanian Military",
    "unknown": None,
}
# A state's forces are `state_military` (the Coalition too: states' air forces); any other an `armed_group`.
ARMED_GROUPS = {
    "YPG", "Syrian Democratic Forces", "Free Syrian Army", "Islamic State", "Kurdish Forces", "Rebel forces",
    "Tribal Forces", "Iraqi irregular forces",
}  # fmt: skip
VERDICTS = {
    "credible": "credible",
    "non_credible": "non-credible",
    "not_yet_assessed": "not yet assessed",
    "open_incident": "still under review",
    "duplicate": "a duplicate of another incident",
}
AIRSTRIKES = {"Airstrike", "Drone Strike"}
SHELLING = {"Artillery", "Naval bombardment"}
GROUND = {"Ground operation", "Counter-Terrorism Action (Ground)"}
# Kept in the description, one "Label: value" line each, in this order.
DESCRIBED = [
    ("airwars_grading", "Grading"), ("strike_status", "Strike status"), ("strike_type", "Strike type"),
    ("belligerents", "Belligerents"), ("cause_of_injury_death", "Cause of injury or death"),
    ("civilian_infrastructure", "Civilian infrastructure"), ("local_time", "Local time"),
    ("geolocation_precision", "Geolocation precision"), ("date_type", "Date type"),
    ("incident_status", "Incident status"), ("governorate", "Governorate"), ("location_ar", "Location (Arabic)"),
]  # fmt: skip
RANGES = [
    ("civilians_killed", "Civilians killed"), ("children_killed", "Children killed"),
    ("women_killed", "Women killed"), ("men_killed", "Men killed"), ("military_killed", "Military killed"),
    ("civilians_injured", "Civilians injured"), ("military_injured", "Military injured"),
    ("conceded_civ_deaths", "Civilian deaths conceded"), ("conceded_civ_injuries", "Civilian injuries conceded"),
]  # fmt: skip
# Airwars' own counts, each its claim where the file gives it: (min–max, victim category, wording,
# outcome and subgroup). The children, women and men are among the civilians killed.
AIRWARS_COUNTS = [
    ("civilians_killed", "civilian", "civilians killed", {}),
    ("military_killed", "combatant", "military killed", {}),
    ("children_killed", "civilian", "children killed", {"subgroup": "children"}),
    ("women_killed", "civilian", "women killed", {"subgroup": "women"}),
    ("men_killed", "civilian", "men killed", {"subgroup": "men"}),
    ("civilians_injured", "civilian", "civilians injured", {"outcome": "injured"}),
    ("military_injured", "combatant", "military injured", {"outcome": "injured"}),
]
SUBGROUP_COUNTS = [name for name, _category, _said, columns in AIRWARS_COUNTS if "subgroup" in columns]
# What a belligerent concedes, each its own civilian claim: (min–max, outcome, wording).
CONCESSIONS = [
    ("conceded_civ_deaths", "killed", "civilian deaths"),
    ("conceded_civ_injuries", "injured", "civilian injuries"),
]
RATIONALE = "Airwars grading as published"  # stored as Airwars' words, like its claims' wording
TITLE_LENGTH = 300
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE_NUMBER = re.compile(r"\d+")


def header_problems(header: list[str]) -> list[str]:
    return columns_missing(header, REQUIRED_COLUMNS, dataset=_("an Airwars incident table"))


def number(row: dict, column: str, problems: list[str]) -> int | None:
    """Return a count Airwars gives, None when it gives none, or note why it cannot be read."""
    value = row.get(column, "").strip()
    if not value:
        return None
    if not WHOLE_NUMBER.fullmatch(value) or len(value.lstrip("0")) > COUNT_DIGITS:
        problems.append(f"{column} '{shown(value)}' is not a whole number")
        return None
    return int(value)


def span(row: dict, name: str, problems: list[str]) -> tuple[int | None, int | None]:
    return number(row, f"{name}_min", problems), number(row, f"{name}_max", problems)


def span_text(low: int | None, high: int | None) -> str:
    """Return a min–max as people read it: "4", "2–5", "at least 2", "up to 5"."""
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"at least {low}"
    return str(low) if low == high else f"{min(low, high)}–{max(low, high)}"


def count_of(low: int | None, high: int | None) -> Count:
    """Return a min–max as the count it reports: `exact` when min and max agree, else a `range`;
    open at an end the file leaves empty. Airwars swaps min and max at times: read as the range meant."""
    if low is not None and high is not None:
        low, high = min(low, high), max(low, high)
        return Count(EXACT, best=low) if low == high else Count(RANGE, low=low, high=high)
    if low is not None:
        return Count(AT_LEAST, low=low)
    return Count(AT_MOST, high=high)


def count_columns(low: int | None, high: int | None) -> dict[str, str]:
    """Return a min–max as the claims format's qualifier and numbers."""
    count = count_of(low, high)
    numbers = {"low": count.low, "best": count.best, "high": count.high}
    return {"qualifier": count.qualifier, **{name: str(value) for name, value in numbers.items() if value is not None}}


def country_code(name: str) -> str | None:
    return COUNTRY_NAMES.get(name) or countries.by_name(name) or None


def event_type(strike_type: str) -> str:
    kinds = {part.strip() for part in strike_type.split(",") if part.strip()}
    if kinds and kinds <= AIRSTRIKES:
        return "airstrike"
    if kinds and kinds <= SHELLING:
        return "shelling"
    if kinds and kinds <= GROUND:
        return "ground_clash"
    return "other"


def party_kind(name: str) -> str:
    return "armed_group" if name in ARMED_GROUPS else "state_military"


def assessments(row: dict) -> list[tuple[str, str]]:
    """Return the distinct (belligerent key, verdict) pairs of `belligerent_assessments`, in their order."""
    pairs = (part.partition(":") for part in row.get("belligerent_assessments", "").split("|") if part.strip())
    return list(dict.fromkeys((key.strip(), verdict.strip()) for key, _, verdict in pairs))


def description(row: dict, code: str, spans: dict) -> str:
    lines = [f"Airwars incident {code} (airwars_id {row['airwars_id'].strip()}): {row['airwars_url'].strip()}"]
    lines += [f"{label}: {row[column].strip()}" for column, label in DESCRIBED if row.get(column, "").strip()]
    lines += [f"{label}: {span_text(*spans[name])}" for name, label in RANGES if spans[name] != (None, None)]
    verdicts = [f"{key}: {VERDICTS.get(verdict, verdict)}" for key, verdict in assessments(row)]
    if verdicts:
        lines.append(f"Belligerent assessments: {'; '.join(verdicts)}")
    if row.get("conceding_belligerents", "").strip():
        lines.append(f"Conceded by: {row['conceding_belligerents'].strip()}")
    return "\n".join(lines)


def coordinates(row: dict, warnings: list[str]) -> dict[str, str]:
    """Return the incident's coordinates, or none where Airwars' are off the globe (a slip of the
    keyboard, as CS1033's longitude 4239.00416): the place's name still says where it was."""
    latitude, longitude = row["latitude"].strip(), row["longitude"].strip()
    try:
        on_globe = abs(float(latitude)) <= 90 and abs(float(longitude)) <= 180
    except ValueError:
        on_globe = not latitude and not longitude
    if on_globe:
        return {"latitude": latitude, "longitude": longitude}
    warnings.append(
        f"latitude '{shown(latitude)}', longitude '{shown(longitude)}' are not a place on the globe; "
        "the incident is imported without coordinates"
    )
    return {"latitude": "", "longitude": ""}


def event_columns(row: dict, ref: str, country: str, spans: dict, warnings: list[str]) -> dict[str, str]:
    named = (row.get(column, "").strip() for column in ("location_en", "location_ar", "governorate", "region"))
    place = next((name for name in named if name), None) or str(countries.name(country))
    start = row["incident_date"].strip()
    end = row.get("date_range_end", "").strip()
    strike_type = row.get("strike_type", "").strip()
    perpetrators = [name.strip() for name in row["belligerents"].split(",") if name.strip()]
    perpetrators = [name for name in perpetrators if name.casefold() != "unknown"]
    return {
        "event_ref": ref,
        "origin_id": row["airwars_id"].strip(),
        "event_title": shortened(f"{strike_type or 'Incident'} at {place}", TITLE_LENGTH),
        "event_date": start,
        "event_date_end": end if end > start else "",
        "date_precision": "day",
        "event_type": event_type(strike_type),
        "country": country,
        "admin1": row.get("region", "").strip() or row.get("governorate", "").strip(),
        "location": place,
        **coordinates(row, warnings),
        "event_description": description(row, ref, spans),
        "event_perpetrator_kinds": "\n".join(f"{name}|{party_kind(name)}" for name in dict.fromkeys(perpetrators)),
    }


def airwars_claims(common: dict, spans: dict) -> list[dict]:
    """Return Airwars' own claims, as its local sources give them: civilians and military killed,
    the children, women and men among the civilians killed, and the civilians and military injured."""
    claims = []
    for name, category, said, columns in AIRWARS_COUNTS:
        count = spans[name]
        if count == (None, None):
            continue
        claim = {**common, **count_columns(*count), **columns, "category": category, "party": PARTY,
                 "party_kind": PARTY_KIND, "wording": f"{said}: {span_text(*count)} (local sources)"}  # fmt: skip
        if name == "civilians_killed":
            # Written before the children, women and men were claims of their own, and kept: a
            # re-import then finds the civilian claim just as it stored it.
            detail = [
                f"{label} {span_text(*spans[part])}" for part, label in RANGES[1:4] if spans[part] != (None, None)
            ]
            claim["notes"] = "; ".join(detail) + "." if detail else ""
        claims.append(claim)
    return claims


# Airwars' table carries a belligerent's concession or verdict, never the statement itself.
RELAYED_STATEMENT = (
    "Airwars' table gives neither the date nor the source of the belligerent's own statement: dated when "
    "Airwars published the incident, and cited to Airwars' page."
)


def belligerent_claims(row: dict, common: dict, spans: dict, warnings: list[str]) -> list[dict]:
    """Return each belligerent's own civilian claims: the deaths and injuries it conceded, or no deaths
    where it found the reports non-credible; each says in its notes that Airwars relays it undated."""
    claims: dict[tuple[str, str], dict] = {}  # by belligerent and outcome
    conceded = [(count, outcome, said) for name, outcome, said in CONCESSIONS if (count := spans[name]) != (None, None)]
    conceder = row.get("conceding_belligerents", "").strip()
    if conceded and conceder:
        name = BELLIGERENT_NAMES.get(conceder, conceder.replace("_", " ").title())
        if name is None:
            warnings.append(
                _(
                    "conceding_belligerents '%(name)s': civilian deaths or injuries conceded by an unnamed "
                    "belligerent are kept in the description, not imported as claims"
                )
                % {"name": shown(conceder)}
            )
            conceded = []
        for count, outcome, said in conceded:
            claims[name, outcome] = {
                **common, **count_columns(*count), "outcome": outcome, "category": "civilian", "party": name,
                "party_kind": party_kind(name), "wording": f"conceded {span_text(*count)} {said}",
                "notes": RELAYED_STATEMENT,
            }  # fmt: skip
    for key, verdict in assessments(row):
        name = BELLIGERENT_NAMES.get(key, key.replace("_", " ").title())
        if verdict == "non_credible" and name is not None and (name, "killed") not in claims:
            claims[name, "killed"] = {
                **common, "qualifier": "exact", "best": "0", "category": "civilian", "party": name,
                "party_kind": party_kind(name),
                "wording": "assessed the reports of civilian harm as non-credible: no civilian deaths conceded",
                "notes": RELAYED_STATEMENT,
            }  # fmt: skip
    return list(claims.values())


def breakdown_warnings(ref: str, spans: dict) -> list[str]:
    """Say where a row counts more children, women or men killed than civilians killed: a part above
    its whole, which the event shows as an inconsistency in Airwars' report."""
    if spans["civilians_killed"] == (None, None):
        return []
    # No count of Airwars' is "about n": the tolerance changes nothing.
    most = interval_for(count_of(*spans["civilians_killed"]), tolerance=Fraction(0)).hi
    least = {part: interval_for(count_of(*spans[part]), tolerance=Fraction(0)).lo for part in SUBGROUP_COUNTS
             if spans[part] != (None, None)}  # fmt: skip
    return [
        _(
            "incident %(ref)s counts at least %(least)s in %(part)s but at most %(most)s in civilians_killed, "
            "a part above its whole; both are imported as Airwars gives them"
        )
        % {"ref": ref, "least": low, "part": part, "most": most}
        for part, low in least.items()
        if most is not None and low > most
    ]


def assessment_columns(row: dict, ref: str, claimed_on: str, warnings: list[str]) -> list[dict[str, str]]:
    """Return Airwars' grading of the incident as its assessment, in the assessments format's columns;
    none where it gives none, or one that is not among the five grades (a warning says so)."""
    grading = row.get("airwars_grading", "").strip()
    if not grading:
        return []
    if grading.casefold() not in Grade.values:
        warnings.append(
            _(
                "airwars_grading '%(grading)s' is none of the grades %(grades)s; the incident is imported "
                "without Airwars' assessment"
            )
            % {"grading": shown(grading), "grades": ", ".join(Grade.values)}
        )
        return []
    return [
        {"event_ref": ref, "origin_id": row["airwars_id"].strip(), "assessor": PARTY, "assessor_kind": PARTY_KIND,
         "grade": grading.casefold(), "method": AssessmentMethod.SOURCE_HIERARCHY, "rationale": RATIONALE,
         "assessed_on": claimed_on}
    ]  # fmt: skip


class AirwarsReader:
    """Reads the table's rows in order, remembering the codes met so that a repeated one gets its own ref."""

    def __init__(self):
        self.codes: set[str] = set()

    def line(self, line: int, row: dict[str, str]) -> ImportLine:
        problems: list[str] = row.pop(None, [])  # what the table saw wrong with the line
        code = row.get("incident_code", "").strip()
        identifier = row.get("airwars_id", "").strip()
        if not code:
            problems.append("incident_code is empty")
        if not WHOLE_NUMBER.fullmatch(identifier):
            problems.append(f"airwars_id '{shown(identifier)}' is not Airwars' numeric identifier")
        country = country_code(row.get("country_ar", "").strip())
        if country is None:
            problems.append(f"country_ar '{shown(row.get('country_ar', ''))}' cannot be matched to an ISO 3166 code")
        spans = {name: span(row, name, problems) for name, _ in RANGES}
        day = row.get("incident_date", "").strip()
        if day and not ISO_DATE.fullmatch(day):
            problems.append(f"incident_date '{shown(day)}' is not a date as YYYY-MM-DD")
        if problems:
            return ImportLine(line, [], problems)
        if not day or day == PLACEHOLDER_DATE:
            said = "has no date" if not day else f"is dated {PLACEHOLDER_DATE}, Airwars' mark of an unknown date"
            return ImportLine(line, [], warnings=[f"incident {code} {said}; it is not imported"])

        warnings: list[str] = []
        ref = code
        if code in self.codes:
            ref = f"{code} ({identifier})"
            warnings.append(f"incident_code {code} repeats an earlier row's; this incident is imported as {ref}")
        self.codes.add(code)
        event = event_columns(row, ref, country, spans, warnings)
        claimed_on = row.get("published_date", "").strip() or day
        common = {
            **event,
            "claimed_on": claimed_on,
            "source_title": f"Airwars incident {code}",
            "source_url": row["airwars_url"].strip(),
            "source_publisher": PARTY,
            "source_date": row.get("published_date", "").strip(),
        }
        claims = airwars_claims(common, spans) + belligerent_claims(row, common, spans, warnings)
        warnings += breakdown_warnings(ref, spans)
        graded = assessment_columns(row, ref, claimed_on, warnings)
        return ImportLine(line, claims, warnings=warnings, events=[] if claims else [event], assessments=graded)


def airwars_lines(rows: Rows) -> Iterator[ImportLine]:
    reader = AirwarsReader()
    for line, row in rows:
        yield reader.line(line, row)


FORMAT = Format(
    name="airwars",
    label=gettext_lazy("Airwars civilian-harm incidents (CSV)"),
    header_problems=header_problems,
    lines=airwars_lines,
    origin=Origin.AIRWARS,
)
