"""Reading the tables staff exchange, a CSV or xlsx file, as numbered rows, whatever their format."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import PurePath
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

READABLE = (".csv", ".xlsx")


class BadFile(Exception):
    """The file cannot be read as a table from some line on (as opposed to a bad row in it)."""

    def __init__(self, message: str, *, line: int = 1):
        super().__init__(message)
        self.line = line


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
        return read_csv(file)
    raise BadFile(f"cannot read a '{suffix or name}' file; save the sheet as .csv (UTF-8) or .xlsx")


def normalised_header(cells: Iterable) -> list[str]:
    return [str(cell or "").strip().lower() for cell in cells]


def records(table: Iterable[list], header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) for each non-blank record, lines counted as a spreadsheet shows them.

    A row with more cells than the header has columns carries the problem under the key None.
    """
    table = iter(table)
    line = 1
    while True:
        line += 1
        try:
            cells = next(table)
        except StopIteration:
            return
        except csv.Error as error:
            raise BadFile(f"the file cannot be read from here on ({error}); save it as UTF-8 CSV", line=line) from None
        except BadFile as error:
            # Numbered by the row a spreadsheet shows, not the file's physical line.
            raise BadFile(str(error), line=line) from None
        cells = ["" if cell is None else str(cell) for cell in cells]
        if not any(cell.strip() for cell in cells):
            continue
        row = {name: value.strip() for name, value in zip(header, cells, strict=False) if name}
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            row[None] = "more fields than the header has columns"
        yield line, row


def decoded_lines(file: BinaryIO) -> Iterator[str]:
    """Decode a file line by line, so that text which is not UTF-8 is named by its line."""
    for number, raw in enumerate(file, start=1):
        try:
            yield (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).decode("utf-8")
        except UnicodeDecodeError:
            raise BadFile(
                "this row is not UTF-8 text, so nothing from it on can be read; save the file as UTF-8 CSV", line=number
            ) from None


def read_csv(file: BinaryIO) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Return the header and a stream of (line, row) from a CSV file opened in binary mode.

    A byte order mark, CRLF line ends and line breaks inside quoted fields are read as
    spreadsheet programs meant them; the file is read as it is consumed, never whole.
    """
    table = csv.reader(decoded_lines(file))
    try:
        header = normalised_header(next(table))
    except StopIteration:
        raise BadFile("the file is empty; it needs a header row") from None
    except csv.Error as error:
        raise BadFile(f"the header row cannot be read ({error}); save the file as UTF-8 CSV") from None
    return header, records(table, header)


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
