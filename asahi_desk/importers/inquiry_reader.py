"""Read an answered 照会票 (through the Excel safety pre-flight) into plain rows with their places.

No database here: the service matches the rows against the year. A workbook re-saved by Excel or
LibreOffice reads the same; when the hidden 照会情報 sheet is gone, `base` is None and the year and 課 come
from the 記入方法 sheet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asahi_desk.domain import inquiry as iq
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.money import MAX_AMOUNT
from asahi_desk.importers.excel.workbook import Workbook, open_workbook


@dataclass(frozen=True)
class BaseRow:
    """One row of the hidden sheet: what a program, line item or indicator was when exported."""

    kind: str  # 事業, 細事業, 指標
    code: str
    program: str
    number: int | None  # 細事業番号, or the indicator's place (1..) in its program
    program_uid: str
    item_uid: str | None
    values: dict[str, Any]


@dataclass(frozen=True)
class AnswerRow:
    """One filled row of a visible sheet, its values already typed (amount int, activities tuple)."""

    sheet: str
    row: int
    code: str  # 事業コード as written ('' when empty)
    program: str  # 事業名 as written ('' on the 事業指標 sheet)
    number: int | None  # 細事業番号 ('' -> None: an added line item); the indicator's place in its program
    values: dict[str, Any]

    @property
    def place(self) -> str:
        return f"「{self.sheet}」シート {self.row}行"


@dataclass(frozen=True)
class AnswerBook:
    path: Path
    fiscal_year: int
    section: str
    base: tuple[BaseRow, ...] | None  # None: the hidden sheet is gone
    programs: tuple[AnswerRow, ...]
    items: tuple[AnswerRow, ...]
    indicators: tuple[AnswerRow, ...]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _whole(value: Any, where: str, label: str) -> int | None:
    """A whole number ≥ 0 from a cell (LibreOffice may store 725 as 725.0), None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InputError(f"{label}が数値ではありません（{value}）", where)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.isascii() and text.isdigit():
            value = int(text)
    if not isinstance(value, int) or value < 0 or value > MAX_AMOUNT:
        raise InputError(f"{label}は0以上の整数で書いてください（{value}）", where)
    return value


def _header(wb: Workbook, sheet: str, labels: tuple[str, ...]) -> None:
    for _n, values in wb.rows(sheet, limit=1):
        got = tuple(_text(v) for v in values[:len(labels)])
        if got != labels:
            raise InputError(f"「{sheet}」シートの見出しが照会票のものと違います（{'、'.join(got)}）。"
                             f"見出しは {'、'.join(labels)} です", str(wb.path))
        return
    raise InputError(f"「{sheet}」シートが空です", str(wb.path))


def _rows(wb: Workbook, sheet: str, width: int) -> list[tuple[int, list[Any]]]:
    rows = []
    for n, values in wb.rows(sheet):
        if n == 1:
            continue
        cells = list(values[:width]) + [None] * (width - len(values[:width]))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        rows.append((n, cells))
    return rows


def read_answer(path: Path) -> AnswerBook:
    """The answered workbook at path; InputError naming file, sheet and row for anything not an answer."""
    path = Path(path)
    with open_workbook(path) as wb:
        names = wb.sheet_names()
        for sheet in (iq.PROGRAMS_SHEET, iq.ITEMS_SHEET, iq.INDICATORS_SHEET):
            if sheet not in names:
                raise InputError(f"照会票ではありません（「{sheet}」シートがありません）", str(path))
        base, year, section = None, None, None
        if iq.BASE_SHEET in names:
            base, year, section = _read_base(wb)
        elif iq.HOWTO_SHEET in names:
            year, section = _read_howto(wb)
        if year is None or not section:
            raise InputError("照会票の年度と課が分かりません（「照会情報」「記入方法」シートがありません）", str(path))
        _header(wb, iq.PROGRAMS_SHEET, iq.PROGRAM_COLUMNS)
        _header(wb, iq.ITEMS_SHEET, iq.ITEM_COLUMNS)
        _header(wb, iq.INDICATORS_SHEET, iq.INDICATOR_COLUMNS)
        programs = tuple(AnswerRow(iq.PROGRAMS_SHEET, n, _text(c[0]), _text(c[1]), None, {"purpose": _text(c[2])})
                         for n, c in _rows(wb, iq.PROGRAMS_SHEET, 3))
        items = []
        for n, c in _rows(wb, iq.ITEMS_SHEET, 7):
            where = f"{path}: 「{iq.ITEMS_SHEET}」シート {n}行"
            number = _whole(c[2], where + " C列", "細事業番号")
            amount = _whole(c[4], where + " E列", "金額")
            marker = _text(c[5])
            if marker not in ("", "新", "拡"):
                raise InputError(f"記号は「新」「拡」または空欄です（{marker}）", where + " F列")
            items.append(AnswerRow(iq.ITEMS_SHEET, n, _text(c[0]), _text(c[1]), number, {
                "name": _text(c[3]), "amount": amount, "marker": marker, "activities": iq.activities_of(c[6])}))
        indicators = []
        places: dict[str, int] = {}
        for n, c in _rows(wb, iq.INDICATORS_SHEET, 5):
            code = _text(c[0])
            places[code] = places.get(code, 0) + 1
            indicators.append(AnswerRow(iq.INDICATORS_SHEET, n, code, "", places[code], {
                "name": _text(c[1]), "target": _text(c[2]), "unit": _text(c[3])}))
    return AnswerBook(path, year, section, base, programs, tuple(items), tuple(indicators))


def _read_base(wb: Workbook) -> tuple[tuple[BaseRow, ...], int | None, str | None]:
    meta: dict[str, Any] = {}
    rows: list[BaseRow] = []
    in_table = False
    for n, values in wb.rows(iq.BASE_SHEET):
        cells = list(values[:7]) + [None] * (7 - len(values[:7]))
        if not in_table:
            if _text(cells[0]) == iq.BASE_COLUMNS[0]:
                in_table = True
            elif cells[0] is not None:
                meta[_text(cells[0])] = cells[1]
            continue
        if cells[0] is None:
            continue
        where = f"{wb.path}: 「{iq.BASE_SHEET}」シート {n}行"
        try:
            values_json = json.loads(_text(cells[6]) or "{}")
        except json.JSONDecodeError:
            raise InputError("照会情報が壊れています（基準値が読めません）", where) from None
        if not isinstance(values_json, dict):
            raise InputError("照会情報が壊れています（基準値が読めません）", where)
        number = cells[3]
        rows.append(BaseRow(_text(cells[0]), _text(cells[1]), _text(cells[2]),
                            int(number) if isinstance(number, (int, float)) else None,
                            _text(cells[4]), _text(cells[5]) or None, values_json))
    if _text(meta.get("形式")) != iq.FORMAT:
        raise InputError(f"照会情報の形式が違います（{_text(meta.get('形式'))}）", str(wb.path))
    year = _whole(meta.get("年度"), f"{wb.path}: 「{iq.BASE_SHEET}」シート", "年度")
    return tuple(rows), year, _text(meta.get("課"))


def _read_howto(wb: Workbook) -> tuple[int | None, str | None]:
    year, section = None, None
    for n, values in wb.rows(iq.HOWTO_SHEET, limit=iq.HOWTO_SECTION_ROW):
        if n == iq.HOWTO_YEAR_ROW and len(values) > 1:
            year = _whole(values[1], f"{wb.path}: 「{iq.HOWTO_SHEET}」シート B{n}", "年度")
        if n == iq.HOWTO_SECTION_ROW and len(values) > 1:
            section = _text(values[1])
    return year, section
