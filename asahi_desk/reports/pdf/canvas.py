"""The page furniture: the material label (資料１) top right and the page number at the foot."""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from asahi_desk.reports.pdf.fonts import GOTHIC, MINCHO, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 48  # pt, about 17 mm: what the ward's Word template leaves


def numbered_canvas(label: str | None, *, page_numbers: bool = True) -> type[Canvas]:
    """A canvas class that knows the page count when it draws 'n / total'."""
    register_fonts()

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The initial font goes into the page preamble: without this Helvetica is referenced.
            kwargs["initialFontName"] = MINCHO
            kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 10
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []
            self.running: str | None = None  # the program being printed (set by RunningMark)
            self._continued: str | None = None

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._saved.append(dict(self.__dict__))
            self._continued = self.running  # a program still open runs onto the next page
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._furniture(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _furniture(self, total: int) -> None:
            self.saveState()
            if label:
                draw_label(self, label)
            if self._continued:
                # Left of the label box, cut with … so a long program name never runs into it.
                room = PAGE_WIDTH - 2 * MARGIN - (label_width(self, label) + 20 if label else 0)
                line = fit_text(self, self._continued, "（続き）", GOTHIC, 9, room)
                self.setFont(GOTHIC, 9)
                self.drawString(MARGIN, PAGE_HEIGHT - MARGIN / 2 - 8, line)
            if page_numbers:
                self.setFont(MINCHO, 9)
                self.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, f"- {self._pageNumber} -")
            self.restoreState()

    return NumberedCanvas


def fit_text(canvas: Canvas, text: str, tail: str, font: str, size: float, width: float) -> str:
    """text + tail, the text shortened with … until the whole fits in width."""
    if canvas.stringWidth(text + tail, font, size) <= width:
        return text + tail
    while text and canvas.stringWidth(text + "…" + tail, font, size) > width:
        text = text[:-1]
    return text + "…" + tail


LABEL_SIZE = 12


def label_width(canvas: Canvas, label: str) -> float:
    return canvas.stringWidth(label, GOTHIC, LABEL_SIZE)


def draw_label(canvas: Canvas, label: str, *, right: float = PAGE_WIDTH, top: float = PAGE_HEIGHT,
               fill: bool = False) -> None:
    """資料１ in a box at the top right (of A4, or of the box ending at right/top), as the ward stamps its
    materials; fill whitens the box first, for pages that may already have content there."""
    width = label_width(canvas, label)
    x = right - MARGIN - width
    y = top - MARGIN / 2 - 8
    canvas.setLineWidth(0.8)
    if fill:
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(x - 5, y - 4, width + 10, 18, stroke=1, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
    else:
        canvas.rect(x - 5, y - 4, width + 10, 18)
    canvas.setFont(GOTHIC, LABEL_SIZE)
    canvas.drawString(x, y, label)


class RunningMark(Flowable):
    """Zero-size marker: the program from here on (None ends it), for the （続き） line of the next page."""

    def __init__(self, text: str | None) -> None:
        super().__init__()
        self.text = text
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.running = self.text  # type: ignore[attr-defined]
