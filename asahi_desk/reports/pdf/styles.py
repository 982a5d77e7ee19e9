"""Paragraph and table styles of the handout: Mincho body, Gothic headings, CJK word wrap."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from asahi_desk.reports.pdf.fonts import GOTHIC, MINCHO, register_fonts

register_fonts()

BODY_SIZE = 10.5
GRID = colors.black
HEADER_FILL = colors.Color(0.88, 0.88, 0.88)
SUBTOTAL_FILL = colors.Color(0.95, 0.95, 0.95)


def _style(name: str, font: str = MINCHO, size: float = BODY_SIZE, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=kw.pop("leading", size * 1.45),
                          wordWrap="CJK", alignment=kw.pop("alignment", TA_LEFT), **kw)


BODY = _style("body")
BODY_INDENT = _style("body_indent", leftIndent=14)
BULLET = _style("bullet", leftIndent=22, firstLineIndent=-10)
SMALL = _style("small", size=9)
SMALL_RIGHT = _style("small_right", size=9, alignment=TA_RIGHT)
NOTE = _style("note", size=9.5, leftIndent=12, firstLineIndent=-12)
TITLE = _style("title", GOTHIC, 15, alignment=TA_CENTER, spaceAfter=6)
AGENDA_TITLE = _style("agenda_title", GOTHIC, 14, alignment=TA_CENTER, leading=22)
HEADING = _style("heading", GOTHIC, 13, spaceBefore=4, spaceAfter=4)
SUBHEADING = _style("subheading", GOTHIC, 11.5, spaceBefore=6, spaceAfter=2)
ITEM = _style("item", GOTHIC, BODY_SIZE, leftIndent=8, spaceBefore=3)
CELL = _style("cell", size=9.5, leading=12.5)
CELL_GOTHIC = _style("cell_gothic", GOTHIC, 9.5, leading=12.5)
CELL_CENTER = _style("cell_center", GOTHIC, 9.5, leading=12.5, alignment=TA_CENTER)
CELL_RIGHT = _style("cell_right", size=9.5, leading=12.5, alignment=TA_RIGHT)
UNIT = _style("unit", size=9.5, alignment=TA_RIGHT)
RIGHT = _style("right", alignment=TA_RIGHT)


def indented(style: ParagraphStyle, level: int, step: float = 10.5) -> ParagraphStyle:
    """style moved right by level steps (a Paragraph drops leading spaces, so indent by style)."""
    if level <= 0:
        return style
    return ParagraphStyle(f"{style.name}_indent{level}", parent=style, leftIndent=style.leftIndent + step * level)


SHRINK_STEP = 1.0  # pt: a cell whose word does not fit is set this much smaller, once
_smaller: dict[str, ParagraphStyle] = {}


def smaller(style: ParagraphStyle) -> ParagraphStyle:
    """style one step smaller (leading in proportion), for a cell whose longest word is wider than it."""
    if style.name not in _smaller:
        ratio = (style.fontSize - SHRINK_STEP) / style.fontSize
        _smaller[style.name] = ParagraphStyle(f"{style.name}_smaller", parent=style, fontSize=style.fontSize - SHRINK_STEP,
                                              leading=style.leading * ratio)
    return _smaller[style.name]


def text(value: object) -> str:
    """User text for Paragraph markup: escaped, newlines kept."""
    return escape(str(value)).replace("\n", "<br/>")
