"""Schema changes are atomic on SQLite: a failed upgrade leaves the old schema, one backup per upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from asahi_desk.app import build_services
from asahi_desk.domain.errors import AsahiError
from asahi_desk.store.engine import make_engine
from asahi_desk.store.migrate import HEAD_REVISION, alembic_config, backup_path


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _version(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


# The demo database as the 0002 code built it (the services of today write the head schema only).
DEMO_0002 = Path(__file__).parents[1] / "db" / "data" / "demo-0002.db"


def _database_at_0002(db: Path) -> None:
    db.write_bytes(DEMO_0002.read_bytes())


def test_a_failing_upgrade_leaves_the_old_schema_and_one_backup(tmp_path: Path, budget_json: dict) -> None:
    db = tmp_path / "old.db"
    _database_at_0002(db)
    # 0003 adds version columns to every editable table, then creates change_history: a table of that
    # name makes a late step fail, after the columns were added
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE change_history (x INTEGER)")
    before = _tables(db)
    for _ in range(3):  # retries: still the old schema, never a half-made one, and still one backup
        with pytest.raises(AsahiError, match="already exists"):
            build_services(db)
        assert _tables(db) == before and "budget_version" not in before
        assert _version(db) == "0002"
    assert [p.name for p in tmp_path.glob("*.before-*")] == [backup_path(db).name]
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE change_history")
    services = build_services(db)
    try:
        assert services.backup == backup_path(db)
        assert services.budgets.dump(2024) == budget_json
    finally:
        services.close()
    assert _version(db) == HEAD_REVISION
    assert [p.name for p in tmp_path.glob("*.before-*")] == [backup_path(db).name]
    assert _version(backup_path(db)) == "0002"


def test_a_failing_schema_creation_leaves_an_empty_file(tmp_path: Path) -> None:
    """On a new database the whole head schema is one transaction: a failure half way keeps no table."""
    db = tmp_path / "fresh.db"
    engine = make_engine(db)
    cfg = alembic_config()
    with engine.connect() as conn:  # sabotage: a table 0002 will try to create, made outside the upgrade
        conn.exec_driver_sql("CREATE TABLE import_mapping (x INTEGER)")
        conn.commit()
    with pytest.raises(Exception, match="already exists"), engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    engine.dispose()
    assert _tables(db) == {"import_mapping"}  # 0001's tables and the version stamp all rolled back


def test_foreign_keys_stay_on_after_an_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _database_at_0002(db)
    services = build_services(db)
    try:
        with services.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        services.close()
