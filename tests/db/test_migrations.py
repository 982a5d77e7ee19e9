"""Alembic: head creates the schema the models describe; an older database upgrades without loss."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from asahi_desk.app import build_services
from asahi_desk.services.budgets import BudgetService
from asahi_desk.store.engine import make_engine, make_session_factory
from asahi_desk.store.migrate import HEAD_REVISION, alembic_config, current_revision, upgrade_to_head


def test_head_constant_matches_the_scripts() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_empty_database_upgrades_and_models_match_head(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    engine = make_engine(db)
    assert upgrade_to_head(engine) is None  # nothing to back up in a new file
    assert current_revision(engine) == HEAD_REVISION
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.check(cfg)  # raises when the models and the migrations disagree
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(services) -> None:  # noqa: ANN001
    with services.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_database_at_0001_upgrades_with_its_data_and_a_backup(tmp_path: Path, budget_json: dict) -> None:
    db = tmp_path / "old.db"
    engine = make_engine(db)
    cfg = alembic_config()
    # The data is written by today's models at head, then the schema goes back to 0001 (downgrades
    # drop only what later revisions added), since today's models no longer fit a 0001 schema.
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    BudgetService(make_session_factory(engine)).load_data(budget_json)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert "attachment" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}

    services = build_services(db)
    try:
        assert services.backup is not None and services.backup.exists()
        assert services.budgets.dump(2024) == budget_json
        with services.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM attachment")).scalar() == 0
        assert current_revision(services.engine) == HEAD_REVISION
    finally:
        services.close()
    # The backup is the database as it was: still at 0001, with the data.
    with sqlite3.connect(services.backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM program").fetchone() == (27,)


def test_up_to_date_database_is_not_backed_up_again(demo_db: Path) -> None:
    services = build_services(demo_db)
    services.close()
    assert services.backup is None
    assert list(demo_db.parent.glob("*.before-*")) == []


def test_shipped_demo_db_is_the_demo_json_at_head(demo_db: Path, budget_json: dict, review_json: dict) -> None:
    engine = create_engine(f"sqlite:///{demo_db}")
    assert current_revision(engine) == HEAD_REVISION
    engine.dispose()
    services = build_services(demo_db)
    try:
        assert services.budgets.dump(2024) == budget_json
        assert services.budgets.dump_review(2022) == review_json
        assert json.dumps(services.budgets.dump(2024), ensure_ascii=False)
    finally:
        services.close()
