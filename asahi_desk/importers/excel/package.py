"""What the .xlsx package says about its sheets, read straight from the zip: parts, declared sizes, error cells.

Used beside python-calamine (which says nothing of these) and only after safety.preflight has passed the file.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")
_HEAD_BYTES = 64 * 1024  # the <dimension> element comes before the cells, in the first few hundred bytes
_CHUNK = 1024 * 1024
# a cell whose cached value is an Excel error (#DIV/0!, #REF! …): t="e" on a <c> element
# error values (calamine reads them as empty) and ISO date cells (calamine passes a malformed one on as
# text, where openpyxl's conversion refuses it with its place)
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*\bt=\"[ed]\"")


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str | None  # the zip member of its XML (None: the workbook names no part for it)
    visible: bool
    chart: bool  # a chartsheet: no cells


def sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """The sheets in workbook order with their parts, from xl/workbook.xml and its relationships."""
    from defusedxml.ElementTree import fromstring  # no DTD, no entities (safety.preflight refused them too)

    book = fromstring(zf.read("xl/workbook.xml"))
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in zf.namelist():
        for rel in fromstring(zf.read("xl/_rels/workbook.xml.rels")).iter(f"{_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = part
    sheets = []
    for sheet in book.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id", ""))
        sheets.append(SheetPart(sheet.get("name", ""), part, sheet.get("state", "visible") == "visible",
                                bool(part and "chartsheets/" in part)))
    return sheets


def declared_size(zf: zipfile.ZipFile, part: str) -> tuple[int | None, int | None]:
    """(rows, columns) as the sheet's <dimension ref="A1:G30"> declares them (the last cell), or (None, None)."""
    with zf.open(part) as src:
        head = src.read(_HEAD_BYTES)
    cells = _SHEET_DATA.search(head)
    m = _DIMENSION.search(head, 0, cells.start() if cells else len(head))
    if not m:
        return None, None
    letters, row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
    return int(row), column_number(letters.decode())


def error_cells_in(text: bytes) -> bool:
    """Whether these bytes of a sheet hold a cell with an error value or an ISO date (see has_error_cells);
    the pattern runs only where its attribute is (a C search first: most sheets have none)."""
    return (b't="e"' in text or b't="d"' in text) and _ERROR_CELL.search(text) is not None


def has_error_cells(zf: zipfile.ZipFile, part: str) -> bool:
    """Whether any cell of the sheet holds an Excel error value or an ISO date (t="d"): such a sheet is read
    by openpyxl. One streaming pass, no XML parsing."""
    tail = b""
    with zf.open(part) as src:
        while chunk := src.read(_CHUNK):
            if error_cells_in(tail + chunk):
                return True
            tail = chunk[-256:]  # a tag split across two chunks
    return False


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
