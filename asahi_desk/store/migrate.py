"""Bring a database to the schema head at start, copying an SQLite file to a backup first.

Alembic is imported only when a migration is pending, so an up-to-date database opens fast: the head
revision is read from the revision files in db/versions themselves (no Alembic), and compared with the
database's alembic_version row.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, inspect, text

from asahi_desk.domain.errors import AsahiError
from asahi_desk.paths import migrations_dir
from asahi_desk.store.engine import backup_sqlite, is_read_only, sqlite_path
from asahi_desk.store.schema_head import head_revision


def __getattr__(name: str) -> str | None:
    if name == "HEAD_REVISION":  # the newest revision in db/versions (kept as a name for the callers)
        return head_revision()
    raise AttributeError(name)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


# Alembic's own version table, as `alembic stamp` creates it
_VERSION_TABLE = ("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                  "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")


def create_at_head(engine: Engine, head: str) -> None:
    """A new, empty database: the schema the models describe, stamped with the head revision, in one
    transaction — Alembic's recipe for a database built from scratch (create_all, then stamp), without
    importing Alembic or replaying every migration. A test keeps this schema equal to the migrated one."""
    from asahi_desk.store.models import Base

    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        conn.exec_driver_sql(_VERSION_TABLE)
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})


def alembic_config(stdout: TextIO | None = None):  # noqa: ANN201 - alembic.config.Config, imported lazily
    """Alembic's configuration for db/; its messages go to `stdout` (a buffer by default: the app
    has no console to print to)."""
    from alembic.config import Config

    cfg = Config(str(migrations_dir() / "alembic.ini"), stdout=stdout or io.StringIO())
    cfg.set_main_option("script_location", str(migrations_dir() / "migrations"))
    cfg.set_main_option("version_locations", str(migrations_dir() / "versions"))
    return cfg


def backup_path(path: Path) -> Path:
    """The one copy kept before upgrading to the head revision, timestamped when it was taken: a retried
    upgrade finds and reuses it, never adds one."""
    head = head_revision() or "head"
    suffix = path.suffix or ".db"
    taken = sorted(path.parent.glob(f"{glob.escape(path.stem)}.before-{head}.*{suffix}"))
    if taken:
        return taken[0]
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.before-{head}.{stamp}{suffix}")


def upgrade_to_head(engine: Engine, *, backup: bool = True) -> Path | None:
    """Upgrade to head in one transaction; returns the backup file (SQLite with data and a pending migration).

    Atomic on both backends: on SQLite the engine emits BEGIN itself (store/engine.py), so Alembic's
    CREATE/ALTER/DROP and the version stamp commit together or not at all; a kill at any point leaves the
    old schema or the new one. The backup is taken once per pending upgrade: a retry after a crash or a
    failure finds the copy of the untouched database already there (written atomically) and keeps it.
    """
    rev = current_revision(engine)
    head = head_revision()
    if head is not None and rev == head:
        return None
    if is_read_only(engine):
        raise AsahiError("データベースの版が古く、読み取り専用では開けません（書き込みのできる場所で一度開いてください）")
    if rev is None and head is not None and not has_tables(engine):
        create_at_head(engine, head)
        return None
    backup_file = None
    path = sqlite_path(str(engine.url))
    if backup and path is not None and path.exists() and has_tables(engine):
        backup_file = backup_path(path)
        if not backup_file.exists():
            backup_sqlite(engine, backup_file)
    from alembic import command
    from alembic.util.exc import CommandError

    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            if sqlite:
                # Batch migrations copy and drop tables: with foreign keys on, dropping a parent would
                # cascade into its children. Off for this connection (only possible outside a
                # transaction), checked before commit, back on before the connection returns to the pool.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                    if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                        raise AsahiError("データベースの更新後に参照の不整合が見つかったため、更新を取り消しました")
            finally:
                if sqlite:
                    conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                    conn.commit()
    except CommandError as e:
        raise AsahiError(f"データベースの版（{rev}）がこのアプリより新しいか不明です: {e}") from None
    return backup_file
