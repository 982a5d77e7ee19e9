"""Rows below the header -> program records: the ward's 事業別一覧表 and plain tables, one reader.

Read-only mode has no merged-cell ranges, so structure is read from content: a category label (Ⅰ 安全・安心)
starts a category and is carried forward over the rows of a merged cell; a vertical label split over
cells (旭/区/で/企/画 …) is joined; a budget-class column outside the category column (a vertical
自主企画事業 in column A) is carried forward the same way; 合計/小計 rows, note rows (※ …) and blank
rows are skipped; a program name wrapped over two rows is joined (the second part on the row below
the amounts — a merged row or a continuation row without amounts or No. — or the first part on a row
above them that has the No.); 課名 listed one per row is collected. A table with a 細事業名 column has
one row per line item: rows of the same program are summed.

Rows are streamed; each program becomes a compact Record as soon as the next one starts (category and
section tuples shared between records), so memory grows only with the records themselves.
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


class SheetCategory:
    """A category read from the sheet, shared by its records. Its name may still grow while a vertical
    label is spelled down the column below the first program rows; complete once the sheet is read."""

    __slots__ = ("code", "name")

    def __init__(self, code: str | None, name: str) -> None:
        self.code = code
        self.name = name

    def __repr__(self) -> str:
        return f"SheetCategory({self.code!r}, {self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SheetCategory | CategoryLabel) and (self.code, self.name) == (other.code, other.name)

    def __hash__(self) -> int:
        return id(self)


@dataclass(frozen=True, slots=True)  # slots: one per program, 20,000 in a big sheet
class Record:
    """One program read from the sheet (amounts in 千円)."""

    row: int
    name: str
    amount: int
    code: str | None = None
    number: int | None = None
    category: SheetCategory | None = None
    current: int | None = None
    sections: tuple[str, ...] = ()
    rows: int = 1  # sheet rows summed into it (tables of line items)
    earlier: int | None = None  # the amount of the year before (fills the prior amounts of a created year)
    budget_class: str | None = None


@dataclass(slots=True)
class _Draft:
    row: int
    name: str
    code: str | None
    number: int | None
    category: SheetCategory | None
    budget_class: str | None
    sections: list[str] = field(default_factory=list)
    amount: int | None = None
    current: int | None = None
    earlier: int | None = None
    rows: int = 1
    last_row: int = 0  # the last sheet row that belonged to it (wrapped names, 課名 rows)


@dataclass
class ParsedSheet:
    sheet: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings the clerk should read
    skipped_rows: int = 0


NEGATIVE_MESSAGE = "負の金額は取り込めません（「{value}」）。予算額・前年度額は0以上です（増▲減の列なら列の対応を直してください）"


def parse_rows(sheet: str, rows: Iterable[tuple[int, Row]], mapping: Mapping,
               formulas_without_value: Callable[[], set[tuple[int, int]]] | None = None) -> ParsedSheet:
    """Read the records below `mapping.header_row`. Problems are collected, never raised."""
    out = ParsedSheet(sheet)
    unit = mapping.unit
    c_name, c_item, c_cat = mapping.col("name"), mapping.col("item"), mapping.col("category")
    c_amount, c_current, c_change = mapping.col("amount"), mapping.col("current"), mapping.col("change")
    c_earlier, c_class = mapping.col("earlier"), mapping.col("budget_class")
    c_code, c_number, c_sections = mapping.col("code"), mapping.col("number"), mapping.col("sections")
    category: SheetCategory | None = None
    vertical = False  # the current category label is still being spelled down column c_cat
    budget_class: str | None = None
    class_vertical = False
    by_key: dict[tuple[str | None, str], int] = {}  # line-item tables: (code, name) -> index in out.records
    pending: _Draft | None = None  # a name seen without amounts: wrapped name or a heading
    last: _Draft | None = None  # the program being read (emitted when the next one starts)
    last_program_name = ""
    missing: list[tuple[int, int]] = []
    sections_seen: dict[tuple[str, ...], tuple[str, ...]] = {}

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
            value = parse_cell_amount(v, unit=unit)
        except ValueError as e:
            out.problems.append(Problem(sheet, number, col, str(e)))
            return None
        if value < 0:
            out.problems.append(Problem(sheet, number, col, NEGATIVE_MESSAGE.format(value=text_of(v))))
            return None
        return value

    def emit(d: _Draft | None) -> None:
        if d is None or d.amount is None:
            return
        secs = tuple(dict.fromkeys(d.sections))
        secs = sections_seen.setdefault(secs, secs)
        record = Record(d.row, d.name.strip(), d.amount, d.code, d.number, d.category, d.current, secs, d.rows,
                        d.earlier, d.budget_class)
        if c_item:
            key = (d.code, record.name)
            if key in by_key:
                i = by_key[key]
                old = out.records[i]
                out.records[i] = Record(old.row, old.name, old.amount + record.amount, old.code, old.number,
                                        old.category, _add(old.current, record.current),
                                        tuple(dict.fromkeys(old.sections + record.sections)), old.rows + 1,
                                        _add(old.earlier, record.earlier), old.budget_class)
                return
            by_key[key] = len(out.records)
        out.records.append(record)

    def continues_last(d: _Draft | None) -> bool:
        """A row with only a name, right below the program being read: the rest of its wrapped name."""
        return (d is not None and last is not None and d.number is None and d.code is None and not d.sections
                and d.row == last.last_row + 1 and not c_item)

    def settle_pending() -> None:
        nonlocal pending
        if continues_last(pending):
            last.name += pending.name  # type: ignore[union-attr]
            last.last_row = pending.row  # type: ignore[union-attr]
        pending = None

    for number, values in rows:
        if number <= mapping.header_row or not any(not is_blank(v) for v in values):
            continue
        class_text = text_of(cell(values, c_class)) if c_class else ""
        if class_text and not (is_total_label(class_text) or is_note(class_text)):
            if class_vertical and budget_class is not None and len(class_text) <= _VERTICAL_PIECE:
                budget_class += re.sub(r"\s+", "", class_text)
            else:
                budget_class = re.sub(r"\s+", "", class_text)
                class_vertical = len(class_text) <= _VERTICAL_PIECE
        cat_text = text_of(cell(values, c_cat))
        if cat_text and (is_total_label(cat_text) or is_note(cat_text)):
            out.skipped_rows += 1
            settle_pending()
            vertical = False
            continue
        if cat_text:
            label = category_label(cat_text)
            if label is not None:
                category, vertical = SheetCategory(label.code, label.name), not label.name
            elif category is not None and (vertical or (len(cat_text) <= _VERTICAL_PIECE and category.code)):
                # A label spelled down the column one or two characters per cell: the same category.
                category.name += re.sub(r"\s+", "", cat_text)
                vertical = True
            else:
                category, vertical = SheetCategory(None, re.sub(r"\s+", "", cat_text)), False
        name = text_of(cell(values, c_name))
        item = text_of(cell(values, c_item)) if c_item else ""
        texts = [text_of(v) for v in values if isinstance(v, str) and v.strip()]
        amount_cells = [cell(values, c) for c in (c_amount, c_current, c_earlier, c_change) if c]
        has_amounts = any(not is_blank(v) for v in amount_cells)
        sections = [s.strip() for s in _SECTION_SPLIT.split(text_of(cell(values, c_sections))) if s.strip()]
        head = name or (texts[0] if texts and not cat_text else "")
        if head and is_total_label(head) or any(is_total_label(t) for t in texts[:2] if t not in (cat_text, class_text)):
            out.skipped_rows += 1
            settle_pending()
            continue
        if name and not has_amounts:
            label = category_label(name)
            if label is not None and label.name and not c_item:
                settle_pending()
                category, vertical = SheetCategory(label.code, label.name), False
                continue
        if c_item and item:
            name = name or last_program_name
        if not name and not has_amounts:
            if sections and last is not None and not item:
                last.sections.extend(s for s in sections if s not in last.sections)
                last.last_row = number
            elif texts and not cat_text and not class_text:
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
            # No amounts: the rest of a wrapped name (of the pending row, or of the program above), else
            # this row may start one whose amounts are on the row below.
            if pending is not None and num is None and code is None and pending.last_row == number - 1:
                pending.name += name
                pending.sections.extend(sections)
                pending.last_row = number
            else:
                settle_pending()
                pending = _Draft(number, name, code, num, category, budget_class, list(sections), last_row=number)
            continue
        if not name or (pending is not None and pending.number is not None and num is None and code is None
                        and pending.last_row == number - 1):
            if pending is None:
                out.skipped_rows += 1
                out.notes.append(f"{place(sheet, number)}: 事業名のない金額の行を読み飛ばしました（合計行とみなしました）")
                continue
            # The amounts of the pending row (its name may continue on this row).
            draft, pending = pending, None
            draft.name += name
            draft.sections.extend(sections)
        else:
            settle_pending()
            draft = _Draft(number, name, code, num, category, budget_class, list(sections))
        draft.last_row = number
        draft.amount = amount(values, number, c_amount, required=True)
        draft.current = amount(values, number, c_current, required=False)
        draft.earlier = amount(values, number, c_earlier, required=False)
        if c_change and draft.amount is not None and draft.current is not None:
            change = _quiet_amount(cell(values, c_change), unit)
            if change is not None and change != draft.current - draft.amount:
                out.notes.append(f"{place(sheet, number, c_change)}: 増▲減が {draft.current:,} − {draft.amount:,} と"
                                 f"合いません（{text_of(cell(values, c_change))}）")
        if c_item:
            last_program_name = draft.name
        emit(last)
        last = draft
    settle_pending()
    emit(last)
    if missing:
        formulas = formulas_without_value() if formulas_without_value else set()
        for row, col in missing:
            if (row, col) in formulas:
                out.problems.append(Problem(sheet, row, col, "数式の計算結果が保存されていません"
                                            "（Excel で開いて上書き保存してから取り込んでください）"))
            else:
                out.problems.append(Problem(sheet, row, col, "金額が空です"))
    out.problems.sort(key=lambda p: (p.row, p.col or 0))
    return out


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _quiet_amount(value: object, unit: str) -> int | None:
    try:
        return parse_cell_amount(value, unit=unit) if not is_blank(value) else None
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
