"""Reading a claim row, the text of the claims format's columns, into typed values.

Pure: no database. Only the text is read here (dates, whole numbers, choices, yes or no); what
the values must satisfy together (an end after the start, numbers that fit their qualifier)
the models say, when the importer checks the objects it builds from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal, InvalidOperation

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django_countries import countries

from tracker.models.choices import DatePrecision, EventType, Outcome, Qualifier, VictimCategory
from tracker.models.sources import source_identity
from tracker.presentation.numbers import breakdown_in_text
from tracker.rules.dates import DAY, stated_date
from tracker.rules.wording import breakdown_from_wording

ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00)?)?$")
TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0", ""}
COORDINATE_STEP = Decimal("0.000001")  # what the latitude and longitude columns keep
NEW_EVENT_COLUMNS = ["event_title", "event_date", "country", "location"]
SHOWN_CHARACTERS = 60  # of a value quoted in a message: enough to find it, never a whole long cell
# Larger than any death count by far, yet small enough to be read as a number at once: Python
# refuses to convert more than 4,300 digits, and "1e999999999" would take a billion.
COUNT_DIGITS = 18
NAMES_JOINED = "|"  # between the names of one cell: a person's other names

# The columns each model field is read from, so that a model's message names what the person
# who made the file can find in it (a claim's own fields are named as their columns). Formats
# other than the claims CSV may also give an event's description and a source's excerpt.
EVENT_COLUMNS = {
    "ref": "event_ref", "title": "event_title", "start_date": "event_date", "end_date": "event_date_end",
    "date_precision": "date_precision", "event_type": "event_type", "country": "country", "admin_region": "admin1",
    "location_name": "location", "latitude": "latitude", "longitude": "longitude", "description": "event_description",
    "origin_id": "origin_id",
}  # fmt: skip
SOURCE_COLUMNS = {
    "title": "source_title", "url": "source_url", "publisher": "source_publisher", "published_on": "source_date",
    "excerpt": "source_excerpt", "confidential": "source_confidential",
}  # fmt: skip


def shown(text: str) -> str:
    """Return a value as a message quotes it: whole if short, else its start."""
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


@dataclass(frozen=True)
class PartyRow:
    """A party as a row names it (by name or alias), with the kind it is given if new."""

    name: str
    kind: str  # as written: read only when the party is new
    column: str  # "party" or "victim_side"

    @property
    def kind_column(self) -> str:
        return f"{self.column}_kind"  # party_kind, victim_side_kind

    @property
    def columns(self) -> dict[str, str]:
        return {"name": self.column, "kind": self.kind_column}


@dataclass(frozen=True)
class SourceRow:
    title: str
    url: str
    publisher: str
    published_on: date | None
    excerpt: str
    confidential: bool
    published_on_precision: str = DAY
    relays: str = ""  # the URL, or the title where it has none, of the source it only repeats; not its identity

    @property
    def key(self) -> tuple:
        """Return the identity of the source the row names, as the database holds it."""
        return source_identity(self)

    def fields(self) -> dict:
        """Return the values of a new Source."""
        return {"title": self.title, "url": self.url, "publisher": self.publisher, "published_on": self.published_on,
                "published_on_precision": self.published_on_precision, "excerpt": self.excerpt,
                "confidential": self.confidential}  # fmt: skip


@dataclass(frozen=True)
class EventRow:
    """A new event's values, named as the Event model names them."""

    ref: str
    title: str
    start_date: date | None
    end_date: date | None
    date_precision: str
    event_type: str
    country: str
    admin_region: str
    location_name: str
    description: str
    latitude: Decimal | None
    longitude: Decimal | None
    origin_id: str


@dataclass
class ClaimRow:
    """One claim as a row states it. A value that cannot be read is None, and its problem is said."""

    event_ref: str
    event_columns: Mapping[str, str]  # read by `event_parse` only if the event is new
    party: PartyRow | None
    victim_side: PartyRow | None
    source: SourceRow | None
    category: str | None
    qualifier: str | None  # empty: the count is read from the wording
    low: int | None
    best: int | None
    high: int | None
    wording: str
    claimed_on: date | None
    retracted: bool | None
    notes: str
    origin_id: str
    outcome: str | None = Outcome.KILLED
    subgroup: str = ""  # a subgroup's code or name as written, resolved as parties are; empty for the whole toll
    claimed_on_precision: str = DAY

    def fields(self) -> dict:
        """Return the claim's own values, named as the Claim model names them."""
        return {"outcome": self.outcome, "category": self.category, "qualifier": self.qualifier, "low": self.low,
                "best": self.best, "high": self.high, "wording": self.wording, "claimed_on": self.claimed_on,
                "claimed_on_precision": self.claimed_on_precision, "retracted": self.retracted, "notes": self.notes,
                "origin_id": self.origin_id}  # fmt: skip


def date_parse(text: str, column: str, problems: list[str]) -> date | None:
    if not text:
        return None
    match = ISO_DATE.match(text)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:  # 2018-02-30
            pass
    problems.append(_("%(column)s '%(value)s' is not a date as YYYY-MM-DD") % {"column": column, "value": shown(text)})
    return None


def stated_date_parse(text: str, column: str, problems: list[str]) -> tuple[date | None, str]:
    """Read a claim's or a source's date, stated to the day, the month or the year, and its precision."""
    stated = stated_date(text) if text else None
    if text and stated is None:
        problems.append(
            _("%(column)s '%(value)s' is not a date as YYYY-MM-DD, YYYY-MM or YYYY")
            % {"column": column, "value": shown(text)}
        )
    return stated or (None, DAY)


def count_number_parse(text: str, column: str, problems: list[str]) -> int | None:
    if text == "":
        return None
    try:
        number = Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        problems.append(_("%(column)s '%(value)s' is not a whole number") % {"column": column, "value": shown(text)})
        return None
    if number.adjusted() >= COUNT_DIGITS:
        problems.append(
            _("%(column)s '%(value)s' is larger than any death count the tracker can hold")
            % {"column": column, "value": shown(text)}
        )
        return None
    return int(number)


def choice_parse(
    text: str, column: str, choices: type[TextChoices], problems: list[str], default: str = ""
) -> str | None:
    """Return a choice written in any case, with spaces for underscores ("Ground clash"), or note why not."""
    value = text.strip().lower().replace(" ", "_")
    if not value:
        return default
    if value not in choices.values:
        problems.append(
            _("%(column)s '%(value)s' is not one of %(choices)s")
            % {"column": column, "value": shown(value), "choices": ", ".join(choices.values)}
        )
        return None
    return value


def flag_parse(text: str, column: str, problems: list[str]) -> bool | None:
    value = text.strip().lower()
    if value not in TRUE | FALSE:
        problems.append(_("%(column)s '%(value)s' is not true or false") % {"column": column, "value": shown(text)})
        return None
    return value in TRUE


def coordinate_parse(text: str, column: str, problems: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.append(_("%(column)s '%(value)s' is not a number") % {"column": column, "value": shown(text)})
        return None
    if number.as_tuple().exponent < COORDINATE_STEP.as_tuple().exponent:
        # Finer than the column keeps (about 10 cm): rounded, not refused. The context is wide
        # enough for any number, so that one far out of range is left for the model to name.
        number = number.quantize(COORDINATE_STEP, context=Context(prec=len(number.as_tuple().digits) + 6))
    return number


def names_split(text: str) -> list[str]:
    """Return the distinct names of an other_names cell, joined there by `|`, in order."""
    names = {}
    for name in text.split(NAMES_JOINED):
        if name.strip():
            names.setdefault(name.strip().casefold(), name.strip())
    return list(names.values())


def required(columns: Mapping[str, str], column: str, problems: list[str]) -> str:
    text = columns.get(column, "")
    if not text:
        problems.append(_("%(column)s is empty") % {"column": column})
    return text


def source_parse(columns: Mapping[str, str], problems: list[str]) -> SourceRow | None:
    before = len(problems)
    published_on, precision = stated_date_parse(columns.get("source_date", ""), "source_date", problems)
    confidential = flag_parse(columns.get("source_confidential", ""), "source_confidential", problems)
    if len(problems) > before:
        return None
    return SourceRow(
        title=columns.get("source_title", ""),
        url=columns.get("source_url", ""),
        publisher=columns.get("source_publisher", ""),
        published_on=published_on,
        published_on_precision=precision,
        excerpt=columns.get("source_excerpt", ""),
        confidential=confidential,
        relays=columns.get("source_relays", "").strip(),
    )


def breakdown_problems(wording: str, category: str) -> list[str]:
    """Refuse a wording read for its count that holds more than one claim: one row states one claim."""
    parts = breakdown_from_wording(wording, category=category)
    if parts is None:
        return []
    subgroups = [part.subgroup for part in parts if part.subgroup]
    return [
        _(
            "the wording “%(wording)s” holds a breakdown: %(breakdown)s. Enter one row per claim: qualifier "
            "and numbers for the whole, and a row for each part%(subgroups)s."
        )
        % {
            "wording": shown(wording),
            "breakdown": breakdown_in_text(parts),
            "subgroups": _(" (subgroup %(codes)s)") % {"codes": ", ".join(f"“{code}”" for code in subgroups)}
            if subgroups
            else "",
        }
    ]


def claim_row_parse(columns: Mapping[str, str]) -> tuple[ClaimRow, list[str]]:
    """Read a claim row, and say what in it cannot be read."""
    problems: list[str] = []
    ref = required(columns, "event_ref", problems)
    party = required(columns, "party", problems)
    category = choice_parse(required(columns, "category", problems), "category", VictimCategory, problems)
    outcome = choice_parse(columns.get("outcome", ""), "outcome", Outcome, problems, Outcome.KILLED)
    victim_side = columns.get("victim_side", "")
    numbers = {name: count_number_parse(columns.get(name, ""), name, problems) for name in ("low", "best", "high")}
    qualifier = choice_parse(columns.get("qualifier", ""), "qualifier", Qualifier, problems)
    if qualifier == "" and any(number is not None for number in numbers.values()):
        # The admin reads the wording over any numbers; a file saying both means something else.
        problems.append(_("numbers are given but the qualifier is empty; give the qualifier too"))
    wording = columns.get("wording", "")
    if qualifier == "" and category:
        problems.extend(breakdown_problems(wording, category))
    claimed_on, precision = stated_date_parse(required(columns, "claimed_on", problems), "claimed_on", problems)
    retracted = flag_parse(columns.get("retracted", ""), "retracted", problems)
    row = ClaimRow(
        event_ref=ref,
        event_columns=columns,
        party=PartyRow(party, columns.get("party_kind", ""), "party") if party else None,
        victim_side=PartyRow(victim_side, columns.get("victim_side_kind", ""), "victim_side") if victim_side else None,
        source=source_parse(columns, problems),
        outcome=outcome,
        category=category,
        subgroup=columns.get("subgroup", "").strip(),
        qualifier=qualifier,
        wording=wording,
        claimed_on=claimed_on,
        claimed_on_precision=precision,
        retracted=retracted,
        notes=columns.get("notes", ""),
        origin_id=columns.get("origin_id", ""),
        **numbers,
    )
    return row, problems


def event_parse(ref: str, columns: Mapping[str, str]) -> tuple[EventRow | None, list[str]]:
    """Read a new event's columns, and say what in them is missing or cannot be read."""
    problems = [
        _("%(column)s is needed for the new event %(ref)s") % {"column": column, "ref": ref}
        for column in NEW_EVENT_COLUMNS
        if not columns.get(column)
    ]
    country = columns.get("country", "").upper()
    # Checked here against the code list: the model field's own check compares the code with
    # every translated country name, a millisecond an event (seconds for a large file).
    if country and country not in countries:
        problems.append(
            _("country '%(value)s' is not an ISO 3166 two-letter code") % {"value": shown(columns["country"])}
        )
    event = EventRow(
        ref=ref,
        title=columns.get("event_title", ""),
        start_date=date_parse(columns.get("event_date", ""), "event_date", problems),
        end_date=date_parse(columns.get("event_date_end", ""), "event_date_end", problems),
        date_precision=choice_parse(
            columns.get("date_precision", ""), "date_precision", DatePrecision, problems, DatePrecision.DAY
        ),
        event_type=choice_parse(columns.get("event_type", ""), "event_type", EventType, problems, EventType.OTHER),
        country=country,
        admin_region=columns.get("admin1", ""),
        location_name=columns.get("location", ""),
        description=columns.get("event_description", ""),
        latitude=coordinate_parse(columns.get("latitude", ""), "latitude", problems),
        longitude=coordinate_parse(columns.get("longitude", ""), "longitude", problems),
        origin_id=columns.get("origin_id", ""),
    )
    return (None if problems else event), problems
