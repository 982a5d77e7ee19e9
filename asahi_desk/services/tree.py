"""Light reads for the budget tree: lazy children with amounts, and a search over a compact index."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from asahi_desk.domain.search_text import fold, matches_all, query_words
from asahi_desk.domain.tree_rows import (
    BUDGET_CLASS,
    CATEGORY,
    LINE_ITEM,
    OUTSIDE_TOTAL,
    PROGRAM,
    TOTAL,
    TOTAL_LABEL,
    ListedSums,
    Matches,
    NodeData,
    category_rows,
    top_rows,
)
from asahi_desk.store import repository as repo
from asahi_desk.store import tree_queries as q
from asahi_desk.store.unit_of_work import SessionFactory, read_only

# class, category, program, item (None: the program's own entry), folded text, sections
IndexEntry = tuple[int, int, int, int | None, str, frozenset[str]]
__all__ = ["BUDGET_CLASS", "CATEGORY", "LINE_ITEM", "OUTSIDE_TOTAL", "PROGRAM", "TOTAL", "TOTAL_LABEL", "ListedSums",
           "Matches", "NodeData", "TreeService"]


class TreeService:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._index: dict[int, list[IndexEntry]] = {}

    def top(self, year: int) -> list[NodeData]:
        """The total row (the classes inside the total), then the budget classes in the order their categories
        first appear (as rules.class_names orders them), then declared classes no category uses yet."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            return top_rows(q.budget_classes(s, fy.id), q.class_sums(s, fy.id), q.class_first_use(s, fy.id))

    def categories(self, year: int, budget_class_id: int | None = None) -> list[NodeData]:
        """The categories of a year in their order (of one budget class when given)."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            return category_rows(q.categories(s, fy.id, budget_class_id), q.category_sums(s, fy.id))

    def listed_sums(self, year: int, program_ids: frozenset[int]) -> ListedSums:
        """The sums of the listed programs (read now, not from the search index: amounts change on every edit)."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            rows = q.program_figures(s, fy.id)
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
            return q.class_of_category(s, category_id)

    def programs(self, category_id: int) -> list[NodeData]:
        with read_only(self._sessions) as s:
            return [NodeData(PROGRAM, pid, f"{num} {name}", cur, pri, bool(has))
                    for pid, num, name, cur, pri, has in q.programs(s, category_id)]

    def line_items(self, program_id: int) -> list[NodeData]:
        with read_only(self._sessions) as s:
            return [NodeData(LINE_ITEM, lid, f"{num} {name}", amt, pri, False)
                    for lid, num, name, amt, pri in q.line_items(s, program_id)]

    def invalidate(self) -> None:
        """Drop the search index (after an edit of a text, a 担当課 or the structure)."""
        self._index.clear()

    def _year_index(self, year: int) -> list[IndexEntry]:
        """(class_id, category_id, program_id, line_item_id, folded text, sections) per program and line item. A
        program's text: number, name, code, purpose, indicators and 課; a line item's: name, activities and 課."""
        if year in self._index:
            return self._index[year]
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            psec: dict[int, set[str]] = {}
            for pid, name in q.program_sections(s, fy.id):
                psec.setdefault(pid, set()).add(name)
            lsec: dict[int, set[str]] = {}
            for lid, name in q.line_item_sections(s, fy.id):
                lsec.setdefault(lid, set()).add(name)
            indicators: dict[int, list[str]] = {}
            for pid, name in q.program_indicators(s, fy.id):
                indicators.setdefault(pid, []).append(name)
            class_of = q.category_classes(s, fy.id)
            entries: list[IndexEntry] = []
            no_sections: frozenset[str] = frozenset()
            program_sections = {pid: frozenset(names) for pid, names in psec.items()}
            for cid, pid, num, name, purpose, code in q.program_texts(s, fy.id):
                secs = program_sections.get(pid, no_sections)
                text = fold(f"{num} {name} {code or ''} {purpose} {' '.join(indicators.get(pid, ()))} {' '.join(secs)}")
                entries.append((class_of[cid], cid, pid, None, text, secs))
            items = q.line_item_texts(s, fy.id)
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
