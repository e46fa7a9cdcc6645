"""CSV that PostgreSQL writes itself, streamed with COPY: byte for byte what Python's `csv` writes.

A million claims cost Python's csv writer, and the tuples fed to it, several times what the
database takes to send them. Here each line is put together in SQL (cells formula-escaped as
`tracker.exports.formulas` does, then quoted as `csv.writer` quotes them) and COPY sends the lines
as they come. The Python writers stay the definition: tests compare the two byte for byte.

COPY's own CSV format cannot stand in for `csv.writer`: it quotes a cell with a carriage return,
which `csv.writer` (its line end "\\n") leaves bare. So each line is one text column, and COPY's
text format backslash-escapes what it sends; `copy_lines` takes the escapes off again.
"""

from __future__ import annotations

import re
import sys
from functools import cache, partial
from typing import IO

from django.db import connections

from tracker.ingest.formulas import FORMULA_START, TEXT_MARK

BATCH_BYTES = 1 << 20  # written to the stream a megabyte at a time, so memory stays flat

# COPY's text format escapes a backslash and these control characters; nothing else.
COPY_ESCAPES = {b"\\": b"\\", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}
COPY_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)


def writes_csv_itself(database: str) -> bool:
    """Whether this database can write the CSV exports itself."""
    return connections[database].vendor == "postgresql"


@cache
def decimal_digits() -> str:
    """Every character Python's `\\d` matches (a Unicode decimal digit), as ranges of a bracket expression."""
    digits = [code for code in range(sys.maxunicode + 1) if chr(code).isdecimal()]
    ranges, start = [], digits[0]
    for previous, code in zip(digits, [*digits[1:], None], strict=True):
        if code != previous + 1:
            ranges.append(f"{chr(start)}-{chr(previous)}")
            start = code
    return "".join(ranges)


@cache
def formula_patterns() -> tuple[str, str, str]:
    """`formula_escaped`'s tests for PostgreSQL: the codes of a cell's first character that may start a
    formula (a quick test that most cells fail), what may run behind any quotes, and a plain number."""
    starts = ", ".join(str(ord(character)) for character in TEXT_MARK + FORMULA_START)
    formula_start = "[" + FORMULA_START.replace("-", "") + "-]"  # a "-" last in a bracket is itself
    digit = f"[{decimal_digits()}]"
    return starts, f"^{TEXT_MARK}*{formula_start}", f"^[+-]?{digit}+(\\.{digit}+)?$"


def formula_marked(text: str) -> tuple[str, list]:
    """Return SQL (and its parameters) for `formula_escaped(text)`; `text` is an SQL expression, never null."""
    starts, escapable, number = formula_patterns()
    sql = f"(CASE WHEN ascii({text}) IN ({starts}) AND {text} ~ %s AND {text} !~ %s THEN %s || {text} ELSE {text} END)"
    return sql, [escapable, number, TEXT_MARK]


def csv_cell(text: str) -> tuple[str, list]:
    """Return SQL (and its parameters) for a text cell as `csv.writer` writes `formula_escaped(text)`."""
    marked, params = formula_marked(text)
    quoting = f"strpos({text}, ',') > 0 OR strpos({text}, '\"') > 0 OR strpos({text}, chr(10)) > 0"
    return f"""(CASE WHEN {quoting} THEN '"' || replace({marked}, '"', '""') || '"' ELSE {marked} END)""", params * 2


def csv_lines(cells: list[tuple[str, bool]], rows: str) -> tuple[str, list]:
    """Return a query (and its parameters, those of `rows` to follow) for the CSV line of each row.

    `cells` are SQL expressions over the columns of `rows` (an SQL FROM item), none of them null,
    each with whether it is text (formula-escaped, quoted where needed) or a plain value such as a
    number. A line is first put together unquoted: with as many commas as cells call for, and no
    quote or line end, no cell needed quotes (a formula mark is neither), and it is the line.
    """
    marked = [formula_marked(sql) if text else (sql, []) for sql, text in cells]
    quoted = [csv_cell(sql) if text else (sql, []) for sql, text in cells]
    plain = "concat_ws(',', " + ", ".join(sql for sql, _ in marked) + ")"
    unquoted = (
        f"strpos(plain, '\"') = 0 AND strpos(plain, chr(10)) = 0"
        f" AND octet_length(plain) - octet_length(replace(plain, ',', '')) = {len(cells) - 1}"
    )
    sql = f"""
        SELECT CASE WHEN {unquoted} THEN plain ELSE concat_ws(',', {", ".join(sql for sql, _ in quoted)}) END
        FROM (SELECT *, {plain} AS plain FROM {rows} OFFSET 0) AS line
    """  # OFFSET 0 keeps the plain line worked out once, not once per mention
    return sql, [param for _, params in quoted for param in params] + [
        param for _, params in marked for param in params
    ]


def copy_lines(sql: str, params: list, *, database: str, stream: IO) -> None:
    """Write each line the query selects (one text column, its line end left off) to a text stream."""
    connection = connections[database]
    # Composed here, as Django's cursor takes no parameters for a COPY.
    statement = connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT", params)

    def lines_written(statement, params, many, context):
        with context["cursor"].copy(statement) as copy:
            batch, size = [], 0
            for row in copy:  # one line a row, ending "\n"
                batch.append(row)
                size += len(row)
                if size >= BATCH_BYTES:
                    stream.write(unescaped(b"".join(batch)))
                    batch, size = [], 0
            if batch:
                stream.write(unescaped(b"".join(batch)))

    # Django runs its execute wrappers (a query counter, say) around execute() only: a COPY goes through
    # them here as a query goes through them there, so that whoever counts queries counts this one.
    with connection.cursor() as cursor:
        run = lines_written
        for wrapper in reversed(connection.execute_wrappers):
            run = partial(wrapper, run)
        run(statement, None, False, {"connection": connection, "cursor": cursor})


def unescaped(lines: bytes) -> str:
    """Return lines as COPY's text format had them before it escaped them."""
    if b"\\" in lines:
        lines = COPY_ESCAPE.sub(lambda escape: COPY_ESCAPES[escape[1]], lines)
    return lines.decode()
