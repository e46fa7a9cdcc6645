"""Helpers shared by the import, export, API and admin tests."""

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from django import forms
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


def form_fields(form) -> dict:
    """Return what the form would post as drawn: each field by its name on the page."""
    fields = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            fields[form.add_prefix(name)] = [str(item) for item in value or []]
        elif isinstance(value, bool):
            fields[form.add_prefix(name)] = "on" if value else ""
        else:
            fields[form.add_prefix(name)] = "" if value is None else str(value)
    return fields


def admin_page_fields(response) -> dict:
    """Return what an admin page posts as drawn: its form, its inlines' management forms and first forms."""
    fields = form_fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        fields |= form_fields(inline.formset.management_form)
        fields |= form_fields(inline.formset.forms[0]) if inline.formset.forms else {}
    return fields


# A workbook written by hand, part by part, as a broken or hostile program might: the least an
# .xlsx file holds, and a first sheet whose rows are given as XML.
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HANDMADE_PARTS = {
    "[Content_Types].xml": f'<Types xmlns="{PACKAGE}/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEET}.worksheet+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Claims" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def xlsx_handmade(rows: Iterable[bytes], file: BinaryIO) -> None:
    """Write a workbook whose first sheet holds these rows of XML, streamed: they may unpack to gigabytes."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as workbook:
        for name, text in HANDMADE_PARTS.items():
            workbook.writestr(name, text)
        with workbook.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")


def sheet_row(values: Iterable[str], number: int | str | None = None) -> bytes:
    """Return a row of a sheet's XML, its cells inline text, numbered by its `r` attribute if given one."""
    cells = "".join(f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>' for value in values)
    return (f"<row>{cells}</row>" if number is None else f'<row r="{number}">{cells}</row>').encode()
