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
from decimal import Decimal

from asahi_desk.importers.excel.cells import (
    CategoryLabel,
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
    amount: Decimal | None = None  # exact, in 千円 (rounded once when the record is made)
    current: Decimal | None = None
    earlier: Decimal | None = None
    rows: int = 1
    last_row: int = 0  # the last sheet row that belonged to it (wrapped names, 課名 rows)


@dataclass(frozen=True)
class TotalCheck:
    """A 合計/小計 row (or a row of amounts without a name) and what the rows read above it add up to."""

    row: int
    label: str
    figure: int  # the sheet's figure (千円)
    read: int  # the sum of the rows read that it is closest to (千円)
    first_row: int | None = None  # the rows summed: first_row..last_row (None: none)
    last_row: int | None = None
    left_out: str = ""  # totals above it that it does not include (a class outside the grand total)

    @property
    def ok(self) -> bool:
        return self.figure == self.read

    def line(self, sheet: str) -> str:
        rows = ("該当する行なし" if self.first_row is None else f"{self.first_row}行" if self.first_row == self.last_row
                else f"{self.first_row}〜{self.last_row}行")
        if self.ok and self.left_out:
            return (f"{place(sheet, self.row)}「{self.label}」{self.figure:,}千円 = 上の合計行の和"
                    f"（「{self.left_out}」を除く）")
        if self.ok:
            return f"{place(sheet, self.row)}「{self.label}」{self.figure:,}千円 = 読んだ行（{rows}）の合計 {self.read:,}千円"
        return (f"{place(sheet, self.row)}: 「{self.label}」の {self.figure:,}千円 と、読んだ行（{rows}）の合計 "
                f"{self.read:,}千円 が合いません（差 {self.figure - self.read:,}千円）。読み落とした行がないか確かめてください")


@dataclass
class ParsedSheet:
    sheet: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings the clerk should read
    skipped_rows: int = 0
    totals: list[TotalCheck] = field(default_factory=list)  # the sheet's 合計 rows against the rows read

    @property
    def read_total(self) -> int:
        return sum(r.amount for r in self.records)

    def mismatches(self) -> list[TotalCheck]:
        return [t for t in self.totals if not t.ok]


NEGATIVE_MESSAGE = "負の金額は取り込めません（「{value}」）。予算額・前年度額は0以上です（増▲減の列なら列の対応を直してください）"


def _clean_name(text: str) -> str:
    """A name as typed in a cell: the line breaks of a wrapped cell joined without a space."""
    return re.sub(r"[ \t　]*[\r\n]+[ \t　]*", "", text).strip()


def _is_unit_row(texts: list[str]) -> bool:
    """（単位：千円） repeated on a page: a note about the table, never data."""
    return bool(texts) and all(unit_of_text(t) is not None and len(squeeze(t)) <= 12 for t in texts)


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
    category_col = 0  # the column whose label gave `category` (a name merged over it ends the label)
    vertical = False  # the current category label is still being spelled down column c_cat
    budget_class: str | None = None
    class_vertical = False
    by_key: dict[tuple[str | None, str], int] = {}  # line-item tables: (code, name) -> index in out.records
    exact: dict[int, list[Decimal | None]] = {}  # line-item tables: index -> exact amount/current/earlier (千円)
    pending: _Draft | None = None  # a name seen without amounts: wrapped name or a heading
    last: _Draft | None = None  # the program being read (emitted when the next one starts)
    last_program_name = ""
    missing: list[tuple[int, int]] = []
    sections_seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    # Running sum of the amounts read (exact 千円) and its value at each total row: a total is checked
    # against the rows since any earlier total (Ⅰ 計, then 自主企画事業費 計 over Ⅰ–Ⅳ, then 合計).
    cum = Decimal(0)
    bounds: list[tuple[Decimal, int]] = [(Decimal(0), 0)]  # (cum, sheet row after which it was taken)
    amount_rows: list[tuple[int, Decimal]] = []  # (row, cum after it)
    total_figures: list[tuple[Decimal, str]] = []  # the totals read so far (figure, label)

    def cell(values: Row, col: int | None) -> object:
        return values[col - 1] if col and col <= len(values) else None

    def read(values: Row, number: int, col: int | None, *, required: bool, older: bool = False) -> Decimal | None:
        v = cell(values, col)
        if col is None:
            return None
        if is_blank(v) or (not required and is_blank_mark(v)):
            if required and is_blank(v):
                missing.append((number, col))
            return None
        if not required and is_new_program_mark(v):
            out.notes.append(f"{place(sheet, number, col)}: 「{text_of(v)}」は"
                             f"{'その年度に事業がなかった' if older else '新しい事業'}ものとして 0 と読みます")
            return Decimal(0)
        try:
            value = exact_thousands(v, unit=unit)
            round_thousands(value, v)
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
        record = Record(d.row, d.name.strip(), round_thousands(d.amount), d.code, d.number, d.category,
                        _rounded(d.current), secs, d.rows, _rounded(d.earlier), d.budget_class)
        if c_item:
            # One program over several line items: summed exactly, the total rounded once (1,499円 × 3 -> 4千円).
            key = (d.code, record.name)
            if key in by_key:
                i = by_key[key]
                old = out.records[i]
                sums = [_add_exact(a, b) for a, b in zip(exact[i], (d.amount, d.current, d.earlier), strict=True)]
                exact[i] = sums
                out.records[i] = Record(old.row, old.name, round_thousands(sums[0]), old.code, old.number,  # type: ignore[arg-type]
                                        old.category, _rounded(sums[1]),
                                        tuple(dict.fromkeys(old.sections + record.sections)), old.rows + 1,
                                        _rounded(sums[2]), old.budget_class)
                return
            by_key[key] = len(out.records)
            exact[len(out.records)] = [d.amount, d.current, d.earlier]
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

    def check_total(number: int, label: str, values: Row, *, named: bool) -> bool:
        """A total row's figure against the rows read since some earlier total; False when it matches none."""
        v = cell(values, c_amount)
        try:
            figure = exact_thousands(v, unit=unit) if not is_blank(v) else None
        except ValueError:
            figure = None
        if figure is None:
            return True
        best: tuple[Decimal, int] | None = None
        for at, after in bounds:
            if cum - at == figure:
                best = (at, after)
                break
            if best is None or abs(cum - at - figure) < abs(cum - best[0] - figure):
                best = (at, after)
        at, after = best  # type: ignore[misc]
        ok = cum - at == figure
        left_out = "" if ok else _left_out(figure, total_figures)
        if left_out:  # 個性ある区づくり推進費 合計: the class totals in it, without 区配事業 (outside the total)
            ok, at, after = True, cum - figure, 0
        summed = [r for r, _c in amount_rows if r > after]
        check = TotalCheck(number, label, round_thousands(figure, v), round_thousands(cum - at),
                           summed[0] if summed else None, summed[-1] if summed else None, left_out)
        out.totals.append(check)
        if ok or named:
            total_figures.append((figure, label))
            bounds.append((cum, number))
        return ok

    def end_block(label: str) -> None:
        """After a total row the labels above it are over: the next program takes the next label."""
        nonlocal category, category_col, vertical, budget_class, class_vertical
        category, category_col, vertical = None, 0, False
        if "小計" not in squeeze(label):
            budget_class, class_vertical = None, False

    for number, values in rows:
        if number <= mapping.header_row or not any(not is_blank(v) for v in values):
            continue
        texts = [text_of(v) for v in values if isinstance(v, str) and v.strip()]
        amount_cells = [cell(values, c) for c in (c_amount, c_current, c_earlier, c_change) if c]
        has_amounts = any(not is_blank(v) for v in amount_cells)
        if _is_unit_row(texts) and not any(looks_numeric(v) for v in amount_cells if not is_blank(v)):
            out.skipped_rows += 1  # （単位：千円） repeated at a page break
            continue
        if texts and score_row(values) >= 2 and not any(looks_numeric(v) for v in amount_cells if not is_blank(v)):
            out.skipped_rows += 1  # the header repeated at a page break
            out.notes.append(f"{place(sheet, number)}: 見出しの繰り返し（改ページ）を読み飛ばしました")
            settle_pending()
            continue
        name = _clean_name(text_of(cell(values, c_name)))
        # A program whose name is merged over the columns left of the name (統合事務費 in B:D,
        # 区庁舎・区民利用施設管理費 in A:D): the text nearest the name column, unless it is a label.
        merged_col = 0
        if not name and has_amounts and c_name and (pending is None or pending.last_row != number - 1):
            for col in range(c_name - 1, 0, -1):
                v = cell(values, col)
                if is_blank(v) or col in (c_code, c_number) or looks_numeric(v):
                    continue
                t = text_of(v)
                label = category_label(t)
                if is_total_label(t) or is_note(t) or (label is not None and label.code):
                    break
                merged_col, name = col, _clean_name(t)
                break
        class_text = text_of(cell(values, c_class)) if c_class and c_class != merged_col else ""
        if class_text and not (is_total_label(class_text) or is_note(class_text)):
            class_label = category_label(class_text)
            if class_vertical and budget_class is not None and len(class_text) <= _VERTICAL_PIECE:
                budget_class += re.sub(r"\s+", "", class_text)
            elif class_label is not None and class_label.code and class_label.name:
                # Ⅴ統合事務事業費 / Ⅵ旭区で企画する主な区配事業 in the class column: a category of its own class
                budget_class, class_vertical = class_label.name, False
                category, category_col, vertical = SheetCategory(class_label.code, class_label.name), c_class, False
            else:
                budget_class = re.sub(r"\s+", "", class_text)
                class_vertical = len(class_text) <= _VERTICAL_PIECE
                category, category_col, vertical = None, 0, False  # a new class starts its own categories
        cat_text = text_of(cell(values, c_cat)) if c_cat != merged_col else ""
        if cat_text and is_note(cat_text):
            out.skipped_rows += 1
            settle_pending()
            vertical = False
            continue
        if cat_text and is_total_label(cat_text):
            out.skipped_rows += 1
            settle_pending()
            check_total(number, re.sub(r"\s+", "", cat_text), values, named=True)
            end_block(cat_text)
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
            category_col = c_cat or 0
        if merged_col:
            if merged_col <= category_col or category is None:
                category, category_col, vertical = SheetCategory(None, name), merged_col, False
            if c_class and merged_col <= c_class:
                budget_class, class_vertical = name, False
        item = text_of(cell(values, c_item)) if c_item else ""
        sections = [s.strip() for s in _SECTION_SPLIT.split(text_of(cell(values, c_sections))) if s.strip()]
        head = name or (texts[0] if texts and not cat_text else "")
        total_texts = [t for t in texts[:2] if t not in (cat_text, class_text)]
        if head and is_total_label(head) or any(is_total_label(t) for t in total_texts):
            out.skipped_rows += 1
            settle_pending()
            label = head if is_total_label(head) else next(t for t in total_texts if is_total_label(t))
            check_total(number, re.sub(r"\s+", "", label), values, named=True)
            end_block(label)
            continue
        if name and not has_amounts:
            label = category_label(name)
            if label is not None and label.name and not c_item:
                settle_pending()
                category, category_col, vertical = SheetCategory(label.code, label.name), c_name or 0, False
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
                # Amounts without a name anywhere: a total without its label, or a program whose name
                # was lost; the figure decides (never dropped silently).
                out.skipped_rows += 1
                if check_total(number, "事業名のない金額の行", values, named=False):
                    out.notes.append(f"{place(sheet, number)}: 事業名のない金額の行を読み飛ばしました"
                                     "（上の行の合計と一致するため合計行とみなしました）")
                continue
            # The amounts of the pending row (its name may continue on this row).
            draft, pending = pending, None
            draft.name += name
            draft.sections.extend(sections)
        else:
            settle_pending()
            draft = _Draft(number, name, code, num, category, budget_class, list(sections))
        draft.last_row = number
        draft.amount = read(values, number, c_amount, required=True)
        draft.current = read(values, number, c_current, required=False)
        draft.earlier = read(values, number, c_earlier, required=False, older=True)
        if draft.amount is not None:
            cum += draft.amount
            amount_rows.append((number, cum))
        if c_change and draft.amount is not None and draft.current is not None:
            change = _quiet_amount(cell(values, c_change), unit)
            if change is not None and change != round_thousands(draft.current) - round_thousands(draft.amount):
                out.notes.append(f"{place(sheet, number, c_change)}: 増▲減が {round_thousands(draft.current):,} − "
                                 f"{round_thousands(draft.amount):,} と合いません（{text_of(cell(values, c_change))}）")
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


_SUBSET_LIMIT = 12  # totals above a grand total tried in combination (2**12 sums at most)


def _left_out(figure: Decimal, sections: list[tuple[Decimal, str]]) -> str:
    """A grand total that leaves some of the totals above it out (区配事業 is outside 個性ある区づくり
    推進費 合計): the labels left out when some of the last totals, two or more, add up to it; else ''."""
    recent = sections[-_SUBSET_LIMIT:]
    best: tuple[int, ...] | None = None
    for mask in range(1, 1 << len(recent)):
        chosen = tuple(i for i in range(len(recent)) if mask >> i & 1)
        if len(chosen) >= 2 and sum((recent[i][0] for i in chosen), Decimal(0)) == figure and (
                best is None or len(chosen) > len(best)):
            best = chosen
    if best is None:
        return ""
    return "、".join(label for i, (_f, label) in enumerate(recent) if i not in best) or "なし"


def _rounded(value: Decimal | None) -> int | None:
    return None if value is None else round_thousands(value)


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
