"""The 査定状況 / 新旧対照表 as Excel (formatted for printing, changed characters in colour) and as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from asahi_desk.domain import comparison as cmp
from asahi_desk.domain.fiscal import fiscal_year_label
from asahi_desk.reports.excel_export import unwritable_as_refusal

AMOUNT_FORMAT = '#,##0;"▲"#,##0'
FONT_NAME = "ＭＳ 明朝"
CSV_COLUMNS = ("種別", "予算区分", "施策", "事業", "区分", "名称", "項目", "旧", "新", "差額", "率", "新廃")
LEVEL_LABELS = {cmp.ITEM: "細事業", cmp.PROGRAM: "事業", cmp.CATEGORY: "施策計", cmp.CLASS: "区分計", cmp.TOTAL: "合計"}


def comparison_csv(c: cmp.Comparison) -> bytes:
    """One table: 金額 rows, then 新旧対照 rows whose changed characters are in 【】. UTF-8 with BOM (Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for r in c.rows:
        w.writerow(("金額", r.budget_class, r.category, r.program, LEVEL_LABELS[r.level], r.label, "予算額",
                    "" if r.old is None else r.old, "" if r.new is None else r.new, r.difference,
                    "" if r.rate is None else str(r.rate), r.status))
    for t in c.texts:
        old, new = t.segments()
        w.writerow(("新旧対照", "", "", t.program, "細事業" if t.item else "事業", t.item or t.program, t.field,
                    _csv_text(cmp.marked(old)), _csv_text(cmp.marked(new)), "", "", ""))
    return buf.getvalue().encode("utf-8-sig")


def _csv_text(value: str) -> str:
    # a cell starting with = + - @ would run as a formula when the CSV is opened in Excel
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def comparison_xlsx(c: cmp.Comparison, ward: str = "") -> bytes:
    with unwritable_as_refusal(f"{fiscal_year_label(c.fiscal_year)}の査定状況（{c.old_name} → {c.new_name}）"):
        return _comparison_xlsx(c, ward)


def _comparison_xlsx(c: cmp.Comparison, ward: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    font, bold = Font(name=FONT_NAME, size=10.5), Font(name=FONT_NAME, size=10.5, bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    grey = PatternFill("solid", fgColor="EDEDED")
    wb = Workbook()
    ws = wb.active
    ws.title = "査定状況"
    ws.cell(1, 1, f"{fiscal_year_label(c.fiscal_year, fullwidth=True)} {ward}予算 査定状況（{c.old_name} → {c.new_name}）"
            ).font = Font(name=FONT_NAME, size=14, bold=True)
    ws.cell(2, 6, "（単位：千円）").font = font
    heads = ("区分", c.old_name, c.new_name, "差額", "率", "新／廃")
    for col, (label, width) in enumerate(zip(heads, (52, 14, 14, 13, 10, 8), strict=True), start=1):
        cell = ws.cell(3, col, label)
        cell.font, cell.border, cell.fill = bold, box, grey
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions["ABCDEF"[col - 1]].width = width
    for r_i, r in enumerate(c.rows, start=4):
        indent = {cmp.ITEM: 2, cmp.PROGRAM: 1}.get(r.level, 0)
        total = r.level in (cmp.CATEGORY, cmp.CLASS, cmp.TOTAL)
        values: list[Any] = [r.label, r.old, r.new, r.difference,
                             None if r.rate is None else float(r.rate) / 100, r.status]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r_i, col, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            cell.font, cell.border = (bold if total else font), box
            if total:
                cell.fill = grey
            if col == 1:
                cell.alignment = Alignment(indent=indent, vertical="top", wrap_text=True)
            elif col in (2, 3, 4):
                cell.number_format = AMOUNT_FORMAT
            elif col == 5:
                cell.number_format = '0.0%;"▲"0.0%'
                if r.rate is None:
                    cell.value = "―"
                    cell.alignment = Alignment(horizontal="right")
            else:
                cell.alignment = Alignment(horizontal="center")
    _print_setup(ws, landscape=False)
    ws.print_title_rows = "3:3"
    ws.freeze_panes = "A4"

    tx = wb.create_sheet("新旧対照表")
    for col, (label, width) in enumerate(zip(("事業", "細事業", "項目", f"旧（{c.old_name}）", f"新（{c.new_name}）"),
                                              (22, 18, 10, 55, 55), strict=True), start=1):
        cell = tx.cell(1, col, label)
        cell.font, cell.border, cell.fill = bold, box, grey
        cell.alignment = Alignment(horizontal="center", vertical="center")
        tx.column_dimensions["ABCDE"[col - 1]].width = width
    for r_i, t in enumerate(c.texts, start=2):
        old, new = t.segments()
        for col, value in enumerate((t.program, t.item, t.field), start=1):
            cell = tx.cell(r_i, col, value)
            cell.data_type = "s"
            cell.font, cell.border, cell.alignment = font, box, wrap
        for col, segments, added in ((4, old, False), (5, new, True)):
            cell = tx.cell(r_i, col)
            cell.value = _rich(segments, added)
            cell.border, cell.alignment = box, wrap
    _print_setup(tx, landscape=True)
    tx.print_title_rows = "1:1"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rich(segments: tuple[cmp.Segment, ...], added: bool) -> Any:
    """Rich text: changed characters red and struck through (old side) or blue, bold, underlined (new side)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    plain = InlineFont(rFont=FONT_NAME, sz=10.5)
    mark = (InlineFont(rFont=FONT_NAME, sz=10.5, b=True, u="single", color="FF0040B0") if added
            else InlineFont(rFont=FONT_NAME, sz=10.5, strike=True, color="FFB00000"))
    if not segments:
        return ""
    return CellRichText([TextBlock(mark if changed else plain, text) for text, changed in segments])


def _print_setup(ws: Any, *, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
