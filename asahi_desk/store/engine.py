"""Engines and sessions: a file path or an SQLAlchemy URL; SQLite gets WAL and foreign keys."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
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


def make_engine(db: str | Path) -> Engine:
    url = database_url(db)
    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise InputError("データベースのフォルダがありません", str(path.parent))
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services build frozen snapshots after commit without reloading.
    return sessionmaker(engine, expire_on_commit=False)
