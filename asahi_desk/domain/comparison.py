"""Two states of one fiscal year side by side (査定状況 / 新旧対照表): amounts with 差額 and 率, roll-ups per
施策, class and 合計, 新/廃 for added and removed rows, and the texts that changed with a character-level diff.

Programs and line items are matched by uid (the identity a version keeps), then by code and name.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal

from asahi_desk.domain import money
from asahi_desk.domain.entities import Budget, Category, LineItem, Program
from asahi_desk.domain.rules import GRAND_TOTAL_NAME, class_names

ITEM, PROGRAM, CATEGORY, CLASS, TOTAL = "item", "program", "category", "class", "total"
NEW, GONE = "新", "廃"


@dataclass(frozen=True)
class AmountRow:
    level: str  # ITEM, PROGRAM, CATEGORY (施策計), CLASS (区分計), TOTAL (合計)
    label: str
    old: int | None  # None: not in the older state (新)
    new: int | None  # None: not in the newer state (廃)
    budget_class: str = ""
    category: str = ""
    program: str = ""

    @property
    def difference(self) -> int:
        return money.change(self.new or 0, self.old or 0)

    @property
    def rate(self) -> Decimal | None:
        return money.change_rate(self.new or 0, self.old or 0) if self.old else None

    @property
    def status(self) -> str:
        if self.level not in (ITEM, PROGRAM):
            return ""
        return NEW if self.old is None else GONE if self.new is None else ""


Segment = tuple[str, bool]  # (text, changed)


@dataclass(frozen=True)
class TextChange:
    program: str
    item: str  # 細事業名, or '' for the program's own texts
    field: str  # 目的, 主な活動, 事業指標
    old: str
    new: str

    def segments(self) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
        """(old side, new side): each a run of (text, changed); removed characters are changed on the old side,
        added ones on the new side."""
        return char_diff(self.old, self.new)


def char_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    left: list[Segment] = []
    right: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append((old[i1:i2], op != "equal"))
        if j2 > j1:
            right.append((new[j1:j2], op != "equal"))
    return tuple(left), tuple(right)


def marked(segments: tuple[Segment, ...], start: str = "【", end: str = "】") -> str:
    """The text with its changed runs bracketed (for plain-text outputs such as CSV)."""
    return "".join(f"{start}{text}{end}" if changed else text for text, changed in segments)


@dataclass(frozen=True)
class Comparison:
    fiscal_year: int
    old_name: str
    new_name: str
    rows: tuple[AmountRow, ...]
    texts: tuple[TextChange, ...]


def _key(p: Program | LineItem) -> str:
    return p.uid or f"{getattr(p, 'code', None)}|{p.name}"


def _category_key(c: Category) -> str:
    return f"{c.code}|{c.name}"


def _indicators_text(p: Program) -> str:
    return "\n".join(f"{i.name}（目標 {i.target}{i.unit}）" if i.target else i.name for i in p.indicators)


def compare(old: Budget, new: Budget, old_name: str, new_name: str) -> Comparison:
    rows: list[AmountRow] = []
    texts: list[TextChange] = []
    old_cats = {_category_key(c): c for c in old.categories}
    new_cats = {_category_key(c): c for c in new.categories}
    old_programs = {_key(p): p for p in old.programs()}
    new_program_keys = {_key(p) for p in new.programs()}
    for class_name in dict.fromkeys(class_names(new) + class_names(old)):
        keys = [k for k, c in new_cats.items() if c.budget_class == class_name]
        keys += [k for k, c in old_cats.items() if c.budget_class == class_name and k not in new_cats]
        if not keys:
            continue
        for key in keys:
            nc, oc = new_cats.get(key), old_cats.get(key)
            cat = nc or oc
            assert cat is not None
            for p in (nc.programs if nc else ()):
                op = old_programs.get(_key(p))
                _program_rows(rows, texts, op, p, class_name, cat.name)
            for op in (oc.programs if oc else ()):
                if _key(op) not in new_program_keys:
                    _program_rows(rows, texts, op, None, class_name, cat.name)
            rows.append(AmountRow(CATEGORY, f"{cat.label} 計", oc.current if oc else None,
                                  nc.current if nc else None, class_name, cat.name))
        o_total = sum(c.current for c in old.categories if c.budget_class == class_name)
        n_total = sum(c.current for c in new.categories if c.budget_class == class_name)
        rows.append(AmountRow(CLASS, f"{class_name} 計", o_total, n_total, class_name))
    rows.append(AmountRow(TOTAL, f"合計（{GRAND_TOTAL_NAME}）", _total(old), _total(new)))
    return Comparison(new.fiscal_year, old_name, new_name, tuple(rows), tuple(texts))


def _total(budget: Budget) -> int:
    return sum(c.current for name in class_names(budget) if budget.budget_class(name).in_total
               for c in budget.categories if c.budget_class == name)


def _program_rows(rows: list[AmountRow], texts: list[TextChange], op: Program | None, np: Program | None,
                  class_name: str, category: str) -> None:
    p = np or op
    assert p is not None
    rows.append(AmountRow(PROGRAM, p.label, op.current if op else None, np.current if np else None,
                          class_name, category, p.name))
    old_items = {_key(li): li for li in (op.line_items if op else ())}
    new_keys = {_key(li) for li in (np.line_items if np else ())}
    for li in (np.line_items if np else ()):
        oli = old_items.get(_key(li))
        rows.append(AmountRow(ITEM, li.name, oli.amount if oli else None, li.amount, class_name, category, p.name))
        if oli is not None and oli.activities != li.activities:
            texts.append(TextChange(p.name, li.name, "主な活動", "\n".join(oli.activities), "\n".join(li.activities)))
        if oli is not None and oli.name != li.name:
            texts.append(TextChange(p.name, li.name, "細事業名", oli.name, li.name))
    for oli in (op.line_items if op else ()):
        if _key(oli) not in new_keys:
            rows.append(AmountRow(ITEM, oli.name, oli.amount, None, class_name, category, p.name))
    if op is not None and np is not None:
        if op.purpose != np.purpose:
            texts.append(TextChange(p.name, "", "目的", op.purpose, np.purpose))
        if _indicators_text(op) != _indicators_text(np):
            texts.append(TextChange(p.name, "", "事業指標", _indicators_text(op), _indicators_text(np)))
