"""One operation = one transaction: record the rows it writes, check versions, append the history, notify.

`operation()` opens the unit of work of one edit: on SQLite with BEGIN IMMEDIATE (the write lock is taken
before the first read, so what the operation reads cannot change before it writes), on PostgreSQL with the
rows it will change locked by the service (`lock()`). A session listener records every row the ORM writes
as a RowChange (the exact before/after of the changed fields); the history lines and, on PostgreSQL, a
NOTIFY to the other windows are written in the same transaction. `apply()` replays changes for undo and
redo, each row checked against what it expects to find and written with `WHERE version = :seen`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, event, func, insert, inspect, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from asahi_desk.domain.errors import StaleError
from asahi_desk.domain.operations import (
    DELETE,
    DERIVED_FIELDS,
    INSERT,
    STRUCTURE_FIELDS,
    UPDATE,
    HistoryEntry,
    OpResult,
    RowChange,
    UndoEntry,
    Values,
    changes_of,
    stale_message,
)
from asahi_desk.store.database_errors import translate
from asahi_desk.store.engine import BEGIN_MODE, OWN_OPERATIONS
from asahi_desk.store.models import Base, ChangeHistoryRow, FiscalYear, IndicatorRow, LineItemRow, ProgramRow

NOTIFY_CHANNEL = "asahi_desk_changes"  # PostgreSQL: one NOTIFY per committed operation (payload: the year)
# tables whose rows have a parent row in the tree: (parent table, the column naming it)
_PARENTS = {"line_item": ("program", "program_id"), "program": ("category", "category_id"),
            "category": ("fiscal_year", "fiscal_year_id"), "indicator": ("program", "program_id"),
            "photo": ("program", "program_id"), "related_bureau_program": ("program", "program_id"),
            "program_section": ("program", "program_id"), "line_item_section": ("line_item", "line_item_id"),
            "summary_row": ("fiscal_year", "fiscal_year_id")}
_SKIPPED_COLUMNS = {"version"}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass
class Operation:
    """The running operation: its session, who and what (for the history), and the rows written so far."""

    session: Session
    clerk: str
    source: str
    label: str
    fiscal_year: int | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    rows: list[RowChange] = field(default_factory=list)
    # (table, id, label) of the record the clerk is editing: named by a refusal if the ORM finds it stale
    subject: tuple[str, int, str] | None = None
    _seen: set[tuple[str, str, Values]] = field(default_factory=set)

    def add(self, change: RowChange) -> None:
        """A row change the service recorded itself (a deleted subtree, captured before the delete)."""
        key = (change.kind, change.table, change.key)
        if change.kind == UPDATE or key not in self._seen:
            self._seen.add(key)
            self.rows.append(change)


def _names(s: Session, table: str, values: dict[str, Any]) -> tuple[str | None, str | None, int | None]:
    """(program name, 細事業 name, program id) of a row, as they are in this transaction."""
    item_name = program_id = None
    named = {"line_item": LineItemRow, "indicator": IndicatorRow}.get(table)  # rows named under a program
    if named is not None:  # an indicator too: a program has several (HistoryEntry.row_name marks it)
        item_name, program_id = values.get("name"), values.get("program_id")
        if item_name is None or program_id is None:
            row = s.execute(select(named.name, named.program_id).where(named.id == values.get("id"))).first()
            if row is not None:
                item_name = item_name if item_name is not None else row[0]
                program_id = program_id if program_id is not None else row[1]
    elif table == "program":
        program_id = values.get("id")
        if values.get("name") is not None:
            return values["name"], None, program_id
    elif "program_id" in values:
        program_id = values["program_id"]
    if program_id is None:
        return None, item_name, None
    name = s.execute(select(ProgramRow.name).where(ProgramRow.id == program_id)).scalar()
    return name, item_name, program_id


def _record_flush(op: Operation) -> None:
    """Listen to the session's flushes and turn every ORM insert, update and delete into a RowChange."""
    pending: list[tuple[Any, str, dict[str, Any], dict[str, Any], int | None]] = []

    def columns(obj: Any) -> list[Any]:
        return [a for a in inspect(obj).mapper.column_attrs if a.key not in _SKIPPED_COLUMNS]

    def before_flush(s: Session, _ctx: Any, _instances: Any) -> None:
        pending.clear()
        for obj in s.dirty:
            state = inspect(obj)
            before, after = {}, {}
            for attr in columns(obj):
                hist = state.attrs[attr.key].history
                if hist.has_changes():
                    old = hist.deleted[0] if hist.deleted else None
                    new = hist.added[0] if hist.added else None
                    if _plain(old) != _plain(new):
                        before[attr.key], after[attr.key] = _plain(old), _plain(new)
            if after:
                version = getattr(obj, "version", None) if "version" in state.mapper.columns else None
                pending.append((obj, UPDATE, before, after, version))
        for obj in s.deleted:
            values = {a.key: _plain(getattr(obj, a.key)) for a in columns(obj)}
            version = getattr(obj, "version", None) if "version" in inspect(obj).mapper.columns else None
            pending.append((obj, DELETE, values, {}, version))

    def after_flush(s: Session, _ctx: Any) -> None:
        for obj in s.new:
            mapper = inspect(obj).mapper
            values = {a.key: _plain(getattr(obj, a.key)) for a in columns(obj)}
            version = getattr(obj, "version", None) if "version" in mapper.columns else None
            _add(s, mapper.local_table, INSERT, {}, values, None, version, values)
        for obj, kind, before, after, version in pending:
            mapper = inspect(obj).mapper
            ids = {c.key: getattr(obj, c.key) for c in mapper.primary_key}
            context = {**before, **{a.key: getattr(obj, a.key) for a in columns(obj)
                                    if a.key in ("name", "program_id", "category_id", "fiscal_year_id")}, **ids}
            after_version = getattr(obj, "version", None) if kind == UPDATE and version is not None else None
            _add(s, mapper.local_table, kind, before, after, version, after_version, context)
        pending.clear()

    def _add(s: Session, table: Table, kind: str, before: dict[str, Any], after: dict[str, Any],
             v_before: int | None, v_after: int | None, context: dict[str, Any]) -> None:
        key = tuple((c.name, context.get(c.name)) for c in table.primary_key.columns)
        op.add(_change(s, table.name, key, kind, before, after, v_before, v_after, context))

    event.listen(op.session, "before_flush", before_flush)
    event.listen(op.session, "after_flush", after_flush)


def _change(s: Session, table: str, key: Values, kind: str, before: dict[str, Any], after: dict[str, Any],
            v_before: int | None, v_after: int | None, context: dict[str, Any]) -> RowChange:
    parent = None
    if table in _PARENTS:
        parent_table, column = _PARENTS[table]
        parent_id = context.get(column)
        if parent_id is not None:
            parent = (parent_table, parent_id)
    program_name, item_name, _ = _names(s, table, context)
    return RowChange(table, key, kind, tuple(before.items()), tuple(after.items()), v_before, v_after,
                     parent, program_name, item_name)


def capture_deleted(op: Operation, table: Table, where: Any) -> None:
    """Record the rows matching `where` as deleted (every column), before a delete that removes them, the
    database's ON DELETE CASCADE among them: undo puts exactly these rows back."""
    s = op.session
    for row in s.execute(select(table).where(where)).mappings():
        values = {k: _plain(v) for k, v in row.items() if k not in _SKIPPED_COLUMNS}
        key = tuple((c.name, values[c.name]) for c in table.primary_key.columns)
        op.add(_change(s, table.name, key, DELETE, values, {}, row.get("version"), None, values))


@contextmanager
def operation(factory: sessionmaker[Session], *, clerk: str, source: str, label: str,
              fiscal_year: int | None = None) -> Iterator[Operation]:
    """The unit of work of one operation; on success the history lines are written and the transaction
    commits; any exception rolls everything back (data and history). A row found stale by the ORM becomes
    a StaleError naming who changed it."""
    session = factory()
    op = Operation(session, clerk, source, label, fiscal_year)
    try:
        try:
            with session.begin():
                session.connection(execution_options={BEGIN_MODE: "IMMEDIATE"})
                _record_flush(op)
                yield op
                session.flush()
                write_history(op)
        except StaleDataError:
            session.rollback()
            table, row_id, label_ = op.subject or ("", 0, "対象の項目")
            raise StaleError(refusal(factory, table, row_id, label_), table, row_id) from None
        except DBAPIError as e:  # locked, read-only or full database: a refusal, nothing written
            refusal_ = translate(e, session.get_bind())
            if refusal_ is None:
                raise
            raise refusal_ from e
    finally:
        session.close()


def result(op: Operation, value: Any) -> OpResult:
    """The OpResult of a finished operation (build it after the `with operation(...)` block committed): the
    value, the rows it wrote, their change flags and the undo entry (None when nothing was written)."""
    rows = tuple(op.rows)
    undo = UndoEntry(op.label, op.fiscal_year, rows) if rows else None
    return OpResult(value, changes_of(rows), rows, undo, op.id if rows else None)


def write_history(op: Operation) -> None:
    """The history lines of the operation's row changes (one per field; one per row added or removed), and
    on PostgreSQL a NOTIFY that the other windows listen to; both commit with the operation."""
    if not op.rows:
        return
    s = op.session
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    lines = []
    for c in op.rows:
        values = dict(c.after or c.before)
        program_id = (c.row_id if c.table == "program" else values.get("program_id"))
        if program_id is None and c.parent is not None and c.parent[0] == "program":
            program_id = c.parent[1]  # an update names only what changed: the program is its parent
        common = {"operation_id": op.id, "at": now, "clerk": op.clerk, "fiscal_year": op.fiscal_year,
                  "source": op.source, "label": op.label, "table_name": c.table, "row_id": c.row_id,
                  "program_id": program_id, "program_name": c.program_name, "item_name": c.item_name}
        if c.kind == UPDATE:
            old = dict(c.before)
            names = {k for k, _ in c.after}
            lines += [{**common, "field": k, "old_value": _jsonable(old.get(k)), "new_value": _jsonable(v)}
                      for k, v in c.after if not (k == "position" and "number" in names)]  # 番号 says it
        else:
            summary = _jsonable(values.get("name") or values.get("caption") or values.get("title") or c.label)
            lines.append({**common, "field": "", "old_value": summary if c.kind == DELETE else None,
                          "new_value": summary if c.kind == INSERT else None})
    s.execute(insert(ChangeHistoryRow), lines)
    own = s.info.get(OWN_OPERATIONS)
    if own is not None:  # this process wrote it: its window's live refresh does not report it as another's
        own.add(op.id)
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_notify(:channel, :payload)"),
                  {"channel": NOTIFY_CHANNEL, "payload": f"{op.fiscal_year or ''} {op.id}"})


def journal(s: Session, *, clerk: str, source: str, label: str, fiscal_year: int | None,
            changes: Sequence[RowChange]) -> str | None:
    """History lines for writes made outside an operation() (an import, a load) in the caller's transaction;
    returns the operation id (None when there was nothing to record)."""
    if not changes:
        return None
    op = Operation(s, clerk, source, label, fiscal_year)
    op.rows = list(changes)
    write_history(op)
    return op.id


def year_loaded(s: Session, fiscal_year: int, title: str) -> RowChange:
    """The one line a whole year loaded (JSON, the demo, an Excel restore, a new year) leaves in the history."""
    fy_id = s.execute(select(FiscalYear.id).where(FiscalYear.year == fiscal_year)).scalar()
    return RowChange("fiscal_year", (("id", fy_id),), INSERT, (), (("name", f"{fiscal_year}年度 {title}".strip()),))


def year_deleted(s: Session, fiscal_year: int, title: str) -> RowChange:
    """The one line a deleted year leaves (taken before the delete; the history outlives the year)."""
    fy_id = s.execute(select(FiscalYear.id).where(FiscalYear.year == fiscal_year)).scalar()
    return RowChange("fiscal_year", (("id", fy_id),), DELETE, (("name", f"{fiscal_year}年度 {title}".strip()),), ())


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return None  # a photo's image: the history says that it changed, not its bytes
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- locks, versions, sums

def lock(s: Session, model: type, row_id: int) -> Any:
    """The row, read afresh and locked until the transaction ends (SELECT … FOR UPDATE on PostgreSQL; on
    SQLite the whole database is already held by BEGIN IMMEDIATE), or None."""
    return s.scalars(select(model).where(model.id == row_id).with_for_update()
                     .execution_options(populate_existing=True)).first()


def program_sum(s: Session, program_id: int) -> tuple[int, int]:
    """(how many 細事業, their sum) as committed plus this transaction's writes."""
    s.flush()
    count, total = s.execute(select(func.count(), func.coalesce(func.sum(LineItemRow.amount), 0))
                             .where(LineItemRow.program_id == program_id)).one()
    return int(count), int(total)


def recompute_program(s: Session, program: ProgramRow) -> None:
    """A program with 細事業 costs their sum, read under the program's lock in this transaction; one that
    changed loses its printed 増▲減, which no longer describes the figures."""
    count, total = program_sum(s, program.id)
    if count and program.current != total:
        program.current = total
        program.printed_change = None


def fiscal_year_of(s: Session, table: str, row_id: int) -> int | None:
    """The year number of a program's or 細事業's or category's row (None when gone)."""
    if table == "line_item":
        q = (select(FiscalYear.year).join(ProgramRow, ProgramRow.fiscal_year_id == FiscalYear.id)
             .join(LineItemRow, LineItemRow.program_id == ProgramRow.id).where(LineItemRow.id == row_id))
    else:
        model = Base.metadata.tables[table]
        q = (select(FiscalYear.year).join(model, model.c.fiscal_year_id == FiscalYear.id)
             .where(model.c.id == row_id))
    return s.execute(q).scalar()


# --------------------------------------------------------------------------- history reads

def _entry(r: ChangeHistoryRow) -> HistoryEntry:
    at = r.at.replace(tzinfo=dt.UTC).astimezone()
    return HistoryEntry(r.id, at, r.clerk, r.fiscal_year, r.source, r.operation_id, r.label, r.table_name,
                        r.row_id, r.program_name, r.item_name, r.field, r.old_value, r.new_value)


def last_change(s: Session, table: str, row_id: int, fields: Sequence[str] = ()) -> HistoryEntry | None:
    """The newest history line of this row (of one of these fields, when there is one), for a refusal."""
    q = select(ChangeHistoryRow).where(ChangeHistoryRow.table_name == table, ChangeHistoryRow.row_id == row_id)
    rows = list(s.scalars(q.order_by(ChangeHistoryRow.id.desc()).limit(50)))
    for r in rows:
        if r.field in fields:
            return _entry(r)
    return _entry(rows[0]) if rows else None


def refusal(factory: sessionmaker[Session], table: str, row_id: int, label: str,
            fields: Sequence[str] = ()) -> str:
    """The one Japanese line refusing a write based on a stale version, read in a fresh session."""
    s = factory()
    try:
        entry = last_change(s, table, row_id, fields) if table else None
        gone = bool(table) and s.execute(select(Base.metadata.tables[table].c.id)
                                         .where(Base.metadata.tables[table].c.id == row_id)).first() is None
    finally:
        s.close()
    return stale_message(label, entry, deleted=gone)


def history(s: Session, *, fiscal_year: int | None = None, since: dt.datetime | None = None,
            clerk: str | None = None, program_id: int | None = None, row: tuple[str, int] | None = None,
            limit: int | None = None) -> list[HistoryEntry]:
    """History lines, newest first. since: local time; row: (table, id)."""
    q = select(ChangeHistoryRow)
    if fiscal_year is not None:
        q = q.where(ChangeHistoryRow.fiscal_year == fiscal_year)
    if since is not None:
        utc = since.astimezone(dt.UTC).replace(tzinfo=None) if since.tzinfo else \
            since.astimezone().astimezone(dt.UTC).replace(tzinfo=None)
        q = q.where(ChangeHistoryRow.at >= utc)
    if clerk:
        q = q.where(ChangeHistoryRow.clerk == clerk)
    if program_id is not None:
        q = q.where(ChangeHistoryRow.program_id == program_id)
    if row is not None:
        q = q.where(ChangeHistoryRow.table_name == row[0], ChangeHistoryRow.row_id == row[1])
    q = q.order_by(ChangeHistoryRow.id.desc())
    if limit:
        q = q.limit(limit)
    return [_entry(r) for r in s.scalars(q)]


def latest_id(s: Session) -> int:
    return int(s.execute(select(func.coalesce(func.max(ChangeHistoryRow.id), 0))).scalar() or 0)


def operations_after(s: Session, history_id: int) -> list[tuple[str, str, int | None]]:
    """(operation id, clerk, fiscal year) of the operations written after this history line, oldest first."""
    rows = s.execute(select(ChangeHistoryRow.operation_id, ChangeHistoryRow.clerk, ChangeHistoryRow.fiscal_year)
                     .where(ChangeHistoryRow.id > history_id).order_by(ChangeHistoryRow.id)).all()
    return list(dict.fromkeys((r[0], r[1], r[2]) for r in rows))


def clerks(s: Session, fiscal_year: int | None = None) -> list[str]:
    q = select(ChangeHistoryRow.clerk).distinct()
    if fiscal_year is not None:
        q = q.where(ChangeHistoryRow.fiscal_year == fiscal_year)
    return sorted(s.scalars(q))


# --------------------------------------------------------------------------- undo and redo

_TABLE_ORDER = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


def apply(op: Operation, changes: Sequence[RowChange], refuse_label: str) -> None:
    """Write `changes` (an undo's inverse, or a redo) with Core statements, each row checked first: an update
    expects every field it changes to hold its `before` value (a derived figure that moved is left to the
    recomputation), a delete expects the row as the operation left it, an insert a free key. Anything else
    was changed by someone since: StaleError naming who, nothing written. Programs whose 細事業 changed get
    their sum again. The changes actually written are recorded on `op` (redo of an undo replays those)."""
    s = op.session
    tables = Base.metadata.tables
    inserts = sorted((c for c in changes if c.kind == INSERT), key=lambda c: _TABLE_ORDER[c.table])
    deletes = sorted((c for c in changes if c.kind == DELETE), key=lambda c: -_TABLE_ORDER[c.table])
    updates = [c for c in changes if c.kind == UPDATE]
    programs: set[int] = set()
    for c in [*deletes, *inserts, *updates]:
        table = tables[c.table]
        where = [table.c[k] == v for k, v in c.key]
        versioned = "version" in table.c
        current = s.execute(select(table).where(*where).with_for_update()).mappings().first()
        if c.table == "line_item":
            pid = dict(c.after or c.before).get("program_id") or (c.parent[1] if c.parent else None)
            if current is not None:
                pid = current["program_id"]
            if pid is not None:
                programs.add(pid)
        if c.kind == INSERT:
            if current is not None:
                _stale(op, c, refuse_label)
            values = dict(c.after)
            if versioned:
                values["version"] = (c.version_after or 0) + 1
            try:
                s.execute(insert(table).values(**values))
            except IntegrityError:  # what it hangs on is gone (its program deleted since)
                _stale(op, c, refuse_label, parent_gone=True)
            op.add(RowChange(c.table, c.key, INSERT, (), tuple((k, v) for k, v in values.items() if k != "version"),
                             None, values.get("version"),
                             c.parent, c.program_name, c.item_name))
            continue
        if current is None:
            _stale(op, c, refuse_label)
        if c.kind == DELETE:
            if versioned and c.version_before is not None and current["version"] != c.version_before:
                # changed since it was added: only its place among its siblings may have moved
                expected = {k: v for k, v in c.before if k not in STRUCTURE_FIELDS | {"id", "version"}}
                differ = [k for k, v in expected.items() if k in current and _plain(current[k]) != v
                          and (c.table, k) not in DERIVED_FIELDS]
                if differ:
                    _stale(op, c, refuse_label, fields=differ)
            _refuse_new_children(op, c, changes, refuse_label)
            stmt = delete(table).where(*where)
            if versioned:
                stmt = stmt.where(table.c.version == current["version"])
            if s.execute(stmt).rowcount != 1:
                _stale(op, c, refuse_label)
            removed = {k: _plain(v) for k, v in current.items() if k not in _SKIPPED_COLUMNS}
            op.add(RowChange(c.table, c.key, DELETE, tuple(removed.items()), (), current.get("version"), None,
                             c.parent, c.program_name, c.item_name))
            continue
        before, after = dict(c.before), {}
        for k, v in c.after:
            if _plain(current[k]) != before.get(k):
                if (c.table, k) in DERIVED_FIELDS:
                    continue  # recomputed below
                _stale(op, c, refuse_label, fields=[k])
            after[k] = v
        after = {k: v for k, v in after.items() if _plain(current[k]) != _plain(v)}
        if not after:
            continue
        stmt = update(table).where(*where)
        values = dict(after)
        if versioned:
            stmt = stmt.where(table.c.version == current["version"])
            values["version"] = current["version"] + 1
        if s.execute(stmt.values(**values)).rowcount != 1:
            _stale(op, c, refuse_label)
        op.add(RowChange(c.table, c.key, UPDATE, tuple((k, _plain(current[k])) for k in after),
                         tuple(after.items()), current.get("version"), values.get("version"),
                         c.parent, c.program_name, c.item_name))
    for pid in sorted(programs):
        program = lock(s, ProgramRow, pid)
        if program is not None:
            recompute_program(s, program)
    s.flush()


def _refuse_new_children(op: Operation, c: RowChange, changes: Sequence[RowChange], label: str) -> None:
    """A row about to be removed (the undo of an add) must not take rows along that someone added under it
    since (the database would cascade them away unseen): refused, naming the row."""
    tables = Base.metadata.tables
    for child, (parent, column) in _PARENTS.items():
        if parent != c.table or c.row_id is None or child.endswith("_section"):
            continue
        going = {r.row_id for r in changes if r.table == child and r.kind == DELETE}
        ids = set(op.session.execute(select(tables[child].c.id).where(tables[child].c[column] == c.row_id)).scalars())
        if ids - going:
            raise StaleError(f"{label}: {c.label}にはその後ほかの項目が追加されています。表示を更新しました",
                             c.table, c.row_id)


def _stale(op: Operation, c: RowChange, label: str, *, fields: Sequence[str] = (), parent_gone: bool = False) -> None:
    s = op.session
    if parent_gone:
        raise StaleError(f"{label}: {c.label}の親の項目がその後に削除されています。表示を更新しました",
                         c.table, c.row_id or 0)
    entry = last_change(s, c.table, c.row_id, fields) if c.row_id is not None else None
    table = Base.metadata.tables[c.table]
    gone = c.row_id is not None and c.kind != INSERT and s.execute(
        select(table.c.id).where(table.c.id == c.row_id)).first() is None
    raise StaleError(f"{label}: {stale_message(c.label, entry, deleted=gone)}", c.table, c.row_id or 0)
