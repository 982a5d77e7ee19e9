"""Open a checked .xlsx and read its sheets' rows: python-calamine where it serves, openpyxl read-only otherwise."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asahi_desk.domain.error_text import os_error
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.text import shown
from asahi_desk.importers.excel import package, safety

Row = tuple[Any, ...]
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# a sheet part larger than this is streamed by openpyxl instead: calamine holds a whole sheet in memory
# (a 20,000-row 事業別一覧表 is about 3 MB of XML; 16 MB of cells are at most about 800,000 cells, some
# tens of MB in memory, where openpyxl's streaming would refuse a hostile sheet at the row limit)
CALAMINE_MAX_PART = 16 * 1024 * 1024


@dataclass(frozen=True)
class SheetInfo:
    name: str
    rows: int | None  # as the sheet declares (None when it does not)
    columns: int | None
    visible: bool = True


class Workbook:
    """An open workbook; use `open_workbook()` so the file is closed afterwards.

    Sheets are read with python-calamine (Rust: about ten times openpyxl's read-only speed) where it
    gives exactly what openpyxl gives, else with openpyxl read-only (streaming, memory flat), opened
    only then: a sheet holding Excel error values (calamine reads them as empty, openpyxl as their
    text, which the amount rules report), a sheet part too large to hold in memory at once (openpyxl
    counts rows and columns while streaming and stops at the limits), or a package calamine cannot read
    (openpyxl's refusal names what is wrong)."""

    def __init__(self, path: Path, book: Any = None, *, calamine: Any = None,
                 parts: list[package.SheetPart] | None = None, checked: _Checked | None = None) -> None:
        self.path = path
        self._book = book  # openpyxl, opened on first need when calamine serves
        self._calamine = calamine
        self._parts = {p.name: p for p in parts or ()}
        # the last sheet calamine loaded (the wizard and the CLI read a sheet's header, then all of it),
        # kept with the file's checked state so the next open of the same bytes finds it (see _Checked)
        self._checked = checked or _Checked((), calamine, list(parts or ()))

    def _openpyxl(self) -> Any:
        if self._book is None:
            self._book = load_openpyxl(self.path)
        return self._book

    def sheets(self) -> list[SheetInfo]:
        if self._calamine is None:
            return [SheetInfo(ws.title, ws.max_row, ws.max_column, ws.sheet_state == "visible")
                    for ws in self._book.worksheets]
        infos = []
        with zipfile.ZipFile(self.path) as zf:
            for p in self._parts.values():
                if not p.chart:
                    rows, columns = package.declared_size(zf, p.part) if p.part else (None, None)
                    infos.append(SheetInfo(p.name, rows, columns, p.visible))
        return infos

    def sheet_names(self) -> list[str]:
        return list(self._parts) if self._calamine is not None else list(self._book.sheetnames)

    def _check_name(self, name: str) -> None:
        names = self.sheet_names()
        if name not in names:
            raise InputError(f"「{name}」シートがありません（シート: {'、'.join(names)}）", str(self.path))
        if self._calamine is not None and (self._parts[name].chart or not self._parts[name].part):
            raise InputError(f"「{name}」はグラフシートなどで、表として読めません", str(self.path))

    def _sheet(self, name: str) -> Any:
        self._check_name(name)
        book = self._openpyxl()
        ws = book[name]
        if not hasattr(ws, "iter_rows"):
            raise InputError(f"「{name}」はグラフシートなどで、表として読めません", str(self.path))
        return ws

    def rows(self, name: str, *, limit: int | None = None) -> Iterator[tuple[int, Row]]:
        """(row number, values) for each row; formulas give their cached value (or None)."""
        self._check_name(name)
        sheet = self._calamine_sheet(name)
        if sheet is None:
            yield from self._streamed_rows(name, limit)
            return
        yield from _limited(name, str(self.path), _calamine_rows(sheet, limit), limit)

    def reader(self, name: str) -> str:
        """Which library reads this sheet: "calamine" or "openpyxl" (logged, and checked by the tests)."""
        self._check_name(name)
        return "calamine" if self._calamine_sheet(name) is not None else "openpyxl"

    def _calamine_sheet(self, name: str) -> Any:
        """The sheet loaded by calamine, or None when openpyxl must read it (see the class docstring)."""
        if self._calamine is None:
            return None
        checked = self._checked
        with checked.lock:
            part = self._parts[name].part
            assert part is not None
            if name not in checked.facts:
                with zipfile.ZipFile(self.path) as zf:
                    size = zf.getinfo(part).file_size
                    rows, columns = package.declared_size(zf, part)
                    safety.check_dimensions(name, rows, columns, str(self.path))
                    known = checked.error_parts.get(part)
                    checked.facts[name] = (size, size <= CALAMINE_MAX_PART and (
                        known if known is not None else package.has_error_cells(zf, part)))
            size, error_cells = checked.facts[name]
            if size > CALAMINE_MAX_PART or error_cells:
                return None
            if checked.loaded is not None and checked.loaded[0] == name:
                return checked.loaded[1]
            try:
                sheet = self._calamine.get_sheet_by_name(name)
            except Exception:  # malformed sheet XML: openpyxl's reading of it says what is wrong
                checked.facts[name] = (size, True)
                return None
            checked.loaded = (name, sheet)
            return sheet

    def _streamed_rows(self, name: str, limit: int | None) -> Iterator[tuple[int, Row]]:
        ws = self._sheet(name)
        safety.check_dimensions(name, ws.max_row, ws.max_column, str(self.path))
        # The declared dimension is often wrong in files written by other systems: stream to the end,
        # counting as we go (a sheet declaring A1:G30 may hold 600,000 rows or a row of 16,384 cells).
        ws.reset_dimensions()
        number = 0  # the last row read whole, for the place of a cell openpyxl cannot convert
        try:
            for number, values in _limited(name, str(self.path), ws.iter_rows(values_only=True), limit):
                yield number, values
        except InputError:
            raise
        except (zipfile.BadZipFile, EOFError):  # zipfile's text is English: a fixed reason instead
            raise InputError(f"「{name}」シートが壊れているか、途中で切れています", str(self.path)) from None
        except OSError as e:
            raise InputError(f"「{name}」シートを読めません（{os_error(e)}）", str(self.path)) from None
        except Exception as e:  # defusedxml refusals and malformed XML all end the read cleanly
            message = xml_refusal(e, f"「{name}」シート")
            if message:
                raise InputError(message, str(self.path)) from None
            raise safety.cell_refusal(self.path, name, number, e) from None  # a cell it could not convert

    def formulas_without_value(self, name: str) -> set[tuple[int, int]]:
        """Cells of a sheet holding a formula whose result was never saved (read as empty).

        A second streaming pass over the sheet XML, run only when an expected value is missing.
        """
        from defusedxml.ElementTree import iterparse  # no DTD, no entities

        if self._calamine is not None:
            self._check_name(name)
            part = self._parts[name].part
        else:
            part = getattr(self._sheet(name), "_worksheet_path", None)
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
                        found.add((int(m.group(2)), package.column_number(m.group(1))))
                elem.clear()
        return found

    def close(self) -> None:
        if self._calamine is not None and not self._checked.key:
            self._calamine.close()  # a remembered book stays open for the next open (see _Checked)
        if self._book is not None:
            self._book.close()


def _limited(name: str, where: str, rows: Iterable[Row], limit: int | None) -> Iterator[tuple[int, Row]]:
    """Number the rows, stop at limit, refuse a sheet beyond MAX_ROWS or a row with cells beyond MAX_COLUMNS."""
    max_rows, max_cols = safety.MAX_ROWS, safety.MAX_COLUMNS
    for number, values in enumerate(rows, start=1):
        if limit is not None and number > limit:
            return
        if number > max_rows:
            raise InputError(f"「{name}」シートの行が多すぎます（{max_rows:,} 行を超えています）。"
                             "読み込みを中止しました", where)
        if len(values) > max_cols:
            if any(v is not None for v in values[max_cols:]):
                raise InputError(f"「{name}」シート {number}行の列が多すぎます（{len(values):,} 列、上限 "
                                 f"{max_cols:,} 列）。読み込みを中止しました", where)
            values = values[:max_cols]  # formatted but empty cells beyond the limit
        yield number, values


def _calamine_rows(sheet: Any, limit: int | None = None) -> Iterator[Row]:
    """calamine's rows as openpyxl gives them: from A1 (skip_empty_area=False; by default calamine starts at
    the first cell used), empty cells None (calamine: ''), whole numbers int (calamine: float for every
    number), a date cell a datetime."""
    # nrows: a header scan converts its first rows, not the whole sheet
    for values in sheet.to_python(skip_empty_area=False, nrows=limit):
        # text, empty cells and numbers inline (most cells), the rest (dates …) through _cell
        yield tuple([(v or None) if (kind := type(v)) is str else
                     (int(v) if v.is_integer() and -_BIG < v < _BIG else v) if kind is float else _cell(v)
                     for v in values])


_BIG = 2 ** 53  # beyond it a float is not an exact whole number any more


def _cell(v: Any) -> Any:
    kind = type(v)
    if kind is str:
        return v or None
    if kind is float:
        return int(v) if v.is_integer() and -_BIG < v < _BIG else v
    if kind is dt.date:
        return dt.datetime(v.year, v.month, v.day)
    return v


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


@contextmanager
def open_workbook(path: Path) -> Iterator[Workbook]:
    """Pre-flight (safety.preflight: zip structure, sizes, no DTD), then python-calamine, openpyxl read-only
    (data_only: cached formula values) where calamine cannot serve."""
    path = Path(path)
    if not path.is_file():
        raise InputError("ファイルがありません", str(path))
    key, data = _file_key(path)
    checked = _last_checked()
    if checked is not None and key and checked.key == key:
        wb = Workbook(path, calamine=checked.calamine, parts=checked.parts, checked=checked)
    else:
        error_cells = safety.preflight(path)
        wb = _open_calamine(path, key, data, error_cells) or Workbook(path, load_openpyxl(path))
    try:
        yield wb
    finally:
        wb.close()


@dataclass
class _Checked:
    """A file that passed safety.preflight and opened in python-calamine, remembered with its last loaded
    sheet for the next open of the same bytes: the CLI and the wizard open a workbook two or three times
    (sheets and headers, then the chosen sheet), and the checks plus calamine's load of a 20,000-row
    sheet cost more than its rows' parsing. Keyed by the content's digest, not the file name or time,
    so a file changed in between is checked again. One file is kept (memory: one sheet's cells)."""

    key: tuple[Any, ...]
    calamine: Any
    parts: list[package.SheetPart]
    # sheet -> (part size, whether calamine cannot serve it: error or ISO date cells, malformed XML)
    facts: dict[str, tuple[int, bool]] = field(default_factory=dict)
    # part -> whether it holds error or ISO date cells, as safety.preflight found while counting it
    error_parts: dict[str, bool] = field(default_factory=dict)
    loaded: tuple[str, Any] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)  # workers of the wizard share it


_LAST: list[_Checked] = []
_LAST_LOCK = threading.Lock()


def _last_checked() -> _Checked | None:
    with _LAST_LOCK:
        return _LAST[0] if _LAST else None


def _file_key(path: Path) -> tuple[tuple[Any, ...], bytes | None]:
    """(path, size, digest of the bytes) and the bytes, or ((), None) when the file is too large to hold
    at once (then it is simply checked again: safety.preflight refuses it anyway)."""
    try:
        size = path.stat().st_size
        if size > safety.MAX_FILE_BYTES:
            return (), None
        data = path.read_bytes()
    except OSError:
        return (), None
    return (str(path.resolve()), len(data), hashlib.blake2b(data, digest_size=32).digest()), data


def _open_calamine(path: Path, key: tuple[Any, ...] = (), data: bytes | None = None,
                   error_cells: dict[str, bool] | None = None) -> Workbook | None:
    """The workbook through python-calamine, or None when it cannot read it (openpyxl then says why).
    Read from the bytes already in memory when given: calamine then holds no handle on the file, which
    Windows would otherwise keep from being saved over while the workbook is remembered (_Checked)."""
    try:
        from python_calamine import CalamineWorkbook

        with zipfile.ZipFile(path) as zf:
            parts = package.sheet_parts(zf)
            members = set(zf.namelist())
        if any(p.part and p.part not in members for p in parts):
            return None  # a sheet whose part is missing: openpyxl's load names the part
        book = CalamineWorkbook.from_filelike(io.BytesIO(data)) if data is not None else \
            CalamineWorkbook.from_path(str(path))
    except Exception:
        return None
    if [p.name for p in parts] != list(book.sheet_names):
        book.close()
        return None
    checked = _Checked(key, book, parts, error_parts=dict(error_cells or {}))
    if key:
        with _LAST_LOCK:
            _LAST[:] = [checked]  # the one before is closed by the collector once no open workbook uses it
    return Workbook(path, calamine=book, parts=parts, checked=checked)


def load_openpyxl(path: Path) -> Any:
    """openpyxl read_only=True, data_only=True (cached formula values); its failures as InputError."""
    import openpyxl  # imported here: the app must start without loading openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except InputError:
        raise
    except Exception as e:  # whatever a malformed package raises inside openpyxl: bad input, not a bug
        message = xml_refusal(e, "ブック")
        if message:
            raise InputError(message, str(path)) from None
        raise InputError(unreadable_message(e), str(path)) from None


_MISSING_MEMBER = re.compile(r"no item named '([^']{1,200})'")


def unreadable_message(error: BaseException) -> str:
    """One Japanese line for a package openpyxl cannot load (its own English text is never shown): the
    missing part when a part is missing, else what the clerk can do."""
    m = _MISSING_MEMBER.search(str(error)) if isinstance(error, KeyError) else None
    if m:
        return f"Excel ブックとして読めません（ブックの中の {shown(m.group(1))} がありません。ファイルが壊れています）"
    return ("Excel ブックとして読めません（ブックの中身が壊れているか、Excel の .xlsx 形式ではありません。"
            "Excel で開いて .xlsx に保存し直してください）")
