"""Text rules shared by every input path: control characters, how user text is shown in a message."""

from __future__ import annotations

import re

# C0/C1 controls, DEL, bidirectional overrides/isolates, line/paragraph separators, BOM: never legitimate
# in a name; shown escaped (\n, \u202e) wherever user text is echoed in a message.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
                     "\ud800-\udfff]")
_MULTILINE_OK = {"\n", "\t"}
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str) -> str:
    """text with every control, bidi, separator character and lone surrogate escaped (one safe line)."""
    return _UNSAFE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def bad_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character a stored text must not hold (None when clean). Tab and newline are allowed
    only in multi-line fields; \r\n counts as a newline there."""
    for m in _UNSAFE.finditer(text):
        ch = m.group()
        if multiline and (ch in _MULTILINE_OK or (ch == "\r" and text[m.end():m.end() + 1] == "\n")):
            continue
        return ch
    return None


def is_clean(text: str) -> bool:
    """Whether the text holds no character bad_character() would look at (then it has no problem but
    perhaps its length)."""
    return _UNSAFE.search(text) is None


def all_clean(texts: list[str]) -> bool:
    """Whether none of these texts holds a character bad_character() would look at (one C-level search)."""
    return _UNSAFE.search("".join(texts)) is None


def text_problem(text: str, *, limit: int | None = None, multiline: bool = False) -> str | None:
    """A Japanese description of what is wrong with a text for storing (characters, length), or None."""
    bad = bad_character(text, multiline=multiline)
    if bad is not None:
        if "\ud800" <= bad <= "\udfff":
            return f"対になっていないサロゲート文字（{shown(bad)}）が含まれています"
        return f"制御文字（{shown(bad)}）は使えません" + ("" if multiline else "（改行・タブも使えない項目です）")
    if limit is not None and len(text) > limit:
        return f"長すぎます（{len(text):,}文字、{limit:,}文字まで）"
    return None
