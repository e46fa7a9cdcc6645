"""How much an import reads at most, so that no file can take the server's memory or time.

The defaults leave room for years of real data: all 16,566 rows of UCDP GED Syria 2016–2019 are
11 MB of CSV with 41 columns, their longest cell 5,132 characters, and their text would make a
5 MB shared-strings table in a workbook; Airwars' 8,114 Syria incidents have 51 columns. Each
limit is a setting, read from the environment (docs/operators/configuration.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int  # a file as uploaded or given to the command
    max_unpacked_bytes: int  # an .xlsx workbook's parts unpacked, all together
    max_whole_parts_bytes: int  # the parts of a workbook read whole into memory: its shared strings and the rest
    max_rows: int  # lines after the header, blank ones included
    max_columns: int
    max_row_cells: int  # cells in one row, empty ones included, whether or not under a column
    max_cells: int  # cells in a file (or a sheet of a workbook), empty ones included
    max_cell_chars: int
    max_notes_listed: int  # errors, and warnings, listed in a report; the rest are counted

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
            max_whole_parts_bytes=settings.IMPORT_MAX_SHARED_STRINGS_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_row_cells=settings.IMPORT_MAX_ROW_CELLS,
            max_cells=settings.IMPORT_MAX_CELLS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            max_notes_listed=settings.IMPORT_MAX_ERRORS_LISTED,
        )


def megabytes(size: int) -> str:
    return _("%(size)s MB") % {"size": f"{size / 1_000_000:,.1f}"}
