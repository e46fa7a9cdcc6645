"""Helpers shared by the import, export, API and admin tests: files to import, what an import stored, forms to post."""

import csv
import io
import random
import re
import zipfile
from pathlib import Path

from django.core.management import call_command
from openpyxl import Workbook

from tracker.ingest.formats.claims import COLUMNS
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, Party, Source

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


def import_bytes(content: bytes, name: str = "claims.csv", **options):
    return file_import(file=io.BytesIO(content), name=name, **options)


def stored_counts():
    """Everything an import could have touched, history included."""
    return tuple(
        model.objects.count()
        for model in (
            Event, Party, Source, Claim,
            Event.history.model, Party.history.model, Source.history.model, Claim.history.model,
        )
    )  # fmt: skip


NOTHING = (0,) * 8


def many_claims(rows: int, *, seed: int = 2018) -> bytes:
    """A claims file of new events (four claims each), parties and sources (two claims each)."""
    chance = random.Random(seed)
    parties = [f"Party {number}" for number in range(30)]
    claims = []
    for number in range(rows):
        qualifier = chance.choice(["exact", "approximate", "at_least", "range"])
        low = chance.randint(0, 50)
        numbers = {"exact": {"best": low}, "approximate": {"best": low}, "at_least": {"low": low},
                   "range": {"low": low, "high": low + chance.randint(0, 9)}}[qualifier]  # fmt: skip
        claims.append(
            claim_row(
                event_ref=f"MANY-{number // 4:05d}", party=chance.choice(parties),
                category=chance.choice(["total", "civilian", "combatant"]),
                victim_side=chance.choice(["", *parties[:5]]), qualifier=qualifier,
                **{"low": "", "best": "", "high": "", **{name: str(value) for name, value in numbers.items()}},
                claimed_on=f"2018-01-{chance.randint(1, 28):02d}", source_url=f"https://example.org/{number // 2}",
                source_title=f"Report {number // 2}",
            )
        )  # fmt: skip
    return csv_bytes(claims, columns=COLUMNS)


def form_data(page: str) -> dict:
    """The values a change page's form would post back, hidden fields included."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name, value = re.search(r'\sname="([^"]+)"', tag), re.search(r'\svalue="([^"]*)"', tag)
        if name is None:
            continue
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), "on")
        elif value is not None:
            data.setdefault(name.group(1), value.group(1))
    for attributes, body in re.findall(r"<select([^>]*)>(.*?)</select>", page, re.S):
        name = re.search(r'\sname="([^"]+)"', attributes).group(1)
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        if chosen or "multiple" not in attributes:
            data.setdefault(name, chosen if "multiple" in attributes else (chosen or [""])[0])
    for name, body in re.findall(r'<textarea[^>]*\sname="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data.setdefault(name, body.strip())
    data.pop("csrfmiddlewaretoken", None)
    return {name: value for name, value in data.items() if not name.startswith("_") and "__prefix__" not in name}
