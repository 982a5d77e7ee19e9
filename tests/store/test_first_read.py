"""The start's first read (sqlite3 alone) shows what TreeService shows: the same rows, built by the same code."""

from __future__ import annotations

import copy
import shutil
import sqlite3
from pathlib import Path

import pytest

from asahi_desk.app import build_services
from asahi_desk.store.first_read import read_first


def _same_as_tree_service(db: Path) -> None:
    first = read_first(db)
    assert first is not None
    services = build_services(db)
    try:
        year = services.budgets.fiscal_years()[-1]
        assert (first.years, first.year) == (services.budgets.fiscal_years(), year)
        assert first.top == services.tree.top(year)
        assert first.class_categories(None) == services.tree.categories(year)
        for row in first.top[1:]:
            assert first.class_categories(row.id) == services.tree.categories(year, row.id)
        assert first.sections == services.tree.sections()
        assert first.history_mark == services.history.latest_id()
    finally:
        services.close()


def test_the_first_read_equals_the_tree_service_on_the_demo(demo_db: Path) -> None:
    _same_as_tree_service(demo_db)


def test_the_first_read_equals_the_tree_service_on_a_larger_year(tmp_path: Path, budget_json: dict) -> None:
    """A second, newer year of 15 times the demo's programs, a class outside the total, an unused class and an
    edit in the history."""
    db = tmp_path / "large.db"
    services = build_services(db)
    try:
        services.budgets.load_data(budget_json)
        big = copy.deepcopy(budget_json)
        big["fiscal_year"], big["prior_fiscal_year"] = budget_json["fiscal_year"] + 1, budget_json["fiscal_year"]
        big.pop("summary", None)
        for category in big["categories"]:
            category["programs"] = [dict(copy.deepcopy(p), number=p["number"] + 100 * k, name=f"{p['name']}（{k}）",
                                         code=f"{p['code']}-{k}" if p.get("code") else None)
                                    for k in range(15) for p in category["programs"]]
        services.budgets.load_data(big)
        year = big["fiscal_year"]
        program = services.tree.programs(services.tree.categories(year)[0].id)[0]
        fields = services.editing.program(program.id)
        services.editing.update_program(program.id, version=fields.version, name=f"{fields.name}（改）")
    finally:
        services.close()
    with sqlite3.connect(db) as conn:  # an empty class declared last, and the first one outside the total
        fy = conn.execute("SELECT id FROM fiscal_year WHERE year = ?", (year,)).fetchone()[0]
        conn.execute("INSERT INTO budget_class (fiscal_year_id, position, name, in_total, indicators_required, version)"
                     " VALUES (?, 99, '未使用の区分', 1, 1, 1)", (fy,))
        conn.execute("UPDATE budget_class SET in_total = 0 WHERE id = (SELECT min(id) FROM budget_class"
                     " WHERE fiscal_year_id = ?)", (fy,))
    first = read_first(db)
    assert first is not None and first.year == year and len(first.top) >= 3
    assert len(first.categories) == len(big["categories"])
    _same_as_tree_service(db)


def test_only_a_head_sqlite_file_with_a_year_is_read(tmp_path: Path, demo_db: Path) -> None:
    assert read_first(tmp_path / "missing.db") is None
    (tmp_path / "empty.db").touch()
    assert read_first(tmp_path / "empty.db") is None
    build_services(tmp_path / "new.db").close()  # at head, no year: the first-run question's path
    assert read_first(tmp_path / "new.db") is None
    (tmp_path / "text.db").write_text("これはデータベースではありません", encoding="utf-8")
    assert read_first(tmp_path / "text.db") is None
    older = tmp_path / "older.db"
    shutil.copy2(demo_db, older)
    with sqlite3.connect(older) as conn:  # a pending migration: the usual path migrates it
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_first(older) is None
    assert read_first(demo_db) is not None


@pytest.mark.parametrize("name", ["AREA", "INITIATIVE", "ROW"])
def test_the_review_kinds_are_the_stores(name: str) -> None:
    from asahi_desk.services import review_names
    from asahi_desk.store import reviews

    assert getattr(review_names, name) == getattr(reviews, name)


def test_the_first_read_leaves_nothing_beside_a_wal_database(tmp_path: Path) -> None:
    """A window closed before its services load has read the file only: no -wal/-shm is left beside it."""
    from asahi_desk.app import shipped_demo_db

    db = tmp_path / "budget.db"
    shutil.copy2(shipped_demo_db(), db)
    build_services(db).close()  # as the app leaves it: WAL mode
    before = db.read_bytes()
    assert read_first(db) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.db"]
    assert db.read_bytes() == before
