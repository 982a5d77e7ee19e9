"""The 振り返り as use cases: read a year's review, start next year's, edit it one checked write at a time.

Every write is one operation of the edit-operations API (store/operations.py): one transaction, its rows'
exact before/after in the change history, an undo entry; it states what the clerk saw (the old value, or the
node as shown) and is refused, naming who changed it and when, when a colleague changed it in between. Undo
and redo are EditService.undo/redo (operations too, each row checked to still hold what it expects).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from asahi_desk.domain.entities import Program, ProgramLink, Review, ReviewRow
from asahi_desk.domain.errors import ConflictError, InputError, NotFoundError, StaleError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both
from asahi_desk.domain.operations import (
    EDIT,
    LOAD,
    OpResult,
    UndoEntry,
    changes_of,
    stale_message,
)
from asahi_desk.domain.review import YearPrograms, next_year_review, program_label, resolve_row
from asahi_desk.services.budgets import Loaded
from asahi_desk.services.editing import os_login
from asahi_desk.services.review_names import AREA, FIELDS, INITIATIVE, REVIEW, ROW, Citation
from asahi_desk.store import operations as ops
from asahi_desk.store import repository as repo
from asahi_desk.store import reviews as store
from asahi_desk.store.unit_of_work import read_only

__all__ = ["AREA", "FIELDS", "INITIATIVE", "REVIEW", "ROW", "Citation", "ReviewService"]


class ReviewService:
    def __init__(self, sessions: Any, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

    # ---- reads
    def years(self) -> list[int]:
        with read_only(self._sessions) as s:
            return repo.review_years(s)

    def find(self, year: int) -> Review | None:
        with read_only(self._sessions) as s:
            row = repo.find_review(s, year)
            if row is None:
                return None
            programs = repo.year_programs(s, year) or []
            return repo.load_review(row, {uid: program_label(code, name) for uid, code, name in programs})

    def get(self, year: int) -> Review:
        review = self.find(year)
        if review is None:
            raise NotFoundError(f"{fiscal_year_both(year)}の振り返りがありません")
        return review

    def year_programs(self, year: int) -> YearPrograms | None:
        """(uid, code, name) of the year's programs, the links' choices; None when the year has no budget."""
        with read_only(self._sessions) as s:
            return repo.year_programs(s, year)

    def linked(self, year: int, links: tuple[ProgramLink, ...]) -> list[tuple[ProgramLink, Program | None]]:
        """Each link with its program of the year's budget (amounts, indicators), None when not there."""
        with read_only(self._sessions) as s:
            fy = repo.find_fiscal_year(s, year)
            programs = [p for c in repo.load_categories(s, fy.id) for p in c.programs] if fy is not None else []
        by_uid = {p.uid: p for p in programs}
        by_label = {program_label(p.code, p.name): p for p in programs}
        return [(x, by_uid.get(x.uid) if x.uid else by_label.get(x.label)) for x in links]

    def citing(self, uid: str | None) -> list[Citation]:
        """The review rows (every year) that name the program with this identity, newest year first."""
        if not uid:
            return []
        with read_only(self._sessions) as s:
            return [Citation(year, row_id, area, ini, row.sections)
                    for year, row_id, area, ini, row in store.rows_citing(s, uid)]

    def citing_program(self, program_id: int) -> list[Citation]:
        """The review rows that cite a budget program (by its identity, so every year's rows)."""
        with read_only(self._sessions) as s:
            uid = store.program_uid(s, program_id)
        return self.citing(uid)

    # ---- whole reviews
    def new_from(self, year: int, from_year: int) -> Loaded:
        """The year's review from an earlier one: structure, 担当課, 事業内容 and links kept (by identity),
        振り返り empty. Refused when the year already has a review."""
        year, from_year = _year(year), _year(from_year)
        # one operation: the rows it creates are in the change history as a load (読込)
        with self._operation(f"{fiscal_year_both(year)}の振り返りを作成", year, source=LOAD) as op:
            s = op.session
            if repo.find_review(s, year) is not None:
                raise ConflictError(f"{fiscal_year_both(year)}の振り返りは既にあります")
            source = repo.find_review(s, from_year)
            if source is None:
                raise NotFoundError(f"{fiscal_year_both(from_year)}の振り返りがありません")
            review = next_year_review(repo.load_review(source), year)
            programs = repo.year_programs(s, year)
            if programs is not None:
                labels = {uid: program_label(code, name) for uid, code, name in programs}
                review = replace(review, areas=tuple(replace(a, initiatives=tuple(replace(i, rows=tuple(
                    replace(r, programs=tuple(ProgramLink(labels.get(x.uid, x.label), x.uid) if x.uid else x
                                              for x in r.programs)) for r in i.rows)) for i in a.initiatives))
                    for a in review.areas))
            repo.add_review(s, review)
        return Loaded("review", year, review.ward)

    # ---- edits: each one operation (one transaction, history, undo entry) of the edit-operations API
    @contextmanager
    def _operation(self, label: str, fiscal_year: int | None, *, source: str = EDIT) -> Iterator[ops.Operation]:
        with ops.operation(self._sessions, clerk=self._clerk(), source=source, label=label,
                           fiscal_year=fiscal_year) as op:
            yield op

    @staticmethod
    def _result(op: ops.Operation, value: Any) -> OpResult:
        rows = tuple(op.rows)
        undo = UndoEntry(op.label, op.fiscal_year, rows) if rows else None
        return OpResult(value, changes_of(rows), rows, undo, op.id if rows else None)

    def set_field(self, kind: str, node_id: int, field: str, old: Any, new: Any) -> OpResult[Any]:
        """Write one field: refused (naming who changed it, when) unless it still holds `old`, the value the
        clerk's form showed. The result's value is the value stored."""
        label = FIELDS[kind].get(field)
        if label is None:
            raise InputError(f"不明な項目です: {field}", "振り返り")
        year = self._year_of(kind, node_id)
        with self._operation(f"振り返りの{label}を変更", year) as op:
            s = op.session
            node = store.review(s, node_id, locked=True) if kind == REVIEW else store.get(s, kind, node_id, locked=True)
            table = store.TABLES[kind]
            op.subject = (table, node.id, f"振り返りの{store.LABELS.get(kind, '')}")
            if _current(node, field) != old:
                entry = ops.last_change(s, table, node.id, [_history_field(field)])
                raise StaleError(stale_message(f"振り返りの{store.LABELS.get(kind, '')}", entry), table, node.id)
            value = self._checked(s, kind, node, field, new, label)
            if field == "programs":
                if _current(node, field) != value:
                    for link in list(node.program_links):
                        s.delete(link)  # explicitly, so the operation records them
                    s.flush()
                    s.expire(node, ["program_links"])
                    store.set_links(node, value)
            elif _current(node, field) != value:
                setattr(node, field, list(value) if isinstance(value, tuple) else value)
            s.flush()
            stored = _current(node, field)
        return self._result(op, stored)

    def _checked(self, s: Any, kind: str, node: Any, field: str, new: Any, label: str) -> Any:
        where = f"振り返り [{label}]"
        if field == "number":
            if isinstance(new, bool) or not isinstance(new, int) or new < 1:
                raise InputError("番号は1以上の整数で入力してください", where)
            return new
        if field in ("sections", "plan", "results"):
            items = tuple(str(x).strip() for x in new)
            if any(not x for x in items):
                raise InputError("空の行があります", where)
            if field == "sections" and len(set(items)) != len(items):
                raise InputError("同じ担当課が2回あります", where)
            return items
        if field == "programs":
            review = store.review_of(s, ROW, node.id)
            programs = repo.year_programs(s, review.fiscal_year)
            links = tuple(new)
            if programs is None:  # the year has no budget in this database: kept as written
                return tuple(ProgramLink(x.label.strip(), x.uid) for x in links if x.label.strip())
            labels = {uid: program_label(code, name) for uid, code, name in programs}
            return resolve_row(ReviewRow(programs=links), programs, labels, review.fiscal_year, where).programs
        text = str(new).strip()
        if not text and field in ("name", "title") and kind != REVIEW:
            raise InputError("入力してください", where)
        return text

    def _year_of(self, kind: str, node_id: int) -> int | None:
        with read_only(self._sessions) as s:
            if kind == REVIEW:
                row = store.find_review(s, node_id)
                return row.fiscal_year if row is not None else None
            if store.find(s, kind, node_id) is None:
                return None
            return store.review_of(s, kind, node_id).fiscal_year

    def insert(self, kind: str, parent_id: int, position: int, value: Any) -> OpResult[int]:
        """A new area / initiative / row (with what it holds) at position among its siblings; value: its id."""
        parent_kind = {AREA: REVIEW, INITIATIVE: AREA, ROW: INITIATIVE}[kind]
        year = self._year_of(parent_kind, parent_id)
        with self._operation(f"振り返りの{store.LABELS[kind]}を追加", year) as op:
            s = op.session
            if parent_kind == REVIEW:
                store.review(s, parent_id)
            else:
                store.get(s, parent_kind, parent_id, locked=True)
            rows = store.siblings(s, kind, parent_id)
            position = max(0, min(position, len(rows)))
            node = store.build(kind, value, parent_id, position)
            s.add(node)
            rows.insert(position, node)
            store.renumber(rows)
            s.flush()
            new_id = int(node.id)
        return self._result(op, new_id)

    def delete(self, kind: str, node_id: int, seen: Any) -> OpResult[int]:
        """Remove a node and all it holds, as the clerk saw it (refused when it changed since); undo puts
        back the same rows. value: the parent's id."""
        year = self._year_of(kind, node_id)
        with self._operation(f"振り返りの{store.LABELS[kind]}を削除", year) as op:
            s = op.session
            node = store.get(s, kind, node_id, locked=True)
            op.subject = (store.TABLES[kind], node.id, f"振り返りの{store.LABELS[kind]}")
            if seen is not None and store.entity(kind, node) != seen:
                entry = ops.last_change(s, store.TABLES[kind], node.id)
                raise StaleError(stale_message(f"振り返りの{store.LABELS[kind]}", entry), store.TABLES[kind], node.id)
            parent_id = getattr(node, store.PARENT_COLUMN[kind])
            store.capture_subtree(op, kind, node_id)
            rows = [r for r in store.siblings(s, kind, parent_id) if r.id != node_id]
            s.delete(node)
            s.flush()
            store.renumber(rows)
            s.flush()
        return self._result(op, parent_id)

    def move(self, kind: str, node_id: int, delta: int) -> OpResult[bool]:
        """Up (-1) or down (+1) among its siblings; value: whether it moved (not at either end)."""
        year = self._year_of(kind, node_id)
        with self._operation(f"振り返りの{store.LABELS[kind]}を移動", year) as op:
            s = op.session
            node = store.get(s, kind, node_id, locked=True)
            rows = store.siblings(s, kind, getattr(node, store.PARENT_COLUMN[kind]))
            at = rows.index(node)
            to = at + delta
            moved = 0 <= to < len(rows)
            if moved:
                rows.insert(to, rows.pop(at))
                store.renumber(rows)
                s.flush()
        return self._result(op, moved)

    def node(self, kind: str, node_id: int) -> Any:
        with read_only(self._sessions) as s:
            return store.entity(kind, store.get(s, kind, node_id))


def _history_field(field: str) -> str:
    return "label" if field == "programs" else field


def _current(node: Any, field: str) -> Any:
    if field == "programs":
        return tuple(ProgramLink(x.label, x.program_uid) for x in node.program_links)
    value = getattr(node, field)
    return tuple(value) if isinstance(value, list) else value


def _year(year: int) -> int:
    try:
        return check_fiscal_year(year)
    except ValueError as e:
        raise InputError(str(e), "年度") from None
