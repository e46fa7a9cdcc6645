"""Helpers shared by the import, export and API tests."""

import csv
import io
import zipfile
from pathlib import Path

from django.core.management import call_command
from openpyxl import Workbook

FIXTURES = Path(__file__).parent / "fixtures"


def csv_bytes(rows: list[dict], *, columns: list[str] | None = None, bom: bool = False) -> bytes:
    columns = columns or list(dict.fromkeys(name for row in rows for name in row))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + text.getvalue().encode()


def xlsx_bytes(table: list[list]) -> bytes:
    workbook = Workbook()
    for row in table:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def claim_row(**fields) -> dict:
    """A valid claims-format row for a new event, party and source; override any column."""
    row = {
        "event_ref": "SYR-2018-01-RAQ-01",
        "event_title": "Strike on Raqqa market",
        "event_date": "2018-01-05",
        "country": "SY",
        "location": "Raqqa",
        "party": "Raqqa Monitor",
        "party_kind": "monitor",
        "category": "civilian",
        "qualifier": "exact",
        "best": "12",
        "claimed_on": "2018-01-06",
        "source_title": "Daily report",
        "source_date": "2018-01-06",
    }
    row.update(fields)
    return row


def xlsx_rewritten(content: bytes, parts: dict) -> bytes:
    """Return a workbook with parts rewritten or added, as a broken or hostile program might write them.

    `parts` maps a part's name in the zip to its new bytes, or to a function of its old bytes.
    """
    source = zipfile.ZipFile(io.BytesIO(content))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for name in dict.fromkeys([*source.namelist(), *parts]):
            data = source.read(name) if name in source.namelist() else b""
            change = parts.get(name, data)
            target.writestr(name, change(data) if callable(change) else change)
    return stream.getvalue()


def claims_exported() -> str:
    """Return every claim as `export_claims` writes it: what a re-import must leave as it was."""
    out = io.StringIO()
    call_command("export_claims", stdout=out)
    return out.getvalue()
