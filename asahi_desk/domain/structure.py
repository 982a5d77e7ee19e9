"""Structure rules of the tree: numbering and codes of siblings, moves, sums, photo captions.

Pure Python on any objects with the attributes named (the store's rows among them): the rules are stated
once here, the edit operations apply them to the rows they hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any


def serial_code(code: str | None, category_code: str | None) -> bool:
    """True for a program code of the category's series, f"{category_code}-{n}" (「Ⅰ-3」 under 「Ⅰ」)."""
    return bool(code and category_code and re.fullmatch(re.escape(category_code) + r"-[0-9]+", code))


def next_program_code(category_code: str | None, programs: Sequence[Any]) -> str | None:
    """The code a new program at the end of the category gets: the next of the category's series."""
    if not category_code:
        return None
    return f"{category_code}-{sum(1 for p in programs if serial_code(p.code, category_code)) + 1}"


def renumber_programs(programs: Sequence[Any], category_code: str | None, old_code: str | None = None) -> None:
    """Positions 0.., numbers 1..n within the category, and codes of the series in step: 「Ⅰ-3」 is the
    category's code and the program's place among the programs of the series (統合事務費 has no code, so
    統合事業費 is 「Ⅴ-1」 though it is number 2, as printed). A code outside the series (typed by hand, such as
    「Ⅰ-1-A」) is left as it is. old_code: the category's code before a change, whose series is renamed."""
    series = old_code if old_code is not None else category_code
    coded = 0
    for i, p in enumerate(sorted(programs, key=lambda r: r.position)):
        _set(p, position=i, number=i + 1)
        if category_code and serial_code(p.code, series):
            coded += 1
            _set(p, code=f"{category_code}-{coded}")


def renumber_items(items: Sequence[Any]) -> None:
    """Line items numbered 1, 2, 3 … in their order."""
    for i, li in enumerate(sorted(items, key=lambda r: r.position)):
        _set(li, position=i, number=i + 1)


def reposition(rows: Sequence[Any]) -> None:
    """Positions 0.. in the order given (categories have no number)."""
    for i, row in enumerate(rows):
        _set(row, position=i)


def _set(row: Any, **values: Any) -> None:
    """Assign only what differs, so an unchanged row is not written (nor versioned, nor in the history)."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def move(rows: list[Any], row: Any, delta: int) -> bool:
    """Move row by delta within rows (clamped); False when it stays where it is."""
    index = rows.index(row)
    target = max(0, min(len(rows) - 1, index + delta))
    rows.insert(target, rows.pop(index))
    return target != index


def line_items_sum(amounts: Sequence[int]) -> int:
    """A program with 細事業 costs their sum."""
    return sum(amounts)


def place_photo_captions(photos: Sequence[Any], captions: Sequence[str],
                         make: Callable[[int, str], Any]) -> tuple[list[Any], list[Any]]:
    """Captions edited as a list, photos kept with their own caption: a caption that moved takes its image
    along, an edited caption keeps the image at its place, a removed caption removes its photo. Returns
    (the photos in the new order, made with make(position, caption) where new; the photos removed)."""
    remaining = sorted(photos, key=lambda r: r.position)
    chosen: list[Any] = []
    for caption in captions:
        same = next((ph for ph in remaining if ph.caption == caption), None)
        if same is not None:
            remaining.remove(same)
        chosen.append(same)
    for i, photo in enumerate(chosen):
        if photo is None and remaining:
            chosen[i] = remaining.pop(0)
    out = []
    for i, (photo, caption) in enumerate(zip(chosen, captions, strict=True)):
        if photo is None:
            photo = make(i, caption)
        else:
            _set(photo, position=i, caption=caption)
        out.append(photo)
    return out, remaining
