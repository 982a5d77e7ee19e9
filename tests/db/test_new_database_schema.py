"""A new database is created from the models and stamped at head (no Alembic run): its schema must be the
one the migrations build, table by table, column by column, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text

from asahi_desk.store.engine import make_engine
from asahi_desk.store.migrate import HEAD_REVISION, alembic_config, current_revision, upgrade_to_head
from asahi_desk.store.models import Base

PG_URL = os.environ.get("ASAHI_DESK_TEST_PG_URL")


def migrated(engine: Engine) -> None:
    """Every migration from 0001 to head, as an older database gets them."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _default(value: Any) -> str | None:
    return None if value is None else str(value).strip("'\"()")


def schema(engine: Engine) -> dict[str, Any]:
    """What the database enforces: columns (type, null, default), keys, foreign keys, indexes, uniques."""
    found = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(found.get_table_names()):
        out[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"], _default(c.get("default")))
                              for c in found.get_columns(table)),
            "primary key": found.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted((tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"]), (fk.get("options") or {}).get("ondelete"))
                                   for fk in found.get_foreign_keys(table)),
            "indexes": sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                              for ix in found.get_indexes(table)),
            "uniques": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
        }
    return out


def test_a_new_sqlite_database_has_the_migrated_schema(tmp_path: Path) -> None:
    new, old = make_engine(tmp_path / "new.db"), make_engine(tmp_path / "migrated.db")
    try:
        assert upgrade_to_head(new) is None
        migrated(old)
        assert current_revision(new) == current_revision(old) == HEAD_REVISION
        expected = schema(old)
        assert set(expected) >= {"program", "line_item", "change_history", "budget_version", "alembic_version"}
        assert schema(new) == expected
    finally:
        new.dispose()
        old.dispose()


def test_creating_a_new_database_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while stamping leaves no table behind: the next start creates the schema again."""
    from asahi_desk.store import migrate

    engine = make_engine(tmp_path / "new.db")
    monkeypatch.setattr(migrate, "_VERSION_TABLE", "CREATE TABLE alembic_version (version_num NOT A TYPE(")
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises for the broken statement
        upgrade_to_head(engine)
    assert inspect(engine).get_table_names() == []
    monkeypatch.undo()
    assert upgrade_to_head(engine) is None
    assert current_revision(engine) == HEAD_REVISION
    engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="ASAHI_DESK_TEST_PG_URL not set (scripts/test.sh sets it)")
def test_a_new_postgresql_database_has_the_migrated_schema() -> None:
    assert PG_URL
    engine = create_engine(PG_URL)

    def empty() -> None:
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))

    try:
        empty()
        migrated(engine)
        expected = schema(engine)
        empty()
        assert upgrade_to_head(engine) is None
        assert current_revision(engine) == HEAD_REVISION
        assert schema(engine) == expected
    finally:
        empty()
        engine.dispose()
