"""The start's first read: what the window shows first, read with the standard library's sqlite3 alone.

SQLAlchemy takes longer to import than the bare window takes to start, so the main window is painted from
this read and the ORM is loaded after it. It reads only an SQLite file already at the schema head that holds a
fiscal year; anything else (a server URL, a pending migration, an empty or new database, an unreadable file)
gets None and the start takes the usual path. The rows are built by domain/tree_rows.py, as TreeService
builds them."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from asahi_desk.domain.tree_rows import NodeData, category_rows, top_rows
from asahi_desk.store.schema_head import head_revision

LOCK_WAIT_SECONDS = 2.0  # another clerk writing: a short wait, else the usual path (which waits longer)


@dataclass(frozen=True)
class FirstRead:
    """The newest year's top of the tree, the years, the 課 master and the history's newest line id."""

    path: Path
    years: list[int]
    year: int
    top: list[NodeData]
    categories: list[NodeData]  # the year's categories in order
    category_class: dict[int, int] = field(default_factory=dict)  # category id -> budget class id
    sections: list[str] = field(default_factory=list)
    history_mark: int = 0  # the newest change_history id when read (the live refresh catches up from it)

    def class_categories(self, budget_class_id: int | None) -> list[NodeData]:
        """As TreeService.categories(year, budget_class_id)."""
        return [c for c in self.categories if budget_class_id is None or self.category_class[c.id] == budget_class_id]


def read_first(path: Path) -> FirstRead | None:
    """The first read of an SQLite file at the schema head holding a year, else None (the usual path decides)."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        # as store/engine.py reads: a plain connection refusing writes where the file can be written (it folds
        # and removes a WAL database's -wal/-shm when it closes, which mode=ro cannot), else mode=ro
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        conn = sqlite3.connect(f"{path.resolve().as_uri()}{'' if writable else '?mode=ro'}", uri=True,
                               timeout=LOCK_WAIT_SECONDS, isolation_level=None)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        conn.execute("PRAGMA query_only=ON")
        conn.execute("BEGIN")  # one snapshot for every query below
        return _read(conn, path.resolve())
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, path: Path) -> FirstRead | None:
    head = head_revision()
    if head is None or not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone():
        return None
    if [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")] != [head]:
        return None
    years = [r[0] for r in conn.execute("SELECT DISTINCT year FROM fiscal_year ORDER BY year")]
    if not years:
        return None
    ids = [r[0] for r in conn.execute("SELECT id FROM fiscal_year WHERE year = ?", (years[-1],))]
    if len(ids) != 1:  # the year of two wards: the service says so
        return None
    fy = ids[0]
    classes = [(cid, name, bool(in_total)) for cid, name, in_total in conn.execute(
        "SELECT id, name, in_total FROM budget_class WHERE fiscal_year_id = ? ORDER BY position", (fy,))]
    class_sums = {cls: (int(cur or 0), int(pri or 0)) for cls, cur, pri in conn.execute(
        "SELECT c.budget_class_id, sum(p.current), sum(p.prior) FROM category c JOIN program p ON p.category_id = c.id"
        " WHERE c.fiscal_year_id = ? GROUP BY c.budget_class_id", (fy,))}
    first_use = dict(conn.execute(
        "SELECT budget_class_id, min(position) FROM category WHERE fiscal_year_id = ? GROUP BY budget_class_id", (fy,)))
    category_sums = {cid: (int(cur or 0), int(pri or 0)) for cid, cur, pri in conn.execute(
        "SELECT category_id, sum(current), sum(prior) FROM program WHERE fiscal_year_id = ? GROUP BY category_id",
        (fy,))}
    cats = conn.execute("SELECT id, code, name, budget_class_id FROM category WHERE fiscal_year_id = ?"
                        " ORDER BY position", (fy,)).fetchall()
    sections = [r[0] for r in conn.execute("SELECT name FROM section ORDER BY id")]
    mark = int(conn.execute("SELECT coalesce(max(id), 0) FROM change_history").fetchone()[0] or 0)
    return FirstRead(path, years, years[-1], top_rows(classes, class_sums, first_use),
                     category_rows([(cid, code, name) for cid, code, name, _cls in cats], category_sums),
                     {cid: cls for cid, _code, _name, cls in cats}, sections, mark)
