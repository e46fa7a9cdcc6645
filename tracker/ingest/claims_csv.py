"""The claims CSV of the design: its columns, reading it as spreadsheets write it, writing it back."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

COLUMNS = [
    "event_ref", "event_title", "event_date", "event_date_end", "date_precision", "event_type",
    "country", "admin1", "location", "latitude", "longitude",
    "party", "party_kind", "category", "victim_side",
    "qualifier", "low", "best", "high", "wording", "claimed_on",
    "source_title", "source_url", "source_publisher", "source_date", "source_confidential",
    "retracted", "notes",
]  # fmt: skip
REQUIRED_COLUMNS = ["event_ref", "party", "category", "claimed_on"]
# What readers of other formats (tracker.ingest.ucdp) may hand the importer beyond the claims CSV's
# columns. A claims file cannot set them: its unknown columns are dropped with a warning.
READER_COLUMNS = ["event_description", "source_excerpt", "victim_side_kind"]


@dataclass
class ImportLine:
    """One line of an input file: the claim rows it holds, and what its reader noticed on it."""

    line: int
    claims: list[dict[str, str]]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class BadFile(Exception):
    """The file cannot be read as a table from some line on (as opposed to a bad row in it)."""

    def __init__(self, message: str, *, line: int = 1):
        super().__init__(message)
        self.line = line


def header_problems(header: list[str]) -> list[str]:
    """Return what is wrong with a header row, in words for the person who made the file."""
    problems = []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append(f"missing required column(s): {', '.join(missing)}")
    if "qualifier" not in header and "wording" not in header:
        problems.append("needs a 'qualifier' or a 'wording' column for the count")
    if "source_title" not in header and "source_url" not in header:
        problems.append("needs a 'source_title' or a 'source_url' column")
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        problems.append(f"repeated column(s): {', '.join(repeated)}")
    return problems


def normalised_header(cells: Iterable) -> list[str]:
    return [str(cell or "").strip().lower() for cell in cells]


def records(table: Iterable[list], header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) for each non-blank record, lines counted as a spreadsheet shows them."""
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


def claim_lines(rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[ImportLine]:
    """Turn (line, row) records of a claims file into import lines of one claim each."""
    for line, row in rows:
        problems = [row.pop(None)] if None in row else []
        claim = {name: value for name, value in row.items() if name in COLUMNS}
        yield ImportLine(line, [claim], problems)


def decoded_lines(file: BinaryIO) -> Iterator[str]:
    """Decode a file line by line, so that text which is not UTF-8 is named by its line."""
    for number, raw in enumerate(file, start=1):
        try:
            yield (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).decode("utf-8")
        except UnicodeDecodeError:
            raise BadFile(
                "this row is not UTF-8 text, so nothing from it on can be read; save the file as UTF-8 CSV", line=number
            ) from None


def read_claims_csv(file: BinaryIO) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Return the header and a stream of (line, row) from a claims CSV opened in binary mode.

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


def write_claims_csv(rows: Iterable[dict], file: TextIO) -> None:
    writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
