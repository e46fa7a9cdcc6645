"""Dates stated to the day, the month or the year: a claim made "in September 2017", a report of 2016.

A month or a year is stored as its first day, which is where it counts when claims are ordered, and is
written back as it was stated: `2017-09-01` at day precision, `2017-09` at month, `2017` at year.
"""

import re
from datetime import date

DAY = "day"
MONTH = "month"
YEAR = "year"

# A spreadsheet writes a day as its midnight.
STATED_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ]00:00(?::00)?)?)?)?$")


def stated_date(text: str) -> tuple[date, str] | None:
    """Read `YYYY-MM-DD`, `YYYY-MM` or `YYYY` as the first day it names and its precision, or None."""
    match = STATED_DATE.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1)), DAY if day else MONTH if month else YEAR
    except ValueError:  # 2018-02-30, 2018-13
        return None


def first_day(day: date, precision: str) -> date:
    """Return the day a date of this precision is stored as."""
    if precision == YEAR:
        return day.replace(month=1, day=1)
    if precision == MONTH:
        return day.replace(day=1)
    return day


def stated_text(day: date, precision: str) -> str:
    """Write a date as `stated_date` reads it."""
    if precision == YEAR:
        return f"{day.year:04d}"
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
