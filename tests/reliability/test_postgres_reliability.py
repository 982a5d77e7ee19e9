"""The reliability rules on PostgreSQL: concurrent new-years, schema text limits, atomic upgrades."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from asahi_desk.app import build_services
from asahi_desk.domain.errors import AsahiError, InputError
from asahi_desk.store.migrate import alembic_config, current_revision
from asahi_desk.store.models import Base

PG_URL = os.environ.get("ASAHI_DESK_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="ASAHI_DESK_TEST_PG_URL not set (scripts/test.sh sets it)")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_pg() -> Iterator[str]:
    assert PG_URL
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(text("DROP TABLE IF EXISTS attachment"))
    engine.dispose()
    yield PG_URL


def test_two_new_years_at_once_one_is_refused(empty_pg: str) -> None:
    services = build_services(empty_pg)
    try:
        services.budgets.load_demo()
    finally:
        services.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "asahi_desk.launcher", "new-year", "--db", empty_pg, "--from", "2024"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    (ok, _), (refused, err) = sorted((p.wait(60), p.stderr.read()) for p in procs)  # type: ignore[union-attr]
    assert (ok, refused) == (0, 2), err
    assert err.count("\n") == 1 and "令和7年度（2025年度）のデータは既にあります" in err


def test_text_limits_are_the_same_refusal_as_on_sqlite(empty_pg: str, budget_json: dict) -> None:
    services = build_services(empty_pg)
    try:
        data = {**budget_json, "ward": "区" * 101}
        with pytest.raises(InputError, match="区の名称: 長すぎます（101文字、100文字まで）"):
            services.budgets.load_data(data, "r6.json")
        assert services.budgets.fiscal_years() == []
    finally:
        services.close()


def test_a_failing_upgrade_leaves_the_old_schema(empty_pg: str) -> None:
    engine = create_engine(empty_pg)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("CREATE TABLE attachment (x INTEGER)"))  # 0002's second table: its DDL fails
    with pytest.raises((AsahiError, Exception), match="already exists"):
        build_services(empty_pg)
    assert current_revision(engine) == "0001"
    assert "import_mapping" not in inspect(engine).get_table_names()  # 0002's first table rolled back
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE attachment"))
    engine.dispose()
    build_services(empty_pg).close()
