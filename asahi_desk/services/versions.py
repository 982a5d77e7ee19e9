"""Named versions (版) of a fiscal year: save a frozen copy, list them, make the working year equal to one.

A version is the JSON interchange form with uids (importers/json_format.py), so it survives schema changes
of the working tables and comparisons match programs and line items by identity. A restore is one
transaction that first saves the working year as it was (「…を復元する前」), so it can be undone by restoring
that copy (the GUI's undo does exactly this).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from asahi_desk.domain.entities import Budget
from asahi_desk.domain.errors import ConflictError, InputError, NotFoundError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both
from asahi_desk.domain.operations import RESTORE, OpResult, UndoEntry, changes_of
from asahi_desk.domain.rules import class_totals, grand_total
from asahi_desk.domain.text import shown, text_problem
from asahi_desk.importers import json_format
from asahi_desk.services.constants import TYPICAL_NAMES  # noqa: F401 - its name here too (callers, tests)
from asahi_desk.services.editing import os_login
from asahi_desk.services.tree import BUDGET_CLASS, CATEGORY, LINE_ITEM, PROGRAM, TOTAL
from asahi_desk.store import budget_cycle as rows
from asahi_desk.store import operations as ops
from asahi_desk.store import repository as repo
from asahi_desk.store.models import BudgetVersionRow, FiscalYear
from asahi_desk.store.unit_of_work import SessionFactory, read_only, unit_of_work

NAME_LIMIT = rows.VERSION_NAME_LIMIT


@dataclass(frozen=True)
class VersionInfo:
    fiscal_year: int
    name: str
    created_at: dt.datetime
    clerk: str
    programs: int
    total: int  # 千円, as the 合計 row counts it (classes outside the total, 合計外, left out)

    def line(self) -> str:
        return (f"{shown(self.name)}\t{self.created_at:%Y-%m-%d %H:%M}\t{shown(self.clerk)}\t事業 {self.programs} 件\t"
                f"{self.total:,} 千円")


@dataclass(frozen=True)
class Restored:
    """What a restore did: the version made working, the copy of the year as it was before (kept as a version),
    and the operation (its row changes; `operation.undo` is what EditService.undo takes back)."""

    fiscal_year: int
    name: str
    before_name: str
    operation: OpResult[None]

    def describe(self) -> str:
        return (f"{fiscal_year_both(self.fiscal_year)}を版「{self.name}」に戻しました。"
                f"戻す前の状態は版「{self.before_name}」に保存しました（元に戻すときはこの版を復元します）")


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("版の名前を入力してください", "版名")
    if len(name) > NAME_LIMIT:
        raise InputError(f"版の名前は{NAME_LIMIT}文字以内にしてください（{len(name)}文字あります）", "版名")
    if (problem := text_problem(name)) is not None:
        raise InputError(f"版の名前に{problem}", "版名")
    return name


def _info(year: int, name: str, created: dt.datetime, clerk: str, data: dict[str, Any]) -> VersionInfo:
    budget = json_format.parse_budget(data, f"版「{name}」")
    # the 合計 row's rule (domain), so a version's total is the figure the tree and the handout show
    return VersionInfo(year, name, created, clerk, len(list(budget.programs())), grand_total(budget)[0])


class VersionService:
    def __init__(self, sessions: SessionFactory, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

    def save(self, year: int, name: str) -> VersionInfo:
        """Freeze the working year under name (unique per year; ConflictError when taken)."""
        name = _check_name(name)
        with unit_of_work(self._sessions) as s:
            fy = repo.get_fiscal_year(s, check_fiscal_year(year))
            created, data = _save(s, fy, name, self._clerk())
        return _info(fy.year, name, created, self._clerk(), data)

    def list(self, year: int) -> list[VersionInfo]:
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, check_fiscal_year(year))
            return [_info(fy.year, r.name, r.created_at, r.clerk, r.data) for r in rows.version_rows(s, fy.id)]

    def years(self) -> list[int]:
        """The database's fiscal years (西暦), oldest first: what `version list` without a year goes through."""
        with read_only(self._sessions) as s:
            return sorted(repo.fiscal_years(s))

    def names(self, year: int) -> list[str]:
        with read_only(self._sessions) as s:
            return rows.version_names(s, repo.get_fiscal_year(s, check_fiscal_year(year)).id)

    def budget(self, year: int, name: str) -> Budget:
        """The version as a frozen Budget (uids kept)."""
        return json_format.parse_budget(self.data(year, name), f"版「{name}」")

    def data(self, year: int, name: str) -> dict[str, Any]:
        """The version in the interchange form."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, check_fiscal_year(year))
            return _get(s, fy, name).data

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
        """Make the working year equal to the version as one operation (history source 「restore」; undone with
        EditService.undo(result.operation.undo)). The year as it was is also kept as a version first."""
        year = check_fiscal_year(year)
        label = f"版「{name}」を復元"
        with ops.operation(self._sessions, clerk=self._clerk(), source=RESTORE, label=label,
                           fiscal_year=year) as op:
            s = op.session
            fy = repo.get_fiscal_year(s, year)
            data = _get(s, fy, name).data
            stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            before_name = _unique_name(s, fy, f"「{name}」を復元する前 {stamp}")
            _save(s, fy, before_name, self._clerk())
            rows.make_year_equal(op, fy, json_format.parse_budget(data, f"版「{name}」"))
            s.flush()
            changes = tuple(op.rows)
        undo = UndoEntry(label, year, changes) if changes else None
        return Restored(year, name, before_name, OpResult(None, changes_of(changes), changes, undo,
                                                          op.id if changes else None))


def _get(s: Any, fy: FiscalYear, name: str) -> BudgetVersionRow:
    row = rows.version_row(s, fy.id, name)
    if row is None:
        known = rows.version_names(s, fy.id)
        raise NotFoundError(f"{fiscal_year_both(fy.year)}に版「{name}」はありません（版: {'、'.join(known) or 'なし'}）")
    return row


def _save(s: Any, fy: FiscalYear, name: str, clerk: str) -> tuple[dt.datetime, dict[str, Any]]:
    if rows.version_row(s, fy.id, name) is not None:
        raise ConflictError(f"{fiscal_year_both(fy.year)}には版「{name}」が既にあります（版の名前は年度ごとに一つです）")
    budget = repo.load_budget(s, fy)
    data = json_format.dump_budget(budget, with_ids=True)
    _keep_unset_printed_change(budget, data)
    return rows.insert_version(s, fy.id, name, clerk[:100], data), data


def _keep_unset_printed_change(budget: Budget, data: dict[str, Any]) -> None:
    """The interchange form writes the computed 増▲減 where none was printed; a version keeps it unset (null), so
    restoring it puts back NULL, not a number the clerk never entered."""
    unset = {p.uid for p in budget.programs() if p.printed_change is None}
    for c in data.get("categories", []):
        for p in c.get("programs", []):
            if p.get("uid") in unset:
                p["change"] = None


def _unique_name(s: Any, fy: FiscalYear, name: str) -> str:
    taken = set(rows.version_names(s, fy.id))
    candidate, n = name[:NAME_LIMIT], 2
    while candidate in taken:
        candidate = f"{name[:NAME_LIMIT - 4]} ({n})"
        n += 1
    return candidate
