"""Shared table helpers: a grid with a repeated header row, amount cells, the unit line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Table, TableStyle

from asahi_desk.domain import money
from asahi_desk.reports.pdf import styles as st
from asahi_desk.reports.pdf.fonts import MINCHO
from asahi_desk.reports.pdf.paragraphs import JaParagraph, para, text_para


def amount(value: int | None) -> JaParagraph:
    return cell(money.format_amount(value), st.CELL_RIGHT)


def rate(current: int, prior: int) -> JaParagraph:
    return cell(money.format_rate(money.change_rate(current, prior)), st.CELL_RIGHT)


def cell(value: object, style: Any = st.CELL) -> JaParagraph:
    """Every table cell's text: Japanese line breaks, then one step smaller if a word is wider than the cell,
    then that word broken (never clipped, never into the ruling)."""
    return text_para(value, style, smaller=st.smaller(style))


def header(labels: Sequence[str]) -> list[JaParagraph]:
    return [cell(label, st.CELL_CENTER) for label in labels]


def unit_line() -> JaParagraph:
    return para("（単位：千円）", st.UNIT)


def grid(rows: list[list[Any]], widths: Sequence[float], *, extra: Sequence[tuple] = (),
         header_rows: int = 1) -> Table:
    """A ruled table that splits across pages and repeats its header rows on each. A cell given as plain
    text is set as cell() would (reportlab would neither wrap it nor keep it off the ruling)."""
    rows = [[cell(value) if isinstance(value, str) and value else value for value in row] for row in rows]
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows, hAlign="CENTER")
    # A header of 0 rows fills nothing: (-1, -1) would be the whole table.
    header_fill = [("BACKGROUND", (0, 0), (-1, header_rows - 1), st.HEADER_FILL)] if header_rows else []
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), MINCHO, 9.5),  # plain-string cells would default to Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, st.GRID),
        ("BOX", (0, 0), (-1, -1), 1.0, st.GRID),
        *header_fill,
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]))
    return table
