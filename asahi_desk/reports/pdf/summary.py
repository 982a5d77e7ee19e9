"""資料1's first pages: the 総括表 (totals by class with the printed notes) and the 事業別一覧表."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from asahi_desk.domain import rules
from asahi_desk.domain.entities import Budget, Category, Program
from asahi_desk.domain.fiscal import fiscal_year_label, short_fiscal_year
from asahi_desk.reports.pdf import styles as st
from asahi_desk.reports.pdf import tables as tb
from asahi_desk.reports.pdf.document import frame_width
from asahi_desk.reports.pdf.paragraphs import para, text_para

CLASS_NOTE_MARK = "※１"


def figure_name(figure: rules.Figure, budget: Budget) -> str:
    """The printed row name when the budget keeps one for this figure (it carries the （…） gloss)."""
    for row in budget.summary or ():
        if rules.normalise_name(row.name) == rules.normalise_name(figure.name):
            return row.name
    return figure.name


def _has_outside_note(budget: Budget) -> bool:
    return any(n.lstrip().startswith(f"({CLASS_NOTE_MARK})") or n.lstrip().startswith(f"（{CLASS_NOTE_MARK}）")
               for n in budget.summary_notes or ())


def summary_story(budget: Budget) -> list[Flowable]:
    width = frame_width()
    cur_label = fiscal_year_label(budget.fiscal_year, fullwidth=True)
    pri_label = fiscal_year_label(budget.prior_fiscal_year, fullwidth=True)
    heads = tb.header(["区　　分", f"{cur_label}\n予算", f"{pri_label}\n予算", "増▲減", "増▲減率"])
    widths = [width * 0.40, width * 0.16, width * 0.16, width * 0.14, width * 0.14]
    figures = rules.summary_figures(budget)
    inside = [f for f in figures if f.in_total]
    outside = [f for f in figures if not f.in_total]
    title = f"{cur_label}　{budget.ward}個性ある区づくり推進費予算　総括表"
    story: list[Flowable] = [text_para(title, st.TITLE), Spacer(1, 10)]
    story += [tb.unit_line(), _summary_table(inside, budget, heads, widths)]
    if outside:
        mark = CLASS_NOTE_MARK if _has_outside_note(budget) else ""
        story += [Spacer(1, 16), para("その他の事業費", st.SUBHEADING), tb.unit_line(),
                  _summary_table(outside, budget, heads, widths, suffix=mark)]
    if budget.summary_notes:
        story.append(Spacer(1, 14))
        story += [text_para(note, st.NOTE) for note in budget.summary_notes]
    return story


def _summary_table(figures: list[rules.Figure], budget: Budget, heads: list, widths: list[float],
                   suffix: str = "") -> Flowable:
    rows: list[list] = [heads]
    extra: list[tuple] = []
    for i, f in enumerate(figures, start=1):
        name = figure_name(f, budget) + suffix
        style = st.indented(st.CELL_GOTHIC if f.kind in ("total", "class") else st.CELL, f.level)
        rows.append([tb.cell(name, style), tb.amount(f.current), tb.amount(f.prior),
                     tb.amount(f.change), tb.rate(f.current, f.prior)])
        if f.kind == "total":
            extra.append(("BACKGROUND", (0, i), (-1, i), st.SUBTOTAL_FILL))
    return tb.grid(rows, widths, extra=extra)


# --------------------------------------------------------------------------- 事業別一覧表

def list_story(budget: Budget) -> list[Flowable]:
    width = frame_width()
    heads = tb.header(["No.", "事業名", f"{short_fiscal_year(budget.fiscal_year)}予算",
                       f"{short_fiscal_year(budget.prior_fiscal_year)}予算", "増▲減", "課　　名"])
    widths = [width * 0.06, width * 0.38, width * 0.12, width * 0.12, width * 0.11, width * 0.21]
    story: list[Flowable] = [PageBreak(), para("事 業 別 一 覧 表", st.TITLE), Spacer(1, 6)]
    for class_name in rules.class_names(budget):
        cats = rules.categories_of_class(budget, class_name)
        if not cats:
            continue
        rows: list[list] = [heads]
        extra: list[tuple] = []
        for cat in cats:
            if cat.code or len(cats) > 1:
                rows.append([tb.cell(cat.label, st.CELL_GOTHIC), "", "", "", "", ""])
                extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                          ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), st.SUBTOTAL_FILL)]
            for program in cat.programs:
                _program_rows(program, cat, rows, extra)
        current = sum(c.current for c in cats)
        prior = sum(c.prior for c in cats)
        if sum(len(c.programs) for c in cats) > 1:
            rows.append([tb.cell("合　計", st.CELL_CENTER), "", tb.amount(current), tb.amount(prior),
                         tb.amount(current - prior), ""])
            extra += [("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)),
                      ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), st.SUBTOTAL_FILL)]
        block = [text_para(class_name, st.SUBHEADING), tb.unit_line(), tb.grid(rows, widths, extra=extra),
                 Spacer(1, 10)]
        # A short class stays with its heading; a long one splits with its header repeated.
        story += [KeepTogether(block)] if len(rows) < 12 else block
    return story


def _sections(names: tuple[str, ...] | None) -> str:
    return "\n".join(names or ())


def _program_rows(program: Program, cat: Category, rows: list[list], extra: list[tuple]) -> None:
    itemised = bool(program.line_items) and all(li.prior is not None for li in program.line_items)
    # 統合事務費 (no code, no line items, beside 統合事業費) prints without a number.
    number = "" if program.code is None and len(cat.programs) > 1 else str(program.number)
    if not itemised:
        rows.append([tb.cell(number, st.CELL_CENTER), tb.cell(program.name), tb.amount(program.current),
                     tb.amount(program.prior), tb.amount(program.change), tb.cell(_sections(program.sections))])
        return
    # 統合事業費: the program is a heading and its line items are the rows, each with its prior.
    rows.append(["", tb.cell(program.name, st.CELL_GOTHIC), tb.amount(program.current), tb.amount(program.prior),
                 tb.amount(program.change), ""])
    for li in program.line_items:
        prior = li.prior or 0
        rows.append([tb.cell(str(li.number), st.CELL_CENTER), tb.cell(li.name), tb.amount(li.amount),
                     tb.amount(prior), tb.amount(li.amount - prior), tb.cell(_sections(li.sections))])
