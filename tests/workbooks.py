"""Workbooks written by hand, part by part, as a broken or hostile program might: the least an .xlsx
file holds, and a first sheet whose rows are given as XML."""

import zipfile
from collections.abc import Iterable
from typing import BinaryIO
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HANDMADE_PARTS = {
    "[Content_Types].xml": f'<Types xmlns="{PACKAGE}/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEET}.worksheet+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Claims" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def xlsx_handmade(rows: Iterable[bytes], file: BinaryIO) -> None:
    """Write a workbook whose first sheet holds these rows of XML, streamed: they may unpack to gigabytes."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as workbook:
        for name, text in HANDMADE_PARTS.items():
            workbook.writestr(name, text)
        with workbook.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")


def sheet_row(values: Iterable[str], number: int | str | None = None) -> bytes:
    """Return a row of a sheet's XML, its cells inline text, numbered by its `r` attribute if given one."""
    cells = "".join(f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>' for value in values)
    return (f"<row>{cells}</row>" if number is None else f'<row r="{number}">{cells}</row>').encode()
