"""次第: the meeting title, 日時 and 場所, the numbered items with the material each refers to, and the
配付資料: every material the handout holds, in order (an added 振り返り or attachment included)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from asahi_desk.domain.entities import Meeting
from asahi_desk.domain.fiscal import document_digits, japanese_date
from asahi_desk.reports.pdf import styles as st
from asahi_desk.reports.pdf.document import frame_width
from asahi_desk.reports.pdf.fonts import MINCHO
from asahi_desk.reports.pdf.paragraphs import para, text_para

LEADER = "…………"
MATERIALS_HEADING = "配付資料"


def material_label(material: str) -> str:
    """'資料1' -> '資料１' as printed."""
    return document_digits(material)


def start_time_text(meeting: Meeting) -> str:
    if meeting.start_time is None:
        return ""
    return f"{meeting.start_time.hour}時{meeting.start_time.minute:02d}分から"


def agenda_story(meeting: Meeting, materials: Sequence[tuple[str, str]] = ()) -> list[Flowable]:
    """materials: (資料N, title) of every material after the 次第, in the handout's order."""
    width = frame_width()
    story: list[Flowable] = [Spacer(1, 30), text_para(f"{meeting.title} 次第", st.AGENDA_TITLE),
                             Spacer(1, 24)]
    when = document_digits(japanese_date(meeting.date))
    rows = [[para("日　時", st.BODY), text_para(when, st.BODY)]]
    if meeting.start_time is not None:
        rows.append(["", text_para(document_digits(start_time_text(meeting)), st.BODY)])
    if meeting.venue:
        rows.append([para("場　所", st.BODY), text_para(meeting.venue, st.BODY)])
    info = Table(rows, colWidths=[50, width * 0.55], hAlign="RIGHT")
    info.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), MINCHO), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
    story += [info, Spacer(1, 26)]
    for item in meeting.agenda:
        story.append(text_para(f"{document_digits(str(item.number))}　{item.title}", st.ITEM))
        for sub in item.items:
            story.append(text_para(f"・{sub.title}", st.BULLET))
            trailer = []
            if sub.presenter:
                trailer.append(text_para(f"【{sub.presenter}】", st.BODY_INDENT))
            else:
                trailer.append("")
            if sub.material:
                trailer.append(text_para(LEADER + material_label(sub.material), st.RIGHT))
            else:
                trailer.append("")
            if any(trailer):
                row = Table([trailer], colWidths=[width * 0.6, width * 0.4])
                row.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), MINCHO), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
                story.append(row)
        story.append(Spacer(1, 22))
    if materials:
        story += [text_para(MATERIALS_HEADING, st.ITEM), Spacer(1, 4), _materials_table(materials, width)]
    return story


def _materials_table(materials: Sequence[tuple[str, str]], width: float) -> Table:
    """資料N and its title, a long title wrapping under itself."""
    rows = [[text_para(material_label(name), st.BODY), text_para(title, st.BODY)] for name, title in materials]
    table = Table(rows, colWidths=[56, width - 56 - st.BULLET.leftIndent], hAlign="RIGHT")  # under the bullets
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), MINCHO), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table
