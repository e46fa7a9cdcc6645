"""Reading the tables staff exchange, a CSV or xlsx file, as numbered rows, whatever their format.

Every file is read within the import limits (tracker.ingest.limits): its size, its rows and
columns, the cells of a row and of the whole file, each cell's length and, for a workbook, what
its parts unpack to and what its sheets hold, checked before openpyxl reads them. What a file holds
beyond a limit is refused with a message, never dropped, and so is a sheet whose rows would not all
be read.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import PurePath
from typing import BinaryIO
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.packaging.manifest import Manifest
from openpyxl.utils import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHEET_MAIN_NS, WORKSHEET_TYPE
from openpyxl.xml.functions import fromstring

from tracker.ingest.formulas import formula_unescaped
from tracker.ingest.limits import ImportLimits, megabytes
from tracker.models.text import control_character

READABLE = (".csv", ".xlsx")
DELIMITERS = ",;\t"  # what may separate a CSV file's columns
# What openpyxl raises on a workbook it cannot read, from a broken zip to malformed or entity-laden
# XML (defusedxml's refusals are ValueErrors): whatever it raises while reading is the file's fault.
UNREADABLE_WORKBOOK = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, InvalidFileException, ParseError, EOFError, OSError,
    KeyError, IndexError, ValueError, TypeError, AttributeError,
    NotImplementedError, RuntimeError,  # zipfile: a compression or version it does not know; encryption
    expat.ExpatError,
)  # fmt: skip
SHEET_ROW = f"{SHEET_MAIN_NS} row"  # a row element as expat names it, its namespace resolved as openpyxl's is
SCANNED_AT_ONCE = 1 << 20  # bytes of a worksheet's XML given to expat at a time


class BadFile(Exception):
    """The file cannot be read as a table from some line on (as opposed to a bad row in it)."""

    def __init__(self, message: str, *, line: int = 1):
        super().__init__(message)
        self.line = line


def file_size_check(file: BinaryIO, limits: ImportLimits) -> None:
    """Refuse a file larger than an import takes, then rewind it."""
    size = file.seek(0, os.SEEK_END)
    file.seek(0)
    if size > limits.max_bytes:
        raise BadFile(
            _(
                "the file is %(size)s, more than an import takes (%(largest)s, IMPORT_MAX_BYTES); "
                "split it into smaller files"
            )
            % {"size": megabytes(size), "largest": megabytes(limits.max_bytes)}
        )


def workbook_check(file: BinaryIO, limits: ImportLimits) -> None:
    """Refuse a workbook that would unpack to more than an import may read, or whose sheets hold more
    than it reads, then rewind it.

    Judged before openpyxl reads anything: its sizes from the zip's directory (a few kilobytes can
    unpack to gigabytes), then each worksheet read as a stream (SheetScan). Worksheets are read as
    a stream; every other part, the shared strings above all (3 million strings take 400 MB),
    openpyxl reads whole into memory.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            sizes = {info.filename: info.file_size for info in archive.infolist()}
            unpacked = sum(sizes.values())
            if unpacked > limits.max_unpacked_bytes:
                raise BadFile(
                    _(
                        "the workbook unpacks to %(size)s, more than an import reads "
                        "(%(largest)s, IMPORT_MAX_UNPACKED_BYTES); save it as CSV"
                    )
                    % {"size": megabytes(unpacked), "largest": megabytes(limits.max_unpacked_bytes)}
                )
            if sizes.get(ARC_CONTENT_TYPES, 0) > limits.max_whole_parts_bytes:
                raise BadFile(_("the workbook's list of parts is too large to be a spreadsheet's"))
            manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
            streamed = {part.PartName.lstrip("/") for part in manifest.Override if part.ContentType == WORKSHEET_TYPE}
            whole = sum(size for name, size in sizes.items() if name not in streamed)
            if whole > limits.max_whole_parts_bytes:
                raise BadFile(
                    _(
                        "the workbook's shared strings and other parts read whole unpack to %(size)s, more than "
                        "an import holds in memory (%(largest)s, IMPORT_MAX_SHARED_STRINGS_BYTES); save it as CSV"
                    )
                    % {"size": megabytes(whole), "largest": megabytes(limits.max_whole_parts_bytes)}
                )
            for name in sorted(streamed & sizes.keys()):
                with archive.open(name) as sheet:
                    SheetScan(limits).read(sheet)
    except UNREADABLE_WORKBOOK as error:
        raise BadFile(_("the file cannot be read as an .xlsx workbook (%(error)s)") % {"error": error}) from None
    finally:
        file.seek(0)


class SheetScan:
    """One worksheet's XML read as a stream against the import's limits, holding nothing of it.

    openpyxl builds each row whole, every cell of it, and each run of text whole, and it reads a
    sheet that states no size through to its end just to size it: 36 KB that unpack to a row of
    8 million empty cells took gigabytes. Here expat reads the sheet a megabyte at a time and
    refuses a row of more cells than IMPORT_MAX_ROW_CELLS, a sheet of more than IMPORT_MAX_CELLS,
    and text or a tag more than eight times IMPORT_MAX_CELL_CHARS long. It also refuses rows and
    cells whose numbers do not rise: openpyxl places a row by its number and drops, without a
    word, a row numbered at or below one already read, and a cell left of one already read.
    """

    def __init__(self, limits: ImportLimits):
        self.limits = limits
        self.longest = 8 * limits.max_cell_chars  # bytes of XML: a character may take four, or six as an entity
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.started
        self.parser.EndElementHandler = self.ended
        # As defusedxml lets openpyxl read: no entity may be declared.
        self.parser.EntityDeclHandler = self.parser.UnparsedEntityDeclHandler = self.entity_refused
        self.depth = 0
        self.row_depth: int | None = None  # the depth of the row being read, if one is
        self.row = self.column = 0  # the numbers of the last row and of its last cell
        self.row_cells = self.cells = 0
        self.last_event = 0  # where in the XML the last tag was

    def read(self, stream: BinaryIO) -> None:
        read = 0
        while chunk := stream.read(SCANNED_AT_ONCE):
            self.parser.Parse(chunk, False)
            read += len(chunk)
            if read - self.last_event > self.longest:  # text, or a tag, that goes on past what was read
                raise self.too_long()
        self.parser.Parse(b"", True)

    def started(self, name: str, attributes: dict) -> None:
        self.tag_length_check()
        self.depth += 1
        if self.row_depth is None:
            if name == SHEET_ROW:
                self.row_started(attributes.get("r"))
        elif name == SHEET_ROW:
            raise BadFile(
                _("the file cannot be read as an .xlsx workbook (%(error)s)") % {"error": "a row inside a row"}
            )
        elif self.depth == self.row_depth + 1:
            self.cell_started(attributes.get("r"))

    def ended(self, name: str) -> None:
        self.tag_length_check()
        if self.depth == self.row_depth:
            self.row_depth = None
        self.depth -= 1

    def tag_length_check(self) -> None:
        at = self.parser.CurrentByteIndex
        if at - self.last_event > self.longest:
            raise self.too_long()
        self.last_event = at

    def row_started(self, reference: str | None) -> None:
        number = self.row + 1 if reference is None else row_number(reference)
        if number < 1:
            raise BadFile(
                _(
                    "a sheet has a row numbered %(number)s, and rows are numbered from 1: some rows would not "
                    "be read; save the sheet again from a spreadsheet program"
                )
                % {"number": number}
            )
        if number <= self.row:
            raise BadFile(
                _(
                    "a sheet's row %(number)s comes after its row %(previous)s: rows out of order or repeated "
                    "would not all be read; save the sheet again from a spreadsheet program"
                )
                % {"number": number, "previous": self.row}
            )
        self.row, self.row_depth, self.row_cells, self.column = number, self.depth, 0, 0

    def cell_started(self, reference: str | None) -> None:
        self.row_cells += 1
        self.cells += 1
        if self.row_cells > self.limits.max_row_cells:
            raise BadFile(row_cells_message(self.limits, row=self.row))
        if self.cells > self.limits.max_cells:
            raise BadFile(cells_message(self.limits))
        column = self.column + 1 if reference is None else coordinate_to_tuple(reference)[1]
        if column <= self.column:
            raise BadFile(
                _(
                    "row %(row)s of a sheet has its cells out of order or repeated, and would not be read "
                    "whole; save the sheet again from a spreadsheet program"
                )
                % {"row": self.row}
            )
        self.column = column

    def too_long(self) -> BadFile:
        return BadFile(
            _("row %(row)s of a sheet holds a cell far longer than a cell may be (%(largest)s, IMPORT_MAX_CELL_CHARS)")
            % {"row": self.row, "largest": f"{self.limits.max_cell_chars:,}"}
        )

    def entity_refused(self, *args) -> None:
        raise BadFile(_("the file cannot be read as an .xlsx workbook (%(error)s)") % {"error": "an XML entity"})


def row_number(reference: str) -> int:
    """Read a row's number as openpyxl does: a whole number, written as one or as a decimal."""
    try:
        return int(reference)
    except ValueError:
        number = float(reference)
        if not number.is_integer():
            raise ValueError(f"{reference} is not a valid row number") from None
        return int(number)


def row_cells_message(limits: ImportLimits, *, row: int | None = None) -> str:
    largest = f"{limits.max_row_cells:,}"
    if row is None:
        return _("the row has more cells than an import reads in a row (%(largest)s, IMPORT_MAX_ROW_CELLS)") % {
            "largest": largest
        }
    return _(
        "row %(row)s of a sheet has more cells than an import reads in a row (%(largest)s, IMPORT_MAX_ROW_CELLS)"
    ) % {"row": row, "largest": largest}


def cells_message(limits: ImportLimits) -> str:
    return _(
        "the file has more cells than an import reads (%(largest)s, IMPORT_MAX_CELLS); split it into smaller files"
    ) % {"largest": f"{limits.max_cells:,}"}


def line_count(file: BinaryIO, *, name: str) -> int:
    """Return about how many lines a table file has (for a progress bar), then rewind it."""
    if PurePath(name).suffix.lower() == ".xlsx":
        try:
            workbook_check(file, ImportLimits.from_settings())
            workbook = load_workbook(file, read_only=True)
            lines = workbook.worksheets[0].max_row or 0
            workbook.close()
        except (BadFile, *UNREADABLE_WORKBOOK):
            lines = 0  # the import says why
    else:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))
    file.seek(0)
    return lines


def read_table(
    file: BinaryIO, *, name: str, limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Return the header and a stream of (line, row) of a .csv (UTF-8) or .xlsx file opened as bytes."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in READABLE:
        raise BadFile(
            _("cannot read a '%(kind)s' file; save the sheet as .csv (UTF-8) or .xlsx") % {"kind": suffix or name}
        )
    file_size_check(file, limits)
    first, table = read_xlsx(file, limits) if suffix == ".xlsx" else read_csv(file, limits)
    header = header_read(first, limits)
    return header, records(table, header, limits)


def header_read(cells: list, limits: ImportLimits) -> list[str]:
    """Return the header's column names in lower case, or refuse a header no import can take."""
    header = [str(cell or "").strip().lower() for cell in cells]
    while header and not header[-1]:
        header.pop()
    if len(header) > limits.max_columns:
        raise BadFile(
            ngettext(
                "the header has %(count)s column, more than an import reads (%(largest)s, IMPORT_MAX_COLUMNS)",
                "the header has %(count)s columns, more than an import reads (%(largest)s, IMPORT_MAX_COLUMNS)",
                len(header),
            )
            % {"count": f"{len(header):,}", "largest": f"{limits.max_columns:,}"}
        )
    for number, name in enumerate(header, start=1):
        if len(name) > limits.max_cell_chars or control_character(name):
            raise BadFile(
                _("column %(number)s of the header is not a column name: too long, or a control character")
                % {"number": number}
            )
    return header


def cell_problems(column: str, text: str, limits: ImportLimits) -> list[str]:
    """Say what a cell holds that no record may: more text than a cell takes, or a control character."""
    problems = []
    if len(text) > limits.max_cell_chars:
        problems.append(
            ngettext(
                "%(column)s holds %(count)s character, more than a cell may (%(largest)s, IMPORT_MAX_CELL_CHARS)",
                "%(column)s holds %(count)s characters, more than a cell may (%(largest)s, IMPORT_MAX_CELL_CHARS)",
                len(text),
            )
            % {"column": column, "count": f"{len(text):,}", "largest": f"{limits.max_cell_chars:,}"}
        )
    control = control_character(text)
    if control:
        problems.append(
            _("%(column)s holds a control character (%(character)s), which no record may hold")
            % {"column": column, "character": control}
        )
    return problems


def records(
    table: Iterable[list | tuple], header: list[str], limits: ImportLimits
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) for each non-blank record, lines counted as a spreadsheet shows them.

    A row's problems (more fields than the header has columns, a cell no record may hold) are
    listed under the key None.
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
            raise BadFile(
                _("the file cannot be read from here on (%(error)s); save it as UTF-8 CSV") % {"error": error},
                line=line,
            ) from None
        except BadFile as error:
            # Numbered by the row a spreadsheet shows, not the file's physical line.
            raise BadFile(str(error), line=line) from None
        if line - 1 > limits.max_rows:
            raise BadFile(
                ngettext(
                    "the file has more than %(count)s row, more than an import takes (IMPORT_MAX_ROWS); "
                    "split it into smaller files",
                    "the file has more than %(count)s rows, more than an import takes (IMPORT_MAX_ROWS); "
                    "split it into smaller files",
                    limits.max_rows,
                )
                % {"count": f"{limits.max_rows:,}"},
                line=line,
            )
        # Cells past the header are only looked at to see whether any holds something, which
        # list.count does without a Python loop: a workbook row can reach column 16,384.
        beyond = cells[len(header) :]
        overflowing = beyond.count(None) + beyond.count("") != len(beyond) and any(
            str(cell).strip() for cell in set(beyond) - {None, ""}
        )
        cells = [cell_text(cell) for cell in cells[: len(header)]]
        if not overflowing and not any(cell.strip() for cell in cells):
            continue
        row: dict = {name: value.strip() for name, value in zip(header, cells, strict=False) if name}
        problems = [problem for name, value in row.items() for problem in cell_problems(name, value, limits)]
        if overflowing:
            problems.append(_("more fields than the header has columns"))
        if problems:
            row[None] = problems
        yield line, row


def decoded_lines(file: BinaryIO) -> Iterator[str]:
    """Decode a file line by line, so that text which is not UTF-8 is named by its line."""
    for number, raw in enumerate(file, start=1):
        try:
            yield (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).decode("utf-8")
        except UnicodeDecodeError:
            raise BadFile(
                _("this row is not UTF-8 text, so nothing from it on can be read; save the file as UTF-8 CSV"),
                line=number,
            ) from None


def delimiter_sniffed(header_line: str) -> str:
    """Return the character that separates the header's columns: a comma, a semicolon or a tab.

    Spreadsheet programs set to a language that writes decimals with a comma save "CSV" with
    semicolons, and some exports use tabs. Only the header is sniffed: it holds column names, no
    quoted text with commas in it, so it tells the separator better than the data would.
    """
    try:
        return csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def separator_doubt(header: list[str]) -> str | None:
    """Say that the columns may be separated by another character, when a header that cannot be
    read looks like it: one column only, or a column name holding a separator."""
    if len(header) == 1 or any(mark in name for name in header for mark in ",;\t|"):
        return _(
            "the columns may be separated by a character the import does not read as a separator; "
            "save the file as CSV with commas, semicolons or tabs between the columns"
        )
    return None


def read_csv(file: BinaryIO, limits: ImportLimits) -> tuple[list[str], Iterator[list[str]]]:
    """Return the header and a stream of rows of cells from a CSV file opened in binary mode.

    A byte order mark, CRLF line ends and line breaks inside quoted fields are read as
    spreadsheet programs meant them, and so are columns separated by semicolons or tabs as well as
    commas and a cell kept from running as a formula (`'=…`, as the exports write it); the file is
    read as it is consumed, never whole, and a line with more separators than a row may have cells
    is refused before it is split into cells.
    """
    lines = decoded_lines(file)
    header_line = next(lines, None)
    if header_line is None:
        raise BadFile(_("the file is empty; it needs a header row"))
    if max(header_line.count(mark) for mark in DELIMITERS) >= limits.max_row_cells:
        raise BadFile(row_cells_message(limits))
    delimiter = delimiter_sniffed(header_line)
    table = csv.reader(itertools.chain([header_line], lines_within(lines, delimiter, limits)), delimiter=delimiter)
    try:
        first = next(table)
    except csv.Error as error:
        raise BadFile(
            _("the header row cannot be read (%(error)s); save the file as UTF-8 CSV") % {"error": error}
        ) from None
    return first, rows_within(table, limits, cells=len(first))


def lines_within(lines: Iterable[str], delimiter: str, limits: ImportLimits) -> Iterator[str]:
    """Pass a CSV file's lines on, refusing one with as many separators as a row may have cells."""
    for line in lines:
        if line.count(delimiter) >= limits.max_row_cells:
            raise BadFile(row_cells_message(limits))
        yield line


def rows_within(table: Iterable[list[str]], limits: ImportLimits, *, cells: int) -> Iterator[list[str]]:
    """Pass a CSV file's rows on as their cells' text, counting the cells (`cells` read already) to the limit."""
    for row in table:
        cells += len(row)
        if cells > limits.max_cells:
            raise BadFile(cells_message(limits))
        yield [formula_unescaped(cell) for cell in row]


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


def read_xlsx(file: BinaryIO, limits: ImportLimits) -> tuple[list, Iterator[tuple]]:
    """Read the first sheet of a workbook, row by row, without loading it whole.

    Its rows are read as they are, not as far as the sheet's own `dimension` says: programs write
    one that understates the sheet, and rows past it would be dropped unseen.
    """
    workbook_check(file, limits)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        table = sheet.iter_rows(values_only=True)
        first = next(table, None)
    except UNREADABLE_WORKBOOK as error:
        raise BadFile(_("the file cannot be read as an .xlsx workbook (%(error)s)") % {"error": error}) from None
    if first is None:
        workbook.close()
        raise BadFile(_("the first sheet is empty; it needs a header row"))

    def texts() -> Iterator[list]:
        try:
            while True:
                try:
                    row = next(table)
                except StopIteration:
                    return
                except UNREADABLE_WORKBOOK as error:
                    raise BadFile(
                        _("the workbook cannot be read from here on (%(error)s)") % {"error": error}
                    ) from None
                yield row  # as values: only those under the header are made text (see records)
        finally:
            workbook.close()

    return list(first), texts()
