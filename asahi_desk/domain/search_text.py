"""Search as a Japanese clerk types: one folding rule for the index and the query, words that must all match.

fold(): NFKC (half-width ｶﾅ → カナ, full-width ＡＢＣ１ → ABC1, the ideographic space → a space), then
case-folding, then katakana → hiragana (U+30A1–U+30F6 minus 0x60, and ヽヾ → ゝゞ), so 「はち」, 「ﾊﾁ」 and
「ハチ」 are the same text. A query is split into words at any space, half or full width.
"""

from __future__ import annotations

import unicodedata

_KATA_TO_HIRA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)} | {0x30FD: 0x309D, 0x30FE: 0x309E}


def fold(text: str) -> str:
    """The form both the index and the query are compared in."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_KATA_TO_HIRA)


def query_words(query: str) -> tuple[str, ...]:
    """The folded words of a query (spaces of either width separate them); () for a blank query."""
    return tuple(dict.fromkeys(fold(query).split()))


def matches_all(folded_text: str, words: tuple[str, ...]) -> bool:
    """Every word occurs in the (already folded) text."""
    return all(w in folded_text for w in words)


def match_spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the words occur in the original text, as (start, end) character offsets, merged and sorted; for
    highlighting. Folding may change lengths (ﾊﾞ → ば), so each candidate substring is folded and compared."""
    if not words or not text:
        return []
    spans: list[tuple[int, int]] = []
    for word in words:
        limit = 2 * len(word) + 2  # a folded character is never shorter than half its source
        first = unicodedata.normalize("NFD", word)[0]  # ば starts as は does: ﾊﾞ is two characters before folding
        for start in range(len(text)):
            if unicodedata.normalize("NFD", fold(text[start]))[:1] != first:
                continue
            for end in range(start + 1, min(len(text), start + limit) + 1):
                folded = fold(text[start:end])
                if folded == word:
                    spans.append((start, end))
                    break
                if len(folded) > len(word) + 1:
                    break
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
