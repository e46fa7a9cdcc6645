"""Writing one discrepancy record per event: JSON with nested groups and claims, or a flat row
per event (CSV, xlsx) with an optional row of HXL hashtags.

`discrepancies_write(discrepancy_records(events), format="csv"|"json"|"xlsx", stream=..., hxl=False)`;
a view can write straight into an HttpResponse.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import Prefetch

from tracker.exports.spreadsheets import XLSX_CONTENT_TYPE, iter_with_header, xlsx_write
from tracker.models import Claim, ComparisonGroup, Event
from tracker.rules import discrepancy

DISCREPANCY_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": XLSX_CONTENT_TYPE,
}


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
