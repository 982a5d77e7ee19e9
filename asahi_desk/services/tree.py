"""Light reads for the budget tree: lazy children with amounts, and a search over a compact index."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.store import repository as repo
from asahi_desk.store.models import (
    CategoryRow,
    LineItemRow,
    LineItemSection,
    ProgramRow,
    ProgramSection,
    Section,
)
from asahi_desk.store.unit_of_work import read_only

CATEGORY, PROGRAM, LINE_ITEM = "category", "program", "line_item"


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


class TreeService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._index: dict[int, list[tuple[int, int, int | None, str, frozenset[str]]]] = {}

    def categories(self, year: int) -> list[NodeData]:
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            sums = dict(s.execute(
                select(ProgramRow.category_id, func.sum(ProgramRow.current))
                .where(ProgramRow.fiscal_year_id == fy.id).group_by(ProgramRow.category_id)).all())
            priors = dict(s.execute(
                select(ProgramRow.category_id, func.sum(ProgramRow.prior))
                .where(ProgramRow.fiscal_year_id == fy.id).group_by(ProgramRow.category_id)).all())
            rows = s.execute(select(CategoryRow.id, CategoryRow.code, CategoryRow.name)
                             .where(CategoryRow.fiscal_year_id == fy.id).order_by(CategoryRow.position)).all()
            return [NodeData(CATEGORY, cid, f"{code} {name}" if code else name, int(sums.get(cid) or 0),
                             int(priors.get(cid) or 0), cid in sums) for cid, code, name in rows]

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

    def _year_index(self, year: int) -> list[tuple[int, int, int | None, str, frozenset[str]]]:
        """(category_id, program_id, line_item_id, lower-cased text, sections) per program and line item."""
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
            entries: list[tuple[int, int, int | None, str, frozenset[str]]] = []
            for cid, pid, num, name, purpose, code in s.execute(
                    select(ProgramRow.category_id, ProgramRow.id, ProgramRow.number, ProgramRow.name,
                           ProgramRow.purpose, ProgramRow.code).where(ProgramRow.fiscal_year_id == fy.id)):
                text = f"{num} {name} {code or ''} {purpose}".lower()
                entries.append((cid, pid, None, text, frozenset(psec.get(pid, ()))))
            for cid, pid, lid, name, acts in s.execute(
                    select(ProgramRow.category_id, ProgramRow.id, LineItemRow.id, LineItemRow.name,
                           LineItemRow.activities).join(ProgramRow, ProgramRow.id == LineItemRow.program_id)
                    .where(ProgramRow.fiscal_year_id == fy.id)):
                text = f"{name} {' '.join(acts or [])}".lower()
                entries.append((cid, pid, lid, text, frozenset(lsec.get(lid, set()) | psec.get(pid, set()))))
        self._index[year] = entries
        return entries

    def search(self, year: int, text: str = "", section: str | None = None) -> Matches:
        needle = text.strip().lower()
        cats: set[int] = set()
        progs: set[int] = set()
        items: set[int] = set()
        for cid, pid, lid, hay, secs in self._year_index(year):
            if needle and needle not in hay:
                continue
            if section and section not in secs:
                continue
            cats.add(cid)
            progs.add(pid)
            if lid is not None:
                items.add(lid)
        return Matches(frozenset(cats), frozenset(progs), frozenset(items))

    def sections(self) -> list[str]:
        with read_only(self._sessions) as s:
            return repo.all_sections(s)
