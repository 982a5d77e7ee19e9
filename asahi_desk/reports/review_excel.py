"""The 振り返り as an Excel sheet laid out as the ward prints it: 担当課 / 事業内容 / 振り返り, one sheet row
per 担当課 row, each bullet a line (・…) in its cell; area headings and initiative titles span the table."""

from __future__ import annotations

import io
from typing import Any

from asahi_desk.domain.entities import Review
from asahi_desk.domain.fiscal import fiscal_year_label

SHEET = "振り返り"
HEADERS = ("担当課", "事業内容", "振り返り")
WIDTHS = (16, 50, 60)  # characters
BULLET = "・"
FONT_NAME = "ＭＳ 明朝"


def bullet_lines(values: tuple[str, ...]) -> str:
    return "\n".join(f"{BULLET}{v}" for v in values)


def review_workbook(review: Review) -> bytes:
    """The .xlsx bytes."""
    from openpyxl import Workbook  # imported here: the app must start without loading openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    font, bold = Font(name=FONT_NAME, size=10.5), Font(name=FONT_NAME, size=10.5, bold=True)
    top = Alignment(vertical="top", wrap_text=True)
    grey, light = PatternFill("solid", fgColor="E0E0E0"), PatternFill("solid", fgColor="F2F2F2")
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions["ABC"[col - 1]].width = width * 1.9  # a full-width character is ~2 units

    def put(row: int, col: int, value: Any, style: Font = font) -> Any:
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text, never a formula
        cell.font, cell.alignment = style, top
        return cell

    def spanned(row: int, value: str, fill: PatternFill | None, style: Font) -> None:
        put(row, 1, value, style)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        for col in (1, 2, 3):
            ws.cell(row, col).border = box
            if fill is not None:
                ws.cell(row, col).fill = fill

    title = review.title or f"{fiscal_year_label(review.fiscal_year, fullwidth=True)} {review.ward}運営方針の振り返り"
    put(1, 1, title, Font(name=FONT_NAME, size=14, bold=True))
    ws.merge_cells("A1:C1")
    row = 2
    if review.basic_goal:
        put(row, 1, f"基本目標：{review.basic_goal}")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 15 * (len(review.basic_goal) // 60 + 1)
        row += 1
    for area in review.areas:
        row += 1
        put(row, 1, f"{area.number}　{area.name}", bold)
        row += 1
        for col, label in enumerate(HEADERS, start=1):
            c = put(row, col, label, bold)
            c.border, c.fill = box, grey
            c.alignment = Alignment(horizontal="center", vertical="center")
        row += 1
        for ini in area.initiatives:
            spanned(row, ini.title, light, bold)
            row += 1
            for r in ini.rows:
                cells = ("\n".join(r.sections), bullet_lines(r.plan), bullet_lines(r.results))
                for col, value in enumerate(cells, start=1):
                    put(row, col, value).border = box
                # tall enough for the longest cell: its lines, each wrapping at the column's width
                lines = max(sum(len(line) // width + 1 for line in (text.split("\n") if text else [""]))
                            for text, width in zip(cells, WIDTHS, strict=True))
                ws.row_dimensions[row].height = 15 * lines
                row += 1
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
