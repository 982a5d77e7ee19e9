"""Read a PDF back as a reader sees it: the text lines of every table cell (cells from the drawn rulings,
found by pdfplumber) and of the page outside tables, with the character boxes, to check 禁則 and that no
glyph touches a ruling or crosses the page margin."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

import pdfplumber

# The lists (not the product's), plus the other small kana.
MAY_NOT_START = set("、。，．：；？！）」』】〕〉》ーっゃゅょぁぃぅぇぉッャュョァィゥェォ…")
MAY_NOT_END = set("（「『【〔〈《")
MARGIN = 48.0  # the handout's page margin (reports/pdf/canvas.py), in pt
CLEARANCE = 1.0  # a glyph's box stays this far inside its cell's ruling (a 0.5–1 pt line is drawn on it)


@dataclass
class Line:
    page: int  # 1-based
    cell: tuple[float, float, float, float] | None  # x0, top, x1, bottom of the ruled cell; None outside tables
    chars: list[dict]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    def __repr__(self) -> str:
        return f"p.{self.page} {'cell' if self.cell else 'text'} 「{self.text}」"


@dataclass
class Reading:
    lines: list[Line]
    overflows: list[str]
    cells: int


def read(pdf_bytes: bytes) -> Reading:
    lines: list[Line] = []
    overflows: list[str] = []
    cells_seen = 0
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            cells = [c for table in page.find_tables() for c in table.cells]
            cells_seen += len(cells)
            by_cell: dict[tuple | None, list[dict]] = defaultdict(list)
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                if ch["x0"] < MARGIN - 0.01 or ch["x1"] > page.width - MARGIN + 0.01:
                    overflows.append(f"p.{number} 「{ch['text']}」 crosses the page margin (x {ch['x0']:.1f}–{ch['x1']:.1f})")
                by_cell[_cell_of(ch, cells)].append(ch)
            for cell, chars in by_cell.items():
                for line in _lines(chars):
                    lines.append(Line(number, cell, line))
                    if cell is not None:
                        overflows += _outside(Line(number, cell, line))
    return Reading(lines, overflows, cells_seen)


def _cell_of(ch: dict, cells: list[tuple]) -> tuple | None:
    """The smallest ruled cell holding the character's centre."""
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    hits = [c for c in cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]]
    return min(hits, key=lambda c: (c[2] - c[0]) * (c[3] - c[1])) if hits else None


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters on one baseline (within half their size), left to right, lines top to bottom."""
    out: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        if out and abs(out[-1][-1]["top"] - ch["top"]) < ch["size"] * 0.5:
            out[-1].append(ch)
        else:
            out.append([ch])
    return [sorted(line, key=lambda c: c["x0"]) for line in out]


def _outside(line: Line) -> list[str]:
    x0, top, x1, bottom = line.cell  # type: ignore[misc]
    bad = []
    for ch in line.chars:
        if (ch["x0"] < x0 + CLEARANCE or ch["x1"] > x1 - CLEARANCE or ch["top"] < top + CLEARANCE / 2
                or ch["bottom"] > bottom - CLEARANCE / 2):
            bad.append(f"{line!r}: 「{ch['text']}」 touches its cell's ruling "
                       f"(glyph {ch['x0']:.1f}–{ch['x1']:.1f}, cell {x0:.1f}–{x1:.1f})")
    return bad


def bad_breaks(reading: Reading) -> list[str]:
    """Lines that start with closing punctuation, a prolonged sound mark or small kana, or end with an
    opening bracket. A leader (……資料１) begins its own right-aligned paragraph, not a wrapped line."""
    bad = []
    for line in reading.lines:
        text = line.text
        if text[0] in MAY_NOT_START and not text.startswith("……"):
            bad.append(f"{line!r} starts with {text[0]}")
        if text[-1] in MAY_NOT_END:
            bad.append(f"{line!r} ends with {text[-1]}")
    return bad


def lone_last_chars(reading: Reading) -> list[str]:
    """A cell line of one character right under another line of the same cell (the end of a paragraph
    that could have taken one more character down)."""
    bad = []
    previous: dict[tuple, Line] = {}
    for line in reading.lines:
        if line.cell is None:
            continue
        key = (line.page, line.cell)
        above = previous.get(key)
        if above and len(line.text) == 1 and line.chars[0]["top"] - above.chars[0]["top"] < 1.6 * line.chars[0]["size"]:
            bad.append(f"{above.text}／{line.text} (p.{line.page})")
        previous[key] = line
    return bad
