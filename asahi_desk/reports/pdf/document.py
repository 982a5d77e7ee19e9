"""Build one material (a list of flowables) into the bytes of an A4 portrait PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.platypus import Flowable, SimpleDocTemplate

from asahi_desk.reports.pdf.canvas import MARGIN, numbered_canvas
from asahi_desk.reports.pdf.fonts import register_fonts

A4_MARGINS = {"leftMargin": MARGIN, "rightMargin": MARGIN, "topMargin": MARGIN + 10, "bottomMargin": MARGIN}


def build_pdf(story: Sequence[Flowable], *, title: str, label: str | None = None,
              page_numbers: bool = True, author: str = "") -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    from reportlab.lib.pagesizes import A4

    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=author, creator="asahi-desk",
                            **A4_MARGINS)
    doc.build(list(story), canvasmaker=numbered_canvas(label, page_numbers=page_numbers))
    return buffer.getvalue()


def frame_width() -> float:
    from reportlab.lib.pagesizes import A4

    return A4[0] - A4_MARGINS["leftMargin"] - A4_MARGINS["rightMargin"]


def frame_height() -> float:
    from reportlab.lib.pagesizes import A4

    return A4[1] - A4_MARGINS["topMargin"] - A4_MARGINS["bottomMargin"]
