"""Writing claims and discrepancies out, in the formats the design fixes.

Two writers serve the commands, the web list's download and anything else that hands data
over; each takes records, a format and a stream, so a view needs a few lines:

    response = HttpResponse(content_type=DISCREPANCY_CONTENT_TYPES[format])
    discrepancies_write(discrepancy_records(events), format=format, stream=response, hxl=True)

- `claims_write(claim_rows(claims, user=user), format="csv"|"xlsx", stream=...)` writes
  claims in the import format: what it writes, `import_claims` reads back unchanged.
- `discrepancies_write(discrepancy_records(events), format="csv"|"json"|"xlsx", stream=..., hxl=False)`
  writes one record per event. `hxl=True` adds a second row of HXL hashtags (the
  Humanitarian Exchange Language) under the CSV or xlsx header.

The stream takes text for csv and json (a text file, `sys.stdout`, an HttpResponse) and bytes
for xlsx (a binary file, an HttpResponse). Pass `user=` to `claim_rows` whenever the data
leaves for a person: confidential sources are then named only to those who may see them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import IO

from django.db.models import Prefetch

from tracker import discrepancy
from tracker.claims_csv import COLUMNS, write_claims_csv
from tracker.models import Claim, ComparisonGroup, Event, can_see_confidential
from tracker.spreadsheets import xlsx_write

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLAIM_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}
DISCREPANCY_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": XLSX_CONTENT_TYPE,
}
CONFIDENTIAL_SOURCE_TITLE = "Confidential source"


def blank_if_none(value) -> str:
    return "" if value is None else str(value)


def claim_rows(claims=None, *, user=None) -> Iterator[dict]:
    """Yield every claim as a row of the claims CSV, in an order an import reproduces.

    With a `user` who may not see confidential sources, such a source is written as
    "Confidential source" with nothing that identifies it, and the claim's notes are left out.
    """
    claims = (claims if claims is not None else Claim.objects.all()).select_related(
        "event", "party", "victim_side", "source"
    )
    hide_confidential = user is not None and not can_see_confidential(user)
    for claim in claims.order_by("event__ref", "pk").iterator(2000):
        event, source = claim.event, claim.source
        hidden = hide_confidential and source.confidential
        if hidden:
            source = HIDDEN_SOURCE
        yield {
            "event_ref": event.ref,
            "event_title": event.title,
            "event_date": event.start_date.isoformat(),
            "event_date_end": blank_if_none(event.end_date),
            "date_precision": event.date_precision,
            "event_type": event.event_type,
            "country": event.country.code,
            "admin1": event.admin_region,
            "location": event.location_name,
            "latitude": blank_if_none(event.latitude),
            "longitude": blank_if_none(event.longitude),
            "party": claim.party.name,
            "party_kind": claim.party.kind,
            "category": claim.category,
            "victim_side": claim.victim_side.name if claim.victim_side_id else "",
            "qualifier": claim.qualifier,
            "low": blank_if_none(claim.low),
            "best": blank_if_none(claim.best),
            "high": blank_if_none(claim.high),
            "wording": claim.wording,
            "claimed_on": claim.claimed_on.isoformat(),
            "source_title": source.title,
            "source_url": source.url,
            "source_publisher": source.publisher,
            "source_date": blank_if_none(source.published_on),
            "source_confidential": "true" if source.confidential else "false",
            "retracted": "true" if claim.retracted else "false",
            "notes": "" if hidden else claim.notes,
        }


class HiddenSource:
    title, url, publisher, published_on, confidential = CONFIDENTIAL_SOURCE_TITLE, "", "", None, True


HIDDEN_SOURCE = HiddenSource()

# Claims columns that a spreadsheet should hold as numbers or dates, not text.
CLAIM_NUMBER_COLUMNS = {"low", "best", "high"}
CLAIM_DECIMAL_COLUMNS = {"latitude", "longitude"}
CLAIM_DATE_COLUMNS = {"event_date", "event_date_end", "claimed_on", "source_date"}


def spreadsheet_value(column: str, text: str):
    """Return a claims CSV value as a spreadsheet should hold it; text stays text."""
    if text == "":
        return None
    if column in CLAIM_NUMBER_COLUMNS:
        return int(text)
    if column in CLAIM_DECIMAL_COLUMNS:
        return Decimal(text)
    if column in CLAIM_DATE_COLUMNS:
        return date.fromisoformat(text)
    return text


def claims_write(rows: Iterable[dict], *, format: str, stream: IO) -> None:
    """Write claim rows in the import format: "csv" to a text stream, "xlsx" to a binary one."""
    if format == "csv":
        write_claims_csv(rows, stream)
    elif format == "xlsx":
        table = ([spreadsheet_value(column, row[column]) for column in COLUMNS] for row in rows)
        xlsx_write(iter_with_header(COLUMNS, table), stream, sheet_title="claims")
    else:
        raise ValueError(f"unknown claims format {format!r}")


def iter_with_header(header: list, rows: Iterable[list], hxl: list | None = None) -> Iterator[list]:
    yield header
    if hxl:
        yield hxl
    yield from rows


def ratio_value(ratio):
    return None if ratio is None else float(ratio)


def discrepancy_records(events=None) -> Iterator[dict]:
    """Yield one record per event, in the given order (all events, most severe first, by default):
    its stored level and ratio, and each group with its claims."""
    events = (events if events is not None else Event.objects.by_severity()).prefetch_related(
        Prefetch("groups", ComparisonGroup.objects.select_related("victim_side")),
        Prefetch("claims", Claim.objects.select_related("party").order_by("claimed_on", "entered_at", "pk")),
    )
    for event in events.iterator(500):
        claims_by_group: dict[tuple, list[Claim]] = {}
        for claim in event.claims.all():
            claims_by_group.setdefault((claim.category, claim.victim_side_id), []).append(claim)
        yield {
            "ref": event.ref,
            "title": event.title,
            "date": event.start_date.isoformat(),
            "country": event.country.code,
            "location": event.location_name,
            "level": event.level,
            "ratio": ratio_value(event.ratio),
            "classification_dispute": event.classification_dispute,
            "groups": [
                {
                    "category": group.category,
                    "victim_side": group.victim_side.name if group.victim_side_id else None,
                    "level": group.level,
                    "ratio": ratio_value(group.ratio),
                    "claims": [
                        claim_record(claim) for claim in claims_by_group.get((group.category, group.victim_side_id), [])
                    ],
                }
                for group in event.groups.all()
            ],
        }


def claim_record(claim: Claim) -> dict:
    interval = claim.interval
    return {
        "party": claim.party.name,
        "qualifier": claim.qualifier,
        "low": claim.low,
        "best": claim.best,
        "high": claim.high,
        "lo": interval.lo,
        "hi": interval.hi,
        "claimed_on": claim.claimed_on.isoformat(),
        "current": claim.is_current,
        "retracted": claim.retracted,
    }


# The flat form of a discrepancy record, one row per event, with the HXL hashtag of each column.
DISCREPANCY_COLUMNS = {
    "ref": "#event+id",
    "title": "#event+name",
    "date": "#date",
    "country": "#country+code",
    "location": "#loc+name",
    "level": "#severity",
    "ratio": "#indicator+ratio+num",
    "classification_dispute": "#indicator+classification_dispute",
    "killed_min": "#affected+killed+min",
    "killed_max": "#affected+killed+max",
    "claimants": "#org+name",
    "groups": "#indicator+groups+num",
    "parties": "#indicator+parties+num",
    "claims": "#indicator+claims+num",
}
DISCREPANCY_CSV_COLUMNS = list(DISCREPANCY_COLUMNS)


def leading_group(record: dict) -> dict | None:
    """Return the group that sets the event's level, as the event list ranks them: most severe,
    then widest ratio, then the first."""
    groups = [group for group in record["groups"] if group["level"]]
    return min(
        groups,
        key=lambda group: (-discrepancy.SEVERITY[group["level"]], group["ratio"] is None, -(group["ratio"] or 0)),
        default=None,
    )


def discrepancy_row(record: dict) -> dict:
    """Flatten an event's discrepancy record into one row.

    killed_min and killed_max span the current claims of the group that sets the event's
    level: the lowest count any of them allows and the highest (empty when one is open-ended).
    """
    group = leading_group(record)
    current = [claim for claim in group["claims"] if claim["current"]] if group else []
    his = [claim["hi"] for claim in current]
    parties = list(dict.fromkeys(claim["party"] for group in record["groups"] for claim in group["claims"]))
    return {
        "ref": record["ref"],
        "title": record["title"],
        "date": record["date"],
        "country": record["country"],
        "location": record["location"],
        "level": record["level"],
        "ratio": record["ratio"],
        "classification_dispute": record["classification_dispute"],
        "killed_min": min((claim["lo"] for claim in current), default=None),
        "killed_max": max(his) if his and None not in his else None,
        "claimants": "; ".join(parties),
        "groups": len(record["groups"]),
        "parties": len(parties),
        "claims": sum(len(group["claims"]) for group in record["groups"]),
    }


def discrepancy_csv_row(record: dict) -> dict:
    """Flatten an event's discrepancy record into one CSV row of text."""
    row = discrepancy_row(record)
    row["ratio"] = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
    row["classification_dispute"] = "true" if row["classification_dispute"] else "false"
    return {column: "" if value is None else value for column, value in row.items()}


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
