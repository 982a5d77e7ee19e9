"""Excel out: one 課's 照会票 (inquiry workbook), laid out as docs/inquiry.md describes.

Only answer cells are unlocked; the sheets are protected without a password (it guides the clerk, the
import still checks everything). A hidden sheet keeps the base values and identities for the import's
three-state merge.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from asahi_desk.domain import inquiry as iq
from asahi_desk.domain.entities import Budget, Program
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.reports.excel_export import unwritable_as_refusal

FONT_NAME = "ＭＳ ゴシック"
BLANK_ROWS = 15  # unlocked rows under the 細事業 and 事業指標 tables, for added line items and indicators
AMOUNT_FORMAT = "#,##0"

HOWTO_LINES = (
    "1. 色の付いたセル（白）だけが記入できます。灰色のセルは変更できません（シートの保護にパスワードはありません）。",
    "2. 「事業」シート: 目的を直してください。",
    "3. 「細事業」シート: 細事業名、金額（千円、0以上の整数）、記号（新・拡・空欄）、主な活動（1行に1つ、セル内の改行で区切る）を直してください。",
    "4. 細事業を追加するときは、表の下の空いた行に事業コード・事業名・細事業名・金額を書き、細事業番号は空欄のままにしてください。",
    "5. 細事業をやめるときは、その行の細事業名を消してください（行は削除しないでください）。予算担当が確認してから削除します。",
    "6. 「事業指標」シート: 指標・目標・単位を直してください。追加は表の下の空いた行に、やめる指標は指標名を消してください。",
    "7. 実績の欄は振り返りの実績が入るまで空欄です。",
    "8. シートの名前、見出し、非表示のシートは変えないでください。Excel でも LibreOffice でも保存できます。",
    "9. 予算担当が取り込むとき、照会後に予算担当が直した箇所と食い違う回答は「競合」として確認します。",
)


def inquiry_workbook(budget: Budget, section: str, programs: Sequence[Program], created: str) -> bytes:
    """The .xlsx bytes of the 照会票 of `section` for the given programs of `budget`."""
    from openpyxl import Workbook  # imported here: the app must start without loading openpyxl

    wb = Workbook()
    _named_styles(wb)
    ws = wb.active
    ws.title = iq.PROGRAMS_SHEET
    with unwritable_as_refusal(f"{fiscal_year_both(budget.fiscal_year)} {section}の照会票"):
        _programs_sheet(ws, programs)
        _items_sheet(wb.create_sheet(iq.ITEMS_SHEET), programs)
        _indicators_sheet(wb.create_sheet(iq.INDICATORS_SHEET), programs)
        _howto_sheet(wb.create_sheet(iq.HOWTO_SHEET), budget, section, len(programs))
        _base_sheet(wb.create_sheet(iq.BASE_SHEET), budget, section, programs, created)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ANSWER_STYLE, FIXED_STYLE = "照会_記入", "照会_固定"


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    return {
        "font": Font(name=FONT_NAME, size=10.5),
        "bold": Font(name=FONT_NAME, size=10.5, bold=True),
        "box": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "head": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "grey": PatternFill("solid", fgColor="E4E4E4"),
    }


def _named_styles(wb: Any) -> None:
    """The two cell styles of the answer sheets, registered once: assigning a named style to a cell is one
    step, where font, border, alignment, fill and protection one by one were five (the export's main cost)."""
    from openpyxl.styles import NamedStyle, Protection

    st = _styles()
    answer = NamedStyle(name=ANSWER_STYLE, font=st["font"], border=st["box"], alignment=st["wrap"],
                        protection=Protection(locked=False))
    fixed = NamedStyle(name=FIXED_STYLE, font=st["font"], border=st["box"], alignment=st["wrap"], fill=st["grey"],
                       protection=Protection(locked=True))
    wb.add_named_style(answer)
    wb.add_named_style(fixed)


def _put(ws: Any, row: int, col: int, value: Any, st: dict[str, Any], *, answer: bool = False) -> Any:
    """Write a value (text starting with '=' stays text); answer cells are unlocked, the rest greyed."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    cell.style = ANSWER_STYLE if answer else FIXED_STYLE
    return cell


def _header(ws: Any, labels: Sequence[str], widths: Sequence[float], st: dict[str, Any]) -> None:
    from openpyxl.utils import get_column_letter

    for col, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font, cell.border, cell.alignment, cell.fill = st["bold"], st["box"], st["head"], st["grey"]
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"


def _finish(ws: Any, *, insert_rows: bool = False) -> None:
    """A4 landscape, fitted to the page width, protected without a password."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    prot = ws.protection
    prot.sheet = True
    # openpyxl: True = forbidden. Row heights and column widths may change so long text can be shown.
    prot.formatRows = False
    prot.formatColumns = False
    prot.insertRows = not insert_rows


def _validation(ws: Any, kind: str, ref: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind == "amount":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="金額",
                            error="金額は0以上の整数（千円）で入力してください")
    else:
        dv = DataValidation(type="list", formula1='"新,拡"', allow_blank=True, showErrorMessage=True,
                            errorTitle="記号", error="記号は「新」「拡」または空欄です")
    ws.add_data_validation(dv)
    dv.add(ref)


def _programs_sheet(ws: Any, programs: Sequence[Program]) -> None:
    st = _styles()
    _header(ws, iq.PROGRAM_COLUMNS, (12, 36, 90), st)
    for r, p in enumerate(programs, start=2):
        _put(ws, r, 1, p.code or "", st)
        _put(ws, r, 2, p.name, st)
        _put(ws, r, 3, p.purpose, st, answer=True)
    _finish(ws)


def _items_sheet(ws: Any, programs: Sequence[Program]) -> None:
    st = _styles()
    _header(ws, iq.ITEM_COLUMNS, (12, 28, 8, 30, 14, 7, 80), st)
    r = 2
    for p in programs:
        for li in p.line_items:
            _put(ws, r, 1, p.code or "", st)
            _put(ws, r, 2, p.name, st)
            _put(ws, r, 3, li.number, st)
            _put(ws, r, 4, li.name, st, answer=True)
            _put(ws, r, 5, li.amount, st, answer=True).number_format = AMOUNT_FORMAT
            _put(ws, r, 6, li.marker or "", st, answer=True)
            _put(ws, r, 7, iq.activities_text(li.activities), st, answer=True)
            r += 1
    last = r + BLANK_ROWS - 1
    for row in range(r, last + 1):
        for col in (1, 2, 4, 5, 6, 7):
            _put(ws, row, col, None, st, answer=True)
        _put(ws, row, 3, None, st)
        ws.cell(row, 5).number_format = AMOUNT_FORMAT
    _validation(ws, "amount", f"E2:E{last}")
    _validation(ws, "marker", f"F2:F{last}")
    _finish(ws, insert_rows=True)


def _indicators_sheet(ws: Any, programs: Sequence[Program]) -> None:
    st = _styles()
    _header(ws, iq.INDICATOR_COLUMNS, (12, 50, 24, 12, 16), st)
    r = 2
    for p in programs:
        for ind in p.indicators:
            _put(ws, r, 1, p.code or p.name, st)
            _put(ws, r, 2, ind.name, st, answer=True)
            _put(ws, r, 3, ind.target, st, answer=True)
            _put(ws, r, 4, ind.unit, st, answer=True)
            # 実績 (shown, not answered): filled once indicator results exist (Indicator.actual, the 振り返り work)
            _put(ws, r, 5, getattr(ind, "actual", None) or None, st)
            r += 1
    for row in range(r, r + BLANK_ROWS):
        for col in (1, 2, 3, 4):
            _put(ws, row, col, None, st, answer=True)
        _put(ws, row, 5, None, st)
    _finish(ws, insert_rows=True)


def _howto_sheet(ws: Any, budget: Budget, section: str, count: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 110
    title = ws.cell(1, 1, f"{fiscal_year_both(budget.fiscal_year)} 予算照会票（{section}）")
    title.font = Font(name=FONT_NAME, size=14, bold=True)
    for row, (label, value) in ((iq.HOWTO_YEAR_ROW, ("年度", budget.fiscal_year)),
                                (iq.HOWTO_SECTION_ROW, ("課", section)),
                                (5, ("事業数", count))):
        ws.cell(row, 1, label).font = Font(name=FONT_NAME, size=10.5, bold=True)
        ws.cell(row, 2, value).font = Font(name=FONT_NAME, size=10.5)
        ws.cell(row, 2).alignment = Alignment(horizontal="left")
    ws.cell(7, 1, "記入方法").font = Font(name=FONT_NAME, size=12, bold=True)
    for i, line in enumerate(HOWTO_LINES, start=8):
        cell = ws.cell(i, 1, line)
        cell.font = Font(name=FONT_NAME, size=10.5)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=2)
        ws.row_dimensions[i].height = 30
    _finish(ws)


def _base_sheet(ws: Any, budget: Budget, section: str, programs: Sequence[Program], created: str) -> None:
    """Key/value lines, then one line per program, line item and indicator with its base values as JSON."""
    meta = (("形式", iq.FORMAT), ("年度", budget.fiscal_year), ("課", section), ("区", budget.ward),
            ("作成日時", created))
    for r, (key, value) in enumerate(meta, start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    r = len(meta) + 2
    for c, label in enumerate(iq.BASE_COLUMNS, start=1):
        ws.cell(r, c, label)
    for p in programs:
        rows: list[tuple[Any, ...]] = [("事業", p.code or "", p.name, None, p.uid, None, {"purpose": p.purpose})]
        rows += [("細事業", p.code or "", p.name, li.number, p.uid, li.uid,
                  {"name": li.name, "amount": li.amount, "marker": li.marker or "", "activities": list(li.activities)})
                 for li in p.line_items]
        rows += [("指標", p.code or "", p.name, i, p.uid, None, {"name": ind.name, "target": ind.target, "unit": ind.unit})
                 for i, ind in enumerate(p.indicators, start=1)]
        for values in rows:
            r += 1
            for c, value in enumerate(values, start=1):
                if isinstance(value, dict):
                    value = json.dumps(value, ensure_ascii=False)
                cell = ws.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a name or purpose starting with '=' is text, not a formula
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
