"""Writing tables as .xlsx workbooks, streamed row by row, text kept as text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import chain, islice
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_MEASURED = 200  # the rows a column's width is measured on, under the header
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters: a code stays readable, a long title wraps rather than runs on


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


def column_widths(rows: list[list]) -> list[float]:
    """Return each column's width, in characters, for the widest of these values (within bounds)."""
    widths: list[float] = []
    for row in rows:
        for index, value in enumerate(row):
            length = len(value.isoformat() if isinstance(value, date) else str(value)) if value is not None else 0
            if index == len(widths):
                widths.append(MIN_WIDTH)
            widths[index] = min(max(widths[index], length + 2), MAX_WIDTH)
    return widths


def xlsx_write(rows: Iterable[list], stream: BinaryIO, *, sheet_title: str, header_rows: int = 1) -> None:
    """Write rows (the header rows first, kept in view) as a one-sheet workbook, streamed row by row.

    The last header row carries the sheet's filter buttons, so that a reader can filter and sort
    the rows under it at once (with HXL hashtags, on the hashtags' row, which stays out of a sort).
    Columns are as wide as the header and the first rows need: a streamed sheet sets its widths
    before its first row.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = f"A{header_rows + 1}"
    rows = iter(rows)
    first = list(islice(rows, header_rows + ROWS_MEASURED))
    for index, width in enumerate(column_widths(first), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last_row = width = 0
    for row in chain(first, rows):
        sheet.append([spreadsheet_cell(sheet, value) for value in row])
        last_row, width = last_row + 1, max(width, len(row))
    if width:
        sheet.auto_filter.ref = f"A{header_rows}:{get_column_letter(width)}{max(last_row, header_rows)}"
    workbook.save(stream)
