"""Engines and sessions: a file path or an SQLAlchemy URL; SQLite gets WAL and foreign keys."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.domain.errors import InputError


def database_url(db: str | Path) -> str:
    """'budget.db' or '/x/budget.db' -> sqlite URL; anything with '://' is taken as a URL."""
    text = str(db)
    if "://" in text:
        try:
            make_url(text)
        except ArgumentError:
            raise InputError("データベースの URL が正しくありません", text) from None
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None (memory or another database)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


# How long a command waits for another writer (another clerk's save, a second import) before it says the
# database is in use. docs/limits.md states it.
LOCK_WAIT_SECONDS = 10.0
# The execution option unit_of_work sets so SQLite takes the write lock when the transaction begins
# (BEGIN IMMEDIATE): two writers queue instead of both reading, then one failing on the other's rows.
BEGIN_MODE = "asahi_sqlite_begin"


def make_engine(db: str | Path, *, read_only: bool = False) -> Engine:
    """An engine for the path or URL. `read_only` (reading commands on an existing SQLite file): writes are
    refused (query_only) and the file is left as it was; where the file or its folder cannot be written (a
    read-only share or CD) it is opened with mode=ro&immutable=1, as WAL would otherwise need its -shm."""
    url = database_url(db)
    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise InputError("データベースのフォルダがありません", str(path.parent))
    if make_url(url).get_backend_name() != "sqlite":
        return _server_engine(url)
    read_only = read_only and path is not None
    on_connect = _sqlite_pragmas
    if read_only and path is not None and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        # a plain connection that refuses writes (query_only): unlike mode=ro it folds and removes a WAL
        # database's -wal and -shm when it is the last to close, and it leaves the journal mode alone, so
        # reading changes no data and leaves no files beside the database
        engine = create_engine(url, connect_args={"timeout": LOCK_WAIT_SECONDS})
        on_connect = _sqlite_query_only
    elif read_only and path is not None:  # a read-only file or share, or a CD: nothing can be written there
        uri = f"{path.as_uri()}?mode=ro&immutable=1"
        engine = create_engine(url, creator=lambda: sqlite3.connect(
            uri, uri=True, timeout=LOCK_WAIT_SECONDS, check_same_thread=False))
        on_connect = _sqlite_own_transactions
    else:
        engine = create_engine(url, connect_args={"timeout": LOCK_WAIT_SECONDS})
    engine.info = {"read_only": read_only}  # type: ignore[attr-defined]
    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


SUPPORTED = ("対応しているのは SQLite のファイルと PostgreSQL（postgresql+psycopg://…、"
             "pip install '.[postgres]' で導入）です")


def _server_engine(url: str) -> Engine:
    """A database server's engine; a URL whose dialect or driver is not installed is the user's choice of
    URL, not a bug (mysql://… would otherwise end in ModuleNotFoundError: MySQLdb)."""
    shown_url = make_url(url).render_as_string(hide_password=True)
    try:
        return create_engine(url)
    except NoSuchModuleError:
        raise InputError(f"この種類のデータベースには対応していません。{SUPPORTED}", shown_url) from None
    except ImportError as e:
        driver = e.name or make_url(url).get_driver_name()
        raise InputError(f"このデータベースのドライバ（{driver}）がインストールされていません。{SUPPORTED}",
                         shown_url) from None


def is_read_only(engine: Engine) -> bool:
    return bool(getattr(engine, "info", {}).get("read_only"))


def _sqlite_own_transactions(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
    # SQLAlchemy's documented pysqlite recipe: pysqlite's own transaction handling off (it issues no BEGIN
    # before DDL, so a schema change was never atomic), BEGIN emitted by _sqlite_begin instead.
    dbapi_conn.isolation_level = None


def _sqlite_pragmas(dbapi_conn, record) -> None:  # noqa: ANN001 - DB-API connection
    _sqlite_own_transactions(dbapi_conn, record)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_query_only(dbapi_conn, record) -> None:  # noqa: ANN001 - DB-API connection
    _sqlite_own_transactions(dbapi_conn, record)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _sqlite_begin(conn) -> None:  # noqa: ANN001 - sqlalchemy Connection
    mode = conn.get_execution_options().get(BEGIN_MODE, "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def backup_sqlite(engine: Engine, target: Path) -> Path:
    """A consistent copy of the SQLite database behind engine at target, taken with sqlite3's backup API
    (edits committed by other connections meanwhile are either wholly in it or not at all). The copy is
    written to a temporary file beside target and renamed over it, so target is never half written; the
    copy is a single file (rollback journal), whatever mode the source runs in."""
    source = sqlite_path(str(engine.url)) if engine.dialect.name == "sqlite" else None
    if source is None:
        raise InputError("別名で保存できるのは SQLite のデータベースファイルだけです",
                         engine.url.render_as_string(hide_password=True))
    target = Path(target).expanduser().resolve()
    if not target.parent.is_dir():
        raise InputError("保存先のフォルダがありません", str(target.parent))
    if target == source.resolve():
        raise InputError("開いているデータベースと同じファイルです。別の名前を指定してください", str(target))
    if target.is_dir():
        raise InputError("保存先がフォルダです", str(target))
    # sqlite3 creates the temporary itself, so the copy gets the permissions any new file gets (umask),
    # not mkstemp's owner-only ones
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        raw = engine.raw_connection()
        try:
            copy = sqlite3.connect(temporary)
            try:
                raw.driver_connection.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
            finally:
                copy.close()
        finally:
            raw.close()
        for suffix in ("-wal", "-shm"):  # a replaced database's leftovers must not be applied to the copy
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, target)
    except (sqlite3.Error, OSError) as e:
        raise InputError(f"コピーを保存できません（{e}）", str(target)) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return target


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    from asahi_desk.store import text_guard

    text_guard.install()  # every flush checks texts and numbers against the schema (all backends alike)
    # expire_on_commit=False: services build frozen snapshots after commit without reloading.
    # info: shared by every session of this factory (the dict is handed to each, not copied): the ids of the
    # operations written through it (operations.write_history adds them), so a window tells its own
    # commits from another clerk's whatever service call wrote them
    return sessionmaker(engine, expire_on_commit=False, info={OWN_OPERATIONS: set()})


OWN_OPERATIONS = "asahi_own_operations"


def own_operations(factory: sessionmaker[Session]) -> set[str]:
    """The ids of the history operations written through this factory's sessions (in this process)."""
    return factory.kw["info"][OWN_OPERATIONS]  # type: ignore[no-any-return]
