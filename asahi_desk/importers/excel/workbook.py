"""Open a checked .xlsx with openpyxl read-only (streaming, memory flat) and read its sheets' rows."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asahi_desk.domain.errors import InputError
from asahi_desk.importers.excel import safety

Row = tuple[Any, ...]
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class SheetInfo:
    name: str
    rows: int | None  # as the sheet declares (None when it does not)
    columns: int | None
    visible: bool = True


class Workbook:
    """An open read-only workbook; use `open_workbook()` so the file is closed afterwards."""

    def __init__(self, path: Path, book: Any) -> None:
        self.path = path
        self._book = book

    def sheets(self) -> list[SheetInfo]:
        return [SheetInfo(ws.title, ws.max_row, ws.max_column, ws.sheet_state == "visible") for ws in self._book.worksheets]

    def sheet_names(self) -> list[str]:
        return list(self._book.sheetnames)

    def _sheet(self, name: str) -> Any:
        if name not in self._book.sheetnames:
            raise InputError(f"「{name}」シートがありません（シート: {'、'.join(self._book.sheetnames)}）", str(self.path))
        ws = self._book[name]
        if not hasattr(ws, "iter_rows"):
            raise InputError(f"「{name}」はグラフシートなどで、表として読めません", str(self.path))
        return ws

    def rows(self, name: str, *, limit: int | None = None) -> Iterator[tuple[int, Row]]:
        """(row number, values) for each row, streaming; formulas give their cached value (or None)."""
        ws = self._sheet(name)
        safety.check_dimensions(name, ws.max_row, ws.max_column, str(self.path))
        # The declared dimension is often wrong in files written by other systems: stream to the end,
        # counting as we go (a sheet declaring A1:G30 may hold 600,000 rows or a row of 16,384 cells).
        ws.reset_dimensions()
        max_rows, max_cols = safety.MAX_ROWS, safety.MAX_COLUMNS
        number = 0
        try:
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if limit is not None and number > limit:
                    return
                if number > max_rows:
                    raise InputError(f"「{name}」シートの行が多すぎます（{max_rows:,} 行を超えています）。"
                                     "読み込みを中止しました", str(self.path))
                if len(values) > max_cols:
                    if any(v is not None for v in values[max_cols:]):
                        raise InputError(f"「{name}」シート {number}行の列が多すぎます（{len(values):,} 列、上限 "
                                         f"{max_cols:,} 列）。読み込みを中止しました", str(self.path))
                    values = values[:max_cols]  # formatted but empty cells beyond the limit
                yield number, values
        except InputError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            raise InputError(f"「{name}」シートが壊れています（{e}）", str(self.path)) from None
        except Exception as e:  # defusedxml refusals and malformed XML all end the read cleanly
            message = xml_refusal(e, f"「{name}」シート")
            if message:
                raise InputError(message, str(self.path)) from None
            raise safety.cell_refusal(self.path, name, number, e) from None  # a cell it could not convert

    def formulas_without_value(self, name: str) -> set[tuple[int, int]]:
        """Cells of a sheet holding a formula whose result was never saved (openpyxl reads them as empty).

        A second streaming pass over the sheet XML, run only when an expected value is missing.
        """
        from defusedxml.ElementTree import iterparse  # openpyxl uses it too; no DTD, no entities

        ws = self._sheet(name)
        part = getattr(ws, "_worksheet_path", None)
        found: set[tuple[int, int]] = set()
        if not part:
            return found
        with zipfile.ZipFile(self.path) as zf, zf.open(part) as src:
            for _event, elem in iterparse(src, events=("end",)):
                if elem.tag != f"{_MAIN_NS}c":
                    continue
                formula = elem.find(f"{_MAIN_NS}f")
                value = elem.find(f"{_MAIN_NS}v")
                if formula is not None and (value is None or not (value.text or "").strip()):
                    m = _CELL_REF.fullmatch(elem.get("r", ""))
                    if m:
                        found.add((int(m.group(2)), _column_number(m.group(1))))
                elem.clear()
        return found

    def close(self) -> None:
        self._book.close()


def xml_refusal(error: BaseException, what: str) -> str | None:
    """A Japanese message when `error` (or what it wraps: openpyxl re-raises as ValueError) is an XML
    refusal: defusedxml's DTD/entity refusal, or malformed XML. None for anything else."""
    seen: set[int] = set()
    e: BaseException | None = error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        module = type(e).__module__
        if module.startswith("defusedxml"):
            return safety.DTD_MESSAGE.format(part=what)
        if module.startswith(("xml.", "lxml", "pyexpat")) or type(e).__name__ in ("ParseError", "ExpatError"):
            return f"{what}の XML が不正です（{type(e).__name__}）。読み込みを中止しました"
        e = e.__cause__ or e.__context__
    return None


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


@contextmanager
def open_workbook(path: Path) -> Iterator[Workbook]:
    """Pre-flight, then openpyxl read_only=True, data_only=True (cached formula values)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("ファイルがありません", str(path))
    safety.preflight(path)
    import openpyxl  # imported here: the app must start without loading openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except InputError:
        raise
    except Exception as e:  # whatever a malformed package raises inside openpyxl: bad input, not a bug
        message = xml_refusal(e, "ブック")
        if message:
            raise InputError(message, str(path)) from None
        raise InputError(f"Excel ブックとして読めません（{type(e).__name__}: {str(e)[:120]}）", str(path)) from None
    wb = Workbook(path, book)
    try:
        yield wb
    finally:
        wb.close()
