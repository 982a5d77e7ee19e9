"""Named versions (版) of a fiscal year: save a frozen copy, list them, make the working year equal to one.

A version is the JSON interchange form with uids (importers/json_format.py), so it survives schema changes
of the working tables and comparisons match programs and line items by identity. A restore is one
transaction that first saves the working year as it was (「…を復元する前」), so it can be undone by restoring
that copy (the GUI's undo does exactly this).
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.domain.entities import Budget
from asahi_desk.domain.errors import ConflictError, InputError, NotFoundError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both
from asahi_desk.domain.rules import class_totals, grand_total
from asahi_desk.importers import json_format
from asahi_desk.services.tree import BUDGET_CLASS, CATEGORY, LINE_ITEM, PROGRAM, TOTAL
from asahi_desk.store import repository as repo
from asahi_desk.store.models import BudgetClassRow, BudgetVersionRow, CategoryRow, FiscalYear
from asahi_desk.store.unit_of_work import read_only, unit_of_work

NAME_LIMIT = BudgetVersionRow.name.type.length
TYPICAL_NAMES = ("照会前", "要求", "課長査定", "区長査定", "確定")


@dataclass(frozen=True)
class VersionInfo:
    fiscal_year: int
    name: str
    created_at: dt.datetime
    clerk: str
    programs: int
    total: int  # 千円, the sum of the programs' amounts

    def line(self) -> str:
        return (f"{self.name}\t{self.created_at:%Y-%m-%d %H:%M}\t{self.clerk}\t事業 {self.programs} 件\t"
                f"{self.total:,} 千円")


@dataclass(frozen=True)
class Restored:
    """What a restore did: the version made working, and the copy of the year as it was before (its undo)."""

    fiscal_year: int
    name: str
    before_name: str
    before: dict[str, Any]

    def describe(self) -> str:
        return (f"{fiscal_year_both(self.fiscal_year)}を版「{self.name}」に戻しました。"
                f"戻す前の状態は版「{self.before_name}」に保存しました（元に戻すときはこの版を復元します）")


def clerk_name() -> str:
    try:
        return getpass.getuser()[:100]
    except (OSError, KeyError, ImportError):
        return ""


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("版の名前を入力してください", "版名")
    if len(name) > NAME_LIMIT:
        raise InputError(f"版の名前は{NAME_LIMIT}文字以内にしてください（{len(name)}文字あります）", "版名")
    return name


def _info(year: int, row: BudgetVersionRow) -> VersionInfo:
    programs = [p for c in row.data.get("categories", []) for p in c.get("programs", [])]
    return VersionInfo(year, row.name, row.created_at, row.clerk, len(programs),
                       sum(int(p.get("current", 0)) for p in programs))


class VersionService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def save(self, year: int, name: str) -> VersionInfo:
        """Freeze the working year under name (unique per year; ConflictError when taken)."""
        name = _check_name(name)
        try:
            with unit_of_work(self._sessions) as s:
                fy = repo.get_fiscal_year(s, check_fiscal_year(year))
                row = _save(s, fy, name)
                return _info(fy.year, row)
        except IntegrityError:  # a colleague saved the same name at the same moment
            raise ConflictError(f"{fiscal_year_both(year)}には版「{name}」が既にあります") from None

    def list(self, year: int) -> list[VersionInfo]:
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, check_fiscal_year(year))
            rows = s.scalars(select(BudgetVersionRow).where(BudgetVersionRow.fiscal_year_id == fy.id)
                             .order_by(BudgetVersionRow.created_at, BudgetVersionRow.id))
            return [_info(fy.year, r) for r in rows]

    def names(self, year: int) -> list[str]:
        return [v.name for v in self.list(year)]

    def budget(self, year: int, name: str) -> Budget:
        """The version as a frozen Budget (uids kept)."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, check_fiscal_year(year))
            data = _get(s, fy, name).data
        return json_format.parse_budget(data, f"版「{name}」")

    def data(self, year: int, name: str) -> dict[str, Any]:
        """The version in the interchange form (what restore_data takes: the redo of a restore)."""
        with read_only(self._sessions) as s:
            return _get(s, repo.get_fiscal_year(s, check_fiscal_year(year)), name).data

    def amounts_by_node(self, year: int, name: str) -> dict[tuple[str, int], int]:
        """The version's amount for each row of the working year's tree, keyed as the tree keys its nodes
        ((kind, id)): line items and programs matched by uid, categories by code and name, classes by name.
        A row the version does not have is missing from the map."""
        version = self.budget(year, name)
        with read_only(self._sessions) as s:
            working = repo.load_budget(s, repo.get_fiscal_year(s, check_fiscal_year(year)))
        programs = {p.uid: p for p in version.programs()}
        items = {li.uid: li.amount for p in version.programs() for li in p.line_items}
        categories = {(c.code, c.name): c.current for c in version.categories}
        out: dict[tuple[str, int], int] = {(TOTAL, 0): grand_total(version)[0]}
        for bc in working.budget_classes:
            if bc.id is not None and any(c.budget_class == bc.name for c in version.categories):
                out[(BUDGET_CLASS, bc.id)] = class_totals(version, bc.name)[0]
        for c in working.categories:
            if c.id is not None and (c.code, c.name) in categories:
                out[(CATEGORY, c.id)] = categories[(c.code, c.name)]
            for p in c.programs:
                if p.id is not None and p.uid in programs:
                    out[(PROGRAM, p.id)] = programs[p.uid].current
                for li in p.line_items:
                    if li.id is not None and li.uid in items:
                        out[(LINE_ITEM, li.id)] = items[li.uid]
        return out

    def restore(self, year: int, name: str) -> Restored:
        """Make the working year equal to the version, in one transaction that first saves the year as it was."""
        with unit_of_work(self._sessions) as s:
            fy = repo.get_fiscal_year(s, check_fiscal_year(year))
            data = _get(s, fy, name).data
            stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            before_name = _unique_name(s, fy, f"「{name}」を復元する前 {stamp}")
            before = _save(s, fy, before_name).data
            _replace_tree(s, fy, json_format.parse_budget(data, f"版「{name}」"))
        return Restored(year, name, before_name, before)

    def restore_data(self, year: int, data: dict[str, Any]) -> None:
        """Make the working year equal to a copy in the interchange form (the undo of a restore)."""
        budget = json_format.parse_budget(data, "復元前の状態")
        with unit_of_work(self._sessions) as s:
            _replace_tree(s, repo.get_fiscal_year(s, check_fiscal_year(year)), budget)


def _get(s: Session, fy: FiscalYear, name: str) -> BudgetVersionRow:
    row = s.scalar(select(BudgetVersionRow).where(BudgetVersionRow.fiscal_year_id == fy.id,
                                                  BudgetVersionRow.name == name))
    if row is None:
        known = s.scalars(select(BudgetVersionRow.name).where(BudgetVersionRow.fiscal_year_id == fy.id)
                          .order_by(BudgetVersionRow.created_at)).all()
        raise NotFoundError(f"{fiscal_year_both(fy.year)}に版「{name}」はありません（版: {'、'.join(known) or 'なし'}）")
    return row


def _save(s: Session, fy: FiscalYear, name: str) -> BudgetVersionRow:
    if s.scalar(select(BudgetVersionRow.id).where(BudgetVersionRow.fiscal_year_id == fy.id,
                                                  BudgetVersionRow.name == name)) is not None:
        raise ConflictError(f"{fiscal_year_both(fy.year)}には版「{name}」が既にあります（版の名前は年度ごとに一つです）")
    budget = repo.load_budget(s, fy)
    data = json_format.dump_budget(budget, with_ids=True)
    row = BudgetVersionRow(fiscal_year_id=fy.id, name=name, created_at=dt.datetime.now().replace(microsecond=0),
                           clerk=clerk_name(), data=data)
    s.add(row)
    s.flush()
    return row


def _unique_name(s: Session, fy: FiscalYear, name: str) -> str:
    taken = set(s.scalars(select(BudgetVersionRow.name).where(BudgetVersionRow.fiscal_year_id == fy.id)))
    candidate, n = name[:NAME_LIMIT], 2
    while candidate in taken:
        candidate = f"{name[:NAME_LIMIT - 4]} ({n})"
        n += 1
    return candidate


def _replace_tree(s: Session, fy: FiscalYear, budget: Budget) -> None:
    """The year's categories, programs, line items and indicators become the budget's (uids kept); the
    year's own records (meetings, printed summary, versions) stay."""
    s.execute(delete(CategoryRow).where(CategoryRow.fiscal_year_id == fy.id))
    s.flush()
    s.expire(fy, ["categories"])
    classes = {bc.name: bc for bc in s.scalars(select(BudgetClassRow).where(BudgetClassRow.fiscal_year_id == fy.id))}
    for c in budget.categories:
        if c.budget_class not in classes:
            bc = budget.budget_class(c.budget_class)
            classes[c.budget_class] = BudgetClassRow(fiscal_year_id=fy.id, position=len(classes), name=bc.name,
                                                     in_total=bc.in_total, indicators_required=bc.indicators_required)
            s.add(classes[c.budget_class])
    s.flush()
    names = [x for p in budget.programs() for x in p.sections]
    names += [x for p in budget.programs() for li in p.line_items for x in (li.sections or ())]
    sections = repo.sections_by_name(s, names)
    for ci, c in enumerate(budget.categories):
        cat = CategoryRow(fiscal_year_id=fy.id, budget_class_id=classes[c.budget_class].id, position=ci,
                          code=c.code, name=c.name)
        s.add(cat)
        for pi, p in enumerate(c.programs):
            cat.programs.append(repo.program_row(p, fy.id, pi, p.uid or repo.new_uid(), sections))
    s.flush()
