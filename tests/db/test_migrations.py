"""Alembic: head creates the schema the models describe; an older database upgrades without loss."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from asahi_desk.app import build_services
from asahi_desk.store.engine import make_engine
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


# The shipped demo database as the 0002 code built it (copied before revision 0003 existed): the migration
# test must start from a file the old code wrote, not from one the current models made.
DEMO_0002 = Path(__file__).parent / "data" / "demo-0002.db"


def _all_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table but the new ones, without the new columns (version; 0004's indicator
    actual): what must survive."""
    with sqlite3.connect(db) as conn:
        out = {}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                                    "('alembic_version', 'change_history', 'review_row_program', 'budget_version')"):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')
                    if r[1] not in ("version", "actual")]
            out[name] = conn.execute(f'SELECT {", ".join(cols)} FROM "{name}" ORDER BY 1, 2').fetchall()
        return out


def test_demo_database_at_0002_upgrades_keeping_every_figure_and_text(tmp_path: Path, budget_json: dict,
                                                                     review_json: dict) -> None:
    db = tmp_path / "old.db"
    db.write_bytes(DEMO_0002.read_bytes())
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
    before = _all_rows(db)
    assert sum(len(rows) for rows in before.values()) > 250

    services = build_services(db)
    try:
        assert services.backup is not None and services.backup.exists()
        assert f".before-{HEAD_REVISION}" in services.backup.name
        assert current_revision(services.engine) == HEAD_REVISION
        assert services.budgets.dump(2024) == budget_json
        assert services.budgets.dump_review(2022) == review_json
        with services.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM change_history")).scalar() == 0
            assert set(conn.execute(text("SELECT DISTINCT version FROM line_item")).scalars()) == {1}
        # an edit after the upgrade states version 1 and leaves version 2 and one line of history
        item = next(li for p in services.tree.programs(services.tree.categories(2024)[0].id)
                    for li in services.tree.line_items(p.id))
        services.editing.update_line_item(item.id, amount=(item.current or 0) + 1, version=1)
        assert services.editing.line_item(item.id).version == 2
        assert {h.field for h in services.history.entries(fiscal_year=2024)} == {"amount", "current", "printed_change"}
    finally:
        services.close()
    after = _all_rows(db)
    assert after.keys() == before.keys()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"line_item", "program"}  # only the one edit made after the upgrade
    # The backup is the database as it was: still at 0002, with every row.
    with sqlite3.connect(services.backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
    assert _all_rows(services.backup) == before


def test_up_to_date_database_is_not_backed_up_again(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    build_services(db).close()
    services = build_services(db)
    services.close()
    assert services.backup is None
    assert list(tmp_path.glob("*.before-*")) == []


def test_shipped_demo_db_is_the_demo_json(demo_db: Path, budget_json: dict, review_json: dict) -> None:
    engine = create_engine(f"sqlite:///{demo_db}")
    assert current_revision(engine) in ("0002", HEAD_REVISION)  # the lead rebuilds it at head after merging
    engine.dispose()
    services = build_services(demo_db)
    try:
        assert services.budgets.dump(2024) == budget_json
        assert services.budgets.dump_review(2022) == review_json
        assert json.dumps(services.budgets.dump(2024), ensure_ascii=False)
    finally:
        services.close()


def test_upgrade_adds_an_empty_budget_version_table(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    db.write_bytes(DEMO_0002.read_bytes())
    services = build_services(db)
    try:
        with services.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM budget_version")).scalar() == 0
        assert services.versions.list(2024) == []
        services.versions.save(2024, "確定")
        assert services.versions.names(2024) == ["確定"]
    finally:
        services.close()


def test_the_head_is_read_from_the_revision_files_without_alembic(tmp_path: Path, monkeypatch) -> None:
    from asahi_desk.store import migrate, schema_head

    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "0001_a.py").write_text("revision: str = '0001'\ndown_revision: str | None = None\n")
    (versions / "0002_b.py").write_text('revision = "0002"\ndown_revision = "0001"\n')
    monkeypatch.setattr(schema_head, "migrations_dir", lambda: tmp_path)
    migrate.head_revision.cache_clear()
    try:
        assert migrate.head_revision() == "0002"
        (versions / "0003_c.py").write_text("revision: str = '0003'\ndown_revision: str | None = '0001'\n")
        migrate.head_revision.cache_clear()
        assert migrate.head_revision() is None  # two heads: Alembic decides (and refuses)
    finally:
        migrate.head_revision.cache_clear()
