"""Light reads for the budget tree: lazy children with amounts, and a search over a compact index."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, func, select, type_coerce
from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.domain.rules import GRAND_TOTAL_NAME
from asahi_desk.domain.search_text import fold, matches_all, query_words
from asahi_desk.store import repository as repo
from asahi_desk.store.models import (
    BudgetClassRow,
    CategoryRow,
    IndicatorRow,
    LineItemRow,
    LineItemSection,
    ProgramRow,
    ProgramSection,
    Section,
)
from asahi_desk.store.unit_of_work import read_only

TOTAL, BUDGET_CLASS, CATEGORY, PROGRAM, LINE_ITEM = "total", "budget_class", "category", "program", "line_item"
TOTAL_LABEL = f"{GRAND_TOTAL_NAME} 合計"
OUTSIDE_TOTAL = "（合計外）"
# class, category, program, item (None: the program's own entry), folded text, sections
IndexEntry = tuple[int, int, int, int | None, str, frozenset[str]]


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


class TreeService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._index: dict[int, list[IndexEntry]] = {}

    def top(self, year: int) -> list[NodeData]:
        """The total row (the classes inside the total), then the budget classes in the order their categories
        first appear (as rules.class_names orders them), then declared classes no category uses yet."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            sums = {cls: (int(cur or 0), int(pri or 0)) for cls, cur, pri in s.execute(
                select(CategoryRow.budget_class_id, func.sum(ProgramRow.current), func.sum(ProgramRow.prior))
                .join(ProgramRow, ProgramRow.category_id == CategoryRow.id)
                .where(CategoryRow.fiscal_year_id == fy.id).group_by(CategoryRow.budget_class_id))}
            first_use = {cls: pos for cls, pos in s.execute(
                select(CategoryRow.budget_class_id, func.min(CategoryRow.position))
                .where(CategoryRow.fiscal_year_id == fy.id).group_by(CategoryRow.budget_class_id))}
            classes = s.execute(select(BudgetClassRow.id, BudgetClassRow.name, BudgetClassRow.in_total)
                                .where(BudgetClassRow.fiscal_year_id == fy.id)
                                .order_by(BudgetClassRow.position)).all()
        classes = sorted(classes, key=lambda r: (r[0] not in first_use, first_use.get(r[0], 0)))
        rows = [NodeData(BUDGET_CLASS, cid, name if in_total else f"{name}{OUTSIDE_TOTAL}", *sums.get(cid, (0, 0)),
                         cid in first_use) for cid, name, in_total in classes]
        inside = [sums.get(cid, (0, 0)) for cid, _name, in_total in classes if in_total]
        total = NodeData(TOTAL, 0, TOTAL_LABEL, sum(c for c, _p in inside), sum(p for _c, p in inside), False)
        return [total, *rows]

    def categories(self, year: int, budget_class_id: int | None = None) -> list[NodeData]:
        """The categories of a year in their order (of one budget class when given)."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            sums = {cid: (int(cur or 0), int(pri or 0)) for cid, cur, pri in s.execute(
                select(ProgramRow.category_id, func.sum(ProgramRow.current), func.sum(ProgramRow.prior))
                .where(ProgramRow.fiscal_year_id == fy.id).group_by(ProgramRow.category_id))}
            query = select(CategoryRow.id, CategoryRow.code, CategoryRow.name).where(CategoryRow.fiscal_year_id == fy.id)
            if budget_class_id is not None:
                query = query.where(CategoryRow.budget_class_id == budget_class_id)
            rows = s.execute(query.order_by(CategoryRow.position)).all()
            return [NodeData(CATEGORY, cid, f"{code} {name}" if code else name, *sums.get(cid, (0, 0)), cid in sums)
                    for cid, code, name in rows]

    def listed_sums(self, year: int, program_ids: frozenset[int]) -> ListedSums:
        """The sums of the listed programs (read now, not from the search index: amounts change on every edit)."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            rows = s.execute(
                select(ProgramRow.id, ProgramRow.category_id, CategoryRow.budget_class_id, BudgetClassRow.in_total,
                       ProgramRow.current, ProgramRow.prior)
                .join(CategoryRow, CategoryRow.id == ProgramRow.category_id)
                .join(BudgetClassRow, BudgetClassRow.id == CategoryRow.budget_class_id)
                .where(ProgramRow.fiscal_year_id == fy.id)).all()
        cats: dict[int, tuple[int, int]] = {}
        classes: dict[int, tuple[int, int]] = {}
        totals = {True: (0, 0, 0), False: (0, 0, 0)}
        for pid, cid, cls, in_total, cur, pri in rows:
            if pid not in program_ids:
                continue
            c, p = cats.get(cid, (0, 0))
            cats[cid] = (c + cur, p + pri)
            c, p = classes.get(cls, (0, 0))
            classes[cls] = (c + cur, p + pri)
            n, c, p = totals[bool(in_total)]
            totals[bool(in_total)] = (n + 1, c + cur, p + pri)
        return ListedSums(cats, classes, totals[True], totals[False])

    def class_of_category(self, category_id: int) -> int | None:
        with read_only(self._sessions) as s:
            return s.scalar(select(CategoryRow.budget_class_id).where(CategoryRow.id == category_id))

    def programs(self, category_id: int) -> list[NodeData]:
        with read_only(self._sessions) as s:
            has_items = select(LineItemRow.id).where(LineItemRow.program_id == ProgramRow.id).exists()
            rows = s.execute(
                select(ProgramRow.id, ProgramRow.number, ProgramRow.name, ProgramRow.current, ProgramRow.prior,
                       has_items)
                .where(ProgramRow.category_id == category_id).order_by(ProgramRow.position)).all()
            return [NodeData(PROGRAM, pid, f"{num} {name}", cur, pri, bool(has))
                    for pid, num, name, cur, pri, has in rows]

    def line_items(self, program_id: int) -> list[NodeData]:
        with read_only(self._sessions) as s:
            rows = s.execute(select(LineItemRow.id, LineItemRow.number, LineItemRow.name, LineItemRow.amount,
                                    LineItemRow.prior)
                             .where(LineItemRow.program_id == program_id).order_by(LineItemRow.position)).all()
            return [NodeData(LINE_ITEM, lid, f"{num} {name}", amt, pri, False) for lid, num, name, amt, pri in rows]

    def invalidate(self) -> None:
        """Drop the search index (after any edit)."""
        self._index.clear()

    def _year_index(self, year: int) -> list[IndexEntry]:
        """(class_id, category_id, program_id, line_item_id, folded text, sections) per program and line item. A
        program's text: number, name, code, purpose, indicators and 課; a line item's: name, activities and 課."""
        if year in self._index:
            return self._index[year]
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            psec: dict[int, set[str]] = {}
            for pid, name in s.execute(
                    select(ProgramSection.program_id, Section.name).join(Section)
                    .join(ProgramRow, ProgramRow.id == ProgramSection.program_id)
                    .where(ProgramRow.fiscal_year_id == fy.id)):
                psec.setdefault(pid, set()).add(name)
            lsec: dict[int, set[str]] = {}
            for lid, name in s.execute(
                    select(LineItemSection.line_item_id, Section.name).join(Section)
                    .join(LineItemRow, LineItemRow.id == LineItemSection.line_item_id)
                    .join(ProgramRow, ProgramRow.id == LineItemRow.program_id)
                    .where(ProgramRow.fiscal_year_id == fy.id)):
                lsec.setdefault(lid, set()).add(name)
            indicators: dict[int, list[str]] = {}
            for pid, name in s.execute(
                    select(IndicatorRow.program_id, IndicatorRow.name)
                    .join(ProgramRow, ProgramRow.id == IndicatorRow.program_id)
                    .where(ProgramRow.fiscal_year_id == fy.id)):
                indicators.setdefault(pid, []).append(name)
            class_of = dict(s.execute(select(CategoryRow.id, CategoryRow.budget_class_id)
                                      .where(CategoryRow.fiscal_year_id == fy.id)).all())
            entries: list[IndexEntry] = []
            no_sections: frozenset[str] = frozenset()
            program_sections = {pid: frozenset(names) for pid, names in psec.items()}
            for cid, pid, num, name, purpose, code in s.execute(
                    select(ProgramRow.category_id, ProgramRow.id, ProgramRow.number, ProgramRow.name,
                           ProgramRow.purpose, ProgramRow.code).where(ProgramRow.fiscal_year_id == fy.id)):
                secs = program_sections.get(pid, no_sections)
                text = fold(f"{num} {name} {code or ''} {purpose} {' '.join(indicators.get(pid, ()))} {' '.join(secs)}")
                entries.append((class_of[cid], cid, pid, None, text, secs))
            items = s.execute(
                select(ProgramRow.category_id, ProgramRow.id, LineItemRow.id, LineItemRow.name,
                       type_coerce(LineItemRow.activities, Text)).join(ProgramRow, ProgramRow.id == LineItemRow.program_id)
                .where(ProgramRow.fiscal_year_id == fy.id)).all()
            for (cid, pid, lid, name, _raw), acts in zip(items, _activities(items), strict=True):
                secs = program_sections.get(pid, no_sections)
                if lid in lsec:
                    secs = secs | lsec[lid]
                text = fold(f"{name} {' '.join(acts or ())} {' '.join(lsec.get(lid, ()))}")
                entries.append((class_of[cid], cid, pid, lid, text, secs))
        self._index[year] = entries
        return entries

    def search(self, year: int, text: str = "", section: str | None = None) -> Matches:
        """Programs and line items whose own text holds every word of text (folded: domain/search_text.py), and
        the 課. A program's text: number, name, code, purpose, indicators, 課; a line item's: name, activities, 課."""
        words = query_words(text)
        classes: set[int] = set()
        cats: set[int] = set()
        progs: set[int] = set()
        items: set[int] = set()
        by_item: set[int] = set()
        for cls, cid, pid, lid, hay, secs in self._year_index(year):
            if words and not matches_all(hay, words):
                continue
            if section and section not in secs:
                continue
            classes.add(cls)
            cats.add(cid)
            progs.add(pid)
            if lid is not None:
                items.add(lid)
                if words:
                    by_item.add(pid)
        return Matches(frozenset(cats), frozenset(progs), frozenset(items), frozenset(classes), frozenset(by_item))

    def sections(self) -> list[str]:
        with read_only(self._sessions) as s:
            return repo.all_sections(s)


def _activities(rows: Sequence[Any]) -> list[Any]:
    """The activities column (last) of rows read as raw JSON text, decoded in one call: one json.loads per
    line item was most of the search index's build time (10,000 items: 35 ms → 3 ms). A driver that
    already decodes JSON (psycopg) hands lists, which are kept as they are."""
    raw = [r[-1] for r in rows]
    decoded = json.loads("[" + ",".join(a if isinstance(a, str) else "null" for a in raw) + "]")
    return [d if isinstance(a, str) else a for a, d in zip(raw, decoded, strict=True)]
