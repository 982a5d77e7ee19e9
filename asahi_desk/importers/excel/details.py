"""The detail sheets written by Excel export (事業, 細事業, 指標, 関連事業, 年度情報) read back into the
JSON interchange form, so json_format.parse_budget validates them and nothing is lost in a round trip.

Sheet and column names come from domain/excel_sheets.py, the one definition the writer uses too.
"""

from __future__ import annotations

import json
from typing import Any

from asahi_desk.domain.error_text import json_syntax
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.excel_sheets import (
    FORMAT,
    INDICATOR_COLUMNS,
    INDICATORS_SHEET,
    INFO_SHEET,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    LIST_SHEET,
    OPTIONAL_COLUMNS,
    PROGRAM_COLUMNS,
    PROGRAMS_SHEET,
    RELATED_COLUMNS,
    RELATED_SHEET,
)
from asahi_desk.importers.excel.cells import place, text_of
from asahi_desk.importers.excel.workbook import Row, Workbook

__all__ = ["LIST_SHEET", "detail_year", "has_details", "read_details"]  # the sheet names: importers use them from here


def has_details(wb: Workbook) -> bool:
    names = wb.sheet_names()
    if not all(s in names for s in (INFO_SHEET, PROGRAMS_SHEET)):
        return False
    for _n, values in wb.rows(INFO_SHEET, limit=1):
        return len(values) > 1 and values[1] == FORMAT
    return False


def detail_year(wb: Workbook) -> int | None:
    info = _info(wb)
    year = info.get("fiscal_year")
    return year if isinstance(year, int) else None


def _info(wb: Workbook) -> dict[str, Any]:
    chunks: list[str] = []
    for _n, values in wb.rows(INFO_SHEET):
        if values and values[0] == "JSON" and len(values) > 1 and isinstance(values[1], str):
            chunks.append(values[1])
    try:
        info = json.loads("".join(chunks))
    except json.JSONDecodeError as e:
        raise InputError(f"「{INFO_SHEET}」シートの JSON が壊れています（{json_syntax(e)}）", str(wb.path)) from None
    if not isinstance(info, dict):
        raise InputError(f"「{INFO_SHEET}」シートの内容が正しくありません", str(wb.path))
    return info


def read_details(wb: Workbook) -> dict[str, Any]:
    """The workbook's budget as an interchange dict (parse_budget checks every value)."""
    info = _info(wb)
    photos: dict[str, list] = info.pop("photos", {}) or {}
    categories: list[dict[str, Any]] = info.pop("categories", [])
    programs: dict[int, dict[str, Any]] = {}
    by_category: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for number, _values, get in _table(wb, PROGRAMS_SHEET, PROGRAM_COLUMNS):
        seq = _seq(wb, PROGRAMS_SHEET, number, get("通し番号"))
        p: dict[str, Any] = {
            "code": get("事業コード") or None, "number": get("番号"), "name": text_of(get("事業名")),
            "sections": _list(get("課名")), "purpose": _text(get("目的")),
            "current": get("予算額"), "prior": get("前年度額"), "change": get("増▲減"),
            "line_items": [], "indicators": [], "related_bureau_programs": [],
            "photos": photos.get(str(seq), []), "notes": _list(get("備考")),
        }
        if get("uid"):
            p["uid"] = get("uid")
        programs[seq] = p
        key = (get("施策コード") or None, _text(get("施策名")))
        by_category.setdefault(key, []).append(p)
    for number, _values, get in _table(wb, ITEMS_SHEET, ITEM_COLUMNS):
        li: dict[str, Any] = {"number": get("番号"), "name": _text(get("細事業名")), "amount": get("金額"),
                              "marker": get("区分") or None, "activities": _list(get("活動内容"))}
        if get("前年度額") is not None:
            li["prior"] = get("前年度額")
        if get("課名") is not None:
            li["sections"] = _list(get("課名"))
        if get("uid"):
            li["uid"] = get("uid")
        _owner(wb, programs, ITEMS_SHEET, number, get("通し番号"))["line_items"].append(li)
    for number, _values, get in _table(wb, INDICATORS_SHEET, INDICATOR_COLUMNS):
        _owner(wb, programs, INDICATORS_SHEET, number, get("通し番号"))["indicators"].append(
            {"name": _text(get("指標")), "target": _text(get("目標")), "unit": _text(get("単位"))}
            | ({"actual": _text(get("実績"))} if _text(get("実績")) else {}))
    for number, _values, get in _table(wb, RELATED_SHEET, RELATED_COLUMNS):
        r: dict[str, Any] = {"name": _text(get("関連事業名")), "bureau": _text(get("所管局"))}
        if get("金額") is not None:
            r["amount"] = get("金額")
        _owner(wb, programs, RELATED_SHEET, number, get("通し番号"))["related_bureau_programs"].append(r)
    info["categories"] = [
        {"code": c.get("code"), "name": c.get("name"), "budget_class": c.get("budget_class"),
         "programs": by_category.pop((c.get("code"), c.get("name") or ""), [])}
        for c in categories
    ]
    if by_category:
        (code, name), _progs = next(iter(by_category.items()))
        raise InputError(f"「{PROGRAMS_SHEET}」シート: 施策「{code or ''} {name}」が「{INFO_SHEET}」シートにありません",
                         str(wb.path))
    return info


def _table(wb: Workbook, sheet: str, columns: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Rows of a detail sheet as (row number, values, get(column name))."""
    if sheet not in wb.sheet_names():
        return
    index: dict[str, int] = {}
    for number, values in wb.rows(sheet):
        if number == 1:
            index = {text_of(v): i for i, v in enumerate(values) if text_of(v)}
            missing = [c for c in columns if c not in index and c not in OPTIONAL_COLUMNS]
            if missing:
                raise InputError(f"「{sheet}」シートに列 {'、'.join(missing)} がありません", str(wb.path))
            continue
        if all(v is None for v in values):
            continue

        def get(name: str, values: Row = values, index: dict[str, int] = index) -> Any:
            i = index.get(name)
            return values[i] if i is not None and i < len(values) else None

        yield number, values, get


def _seq(wb: Workbook, sheet: str, number: int, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InputError(f"通し番号が整数ではありません（{value!r}）", f"{wb.path}: {place(sheet, number, 1)}")


def _owner(wb: Workbook, programs: dict[int, dict[str, Any]], sheet: str, number: int, value: Any) -> dict[str, Any]:
    seq = _seq(wb, sheet, number, value)
    if seq not in programs:
        raise InputError(f"通し番号 {seq} の事業が「{PROGRAMS_SHEET}」シートにありません", f"{wb.path}: {place(sheet, number, 1)}")
    return programs[seq]


def _text(value: Any) -> str:
    return "" if value is None else str(value) if isinstance(value, str) else text_of(value)


def _list(value: Any) -> list[str]:
    """A list cell: lines, or a JSON array when an element holds a line break (see the exporter)."""
    if value is None or value == "":
        return []
    s = str(value)
    if s.startswith("["):
        try:
            data = json.loads(s)
            if isinstance(data, list) and all(isinstance(x, str) for x in data):
                return data
        except json.JSONDecodeError:
            pass
    return s.split("\n")


def program_codes(wb: Workbook) -> dict[tuple[str | None, Any, str], str | None]:
    """(施策コード, 番号, 事業名) -> 事業コード from the 事業 sheet of the app's own export, so programs
    created from its 事業別一覧表 keep their exact codes ({} for other workbooks)."""
    if not has_details(wb):
        return {}
    return {(get("施策コード") or None, get("番号"), text_of(get("事業名"))): get("事業コード") or None
            for _n, _values, get in _table(wb, PROGRAMS_SHEET, PROGRAM_COLUMNS)}
