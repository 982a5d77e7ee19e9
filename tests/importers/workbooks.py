"""Real .xlsx files for the Excel import tests, built with openpyxl (and a few broken on purpose)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

FULLWIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def ward_list(budget_json: dict, path: Path, *, header_row: int = 5, yen: bool = False, text_amounts: bool = False,
              fullwidth: bool = False, extra_sheets: bool = False, prior_formula: str | None = None) -> Path:
    """A 事業別一覧表 shaped like the seed's: title and unit rows, a header not on row 1, merged
    category cells (Ⅰ 安全・安心), a vertical label split over cells (Ⅵ), 合計 rows and a note row."""
    wb = openpyxl.Workbook()
    if extra_sheets:
        cover = wb.active
        cover.title = "表紙"
        cover["A1"] = "令和６年度 旭区個性ある区づくり推進費 執行計画"
        ws = wb.create_sheet("事業別一覧表")
        notes = wb.create_sheet("メモ")
        notes["A1"] = "担当者メモ"
        notes["A2"] = "事業名は変更なし"
    else:
        ws = wb.active
        ws.title = "事業別一覧表"
    ws["A1"] = "令和６年度 旭区個性ある区づくり推進費 事業別一覧表"
    ws.cell(header_row - 2, 7, "（単位：円）" if yen else "（単位：千円）")
    for col, label in enumerate(("", "No.", "事業名", "６年度予算", "５年度予算", "増▲減", "課　　名"), start=1):
        ws.cell(header_row, col, label or None)
    row = header_row + 1

    def amount(v: int) -> Any:
        v = v * 1000 if yen else v
        if not (text_amounts or fullwidth):
            return v
        text = f"▲{-v:,}" if v < 0 else f"{v:,}"
        return text.translate(FULLWIDTH) if fullwidth else text

    for class_name in dict.fromkeys(c["budget_class"] for c in budget_json["categories"]):
        for cat in [c for c in budget_json["categories"] if c["budget_class"] == class_name]:
            first = row
            for p in cat["programs"]:
                ws.cell(row, 2, p["number"])
                ws.cell(row, 3, p["name"])
                ws.cell(row, 4, amount(p["current"]))
                ws.cell(row, 5, amount(p["prior"]))
                ws.cell(row, 6, amount(p["current"] - p["prior"]))
                ws.cell(row, 7, p["sections"][0] if p["sections"] else None)
                row += 1
                for extra in p["sections"][1:]:  # 課名 one per row, as in the printed table
                    ws.cell(row, 7, extra)
                    row += 1
            if cat["code"] == "Ⅵ":  # vertical label: one character per cell, below the programs too
                ws.cell(first, 1, "Ⅵ")
                for ch in cat["name"]:
                    ws.cell(row, 1, ch)
                    row += 1
            else:
                ws.cell(first, 1, f"{cat['code']}\n{cat['name']}" if cat["code"] else cat["name"])
                if row - 1 > first:
                    ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
        cur = sum(p["current"] for c in budget_json["categories"] if c["budget_class"] == class_name for p in c["programs"])
        pri = sum(p["prior"] for c in budget_json["categories"] if c["budget_class"] == class_name for p in c["programs"])
        ws.cell(row, 1, "合　計")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.cell(row, 4, amount(cur))
        ws.cell(row, 5, amount(pri))
        row += 1
        ws.cell(row, 3, None)
        row += 1  # a blank row between classes
    ws.cell(row, 1, "※ 市民局及び各所管局の財源を活用して実施します。")
    if prior_formula is not None:
        ws.cell(header_row + 1, 5, prior_formula)
    wb.save(path)
    return path


def add_cached_value(path: Path, sheet_index: int, ref: str, value: int) -> None:
    """Give a formula cell a cached result, as Excel does on save (openpyxl writes none)."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = members[part].decode("utf-8")
    xml, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{value}</v>", xml)
    assert n == 1, xml[:500]
    members[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def patch_member(path: Path, part: str, fn: Any) -> None:
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    members[part] = fn(members[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def plain_table(path: Path, rows: list[list[Any]], header: list[str], *, header_row: int = 1, title: str | None = None,
                sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws["A1"] = title
    for col, label in enumerate(header, start=1):
        ws.cell(header_row, col, label)
    for i, values in enumerate(rows, start=header_row + 1):
        for col, v in enumerate(values, start=1):
            ws.cell(i, col, v)
    wb.save(path)
    return path
