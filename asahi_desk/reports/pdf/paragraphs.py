"""The one Paragraph of every PDF the product writes: reportlab's, with lines broken by reports.linebreak.

Use para() for text already in Paragraph markup and text_para() for user text (escaped here); never
reportlab's Paragraph directly (tests/reports/test_typesetting.py checks that). A paragraph given a
`smaller` style (table cells get one from tables.cell) re-sets itself one step smaller when a word is
wider than its cell, and only then breaks that word.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import FragLine, ParaLines, _handleBulletWidth, makeCJKParaLine

from asahi_desk.reports.linebreak import HARD_BREAK, break_lines
from asahi_desk.reports.pdf.styles import text as escape_text

_OBJECT = "\ufffc"  # an inline object (image, anchor) in the text handed to the breaker


class JaParagraph(Paragraph):
    """A Paragraph whose lines follow the Japanese rules whatever its wordWrap: 禁則, phrase boundaries,
    no punctuation hung past the frame or a cell's padding, no last line of one character."""

    def __init__(self, text: str | None, style: ParagraphStyle | None = None, *args: Any,
                 smaller: ParagraphStyle | None = None, **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        self._smaller = smaller
        self._cut_word = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        size = super().wrap(availWidth, availHeight)
        if self._cut_word and self._smaller is not None and self.text is not None:
            # one step smaller, once: the word is broken only if it still does not fit
            smaller, self._smaller = self._smaller, None
            self._setup(self.text, smaller, self.bulletText, None, _keep)
            size = super().wrap(availWidth, availHeight)
        return size

    def breakLines(self, width: Any) -> ParaLines:  # noqa: N802 - reportlab's name
        return self.breakLinesCJK(width)

    def breakLinesCJK(self, maxWidths: Any) -> ParaLines:  # noqa: N802, N803 - reportlab's names
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        self.height = 0
        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        # Tables and page splitting wrap one paragraph many times at the same width: break it once.
        key = tuple(maxWidths)
        cached = getattr(self, "_broken", None)
        if cached is not None and cached[0] is self.frags and cached[1] == key:
            return ParaLines(kind=1, lines=list(cached[2]))
        glyphs, chars, widths = self._glyphs()
        broken = break_lines(chars, widths, list(maxWidths))
        self._cut_word = broken.forced
        autoleading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        calc_bounds = autoleading not in ("", "off")
        lines = []
        for n, ((a, b), hard) in enumerate(zip(broken.spans, broken.hard, strict=True)):
            width = maxWidths[min(n, len(maxWidths) - 1)]
            used = broken.widths[n]
            line = glyphs[a:b]
            if hard:  # the <br/> frag ends the line, as reportlab expects (spaces before it dropped)
                line.append(glyphs[chars.index(HARD_BREAK, b)])
            line = line or [_Glyph.of("", self.frags[-1], 0.0)]
            if calc_bounds:
                lines.append(makeCJKParaLine(line, width, used, width - used, hard, calc_bounds))
            else:
                lines.append(_frag_line(line, width, used, hard))
        self._broken = (self.frags, key, tuple(lines))
        return ParaLines(kind=1, lines=lines)

    def _glyphs(self) -> tuple[list[_Glyph], str, list[float]]:
        """Each character with its frag and width (computed once per set of frags)."""
        cached = getattr(self, "_glyph_cache", None)
        if cached is not None and cached[0] is self.frags:
            return cached[1]
        glyphs: list[_Glyph] = []
        chars: list[str] = []
        for frag in self.frags:
            value = frag.text if isinstance(frag.text, str) else frag.text.decode(self.encoding)
            if hasattr(frag, "cbDefn"):
                glyphs.append(_Glyph.of(value, frag, getattr(frag.cbDefn, "width", 0)))
                chars.append(_OBJECT)
                continue
            sizes = _char_widths(frag.fontName, frag.fontSize)
            for ch in value:
                width = sizes.get(ch)
                if width is None:
                    width = sizes[ch] = stringWidth(ch, frag.fontName, frag.fontSize)
                glyphs.append(_Glyph.of(ch, frag, width))
            chars.append(value)
            if hasattr(frag, "lineBreak"):  # <br/>: an empty frag that ends the line
                glyphs.append(_Glyph.of("", frag, 0.0))
                chars.append(HARD_BREAK)
            elif not value:
                glyphs.append(_Glyph.of("", frag, 0.0))
                chars.append(_OBJECT)
        text = "".join(chars)
        widths = [g.width for g in glyphs]
        self._glyph_cache = (self.frags, (glyphs, text, widths))
        return glyphs, text, widths


def _frag_line(glyphs: list[_Glyph], width: float, used: float, hard: bool) -> FragLine:
    """What reportlab's makeCJKParaLine makes of a line, measured per run of one frag rather than per
    character (it spends most of a handout's line breaking comparing each character's frag)."""
    words = []
    size = ascent = descent = 0.0
    start = 0
    for end in range(1, len(glyphs) + 1):
        if end < len(glyphs) and glyphs[end].frag is glyphs[start].frag:
            continue
        frag = glyphs[start].frag
        up, down = getAscentDescent(frag.fontName, frag.fontSize)
        size, ascent, descent = max(size, frag.fontSize), max(ascent, up), min(descent, down)
        word = frag.clone()
        word.text = "".join(glyphs[start:end])
        words.append(word)
        start = end
    return FragLine(kind=1, extraSpace=width - used, wordCount=1, words=words, fontSize=size, ascent=ascent,
                    descent=descent, maxWidth=width, currentWidth=used, lineBreak=hard)


class _Glyph(str):
    """One character with its frag and width: what reportlab's makeCJKParaLine reads (as its cjkU, whose
    constructor would measure every character again)."""

    frag: Any
    width: float

    @classmethod
    def of(cls, ch: str, frag: Any, width: float) -> _Glyph:
        glyph = cls(ch)
        glyph.frag = frag
        glyph.width = width
        return glyph


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _char_widths(font: str, size: float) -> dict[str, float]:
    """Measured character widths per font and size (the handout uses two faces at a few sizes)."""
    return _WIDTHS.setdefault((font, size), {})


def _keep(text: str) -> str:
    return text


def para(markup: str, style: ParagraphStyle, *, smaller: ParagraphStyle | None = None) -> JaParagraph:
    """A paragraph of Paragraph markup (already escaped)."""
    return JaParagraph(markup, style, smaller=smaller)


def text_para(value: object, style: ParagraphStyle, *, smaller: ParagraphStyle | None = None) -> JaParagraph:
    """A paragraph of user text: escaped, newlines kept as line breaks."""
    return JaParagraph(escape_text(value), style, smaller=smaller)
