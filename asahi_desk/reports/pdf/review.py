"""The review (振り返り) as a material: per area and initiative, 担当課 / 事業内容 / 振り返り."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table

from asahi_desk.domain.entities import Review
from asahi_desk.domain.fiscal import document_digits, fiscal_year_label
from asahi_desk.reports.pdf import styles as st
from asahi_desk.reports.pdf import tables as tb
from asahi_desk.reports.pdf.document import frame_height, frame_width
from asahi_desk.reports.pdf.paragraphs import JaParagraph, text_para


def _lines(values: tuple[str, ...]) -> str:
    return "\n".join(values)


def review_story(review: Review) -> list[Flowable]:
    width = frame_width()
    title = review.title or f"{fiscal_year_label(review.fiscal_year, fullwidth=True)} {review.ward}運営方針の振り返り"
    story: list[Flowable] = [text_para(title, st.TITLE)]
    if review.basic_goal:
        story += [text_para(f"基本目標：{review.basic_goal}", st.BODY), Spacer(1, 8)]
    widths = [width * 0.17, width * 0.38, width * 0.45]
    for area in review.areas:
        heading = text_para(document_digits(f"{area.number}　{area.name}"), st.SUBHEADING)
        rows: list[list] = [tb.header(["担当課", "事業内容", "振り返り"])]
        extra: list[tuple] = []
        for initiative in area.initiatives:
            rows.append([tb.cell(initiative.title, st.CELL_GOTHIC), "", ""])
            extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                      ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), st.SUBTOTAL_FILL)]
            if initiative.rows:  # the initiative's title never ends a page alone
                extra.append(("NOSPLIT", (0, len(rows) - 1), (-1, len(rows))))
            for row in initiative.rows:
                rows.append([tb.cell(_lines(row.sections)), tb.cell(_lines(row.plan)),
                             tb.cell(_lines(row.results))])
        extra.append(("VALIGN", (0, 1), (-1, -1), "TOP"))
        story += [_keep_with_table(heading, rows[:3], widths), heading,
                  tb.grid(rows, widths, extra=extra), Spacer(1, 8)]
    return story


def _keep_with_table(heading: JaParagraph, first_rows: list[list], widths: list[float]) -> CondPageBreak:
    """A page break unless the area heading fits with the table's header, the first initiative and its
    first row (at most 40% of a page is asked for: a taller row splits anyway)."""
    width = frame_width()
    _, heading_height = heading.wrap(width, frame_height())
    _, rows_height = Table(first_rows, colWidths=widths).wrap(width, frame_height())
    return CondPageBreak(min(heading_height + 6 + rows_height, frame_height() * 0.4))
