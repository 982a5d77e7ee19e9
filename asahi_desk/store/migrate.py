"""Bring a database to the schema head at start, copying an SQLite file to a backup first.

Alembic is imported only when a migration is pending, so an up-to-date database opens fast.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, inspect, text

from asahi_desk.domain.errors import AsahiError
from asahi_desk.paths import migrations_dir
from asahi_desk.store.engine import sqlite_path

# The newest revision in db/versions; a test keeps this equal to Alembic's head.
HEAD_REVISION = "0004"


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def alembic_config(stdout: TextIO | None = None):  # noqa: ANN201 - alembic.config.Config, imported lazily
    """Alembic's configuration for db/; its messages go to `stdout` (a buffer by default: the app
    has no console to print to)."""
    from alembic.config import Config

    cfg = Config(str(migrations_dir() / "alembic.ini"), stdout=stdout or io.StringIO())
    cfg.set_main_option("script_location", str(migrations_dir() / "migrations"))
    cfg.set_main_option("version_locations", str(migrations_dir() / "versions"))
    return cfg


def upgrade_to_head(engine: Engine, *, backup: bool = True) -> Path | None:
    """Upgrade to head; returns the backup file made (SQLite with data and a pending migration)."""
    rev = current_revision(engine)
    if rev == HEAD_REVISION:
        return None
    backup_file = None
    path = sqlite_path(str(engine.url))
    if backup and path is not None and path.exists() and has_tables(engine):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_file = path.with_name(f"{path.stem}.{stamp}.before-{HEAD_REVISION}{path.suffix or '.db'}")
        engine.dispose()
        with engine.connect() as conn:  # fold the WAL into the file so the copy is complete
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, backup_file)
    from alembic import command
    from alembic.util.exc import CommandError

    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except CommandError as e:
        raise AsahiError(f"データベースの版（{rev}）がこのアプリより新しいか不明です: {e}") from None
    return backup_file
