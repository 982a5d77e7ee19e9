"""The 査定状況 / 新旧対照表 PDF in the handout's typography (A4, embedded Mincho/Gothic, CJK wrapping)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak, Spacer

from asahi_desk.domain import comparison as cmp
from asahi_desk.domain import money
from asahi_desk.domain.fiscal import fiscal_year_label
from asahi_desk.reports.pdf import styles as st
from asahi_desk.reports.pdf import tables as tb
from asahi_desk.reports.pdf.document import build_pdf, frame_width
from asahi_desk.reports.pdf.paragraphs import para, text_para

REMOVED_COLOR = "#b00000"  # characters only in the older text: struck through
ADDED_COLOR = "#0040b0"  # characters only in the newer text: bold, underlined
_BOLD_LEVELS = (cmp.CATEGORY, cmp.CLASS, cmp.TOTAL)


def comparison_pdf(c: cmp.Comparison, ward: str = "") -> bytes:
    title = f"{fiscal_year_label(c.fiscal_year, fullwidth=True)}　{ward}予算　査定状況（{c.old_name} → {c.new_name}）"
    story: list[Flowable] = [text_para(title, st.TITLE), Spacer(1, 6), tb.unit_line(), _amounts(c)]
    story += [PageBreak(), text_para(f"新旧対照表（{c.old_name} → {c.new_name}）", st.TITLE), Spacer(1, 6)]
    if c.texts:
        story.append(text_para("旧の取り消し線は削られた文字、新の太字・下線は加わった文字です。", st.SMALL))
        story += [Spacer(1, 4), _texts(c)]
    else:
        story.append(text_para("変更された文章はありません。", st.BODY))
    return build_pdf(story, title=title, author=ward)


def _amounts(c: cmp.Comparison) -> Flowable:
    w = frame_width()
    widths = [w * 0.40, w * 0.14, w * 0.14, w * 0.13, w * 0.11, w * 0.08]
    rows: list[list] = [tb.header(["区　　分", c.old_name, c.new_name, "差額", "率", "新／廃"])]
    extra: list[tuple] = []
    for i, r in enumerate(c.rows, start=1):
        level = {cmp.ITEM: 2, cmp.PROGRAM: 1}.get(r.level, 0)
        style = st.indented(st.CELL_GOTHIC if r.level in _BOLD_LEVELS else st.CELL, level)
        rows.append([tb.cell(r.label, style), tb.amount(r.old), tb.amount(r.new), tb.amount(r.difference),
                     tb.cell(money.format_rate(r.rate), st.CELL_RIGHT), tb.cell(r.status, st.CELL_CENTER)])
        if r.level in _BOLD_LEVELS:
            extra.append(("BACKGROUND", (0, i), (-1, i), st.SUBTOTAL_FILL))
    return tb.grid(rows, widths, extra=extra)


def _side(segments: tuple[cmp.Segment, ...], added: bool) -> str:
    out = []
    for text, changed in segments:
        piece = st.text(text)
        if changed and added:
            piece = f'<u><font color="{ADDED_COLOR}" name="{st.CELL_GOTHIC.fontName}">{piece}</font></u>'
        elif changed:
            piece = f'<strike><font color="{REMOVED_COLOR}">{piece}</font></strike>'
        out.append(piece)
    return "".join(out) or "（なし）"


def _texts(c: cmp.Comparison) -> Flowable:
    w = frame_width()
    widths = [w * 0.18, w * 0.08, w * 0.37, w * 0.37]
    rows: list[list] = [tb.header(["事業／細事業", "項目", f"旧（{c.old_name}）", f"新（{c.new_name}）"])]
    for t in c.texts:
        old, new = t.segments()
        where = t.program + (f"\n{t.item}" if t.item else "")
        rows.append([tb.cell(where), tb.cell(t.field), para(_side(old, False), st.CELL, smaller=st.smaller(st.CELL)),
                     para(_side(new, True), st.CELL, smaller=st.smaller(st.CELL))])
    return tb.grid(rows, widths, extra=[("VALIGN", (0, 1), (-1, -1), "TOP"),
                                        ("TEXTCOLOR", (0, 0), (-1, 0), colors.black)])
