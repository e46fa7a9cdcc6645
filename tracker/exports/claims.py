"""Writing claims out in the claims format: what it writes, `import_claims` reads back unchanged.

`claims_write(claim_rows(claims, user=user), format="csv"|"xlsx", stream=...)`. Pass `user=`
whenever the data leaves for a person: confidential sources are then named only to those who
may see them. The stream takes text for csv, bytes for xlsx.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Collate, NullIf

from tracker import visibility
from tracker.exports.postgres import copy_lines, csv_lines, writes_csv_itself
from tracker.exports.spreadsheets import XLSX_CONTENT_TYPE, iter_with_header, xlsx_write
from tracker.ingest.formats.claims import COLUMNS, write_claims_csv
from tracker.models import Claim, Event, Source
from tracker.rules.dates import DAY, MONTH, YEAR, stated_date, stated_text
from tracker.rules.independence import relay_chain

CLAIM_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


def blank_if_none(value) -> str:
    return "" if value is None else str(value)


# What a row reads of a claim, its event and its source, fetched as plain tuples: a million model
# instances (four a row) cost ten times what the database takes to send the rows.
ROW_FIELDS = (
    "event__ref", "event__title", "event__start_date", "event__end_date", "event__date_precision",
    "event__event_type", "event__country", "event__admin_region", "event__location_name", "event__latitude",
    "event__longitude", "event_perpetrators", "party__name", "party__kind", "outcome", "category",
    "victim_side__name", "subgroup__code", "qualifier", "low", "best", "high", "wording", "claimed_on",
    "source__title", "source__url", "source__publisher",
    "source__published_on", "source__confidential", "source_relays", "retracted", "notes",
    # Not columns of their own: the claim's and the source's dates are written as stated, the source relayed
    # is hidden as the claim's own is, and the rows are ordered by their source's place in its chain of relays.
    "claimed_on_precision", "source__published_on_precision", "source__relays__confidential", "relay_depth",
)  # fmt: skip


def claims_in_order(claims, *, perpetrators) -> QuerySet:
    """Return claims with what a row reads that is not a field (`perpetrators`, an expression, for the event's
    alleged perpetrators), in an order an import reproduces: each source's claims after those of the source it
    relays, so that source_relays names a source of an earlier line; then by event, as entered."""
    depth = relay_depth()
    claims = claims.annotate(event_perpetrators=perpetrators, source_relays=source_relayed(), relay_depth=depth)
    return claims.order_by(*([] if isinstance(depth, Value) else ["relay_depth"]), "event__ref", "pk")


def source_relayed():
    """The source a record's source relays as `source_relays` names it: its URL, or its title where it has none."""
    return Coalesce(NullIf("source__relays__url", Value("")), "source__relays__title", Value(""))


def relay_depth():
    """How many relays lead from a record's source to its origin: where an export that reads back lists it."""
    depths = relay_depths()
    if not depths:
        return Value(0)
    return Case(*(When(source_id__in=ids, then=depth) for depth, ids in depths.items()), default=0)


def relay_depths() -> dict[int, list[int]]:
    """Return the sources that relay another, by how many relays lead from them to their origin."""
    relays = dict(Source.objects.filter(relays__isnull=False).values_list("pk", "relays_id"))
    depths = defaultdict(list)
    for source in relays:
        depths[len(relay_chain(source, relays)) - 1].append(source)
    return depths


def perpetrator_names(claims) -> dict[int, str]:
    """Return the alleged perpetrators of these claims' events, by event: their names joined by `|`, in order."""
    names = defaultdict(list)
    alleged = Event.alleged_perpetrators.through.objects.filter(event__in=claims.order_by().values("event_id"))
    for event_id, name in alleged.values_list("event_id", "party__name"):
        names[event_id].append(name)
    return {event_id: "|".join(sorted(parties)) for event_id, parties in names.items()}


def claims_export(claims=None, *, user=None, format: str, stream: IO) -> None:
    """Write claims as `claims_write(claim_rows(claims, user=user), ...)` does, the CSV by PostgreSQL where it can."""
    claims = claims if claims is not None else Claim.objects.all()
    if format == "csv" and writes_csv_itself(claims.db):
        claims_csv_copy(claims, user=user, stream=stream)
    else:
        claims_write(claim_rows(claims, user=user), format=format, stream=stream)


def claim_rows(claims=None, *, user=None) -> Iterator[dict]:
    """Yield every claim as a row of the claims CSV, in an order an import reproduces.

    With a `user` who may not see confidential sources, such a source is written as
    "Confidential source" with nothing that identifies it, and the claim's notes are left out.
    """
    claims = claims if claims is not None else Claim.objects.all()
    hides_confidential = user is not None and not visibility.sees_confidential(user)
    perpetrators = perpetrator_names(claims)
    # The event's key stands in for its perpetrators, named here: the SQL of a list differs by database.
    rows = claims_in_order(claims, perpetrators=F("event_id")).values_list(*ROW_FIELDS).iterator(5000)
    for (ref, title, start, end, precision, event_type, country, region, location, latitude, longitude, event_id,
         party, kind, outcome, category, side, subgroup, qualifier, low, best, high, wording, claimed_on,
         source_title, source_url, publisher, published_on, confidential, relays, retracted, notes,
         claimed_on_precision, published_on_precision, relays_confidential, _) in rows:  # fmt: skip
        yield {
            "event_ref": ref,
            "event_title": title,
            "event_date": start.isoformat(),
            "event_date_end": blank_if_none(end),
            "date_precision": precision,
            "event_type": event_type,
            "country": country,
            "admin1": region,
            "location": location,
            "latitude": blank_if_none(latitude),
            "longitude": blank_if_none(longitude),
            "event_perpetrators": perpetrators.get(event_id, ""),
            "party": party,
            "party_kind": kind,
            "outcome": outcome,
            "category": category,
            "victim_side": blank_if_none(side),
            "subgroup": blank_if_none(subgroup),
            "qualifier": qualifier,
            "low": blank_if_none(low),
            "best": blank_if_none(best),
            "high": blank_if_none(high),
            "wording": wording,
            "claimed_on": stated_text(claimed_on, claimed_on_precision),
            **cited_columns(
                hides_confidential, title=source_title, url=source_url, publisher=publisher, published_on=published_on,
                published_on_precision=published_on_precision, confidential=confidential, relays=relays,
                relays_confidential=relays_confidential, retracted=retracted, notes=notes,
            ),
        }  # fmt: skip


def cited_columns(
    hides_confidential: bool,
    *,
    title,
    url,
    publisher,
    published_on,
    published_on_precision,
    confidential,
    relays,
    relays_confidential,
    retracted,
    notes,
) -> dict:
    """Return the source, retraction and notes columns of a claim's or a fate claim's row: a confidential source
    hidden from the reader (`hides_confidential`) is named as confidential with nothing that identifies it, a
    relay of or to one left empty, and the notes left out."""
    hiding = hides_confidential and confidential
    if hiding:
        hidden = HiddenSource()
        title, url, publisher, published_on = hidden.title, hidden.url, hidden.publisher, None
    return {
        "source_title": title,
        "source_url": url,
        "source_publisher": publisher,
        "source_date": "" if published_on is None else stated_text(published_on, published_on_precision),
        "source_confidential": "true" if confidential else "false",
        "source_relays": "" if hides_confidential and (confidential or relays_confidential) else relays,
        "retracted": "true" if retracted else "false",
        "notes": "" if hiding else notes,
    }  # fmt: skip


class HiddenSource:
    """What a download says of a source hidden from its reader: that it is confidential, nothing more."""

    url, publisher, published_on, confidential = "", "", None, True

    @property
    def title(self) -> str:
        return str(visibility.CONFIDENTIAL_SOURCE)


# Claims columns that a spreadsheet should hold as numbers or dates, not text.
CLAIM_NUMBER_COLUMNS = {"low", "best", "high"}
CLAIM_DECIMAL_COLUMNS = {"latitude", "longitude"}
CLAIM_FLAG_COLUMNS = {"source_confidential", "retracted"}  # a true/false cell in a workbook, read back as the CSV's
STATED_FORMS = {DAY: "YYYY-MM-DD", MONTH: "YYYY-MM", YEAR: "YYYY"}  # PostgreSQL's to_char
CLAIM_DATE_COLUMNS = {"event_date", "event_date_end", "claimed_on", "source_date"}
STATED_DATE_COLUMNS = {"claimed_on": "claimed_on_precision", "source_date": "source_date_precision"}


def spreadsheet_value(column: str, text: str):
    """Return a claims CSV value as a spreadsheet should hold it; text stays text."""
    if text == "":
        return None
    if column in CLAIM_NUMBER_COLUMNS:
        return int(text)
    if column in CLAIM_DECIMAL_COLUMNS:
        return Decimal(text)
    if column in CLAIM_FLAG_COLUMNS:
        return text == "true"
    if column in CLAIM_DATE_COLUMNS:
        day, precision = stated_date(text)
        return day if precision == DAY else text  # a spreadsheet has no month or year of its own
    return text


# How PostgreSQL writes each column of the claims CSV as `claim_rows` and `write_claims_csv` do.
CLAIM_TEXT_COLUMNS = {
    "event_ref", "event_title", "date_precision", "event_type", "country", "admin1", "location", "party",
    "party_kind", "outcome", "category", "victim_side", "subgroup", "qualifier", "wording", "source_title",
    "source_url", "source_publisher", "notes", "event_perpetrators", "source_relays",
}  # fmt: skip
CLAIM_NULLABLE_COLUMNS = {
    "event_date_end", "latitude", "longitude", "victim_side", "subgroup", "low", "best", "high", "source_date",
}  # fmt: skip


def claim_cell_sql(column: str) -> tuple[str, bool]:
    """Return SQL for a claims CSV value from its column of the claim row, and whether it is text (neither a date
    nor a number can need a formula mark or quotes)."""
    value = f"{column}::text"
    if column in STATED_DATE_COLUMNS:
        value = column  # written as stated by `claims_csv_copy`
    elif column in CLAIM_DATE_COLUMNS:
        value = f"to_char({column}, 'YYYY-MM-DD')"
    elif column in ("source_confidential", "retracted"):
        value = f"(CASE WHEN {column} THEN 'true' ELSE 'false' END)"
    if column in CLAIM_NULLABLE_COLUMNS:
        value = f"coalesce({value}, '')"
    return value, column in CLAIM_TEXT_COLUMNS


def stated_date_sql(column: str) -> str:
    """SQL for a claim's or a source's date as `stated_text` writes it."""
    form = " ".join(f"WHEN '{precision}' THEN '{shape}'" for precision, shape in STATED_FORMS.items())
    return f"to_char({column}, CASE {STATED_DATE_COLUMNS[column]} {form} END)"


def claims_csv_copy(claims, *, user, stream: IO) -> None:
    """Write claims as CSV as `claims_write(claim_rows(claims, user=user), format="csv")` does, PostgreSQL
    putting each line together: a claim row is the same tuple, shown or hidden in SQL as `claim_rows` does."""
    hides_confidential = user is not None and not visibility.sees_confidential(user)
    perpetrators = Coalesce(
        Subquery(
            Event.alleged_perpetrators.through.objects.filter(event_id=OuterRef("event_id"))
            .values("event_id")
            .annotate(names=StringAgg("party__name", "|", order_by=Collate("party__name", "C")))
            .values("names")
        ),
        Value(""),
        output_field=TextField(),
    )  # in the order of Python's sorted(): by code point, as the C collation compares
    ordered = claims_in_order(claims, perpetrators=perpetrators)
    rows, rows_params = ordered.values_list(*ROW_FIELDS, "pk").query.sql_with_params()
    hidden = "%s AND source_confidential"
    claim_columns = [stated_date_sql(column) if column in STATED_DATE_COLUMNS else column for column in COLUMNS]
    shown = f"""
        SELECT {", ".join(claim_columns[: COLUMNS.index("source_title")])},
            CASE WHEN {hidden} THEN %s ELSE source_title END,
            CASE WHEN {hidden} THEN '' ELSE source_url END,
            CASE WHEN {hidden} THEN '' ELSE source_publisher END,
            CASE WHEN {hidden} THEN NULL ELSE {stated_date_sql("source_date")} END,
            source_confidential,
            CASE WHEN %s AND (source_confidential OR coalesce(relays_confidential, false)) THEN ''
                ELSE source_relays END,
            retracted,
            CASE WHEN {hidden} THEN '' ELSE notes END
        FROM ({rows}) AS claim({", ".join(COLUMNS)}, {", ".join(STATED_DATE_COLUMNS.values())},
            relays_confidential, relay_depth, pk)
        ORDER BY relay_depth, event_ref, pk
    """
    shown_params = [hides_confidential, HiddenSource().title, *[hides_confidential] * 5]
    lines, params = csv_lines(
        [claim_cell_sql(column) for column in COLUMNS], f"({shown}) AS claim({', '.join(COLUMNS)})"
    )
    stream.write(",".join(COLUMNS) + "\n")
    copy_lines(lines, params + shown_params + list(rows_params), database=claims.db, stream=stream)


def claims_write(rows: Iterable[dict], *, format: str, stream: IO) -> None:
    """Write claim rows in the import format: "csv" to a text stream, "xlsx" to a binary one."""
    if format == "csv":
        write_claims_csv(rows, stream)
    elif format == "xlsx":
        table = ([spreadsheet_value(column, row[column]) for column in COLUMNS] for row in rows)
        xlsx_write(iter_with_header(COLUMNS, table), stream, sheet_title="claims")
    else:
        raise ValueError(f"unknown claims format {format!r}")
