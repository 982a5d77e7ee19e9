"""Attached PDFs: checked on the way in, stamped with their 資料N label on each page, merged."""

from __future__ import annotations

import io
from collections.abc import Sequence

from asahi_desk.reports.pdf.sanitize import sanitize


def check_pdf(data: bytes, where: str) -> int:
    """The page count of a readable, unencrypted PDF within the attachment limits; InputError otherwise."""
    return sanitize(data, where)[1]


def _label_page(label: str, width: float, height: float) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from asahi_desk.reports.pdf.canvas import draw_label
    from asahi_desk.reports.pdf.fonts import MINCHO, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=MINCHO)
    draw_label(canvas, label, right=width, top=height, fill=True)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def stamp(data: bytes, label: str) -> bytes:
    """Every page of the attachment with the label at the top right of what the reader sees: a rotated
    page is first turned upright (its content rotated instead) and the label goes in its crop box,
    wherever that box's origin lies."""
    from pypdf import PdfReader, PdfWriter

    data, _pages = sanitize(data, label)  # attachments stored before sanitising existed are cleaned here
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stamps: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        if page.rotation % 360:
            page.transfer_rotation_to_content()
        box = page.cropbox
        size = (float(box.width), float(box.height))
        if size not in stamps:
            stamps[size] = PdfReader(io.BytesIO(_label_page(label, *size))).pages[0]
        page.merge_translated_page(stamps[size], float(box.left), float(box.bottom))  # type: ignore[arg-type]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def merge(parts: Sequence[bytes], title: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    writer.add_metadata({"/Title": title, "/Creator": "asahi-desk"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
