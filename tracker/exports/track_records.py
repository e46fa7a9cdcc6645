"""Writing each party's track record: one object (JSON) or row (CSV) per party, by name.

`track_records_write(track_record_rows(filters), format="json"|"csv", stream=...)`; a view can write
straight into an HttpResponse. The figures are exact fractions until here, where the ratios and the
share of claims retracted are rounded to three decimals, half up: a JSON number, a CSV decimal.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import IO

from tracker.ingest.formulas import formula_escaped
from tracker.summaries.track_records import TrackFilters, party_track_records

TRACK_RECORD_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
TRACK_RECORD_COLUMNS = (
    "party", "groups", "above", "within", "below", "median_ratio", "q1", "q3", "denials", "retracted_share",
    "revised_up", "revised_down", "deaths_in_conflict", "too_few",
)  # fmt: skip
PLACES = Decimal("0.001")


def rounded(number: Fraction | None) -> Decimal | None:
    """Round an exact figure to three decimals, half up, for a download."""
    if number is None:
        return None
    return (Decimal(number.numerator) / Decimal(number.denominator)).quantize(PLACES, rounding=ROUND_HALF_UP)


def track_record_rows(filters: TrackFilters | None = None) -> Iterator[dict]:
    """Yield each party's track record under the filters (none: every claim), as a row of TRACK_RECORD_COLUMNS."""
    for party, record in party_track_records(filters or TrackFilters()):
        yield {
            "party": party, "groups": record.groups, "above": record.above, "within": record.within,
            "below": record.below, "median_ratio": rounded(record.median_ratio), "q1": rounded(record.q1),
            "q3": rounded(record.q3), "denials": record.denials, "retracted_share": rounded(record.retracted_share),
            "revised_up": record.revised_up, "revised_down": record.revised_down,
            "deaths_in_conflict": record.conflicted_deaths, "too_few": record.too_few,
        }  # fmt: skip


def json_value(value):
    """A figure as JSON holds it: a rounded decimal as a number, the rest as it is."""
    return float(value) if isinstance(value, Decimal) else value


def csv_value(value) -> str:
    """A figure as a CSV cell holds it: empty for none, true or false, no cell run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return formula_escaped(str(value))


def track_records_write(rows: Iterable[dict], *, format: str, stream: IO) -> None:
    """Write track record rows as "json" (an array of objects) or "csv" (a header row, then a row per party)."""
    if format == "json":
        records = [{column: json_value(value) for column, value in row.items()} for row in rows]
        json.dump(records, stream, ensure_ascii=False, indent=1)
        stream.write("\n")
    elif format == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(TRACK_RECORD_COLUMNS)
        writer.writerows([csv_value(row[column]) for column in TRACK_RECORD_COLUMNS] for row in rows)
    else:
        raise ValueError(f"unknown track record format {format!r}")
