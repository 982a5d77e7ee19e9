"""Schema changes are atomic on SQLite: a failed upgrade leaves the old schema, one backup per upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from asahi_desk.app import build_services
from asahi_desk.domain.errors import AsahiError
from asahi_desk.services.budgets import BudgetService
from asahi_desk.store.engine import make_engine, make_session_factory
from asahi_desk.store.migrate import HEAD_REVISION, alembic_config, backup_path


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _version(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _database_at_0001(db: Path, budget_json: dict) -> None:
    engine = make_engine(db)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    BudgetService(make_session_factory(engine)).load_data(budget_json)
    engine.dispose()


def test_a_failing_upgrade_leaves_the_old_schema_and_one_backup(tmp_path: Path, budget_json: dict) -> None:
    db = tmp_path / "old.db"
    _database_at_0001(db, budget_json)
    # 0002 creates import_mapping, then attachment: a table of that name makes its second step fail
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE attachment (x INTEGER)")
    before = _tables(db)
    for _ in range(3):  # retries: still the old schema, never a half-made one, and still one backup
        with pytest.raises(AsahiError, match="already exists"):
            build_services(db)
        assert _tables(db) == before and "import_mapping" not in before
        assert _version(db) == "0001"
    assert [p.name for p in tmp_path.glob("*.before-*")] == [backup_path(db).name]
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE attachment")
    services = build_services(db)
    try:
        assert services.backup == backup_path(db)
        assert services.budgets.dump(2024) == budget_json
    finally:
        services.close()
    assert _version(db) == HEAD_REVISION
    assert [p.name for p in tmp_path.glob("*.before-*")] == [backup_path(db).name]
    assert _version(backup_path(db)) == "0001"


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


def test_foreign_keys_stay_on_after_an_upgrade(tmp_path: Path, budget_json: dict) -> None:
    db = tmp_path / "old.db"
    _database_at_0001(db, budget_json)
    services = build_services(db)
    try:
        with services.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        services.close()
