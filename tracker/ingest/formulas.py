"""Keeping CSV cells from running as formulas in a spreadsheet, reversibly.

A spreadsheet program runs a CSV cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or
carriage return) as a formula: a party named `=HYPERLINK(...)` would become a link on the reader's
screen. Such a cell is written with a leading `'`, which spreadsheets take as "this is text", and
the importer takes it off again, so that a file exported and imported back is unchanged. A cell
that already starts with quotes before such a character gets one more, so that the pair is exact
for any text. A plain number ("-33.5", "12") is not a formula and is written as it is.
"""

from __future__ import annotations

import re

TEXT_MARK = "'"
FORMULA_START = "=+-@\t\r"

NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
ESCAPABLE = re.compile(f"'*[{re.escape(FORMULA_START)}]")  # what would run, behind any quotes
ESCAPED = re.compile(f"'+[{re.escape(FORMULA_START)}]")


def formula_escaped(text: str) -> str:
    """Return a CSV cell that no spreadsheet runs as a formula."""
    if ESCAPABLE.match(text) and not NUMBER.fullmatch(text):
        return TEXT_MARK + text
    return text


def formula_unescaped(text: str) -> str:
    """Return the text that `formula_escaped` was given."""
    return text[1:] if ESCAPED.match(text) else text
