"""Rows below the header -> program records: the ward's 事業別一覧表 and plain tables, one reader.

Read-only mode has no merged-cell ranges, so structure is read from content: a category label (Ⅰ 安全・安心)
starts a category and is carried forward over the rows of a merged cell; a vertical label split over
cells (旭/区/で/企/画 …) is joined; 合計/小計 rows, note rows (※ …) and blank rows are skipped; a program
name wrapped over two rows is joined; 課名 listed one per row is collected. A table with a 細事業名
column has one row per line item: rows of the same program are summed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from asahi_desk.importers.excel.cells import (
    CategoryLabel,
    category_label,
    is_blank,
    is_note,
    is_total_label,
    parse_cell_amount,
    place,
    text_of,
)
from asahi_desk.importers.excel.headers import Mapping
from asahi_desk.importers.excel.workbook import Row

_SECTION_SPLIT = re.compile(r"[\n、，,／/]+")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})[\s.．、)）]+(?=\S)")
_VERTICAL_PIECE = 2  # a category label split over cells has one or two characters per cell


@dataclass(frozen=True)
class Problem:
    """A cell the import cannot accept; `line()` is the Japanese message naming the place."""

    sheet: str
    row: int
    col: int | None
    message: str

    def line(self) -> str:
        return f"{place(self.sheet, self.row, self.col)}: {self.message}"


@dataclass(frozen=True, slots=True)  # slots: one per program, 20,000 in a big sheet
class Record:
    """One program read from the sheet (amounts in 千円)."""

    row: int
    name: str
    amount: int
    code: str | None = None
    number: int | None = None
    category: CategoryLabel | None = None
    current: int | None = None
    sections: tuple[str, ...] = ()
    rows: int = 1  # sheet rows summed into it (tables of line items)


@dataclass
class _Category:
    """Mutable while a vertical label is still being read below its first program row."""

    code: str | None
    name: str


@dataclass(slots=True)
class _Draft:
    row: int
    name: str
    code: str | None
    number: int | None
    category: _Category | None
    sections: list[str] = field(default_factory=list)
    amount: int | None = None
    current: int | None = None
    has_amounts: bool = False
    rows: int = 1


@dataclass
class ParsedSheet:
    sheet: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings the clerk should read
    skipped_rows: int = 0


def parse_rows(sheet: str, rows: Iterable[tuple[int, Row]], mapping: Mapping,
               formulas_without_value: Callable[[], set[tuple[int, int]]] | None = None) -> ParsedSheet:
    """Read the records below `mapping.header_row`. Problems are collected, never raised."""
    out = ParsedSheet(sheet)
    yen = mapping.unit == "円"
    c_name, c_item, c_cat = mapping.col("name"), mapping.col("item"), mapping.col("category")
    c_amount, c_current, c_change = mapping.col("amount"), mapping.col("current"), mapping.col("change")
    c_code, c_number, c_sections = mapping.col("code"), mapping.col("number"), mapping.col("sections")
    category: _Category | None = None
    vertical = False  # the current category label is still being spelled down column c_cat
    drafts: list[_Draft] = []
    by_key: dict[tuple[str | None, str], _Draft] = {}
    pending: _Draft | None = None  # a name seen without amounts: wrapped name or a heading
    last: _Draft | None = None
    last_program_name = ""
    missing: list[tuple[int, int]] = []

    def cell(values: Row, col: int | None) -> object:
        return values[col - 1] if col and col <= len(values) else None

    def amount(values: Row, number: int, col: int | None, *, required: bool) -> int | None:
        v = cell(values, col)
        if col is None:
            return None
        if is_blank(v):
            if required:
                missing.append((number, col))
            return None
        try:
            return parse_cell_amount(v, yen=yen)
        except ValueError as e:
            out.problems.append(Problem(sheet, number, col, str(e)))
            return None

    for number, values in rows:
        if number <= mapping.header_row or not any(not is_blank(v) for v in values):
            continue
        cat_text = text_of(cell(values, c_cat))
        if cat_text and (is_total_label(cat_text) or is_note(cat_text)):
            out.skipped_rows += 1
            pending, vertical = None, False
            continue
        if cat_text:
            label = category_label(cat_text)
            if label is not None:
                category, vertical = _Category(label.code, label.name), not label.name
            elif category is not None and (vertical or (len(cat_text) <= _VERTICAL_PIECE and category.code)):
                # A label spelled down the column one or two characters per cell: the same category.
                category.name += re.sub(r"\s+", "", cat_text)
                vertical = True
            else:
                category, vertical = _Category(None, re.sub(r"\s+", "", cat_text)), False
        name = text_of(cell(values, c_name))
        item = text_of(cell(values, c_item)) if c_item else ""
        texts = [text_of(v) for v in values if isinstance(v, str) and v.strip()]
        amount_cells = [cell(values, c) for c in (c_amount, c_current, c_change) if c]
        has_amounts = any(not is_blank(v) for v in amount_cells)
        sections = [s.strip() for s in _SECTION_SPLIT.split(text_of(cell(values, c_sections))) if s.strip()]
        head = name or (texts[0] if texts and not cat_text else "")
        if head and is_total_label(head) or any(is_total_label(t) for t in texts[:2] if t != cat_text):
            out.skipped_rows += 1
            pending = None
            continue
        if name and not has_amounts:
            label = category_label(name)
            if label is not None and label.name and not c_item:
                category, vertical, pending = _Category(label.code, label.name), False, None
                continue
        if c_item and item:
            name = name or last_program_name
        if not name and not has_amounts:
            if sections and last is not None and not item:
                last.sections.extend(s for s in sections if s not in last.sections)
            elif texts and not cat_text:
                out.skipped_rows += 1
            continue
        if name and is_note(name) and not has_amounts:
            out.skipped_rows += 1
            continue
        code = text_of(cell(values, c_code)) or None
        num = _number(cell(values, c_number))
        if name and num is None and c_number is None:
            m = _LEADING_NUMBER.match(unicodedata.normalize("NFKC", name))
            if m:
                num, name = int(m.group(1)), name[m.end():].strip() if len(name) > m.end() else name
        if not has_amounts:
            # No amounts: a wrapped name continues the pending program, else this row may start one.
            if pending is not None and num is None and code is None:
                pending.name += name
                pending.sections.extend(sections)
            else:
                pending = _Draft(number, name, code, num, category, list(sections))
            continue
        if not name:
            if pending is None:
                out.skipped_rows += 1
                out.notes.append(f"{place(sheet, number)}: 事業名のない金額の行を読み飛ばしました（合計行とみなしました）")
                continue
            draft, pending = pending, None
            draft.sections.extend(sections)
        else:
            pending = None
            draft = _Draft(number, name, code, num, category, list(sections))
        draft.amount = amount(values, number, c_amount, required=True)
        draft.current = amount(values, number, c_current, required=False)
        if c_change and draft.amount is not None and draft.current is not None:
            change = _quiet_amount(cell(values, c_change), yen)
            if change is not None and change != draft.current - draft.amount:
                out.notes.append(f"{place(sheet, number, c_change)}: 増▲減が {draft.current:,} − {draft.amount:,} と"
                                 f"合いません（{text_of(cell(values, c_change))}）")
        draft.has_amounts = True
        if c_item:
            last_program_name = draft.name
            key = (draft.code, draft.name)
            if key in by_key:
                merged = by_key[key]
                merged.rows += 1
                merged.amount = _add(merged.amount, draft.amount)
                merged.current = _add(merged.current, draft.current)
                merged.sections.extend(s for s in draft.sections if s not in merged.sections)
                continue
            by_key[key] = draft
        drafts.append(draft)
        last = draft
    if missing:
        formulas = formulas_without_value() if formulas_without_value else set()
        for row, col in missing:
            if (row, col) in formulas:
                out.problems.append(Problem(sheet, row, col, "数式の計算結果が保存されていません"
                                            "（Excel で開いて上書き保存してから取り込んでください）"))
            else:
                out.problems.append(Problem(sheet, row, col, "金額が空です"))
    for d in drafts:
        if d.amount is None:
            continue
        cat = CategoryLabel(d.category.code, d.category.name) if d.category else None
        out.records.append(Record(d.row, d.name.strip(), d.amount, d.code, d.number, cat, d.current,
                                  tuple(dict.fromkeys(d.sections)), d.rows))
    out.problems.sort(key=lambda p: (p.row, p.col or 0))
    return out


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _quiet_amount(value: object, yen: bool) -> int | None:
    try:
        return parse_cell_amount(value, yen=yen) if not is_blank(value) else None
    except ValueError:
        return None


def _number(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    s = unicodedata.normalize("NFKC", str(value)).strip().rstrip(".")
    return int(s) if s.isdigit() else None
