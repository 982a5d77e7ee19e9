"""Japanese line breaking, written once for every document the product sets: JIS X 4051 禁則 and BudouX phrases.

The function knows nothing of fonts: it takes the width of every character and the width of each line, so
the PDF paragraphs (reports/pdf/paragraphs.py) and anything else that sets text can share it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

HARD_BREAK = "\n"

# 行頭禁則 (JIS X 4051 classes 2, 5, 6, 7, 10 and the small kana of 11): closing brackets, punctuation,
# middle dots, iteration marks, the prolonged sound mark, small kana, and the leaders/dashes that may not
# begin a line.
NO_LINE_START = frozenset(
    "、。，．,.：；:;？！?!・･"
    "）」』】〕〉》］｝〙〗｣)]}’”»"
    "ー－‐゠–〜～"
    "ゝゞヽヾ々〻"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "ｧｨｩｪｫｯｬｭｮｰ"
    "…‥"
    "％%‰℃°′″"
)
# 行末禁則 (class 1, and the prefixed currency/number signs): nothing opens at the end of a line.
NO_LINE_END = frozenset("（「『【〔〈《［｛〘〖｢([{‘“«￥＄＃＠№$#")
# 分離禁止: a leader is never split between its dots.
_INSEPARABLE = frozenset("…‥")
_SPACES = frozenset(" \u3000\t")

# A break is taken at a phrase boundary when the line is at least this full; below it, between
# characters (a narrow cell holds fewer characters, so a shorter line is still better than 「事／業」).
_MIN_FILL_WIDE = 0.6
_MIN_FILL_NARROW = 0.3
_NARROW_CHARS = 12


@dataclass(frozen=True)
class Lines:
    """Each line as [start, end) of the text (no hard break, no spaces at a break); forced is True when
    a word longer than its line had to be cut between two characters of the word."""

    spans: tuple[tuple[int, int], ...]
    forced: bool = False
    hard: tuple[bool, ...] = ()  # the line ends at a HARD_BREAK (the paragraph goes on after it)
    widths: tuple[float, ...] = ()  # of each line

    def texts(self, text: str) -> list[str]:
        return [text[a:b] for a, b in self.spans]


def _is_word_char(ch: str) -> bool:
    """Latin letters, digits and the signs inside numbers and words: 2,151 / 10/4 / LAN / 68.5."""
    if ch.isascii():
        return ch.isalnum() or ch in ",.:/-+'&_@#%"
    return "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ" or ch in "，．"


def may_break_between(before: str, after: str) -> bool:
    """Whether a line may end with before and the next begin with after (spaces aside)."""
    if before in _SPACES:
        return after not in _SPACES and after not in NO_LINE_START
    if after in _SPACES:
        return False  # the break comes after the space, which then disappears
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before in _INSEPARABLE and after in _INSEPARABLE:
        return False
    return not (_is_word_char(before) and _is_word_char(after))


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    import budoux

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=8192)
def phrase_boundaries(text: str) -> frozenset[int]:
    """Indexes i where a BudouX phrase begins (a break before text[i] reads well), 0 excluded."""
    if len(text) < 2 or not any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return frozenset()
    cuts: set[int] = set()
    at = 0
    for phrase in _parser().parse(text)[:-1]:
        at += len(phrase)
        # BudouX now and then cuts a kanji compound (シール事／業利用者): never trust a cut between two kanji
        if not (_script(text[at - 1]) == "C" and _script(text[at]) == "C"):
            cuts.add(at)
    return frozenset(cuts)


def _after_punctuation(text: str, i: int) -> bool:
    """A break right after 、。・ or a closing bracket is as good as a phrase boundary."""
    return text[i - 1] in "、。，．・）」』】〕〉》" or text[i - 1] in _SPACES


def _script(ch: str) -> str:
    """H hiragana, K katakana, C kanji, L Latin and digits, P the rest."""
    if "\u3041" <= ch <= "\u309f":
        return "H"
    if "\u30a0" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f":
        return "K"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff" or ch in "々〆":
        return "C"
    return "L" if _is_word_char(ch) else "P"


def _word_starts(text: str, i: int) -> bool:
    """Inside a long phrase, a word most likely begins where kanji or katakana follow another script:
    の|機運, シール|事業, 魅力|アップ (not after digits: 182|人 is one word, nor before okurigana: 見守|り)."""
    before, after = _script(text[i - 1]), _script(text[i])
    return after in "CK" and before in "HKC" and before != after


def break_lines(text: str, widths: Sequence[float], max_widths: Sequence[float]) -> Lines:
    """Greedy Japanese line breaking of text (HARD_BREAK ends a line) given each character's width and
    the width of line 0, 1, … (the last one repeats). A line never exceeds its width (no hanging
    punctuation) unless a single character is wider than it; 禁則 holds wherever the text allows it;
    breaks fall on phrase boundaries where that keeps the line reasonably full; a paragraph's last line
    is never one character alone when moving one more character down avoids it."""
    if len(widths) != len(text):
        raise ValueError("one width per character")
    spans: list[tuple[int, int]] = []
    hard: list[bool] = []
    forced = False
    start = 0
    while start <= len(text):
        stop = text.find(HARD_BREAK, start)
        end = len(text) if stop < 0 else stop
        if end > start or stop >= 0:
            seg_forced = _break_segment(text, widths, max_widths, start, end, spans)
            forced = forced or seg_forced
            hard += [False] * (len(spans) - len(hard))
            if stop >= 0:
                hard[-1] = True
        if stop < 0:
            break
        start = stop + 1
    cum = list(accumulate(widths, initial=0.0))
    return Lines(tuple(spans), forced, tuple(hard), tuple(cum[b] - cum[a] for a, b in spans))


def _break_segment(text: str, widths: Sequence[float], max_widths: Sequence[float], start: int, end: int,
                   spans: list[tuple[int, int]]) -> bool:
    """Lines of text[start:end] (no hard break inside) appended to spans; True if a word was cut."""
    if start == end:
        spans.append((start, start))
        return False
    phrases: list[frozenset[int]] = []

    def phrases_of() -> frozenset[int]:  # BudouX only for text that needs a break
        if not phrases:
            phrases.append(phrase_boundaries(text[start:end]))
        return phrases[0]

    forced = False
    first_line = len(spans)
    pos = start
    while pos < end:
        limit = max_widths[min(len(spans), len(max_widths) - 1)]
        used = 0.0
        fit = pos
        while fit < end and (used + widths[fit] <= limit + 1e-6 or fit == pos):
            used += widths[fit]
            fit += 1
        # spaces at the end of a line take no room: they disappear at the break
        while fit < end and text[fit] in _SPACES:
            fit += 1
        if fit >= end:
            spans.append(_trim(text, pos, end))
            break
        cut = _choose_break(text, widths, pos, fit, limit, lambda i: (i - start) in phrases_of())
        if cut is None:
            cut, forced = fit, True
        spans.append(_trim(text, pos, cut))
        pos = cut
        while pos < end and text[pos] in _SPACES:
            pos += 1
    _avoid_lone_last_char(text, widths, max_widths, spans, first_line, start, end)
    return forced


def _choose_break(text: str, widths: Sequence[float], pos: int, fit: int, limit: float,
                  is_phrase_start: Callable[[int], bool]) -> int | None:
    """The break for a line starting at pos whose characters up to fit (exclusive) fit: the last phrase
    boundary that leaves the line full enough, else the last likely start of a word inside the phrase,
    else the last place 禁則 allows, else None (a word longer than the line)."""
    room = limit if limit > 0 else 1.0
    em = max(widths[pos:fit]) or 1.0
    need = (_MIN_FILL_NARROW if room / em < _NARROW_CHARS else _MIN_FILL_WIDE) * room
    first_allowed = word_start = None
    width = sum(widths[pos:fit])  # of text[pos:i] as i goes back
    for i in range(fit, pos, -1):
        if i < fit:
            width -= widths[i]
        if not may_break_between(text[i - 1], text[i]):
            continue
        if first_allowed is None:
            first_allowed = i
        if width < need:  # nothing further back is full enough for a phrase or a word break
            break
        if is_phrase_start(i) or _after_punctuation(text, i):
            return i
        if word_start is None and _word_starts(text, i):
            word_start = i
    if word_start is not None:
        return word_start
    if first_allowed is None:
        first_allowed = next((i for i in range(fit, pos, -1) if may_break_between(text[i - 1], text[i])), None)
    return first_allowed


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while b > a and text[b - 1] in _SPACES:
        b -= 1
    return a, b


def _avoid_lone_last_char(text: str, widths: Sequence[float], max_widths: Sequence[float],
                          spans: list[tuple[int, int]], first_line: int, start: int, end: int) -> None:
    """If the paragraph ends with one character alone, end the line before it one allowed place earlier."""
    if len(spans) - first_line < 2:
        return
    (a, b), (c, d) = spans[-2], spans[-1]
    if d - c != 1:
        return
    limit = max_widths[min(len(spans) - 1, len(max_widths) - 1)]
    for cut in range(b - 1, a, -1):
        if not may_break_between(text[cut - 1], text[cut]):
            continue
        if sum(widths[cut:end]) <= limit + 1e-6:
            spans[-2:] = [_trim(text, a, cut), (cut, end)]
        return
