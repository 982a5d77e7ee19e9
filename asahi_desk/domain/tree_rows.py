"""The budget tree's rows: their kinds, their data, and the top of a year's tree built from plain tuples.

TreeService (SQLAlchemy) and the start's first read (store/first_read.py, the standard library's sqlite3) both
build the 合計 row, the budget classes and the categories here, from the same tuples: the two cannot drift.
Pure Python: the window's modules import it before SQLAlchemy is loaded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from asahi_desk.domain.budget_names import GRAND_TOTAL_NAME

TOTAL, BUDGET_CLASS, CATEGORY, PROGRAM, LINE_ITEM = "total", "budget_class", "category", "program", "line_item"
TOTAL_LABEL = f"{GRAND_TOTAL_NAME} 合計"
OUTSIDE_TOTAL = "（合計外）"

Sums = dict[int, tuple[int, int]]  # id -> (current, prior)


@dataclass(frozen=True)
class NodeData:
    kind: str
    id: int
    label: str
    current: int | None
    prior: int | None
    has_children: bool


@dataclass(frozen=True)
class Matches:
    """Ids that match a filter plus their ancestors (so the tree can keep the path visible)."""

    categories: frozenset[int]
    programs: frozenset[int]
    line_items: frozenset[int]
    classes: frozenset[int] = frozenset()
    by_item: frozenset[int] = frozenset()  # programs where a line item matched the text (opened to show it)


@dataclass(frozen=True)
class ListedSums:
    """予算額 and 前年度 of the programs a filter lists, per category and budget class; `inside` (the 合計 of what is
    listed) never holds a 合計外 class (区配事業), whose listed programs are counted apart in `outside`."""

    categories: dict[int, tuple[int, int]]
    classes: dict[int, tuple[int, int]]
    inside: tuple[int, int, int]  # programs, current, prior
    outside: tuple[int, int, int]


def top_rows(classes: Iterable[tuple[int, str, bool]], sums: Sums, first_use: dict[int, int]) -> list[NodeData]:
    """The total row (the classes inside the total), then the budget classes in the order their categories first
    appear (as rules.class_names orders them), then declared classes no category uses yet.
    classes: (id, name, in_total) in their declared order; sums: per class; first_use: class -> first position."""
    ordered = sorted(classes, key=lambda r: (r[0] not in first_use, first_use.get(r[0], 0)))
    rows = [NodeData(BUDGET_CLASS, cid, name if in_total else f"{name}{OUTSIDE_TOTAL}", *sums.get(cid, (0, 0)),
                     cid in first_use) for cid, name, in_total in ordered]
    inside = [sums.get(cid, (0, 0)) for cid, _name, in_total in ordered if in_total]
    total = NodeData(TOTAL, 0, TOTAL_LABEL, sum(c for c, _p in inside), sum(p for _c, p in inside), False)
    return [total, *rows]


def category_rows(categories: Iterable[tuple[int, str | None, str]], sums: Sums) -> list[NodeData]:
    """Category rows from (id, code, name) in order and the categories' sums."""
    return [NodeData(CATEGORY, cid, f"{code} {name}" if code else name, *sums.get(cid, (0, 0)), cid in sums)
            for cid, code, name in categories]
