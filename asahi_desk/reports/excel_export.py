"""Excel out: the 事業別一覧表 as the ward lays it out (A4, 千円, ▲) plus detail sheets that re-import losslessly.

Amounts are written as values, not formulas: a file saved by openpyxl has no cached results, so a
formula cell would read back empty in any importer (ours included) until someone opens it in Excel.
The detail sheets (事業, 細事業, 指標, 関連事業, 年度情報) carry everything the JSON interchange carries;
their names and columns are defined once in domain/excel_sheets.py, which the reader uses too.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asahi_desk.domain.entities import Budget
from asahi_desk.domain.excel_sheets import (
    FORMAT,
    INDICATOR_COLUMNS,
    INDICATORS_SHEET,
    INFO_SHEET,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    LIST_SHEET,
    PROGRAM_COLUMNS,
    PROGRAMS_SHEET,
    RELATED_COLUMNS,
    RELATED_SHEET,
)
from asahi_desk.domain.fiscal import fiscal_year_label, short_fiscal_year
from asahi_desk.domain.rules import (
    GRAND_TOTAL_NAME,
    categories_of_class,
    class_names,
    class_totals,
    grand_total,
)
from asahi_desk.domain.text import shown

AMOUNT_FORMAT = '#,##0;"▲"#,##0'
JSON_CHUNK = 30_000  # an Excel cell holds at most 32,767 characters
FONT_NAME = "ＭＳ 明朝"


def export_workbook(budget: Budget, dump: dict[str, Any]) -> bytes:
    """The .xlsx bytes. `dump` is json_format.dump_budget(budget, with_ids=True) (the service passes it)."""
    from openpyxl import Workbook  # imported here: the app must start without loading openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = Workbook()
    ws = wb.active
    ws.title = LIST_SHEET
    try:
        _list_sheet(ws, budget)
        _detail_sheets(wb, dump)
    except IllegalCharacterError:  # its text is English and names no place
        raise UnwritableText(unwritable_text(dump) or "Excel のセルに書けない文字（制御文字）が含まれています") from None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_LABELS = {"name": "名称", "title": "表題", "purpose": "目的", "code": "コード", "notes": "備考", "sections": "担当課",
           "activities": "活動内容", "marker": "区分", "target": "目標", "unit": "単位", "bureau": "所管局",
           "caption": "説明", "budget_class": "予算区分", "ward": "区名", "city": "市名", "overview": "概要",
           "summary_notes": "総括表の注記", "uncertain": "未確定の項目", "basic_goal": "基本目標", "plan": "計画",
           "results": "実績", "venue": "会場", "presenter": "説明者", "material": "資料"}
_OWNERS = {"categories": "施策", "programs": "事業", "line_items": "細事業", "indicators": "指標",
           "related_bureau_programs": "関連局事業", "photos": "写真", "meetings": "会議", "agenda": "次第"}


class UnwritableText(ValueError):
    """A text a cell cannot store; the message names the record and the field in Japanese."""


@contextmanager
def unwritable_as_refusal(where: str) -> Iterator[None]:
    """openpyxl's IllegalCharacterError (English, and it names no place) as UnwritableText naming `where`."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        yield
    except IllegalCharacterError:
        raise UnwritableText(f"{where}に Excel のセルに書けない文字（制御文字）が含まれています") from None


def unwritable_text(dump: dict[str, Any]) -> str | None:
    """Where the year holds a character a cell cannot store (openpyxl refuses C0 controls other than tab
    and newline): '事業「防災」の目的に Excel のセルに書けない文字（\\u0001）があります', or None."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def walk(value: Any, owner: str, key: str) -> str | None:
        if isinstance(value, str):
            m = ILLEGAL_CHARACTERS_RE.search(value)
            if m is None:
                return None
            field = _LABELS.get(key, key)
            return f"{owner}の{field}に Excel のセルに書けない文字（{shown(m.group())}）があります"
        if isinstance(value, list):
            for v in value:
                found = walk(v, owner, key)
                if found:
                    return found
        if isinstance(value, dict):
            here = owner
            if key in _OWNERS:
                name = value.get("name") or value.get("title") or value.get("caption")
                label = shown(str(name)[:30]) if isinstance(name, str) else ""
                here = f"{_OWNERS[key]}「{label}」" if label else _OWNERS[key]
            for k, v in value.items():
                found = walk(v, here, k if k not in ("image",) else "")
                if found:
                    return found
        return None

    return walk(dump, "年度", "")


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write a value; text that starts with '=' stays text (openpyxl would make it a formula)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _list_sheet(ws: Any, budget: Budget) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    font, bold = Font(name=FONT_NAME, size=10.5), Font(name=FONT_NAME, size=10.5, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(vertical="center", wrap_text=True)
    grey = PatternFill("solid", fgColor="EDEDED")
    year = budget.fiscal_year

    title = budget.title or f"{fiscal_year_label(year, fullwidth=True)} {budget.ward}個性ある区づくり推進費"
    _put(ws, 1, 1, f"{title} 事業別一覧表").font = Font(name=FONT_NAME, size=14, bold=True)
    ws.merge_cells("A1:G1")
    _put(ws, 2, 7, "（単位：千円）").alignment = Alignment(horizontal="right")
    ws.cell(2, 7).font = font
    headers = ("施策", "No.", "事業名", f"{short_fiscal_year(year)}予算", f"{short_fiscal_year(year - 1)}予算",
               "増▲減", "課名")
    for col, label in enumerate(headers, start=1):
        c = _put(ws, 3, col, label)
        c.font, c.alignment, c.border, c.fill = bold, centre, box, grey
    row = 4

    def amounts(r: int, current: int, prior: int, style: Font) -> None:
        for col, value in ((4, current), (5, prior), (6, current - prior)):
            c = _put(ws, r, col, value)
            c.number_format, c.font, c.border = AMOUNT_FORMAT, style, box
            c.alignment = Alignment(vertical="center")

    for class_name in class_names(budget):
        cats = categories_of_class(budget, class_name)
        if not cats:
            continue
        for cat in cats:
            first = row
            for p in cat.programs:
                _put(ws, row, 2, p.number).alignment = centre
                _put(ws, row, 3, p.name).alignment = left
                amounts(row, p.current, p.prior, font)
                _put(ws, row, 7, "\n".join(p.sections)).alignment = left
                for col in (1, 2, 3, 7):
                    ws.cell(row, col).border, ws.cell(row, col).font = box, font
                ws.row_dimensions[row].height = max(18, 14 * max(len(p.sections), (len(p.name) + 21) // 22))
                row += 1
            if row == first:
                continue  # a category without programs prints nothing
            label = f"{cat.code}\n{cat.name}" if cat.code else cat.name
            c = _put(ws, first, 1, label)
            c.alignment, c.font = centre, bold
            # The label wraps in column A (about 6 characters a line): make its rows tall enough to show it.
            needed = 15 * ((len(cat.name) + 5) // 6 + (1 if cat.code else 0))
            have = sum(ws.row_dimensions[r].height or 18 for r in range(first, row))
            if have < needed:
                ws.row_dimensions[row - 1].height = (ws.row_dimensions[row - 1].height or 18) + needed - have
            if row - 1 > first:
                ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
        cur, pri = class_totals(budget, class_name)
        _total_row(ws, row, f"{class_name} 合計", cur, pri, bold, box, grey, amounts)
        row += 1
    if len([n for n in class_names(budget) if budget.budget_class(n).in_total]) > 1:
        cur, pri = grand_total(budget)
        _total_row(ws, row, f"{GRAND_TOTAL_NAME} 合計", cur, pri, bold, box, grey, amounts)
        row += 1
    for col, width in zip("ABCDEFG", (14, 5, 40, 12, 12, 11, 18), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    ws.print_area = f"A1:G{row - 1}"
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "&P / &N"


def _total_row(ws: Any, row: int, label: str, cur: int, pri: int, bold: Any, box: Any, fill: Any, amounts: Any) -> None:
    from openpyxl.styles import Alignment

    _put(ws, row, 1, label).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    amounts(row, cur, pri, bold)
    for col in range(1, 8):
        ws.cell(row, col).border, ws.cell(row, col).fill = box, fill
        ws.cell(row, col).font = bold
    ws.row_dimensions[row].height = 20


def _cell_list(values: list[str] | None, *, empty: str = "") -> str | None:
    """Lines; a JSON array when a line break, an empty element or a leading '[' would make lines ambiguous.
    `empty` is what an empty list becomes ("[]" where an empty cell already means None)."""
    if values is None:
        return None
    if not values:
        return empty
    if any("\n" in v or v == "" for v in values) or values[0].startswith("["):
        return json.dumps(values, ensure_ascii=False)
    return "\n".join(values)


def _detail_sheets(wb: Any, dump: dict[str, Any]) -> None:
    from openpyxl.styles import Font

    def sheet(title: str, columns: tuple[str, ...]) -> Any:
        ws = wb.create_sheet(title)
        for col, label in enumerate(columns, start=1):
            _put(ws, 1, col, label).font = Font(bold=True)
        ws.freeze_panes = "A2"
        return ws

    programs = sheet(PROGRAMS_SHEET, PROGRAM_COLUMNS)
    items = sheet(ITEMS_SHEET, ITEM_COLUMNS)
    indicators = sheet(INDICATORS_SHEET, INDICATOR_COLUMNS)
    related = sheet(RELATED_SHEET, RELATED_COLUMNS)
    photos: dict[str, list] = {}
    seq = 0
    for cat in dump["categories"]:
        for p in cat["programs"]:
            seq += 1
            programs.append([seq, cat["code"], cat["name"], cat["budget_class"], p["code"], p["number"], p["name"],
                             _cell_list(p["sections"]), p["purpose"], p["current"], p["prior"], p["change"],
                             _cell_list(p["notes"]), p.get("uid")])
            for li in p["line_items"]:
                items.append([seq, p["name"], li["number"], li["name"], li["amount"], li["marker"],
                              _cell_list(li["activities"]), li.get("prior"), _cell_list(li.get("sections"), empty="[]"),
                              li.get("uid")])
            for ind in p["indicators"]:
                indicators.append([seq, p["name"], ind["name"], ind["target"], ind["unit"], ind.get("actual", "")])
            for rel in p["related_bureau_programs"]:
                related.append([seq, p["name"], rel["name"], rel["bureau"], rel.get("amount")])
            if p["photos"]:
                photos[str(seq)] = p["photos"]
    for ws in (programs, items, indicators, related):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        for col, width in zip("ABCDEFGHIJKLMN", (8, 10, 24, 18, 10, 6, 36, 18, 40, 10, 10, 10, 20, 34), strict=False):
            ws.column_dimensions[col].width = width
    info = {k: v for k, v in dump.items() if k != "categories"}
    info["categories"] = [{"code": c["code"], "name": c["name"], "budget_class": c["budget_class"]}
                          for c in dump["categories"]]
    info["photos"] = photos
    text = json.dumps(info, ensure_ascii=False)
    ws = wb.create_sheet(INFO_SHEET)
    _put(ws, 1, 1, "形式")
    _put(ws, 1, 2, FORMAT)
    _put(ws, 2, 1, "年度")
    _put(ws, 2, 2, dump["fiscal_year"])
    _put(ws, 3, 1, "説明")
    _put(ws, 3, 2, "この行より下は asahi-desk が読み戻すためのデータです。編集しないでください。")
    for i in range(0, len(text), JSON_CHUNK):
        r = 4 + i // JSON_CHUNK
        _put(ws, r, 1, "JSON")
        _put(ws, r, 2, text[i:i + JSON_CHUNK])
    ws.column_dimensions["B"].width = 80
