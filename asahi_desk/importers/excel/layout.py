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

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from asahi_desk.domain import money
from asahi_desk.importers.excel.cells import (
    category_label,
    exact_thousands,
    is_blank,
    is_blank_mark,
    is_new_program_mark,
    is_note,
    is_total_label,
    looks_numeric,
    parse_cell_amount,
    place,
    round_thousands,
    squeeze,
    text_of,
    unit_of_text,
)
from asahi_desk.importers.excel.headers import Mapping, score_row
from asahi_desk.importers.excel.records import ParsedSheet, Problem, Record, SheetCategory
from asahi_desk.importers.excel.totals import RunningTotals
from asahi_desk.importers.excel.workbook import Row

_SECTION_SPLIT = re.compile(r"[\n、，,／/]+")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})[\s.．、)）]+(?=\S)")
_VERTICAL_PIECE = 2  # a category label split over cells has one or two characters per cell
PLAIN_ROWS = True  # _SheetReader.plain_row on (the tests turn it off to compare with the whole way)


@dataclass(slots=True)
class _Draft:
    row: int
    name: str
    code: str | None
    number: int | None
    category: SheetCategory | None
    budget_class: str | None
    sections: list[str] = field(default_factory=list)
    amount: Decimal | int | None = None  # exact, in 千円 (rounded once when the record is made); int when whole
    current: Decimal | int | None = None
    earlier: Decimal | int | None = None
    rows: int = 1
    last_row: int = 0  # the last sheet row that belonged to it (wrapped names, 課名 rows)


NEGATIVE_MESSAGE = "負の金額は取り込めません（「{value}」）。予算額・前年度額は0以上です（増▲減の列なら列の対応を直してください）"


_LINE_BREAK = re.compile(r"[ \t　]*[\r\n]+[ \t　]*")


def _clean_name(text: str) -> str:
    """A name as typed in a cell: the line breaks of a wrapped cell joined without a space."""
    if "\n" not in text and "\r" not in text:  # most cells: nothing to join
        return text.strip()
    return _LINE_BREAK.sub("", text).strip()


def _is_unit_row(texts: list[str]) -> bool:
    """（単位：千円） repeated on a page: a note about the table, never data."""
    return bool(texts) and all(unit_of_text(t) is not None and len(squeeze(t)) <= 12 for t in texts)


def parse_rows(sheet: str, rows: Iterable[tuple[int, Row]], mapping: Mapping,
               formulas_without_value: Callable[[], set[tuple[int, int]]] | None = None) -> ParsedSheet:
    """Read the records below `mapping.header_row`. Problems are collected, never raised."""
    reader = _SheetReader(sheet, mapping)
    for number, values in rows:
        reader.read_row(number, values)
    return reader.finish(formulas_without_value)


class _SheetReader:
    """One pass over a sheet's rows: the labels carried down the sheet (class, category), the program
    being read and a name seen without amounts, the line items summed, the running totals."""

    def __init__(self, sheet: str, mapping: Mapping) -> None:
        self.out = ParsedSheet(sheet)
        self.sheet = sheet
        self.header_row = mapping.header_row
        self.unit = mapping.unit
        self.thousands = mapping.unit == "千円"
        self.c_name, self.c_item, self.c_cat = mapping.col("name"), mapping.col("item"), mapping.col("category")
        self.c_amount, self.c_current, self.c_change = mapping.col("amount"), mapping.col("current"), mapping.col("change")
        self.c_earlier, self.c_class = mapping.col("earlier"), mapping.col("budget_class")
        self.c_code, self.c_number, self.c_sections = mapping.col("code"), mapping.col("number"), mapping.col("sections")
        self.amount_cols = [c for c in (self.c_amount, self.c_current, self.c_earlier, self.c_change) if c]
        self.category: SheetCategory | None = None
        self.category_col = 0  # the column whose label gave `category` (a name merged over it ends the label)
        self.vertical = False  # the current category label is still being spelled down column c_cat
        self.budget_class: str | None = None
        self.class_vertical = False
        self.by_key: dict[tuple[str | None, str], int] = {}  # line-item tables: (code, name) -> index in out.records
        self.exact: dict[int, list[Decimal | None]] = {}  # line-item tables: index -> exact amount/current/earlier (千円)
        self.pending: _Draft | None = None  # a name seen without amounts: wrapped name or a heading
        self.last: _Draft | None = None  # the program being read (emitted when the next one starts)
        self.last_program_name = ""
        self.missing: list[tuple[int, int]] = []
        self.sections_seen: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.totals = RunningTotals()
        # plain_row serves this mapping: a name, an amount and a No. column, 千円, no class or line-item column
        self.plain = bool(PLAIN_ROWS and self.c_name and self.c_amount and self.c_number and self.thousands
                          and not self.c_class and not self.c_item)

    # ---- cells
    @staticmethod
    def cell(values: Row, col: int | None) -> object:
        return values[col - 1] if col and col <= len(values) else None

    def read(self, values: Row, number: int, col: int | None, *, required: bool,
             older: bool = False) -> Decimal | int | None:
        if col is None:
            return None
        v = values[col - 1] if col <= len(values) else None
        kind = type(v)
        if kind is int and self.thousands and 0 <= v < money.MAX_AMOUNT:  # type: ignore[operator]
            return v  # type: ignore[return-value]  # the common case, exact as it is: a whole 千円, neither negative nor too large
        if kind is str and self.thousands:
            # ASCII digits with commas ("1,234", as people type them): what exact_thousands makes of them,
            # as an int (NFKC changes nothing ASCII; commas and the outer spaces are dropped there too)
            digits = v.strip().replace(",", "")  # type: ignore[union-attr]
            if digits.isascii() and digits.isdigit() and len(digits) <= 20 and int(digits) < money.MAX_AMOUNT:
                return int(digits)
        if is_blank(v) or (not required and is_blank_mark(v)):
            if required and is_blank(v):
                self.missing.append((number, col))
            return None
        if not required and is_new_program_mark(v):
            self.out.notes.append(f"{place(self.sheet, number, col)}: 「{text_of(v)}」は"
                                  f"{'その年度に事業がなかった' if older else '新しい事業'}ものとして 0 と読みます")
            return Decimal(0)
        try:
            value = exact_thousands(v, unit=self.unit)
            round_thousands(value, v)
        except ValueError as e:
            self.out.problems.append(Problem(self.sheet, number, col, str(e)))
            return None
        if value < 0:
            self.out.problems.append(Problem(self.sheet, number, col, NEGATIVE_MESSAGE.format(value=text_of(v))))
            return None
        return value

    # ---- records
    def emit(self, d: _Draft | None) -> None:
        if d is None or d.amount is None:
            return
        sections = d.sections
        secs = tuple(sections) if len(sections) < 2 else tuple(dict.fromkeys(sections))
        secs = self.sections_seen.setdefault(secs, secs)
        amount = d.amount
        record = Record(d.row, d.name.strip(), amount if type(amount) is int and 0 <= amount < money.MAX_AMOUNT
                        else round_thousands(amount), d.code, d.number, d.category,
                        _rounded(d.current), secs, d.rows, _rounded(d.earlier), d.budget_class)
        records = self.out.records
        if self.c_item:
            # One program over several line items: summed exactly, the total rounded once (1,499円 × 3 -> 4千円).
            key = (d.code, record.name)
            if key in self.by_key:
                i = self.by_key[key]
                old = records[i]
                sums = [_add_exact(a, b) for a, b in zip(self.exact[i], (d.amount, d.current, d.earlier), strict=True)]
                self.exact[i] = sums
                records[i] = Record(old.row, old.name, round_thousands(sums[0]), old.code, old.number,  # type: ignore[arg-type]
                                    old.category, _rounded(sums[1]),
                                    tuple(dict.fromkeys(old.sections + record.sections)), old.rows + 1,
                                    _rounded(sums[2]), old.budget_class)
                return
            self.by_key[key] = len(records)
            self.exact[len(records)] = [d.amount, d.current, d.earlier]
        records.append(record)

    def continues_last(self, d: _Draft | None) -> bool:
        """A row with only a name, right below the program being read: the rest of its wrapped name."""
        last = self.last
        return (d is not None and last is not None and d.number is None and d.code is None and not d.sections
                and d.row == last.last_row + 1 and not self.c_item)

    def settle_pending(self) -> None:
        pending = self.pending
        if self.continues_last(pending):
            self.last.name += pending.name  # type: ignore[union-attr]
            self.last.last_row = pending.row  # type: ignore[union-attr]
        self.pending = None

    # ---- totals
    def check_total(self, number: int, label: str, values: Row, *, named: bool) -> bool:
        """A total row's figure against the rows read since some earlier total; False when it matches none."""
        v = self.cell(values, self.c_amount)
        try:
            figure = exact_thousands(v, unit=self.unit) if not is_blank(v) else None
        except ValueError:
            figure = None
        if figure is None:
            return True
        check, ok = self.totals.check(number, label, figure, v, named=named)
        self.out.totals.append(check)
        return ok

    def end_block(self, label: str) -> None:
        """After a total row the labels above it are over: the next program takes the next label."""
        self.category, self.category_col, self.vertical = None, 0, False
        if "小計" not in squeeze(label):
            self.budget_class, self.class_vertical = None, False

    def total_row(self, number: int, label: str, values: Row) -> None:
        self.out.skipped_rows += 1
        self.settle_pending()
        self.check_total(number, re.sub(r"\s+", "", label), values, named=True)
        self.end_block(label)

    # ---- rows
    def read_row(self, number: int, values: Row) -> None:
        """One sheet row: a label, a total, a note, part of a name, or a program's amounts."""
        if number <= self.header_row:
            return
        if self.plain and self.pending is None and self.plain_row(number, values):
            return
        texts = [t for v in values if isinstance(v, str) and (t := v.strip())]  # text_of of each text cell
        if not texts and all(v is None or isinstance(v, str) for v in values):
            return  # every cell blank (is_blank)
        width = len(values)
        amount_cells = [values[c - 1] if c <= width else None for c in self.amount_cols]
        has_amounts = False
        for v in amount_cells:  # any(not is_blank(v) …), without a call per cell
            if v is not None and (not isinstance(v, str) or v.strip()):
                has_amounts = True
                break
        if self.page_break_row(number, values, texts, amount_cells):
            return
        c_name = self.c_name
        v = values[c_name - 1] if c_name and c_name <= width else None
        name = _clean_name(v.strip() if type(v) is str else text_of(v))  # text_of, without its checks for a text
        merged_col = 0
        if not name and has_amounts and self.c_name and (self.pending is None or self.pending.last_row != number - 1):
            merged_col, name = self.merged_name(values)
        class_text = self.class_label(values, merged_col) if self.c_class else ""
        cat_text = text_of(self.cell(values, self.c_cat)) if self.c_cat != merged_col else ""
        if cat_text and is_note(cat_text):
            self.out.skipped_rows += 1
            self.settle_pending()
            self.vertical = False
            return
        if cat_text and is_total_label(cat_text):
            self.total_row(number, cat_text, values)
            return
        if cat_text:
            self.category_text(cat_text)
        if merged_col:
            if merged_col <= self.category_col or self.category is None:
                self.category, self.category_col, self.vertical = SheetCategory(None, name), merged_col, False
            if self.c_class and merged_col <= self.c_class:
                self.budget_class, self.class_vertical = name, False
        head = name or (texts[0] if texts and not cat_text else "")
        # is_total_label needs a 計: most rows have none in the texts it would look at
        if "計" in head or "計" in "".join(texts[:2]):
            total_texts = [t for t in texts[:2] if t not in (cat_text, class_text)]
            if head and is_total_label(head) or any(is_total_label(t) for t in total_texts):
                self.total_row(number, head if is_total_label(head) else next(t for t in total_texts if is_total_label(t)),
                               values)
                return
        self.program_row(number, values, name, has_amounts, bool(texts and not cat_text and not class_text))

    def plain_row(self, number: int, values: Row) -> bool:
        """The common row read the short way, or False (nothing done) for any other: a one-line name, no
        category cell, an amount read() takes as it is (a whole 千円 int, or ASCII digits with commas), no
        計 in any text, no name waiting for its amounts (pending). For such a row read_row's whole way
        finds no blank row, page break, label, note or total, no merged or numbered name, and comes to
        amounts_row's new program: the same steps are taken here directly. Kept equal to the whole way
        by tests/importers/test_excel_layouts.py (every sheet read both ways, PLAIN_ROWS off)."""
        width = len(values)
        name = values[self.c_name - 1] if self.c_name <= width else None  # type: ignore[operator]
        if type(name) is not str or "\n" in name or "\r" in name:
            return False
        c_cat = self.c_cat
        if c_cat and c_cat <= width and values[c_cat - 1] is not None:
            return False
        name = name.strip()
        v = values[self.c_amount - 1] if self.c_amount <= width else None  # type: ignore[operator]
        kind = type(v)
        if kind is int:
            amount = v
        elif kind is str:
            digits = v.strip().replace(",", "")  # type: ignore[union-attr]
            if not (digits.isascii() and digits.isdigit() and len(digits) <= 20):
                return False
            amount = int(digits)
        else:
            return False
        if not (name and 0 <= amount < money.MAX_AMOUNT) or "計" in "".join([t for t in values if isinstance(t, str)]):  # type: ignore[operator]
            return False
        listed = text_of(self.cell(values, self.c_sections)) if self.c_sections else ""
        sections = [s.strip() for s in _SECTION_SPLIT.split(listed) if s.strip()] if listed else []
        code = (text_of(self.cell(values, self.c_code)) or None) if self.c_code else None
        num = _number(values[self.c_number - 1] if self.c_number <= width else None)  # type: ignore[operator]
        draft = _Draft(number, name, code, num, self.category, self.budget_class, sections)
        draft.last_row = number
        draft.amount = amount  # type: ignore[assignment]
        draft.current = self.read(values, number, self.c_current, required=False) if self.c_current else None
        draft.earlier = self.read(values, number, self.c_earlier, required=False, older=True) if self.c_earlier else None
        self.totals.add(number, amount)  # type: ignore[arg-type]
        if self.c_change and draft.current is not None:
            self.check_change(number, values, draft)
        self.emit(self.last)
        self.last = draft
        return True

    def page_break_row(self, number: int, values: Row, texts: list[str], amount_cells: list[object]) -> bool:
        """（単位：千円） or the header repeated at a page break: skipped."""
        for v in amount_cells:  # a number cell first: no text parsed for the common row
            kind = type(v)
            if kind is int or (kind is float and math.isfinite(v)):  # type: ignore[arg-type]
                return False
        if any(looks_numeric(v) for v in amount_cells if not is_blank(v)):
            return False
        if _is_unit_row(texts):
            self.out.skipped_rows += 1
            return True
        if texts and score_row(values) >= 2:
            self.out.skipped_rows += 1
            self.out.notes.append(f"{place(self.sheet, number)}: 見出しの繰り返し（改ページ）を読み飛ばしました")
            self.settle_pending()
            return True
        return False

    def merged_name(self, values: Row) -> tuple[int, str]:
        """A program whose name is merged over the columns left of the name (統合事務費 in B:D,
        区庁舎・区民利用施設管理費 in A:D): the text nearest the name column, unless it is a label."""
        for col in range(self.c_name - 1, 0, -1):  # type: ignore[operator]
            v = self.cell(values, col)
            if is_blank(v) or col in (self.c_code, self.c_number) or looks_numeric(v):
                continue
            t = text_of(v)
            label = category_label(t)
            if is_total_label(t) or is_note(t) or (label is not None and label.code):
                break
            return col, _clean_name(t)
        return 0, ""

    def class_label(self, values: Row, merged_col: int) -> str:
        """The budget-class column's text, carried forward (a vertical label is joined)."""
        c_class = self.c_class
        class_text = text_of(self.cell(values, c_class)) if c_class and c_class != merged_col else ""
        if class_text and not (is_total_label(class_text) or is_note(class_text)):
            class_label = category_label(class_text)
            if self.class_vertical and self.budget_class is not None and len(class_text) <= _VERTICAL_PIECE:
                self.budget_class += re.sub(r"\s+", "", class_text)
            elif class_label is not None and class_label.code and class_label.name:
                # Ⅴ統合事務事業費 / Ⅵ旭区で企画する主な区配事業 in the class column: a category of its own class
                self.budget_class, self.class_vertical = class_label.name, False
                self.category, self.category_col, self.vertical = (SheetCategory(class_label.code, class_label.name),
                                                                   c_class or 0, False)
            else:
                self.budget_class = re.sub(r"\s+", "", class_text)
                self.class_vertical = len(class_text) <= _VERTICAL_PIECE
                self.category, self.category_col, self.vertical = None, 0, False  # a new class starts its own categories
        return class_text

    def category_text(self, cat_text: str) -> None:
        """The category column's text: a new category, or the next piece of a vertical label."""
        label = category_label(cat_text)
        category = self.category
        if label is not None:
            self.category, self.vertical = SheetCategory(label.code, label.name), not label.name
        elif category is not None and (self.vertical or (len(cat_text) <= _VERTICAL_PIECE and category.code)):
            # A label spelled down the column one or two characters per cell: the same category.
            category.name += re.sub(r"\s+", "", cat_text)
            self.vertical = True
        else:
            self.category, self.vertical = SheetCategory(None, re.sub(r"\s+", "", cat_text)), False
        self.category_col = self.c_cat or 0

    def program_row(self, number: int, values: Row, name: str, has_amounts: bool, other_text: bool) -> None:
        """A row that is no label or total: a heading, part of a name, a 課名 row, or a program."""
        item = text_of(self.cell(values, self.c_item)) if self.c_item else ""
        listed = text_of(self.cell(values, self.c_sections)) if self.c_sections else ""
        sections = [s.strip() for s in _SECTION_SPLIT.split(listed) if s.strip()] if listed else []
        if name and not has_amounts:
            label = category_label(name)
            if label is not None and label.name and not self.c_item:
                self.settle_pending()
                self.category, self.category_col, self.vertical = (SheetCategory(label.code, label.name),
                                                                   self.c_name or 0, False)
                return
        if self.c_item and item:
            name = name or self.last_program_name
        if not name and not has_amounts:
            if sections and self.last is not None and not item:
                self.last.sections.extend(s for s in sections if s not in self.last.sections)
                self.last.last_row = number
            elif other_text:
                self.out.skipped_rows += 1
            return
        if name and not has_amounts and is_note(name):
            self.out.skipped_rows += 1
            return
        code = (text_of(self.cell(values, self.c_code)) or None) if self.c_code else None
        num = _number(self.cell(values, self.c_number))
        if name and num is None and self.c_number is None:
            m = _LEADING_NUMBER.match(unicodedata.normalize("NFKC", name))
            if m:
                num, name = int(m.group(1)), name[m.end():].strip() if len(name) > m.end() else name
        if not has_amounts:
            self.name_only(number, name, code, num, sections)
        else:
            self.amounts_row(number, values, name, code, num, sections)

    def name_only(self, number: int, name: str, code: str | None, num: int | None, sections: list[str]) -> None:
        """No amounts: the rest of a wrapped name (of the pending row, or of the program above), else
        this row may start one whose amounts are on the row below."""
        pending = self.pending
        if pending is not None and num is None and code is None and pending.last_row == number - 1:
            pending.name += name
            pending.sections.extend(sections)
            pending.last_row = number
        else:
            self.settle_pending()
            self.pending = _Draft(number, name, code, num, self.category, self.budget_class, list(sections),
                                  last_row=number)

    def amounts_row(self, number: int, values: Row, name: str, code: str | None, num: int | None,
                    sections: list[str]) -> None:
        """A row with amounts: a program (or the amounts of the pending name), or a total without a label."""
        pending = self.pending
        if not name or (pending is not None and pending.number is not None and num is None and code is None
                        and pending.last_row == number - 1):
            if pending is None:
                # Amounts without a name anywhere: a total without its label, or a program whose name
                # was lost; the figure decides (never dropped silently).
                self.out.skipped_rows += 1
                if self.check_total(number, "事業名のない金額の行", values, named=False):
                    self.out.notes.append(f"{place(self.sheet, number)}: 事業名のない金額の行を読み飛ばしました"
                                          "（上の行の合計と一致するため合計行とみなしました）")
                return
            # The amounts of the pending row (its name may continue on this row).
            draft, self.pending = pending, None
            draft.name += name
            draft.sections.extend(sections)
        else:
            if pending is not None:  # (settling nothing is a no-op)
                self.settle_pending()
            draft = _Draft(number, name, code, num, self.category, self.budget_class, sections)
        draft.last_row = number
        draft.amount = self.read(values, number, self.c_amount, required=True)
        draft.current = self.read(values, number, self.c_current, required=False) if self.c_current else None
        draft.earlier = self.read(values, number, self.c_earlier, required=False, older=True)
        if draft.amount is not None:
            self.totals.add(number, draft.amount)
        if self.c_change and draft.current is not None:
            self.check_change(number, values, draft)
        if self.c_item:
            self.last_program_name = draft.name
        self.emit(self.last)
        self.last = draft

    def check_change(self, number: int, values: Row, draft: _Draft) -> None:
        """増▲減 against the two amounts (a note, never a problem)."""
        c_change = self.c_change
        if c_change and draft.amount is not None and draft.current is not None:
            change = _quiet_amount(self.cell(values, c_change), self.unit)
            if change is not None and change != round_thousands(draft.current) - round_thousands(draft.amount):
                self.out.notes.append(f"{place(self.sheet, number, c_change)}: 増▲減が {round_thousands(draft.current):,} − "
                                      f"{round_thousands(draft.amount):,} と合いません（{text_of(self.cell(values, c_change))}）")

    def finish(self, formulas_without_value: Callable[[], set[tuple[int, int]]] | None) -> ParsedSheet:
        """The last program, and the empty amount cells (a formula without a cached value says so)."""
        out = self.out
        self.settle_pending()
        self.emit(self.last)
        if self.missing:
            formulas = formulas_without_value() if formulas_without_value else set()
            for row, col in self.missing:
                if (row, col) in formulas:
                    out.problems.append(Problem(self.sheet, row, col, "数式の計算結果が保存されていません"
                                                "（Excel で開いて上書き保存してから取り込んでください）"))
                else:
                    out.problems.append(Problem(self.sheet, row, col, "金額が空です"))
        out.problems.sort(key=lambda p: (p.row, p.col or 0))
        return out


def _rounded(value: Decimal | int | None) -> int | None:
    if type(value) is int and 0 <= value < money.MAX_AMOUNT:  # what read() gives for most cells: as it is
        return value
    return None if value is None else round_thousands(value)  # type: ignore[arg-type]


def _add_exact(a: Decimal | None, b: Decimal | None) -> Decimal | None:
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
