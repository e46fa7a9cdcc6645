"""Writing claims out in the claims format: what it writes, `import_claims` reads back unchanged.

`claims_write(claim_rows(claims, user=user), format="csv"|"xlsx", stream=...)`. Pass `user=`
whenever the data leaves for a person: confidential sources are then named only to those who
may see them. The stream takes text for csv, bytes for xlsx.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import IO

from tracker import visibility
from tracker.exports.spreadsheets import XLSX_CONTENT_TYPE, iter_with_header, xlsx_write
from tracker.ingest.formats.claims import COLUMNS, write_claims_csv
from tracker.models import Claim

CLAIM_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


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
    for claim in claims.order_by("event__ref", "pk").iterator(2000):
        event, source = claim.event, claim.source
        hidden = user is not None and visibility.source_hidden(source, user)
        if hidden:
            source = HiddenSource()
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
    """What a download says of a source hidden from its reader: that it is confidential, nothing more."""

    url, publisher, published_on, confidential = "", "", None, True

    @property
    def title(self) -> str:
        return str(visibility.CONFIDENTIAL_SOURCE)


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
