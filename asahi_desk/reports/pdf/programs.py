"""資料1's program pages: one block per program with its line items, amount box and indicators."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from asahi_desk.domain import money
from asahi_desk.domain.entities import Budget, Category, LineItem, Program
from asahi_desk.domain.fiscal import document_digits, fiscal_year_label
from asahi_desk.reports.pdf import styles as st
from asahi_desk.reports.pdf import tables as tb
from asahi_desk.reports.pdf.canvas import RunningMark
from asahi_desk.reports.pdf.document import frame_width
from asahi_desk.reports.pdf.fonts import GOTHIC
from asahi_desk.reports.pdf.paragraphs import para, text_para


def programs_story(budget: Budget) -> list[Flowable]:
    story: list[Flowable] = []
    for cat in budget.categories:
        story += [PageBreak(), text_para(_category_heading(cat), st.HEADING)]
        for i, program in enumerate(cat.programs):
            if i:
                story.append(CondPageBreak(220))
            name = f"{document_digits(program.code)}　{program.name}" if program.code else program.name
            story += program_block(program, budget, running=name)
    return story


def _category_heading(cat: Category) -> str:
    return f"{cat.code}　{cat.name}" if cat.code else cat.name


def program_block(program: Program, budget: Budget, running: str | None = None) -> list[Flowable]:
    """The marks that name the program for a （続き） line travel inside the kept-together blocks,
    so they land on the page where the program really starts and ends."""
    width = frame_width()
    code = document_digits(program.code) if program.code else ""
    head = tb.grid([[tb.cell(code, st.CELL_CENTER), tb.cell("事業内容", st.CELL_CENTER)],
                    [tb.cell(program.name, st.CELL_GOTHIC), tb.cell(program.purpose or "")]],
                   [width * 0.28, width * 0.72], header_rows=1)
    blocks = [line_item_block(li) for li in program.line_items] or [[]]
    facts = [Spacer(1, 6), *_facts(program, budget), *_notes(program), RunningMark(None)]
    start = [RunningMark(running), head, Spacer(1, 6)]
    if len(blocks) == 1:  # keep a short program whole: the amount box never loses its name
        return [KeepTogether([*start, *blocks[0], *facts]), Spacer(1, 14)]
    story: list[Flowable] = [KeepTogether([*start, *blocks[0]])]
    for block in blocks[1:-1]:
        story += block
    story += [KeepTogether([*blocks[-1], *facts]), Spacer(1, 14)]
    return story


def _notes(program: Program) -> list[Flowable]:
    return [text_para(note, st.NOTE) for note in program.notes]


def line_item_block(li: LineItem) -> list[Flowable]:
    marker = f"<font name='{GOTHIC}' color='#a00000'>{st.text(li.marker)}</font> " if li.marker else ""
    title = (f"{st.text(document_digits(str(li.number)))}　{marker}{st.text(li.name)}"
             f"【{st.text(money.format_amount(li.amount))}千円】")
    block: list[Flowable] = [para(title, st.ITEM)]
    block += [para("・" + st.text(a), st.BULLET) for a in li.activities]
    return block


def _facts(program: Program, budget: Budget) -> list[Flowable]:
    """The amount box beside 担当課, then 事業指標 and 関連する局事業."""
    width = frame_width()
    change = money.format_amount(program.change, negative="△")
    box_rows = [
        [tb.cell(fiscal_year_label(budget.fiscal_year, fullwidth=True), st.CELL_GOTHIC),
         tb.cell(f"{money.format_amount(program.current)} 千円", st.CELL_RIGHT),
         tb.cell("担当課", st.CELL_CENTER)],
        [tb.cell(fiscal_year_label(budget.prior_fiscal_year, fullwidth=True), st.CELL_GOTHIC),
         tb.cell(f"{money.format_amount(program.prior)} 千円", st.CELL_RIGHT),
         tb.cell("、".join(program.sections))],
        [tb.cell("増△減", st.CELL_GOTHIC), tb.cell(f"{change} 千円", st.CELL_RIGHT), ""],
    ]
    box = tb.grid(box_rows, [width * 0.18, width * 0.24, width * 0.58], header_rows=0,
                  extra=[("SPAN", (2, 1), (2, 2)), ("VALIGN", (2, 1), (2, 2), "TOP"),
                         ("BACKGROUND", (2, 0), (2, 0), st.HEADER_FILL)])
    facts: list[Flowable] = [box]
    if program.indicators:
        rows = [tb.header(["事業指標", "目標"])]
        rows += [[tb.cell(i.name), tb.cell(f"{i.target}{i.unit}", st.CELL_RIGHT)] for i in program.indicators]
        facts += [Spacer(1, 6), tb.grid(rows, [width * 0.7, width * 0.3])]
    if program.related_bureau_programs:
        facts += [Spacer(1, 6), para("＜関連する局事業＞", st.ITEM)]
        for r in program.related_bureau_programs:
            bureau = f"（{r.bureau}）" if r.bureau else ""
            amount = f"【{money.format_amount(r.amount)}千円】" if r.amount is not None else ""
            facts.append(text_para(f"・{r.name}{bureau}{amount}", st.BULLET))
    return facts
