"""The review (振り返り) as a material: per area and initiative, 担当課 / 事業内容 / 振り返り."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table

from asahi_desk.domain.achievement import achievement_text
from asahi_desk.domain.entities import Indicator, Review
from asahi_desk.domain.fiscal import document_digits, fiscal_year_label
from asahi_desk.reports.pdf import styles as st
from asahi_desk.reports.pdf import tables as tb
from asahi_desk.reports.pdf.document import frame_height, frame_width
from asahi_desk.reports.pdf.paragraphs import JaParagraph, text_para


def _lines(values: tuple[str, ...]) -> str:
    return "\n".join(values)


# (area, initiative, row) positions -> the row's linked programs' indicators as (program label, indicator)
RowIndicators = Mapping[tuple[int, int, int], Sequence[tuple[str, Indicator]]]
INDICATOR_HEADERS = ["事業", "事業指標", "目標", "実績", "達成率"]


def review_story(review: Review, indicators: RowIndicators | None = None) -> list[Flowable]:
    """indicators: print under each row its linked programs' indicators with 目標, 実績 and 達成率."""
    width = frame_width()
    title = review.title or f"{fiscal_year_label(review.fiscal_year, fullwidth=True)} {review.ward}運営方針の振り返り"
    story: list[Flowable] = [text_para(title, st.TITLE)]
    if review.basic_goal:
        story += [text_para(f"基本目標：{review.basic_goal}", st.BODY), Spacer(1, 8)]
    widths = [width * 0.17, width * 0.38, width * 0.45]
    for ai, area in enumerate(review.areas):
        heading = text_para(document_digits(f"{area.number}　{area.name}"), st.SUBHEADING)
        rows: list[list] = [tb.header(["担当課", "事業内容", "振り返り"])]
        extra: list[tuple] = []
        for ii, initiative in enumerate(area.initiatives):
            rows.append([tb.cell(initiative.title, st.CELL_GOTHIC), "", ""])
            extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                      ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), st.SUBTOTAL_FILL)]
            if initiative.rows:  # the initiative's title never ends a page alone
                extra.append(("NOSPLIT", (0, len(rows) - 1), (-1, len(rows))))
            for ri, row in enumerate(initiative.rows):
                rows.append([tb.cell(_lines(row.sections)), tb.cell(_lines(row.plan)),
                             tb.cell(_lines(row.results))])
                found = (indicators or {}).get((ai, ii, ri))
                if found:
                    rows.append([_indicator_table(found, width - 12), "", ""])
                    extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                              ("NOSPLIT", (0, len(rows) - 2), (-1, len(rows) - 1))]
        extra.append(("VALIGN", (0, 1), (-1, -1), "TOP"))
        story += [_keep_with_table(heading, rows[:3], widths), heading,
                  tb.grid(rows, widths, extra=extra), Spacer(1, 8)]
    return story


def _indicator_table(found: Sequence[tuple[str, Indicator]], width: float) -> Table:
    """The linked programs' indicators under a row: 事業 / 事業指標 / 目標 / 実績 / 達成率."""
    rows: list[list] = [tb.header(INDICATOR_HEADERS)]
    for label, ind in found:
        rows.append([tb.cell(label), tb.cell(ind.name), tb.cell(f"{ind.target}{ind.unit}", st.CELL_RIGHT),
                     tb.cell(f"{ind.actual}{ind.unit}" if ind.actual else "", st.CELL_RIGHT),
                     tb.cell(achievement_text(ind), st.CELL_RIGHT)])
    widths = [width * 0.2, width * 0.36, width * 0.12, width * 0.12, width * 0.2]
    return tb.grid(rows, widths)


def _keep_with_table(heading: JaParagraph, first_rows: list[list], widths: list[float]) -> CondPageBreak:
    """A page break unless the area heading fits with the table's header, the first initiative and its
    first row (at most 40% of a page is asked for: a taller row splits anyway)."""
    width = frame_width()
    _, heading_height = heading.wrap(width, frame_height())
    _, rows_height = Table(first_rows, colWidths=widths).wrap(width, frame_height())
    return CondPageBreak(min(heading_height + 6 + rows_height, frame_height() * 0.4))
