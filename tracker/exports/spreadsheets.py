"""Writing tables as .xlsx workbooks, streamed row by row, text kept as text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def iter_with_header(header: list, rows: Iterable[list], hxl: list | None = None) -> Iterator[list]:
    yield header
    if hxl:
        yield hxl
    yield from rows


def spreadsheet_cell(sheet, value):
    """Return a cell that holds text as text: never run as a formula, never with characters Excel refuses."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def xlsx_write(rows: Iterable[list], stream: BinaryIO, *, sheet_title: str, header_rows: int = 1) -> None:
    """Write rows (the header rows first, kept in view) as a one-sheet workbook, streamed row by row.

    The last header row carries the sheet's filter buttons, so that a reader can filter and sort
    the rows under it at once (with HXL hashtags, on the hashtags' row, which stays out of a sort).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = f"A{header_rows + 1}"
    last_row = width = 0
    for row in rows:
        sheet.append([spreadsheet_cell(sheet, value) for value in row])
        last_row, width = last_row + 1, max(width, len(row))
    if width:
        sheet.auto_filter.ref = f"A{header_rows}:{get_column_letter(width)}{max(last_row, header_rows)}"
    workbook.save(stream)
