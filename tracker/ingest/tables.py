"""Reading the tables staff exchange, a CSV or xlsx file, as numbered rows."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import PurePath
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tracker.ingest.claims_csv import BadFile, normalised_header, read_claims_csv, records

READABLE = (".csv", ".xlsx")


def line_count(file: BinaryIO, *, name: str) -> int:
    """Return about how many lines a table file has (for a progress bar), then rewind it."""
    if PurePath(name).suffix.lower() == ".xlsx":
        try:
            workbook = load_workbook(file, read_only=True)
            lines = workbook.worksheets[0].max_row or 0
            workbook.close()
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
            lines = 0
    else:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))
    file.seek(0)
    return lines


def read_table(file: BinaryIO, *, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Return the header and a stream of (line, row) of a .csv (UTF-8) or .xlsx file opened as bytes."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(file)
    if suffix == ".csv":
        return read_claims_csv(file)
    raise BadFile(f"cannot read a '{suffix or name}' file; save the sheet as .csv (UTF-8) or .xlsx")


def cell_text(value) -> str:
    """Return a cell's value as the CSV would hold it: dates as YYYY-MM-DD, 12.0 as 12."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(file: BinaryIO) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Read the first sheet of a workbook, row by row, without loading it whole."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise BadFile(f"the file cannot be read as an .xlsx workbook ({error})") from None
    table = workbook.worksheets[0].iter_rows(values_only=True)
    first = next(table, None)
    if first is None:
        workbook.close()
        raise BadFile("the first sheet is empty; it needs a header row")
    header = normalised_header(first)

    def texts() -> Iterator[list[str]]:
        try:
            for row in table:
                yield [cell_text(value) for value in row]
        finally:
            workbook.close()

    return header, records(texts(), header)
