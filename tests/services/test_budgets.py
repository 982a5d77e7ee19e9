"""Loading, replacing and reading budgets through the services, one transaction each."""

from __future__ import annotations

import copy
import hashlib
import os
from pathlib import Path

import pytest

from asahi_desk.app import Services
from asahi_desk.domain.errors import ConflictError, InputError, NotFoundError


def file_hash(path: Path) -> str:
    """The database as bytes, after folding the WAL in, so 'unchanged' means unchanged."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_load_reports_what_it_wrote(empty_services: Services, budget_json: dict) -> None:
    result = empty_services.budgets.load_data(budget_json)
    loaded = result.value
    assert result.changes.years and result.changes.structure and result.undo is None
    assert result.operation_id is not None and [r.table for r in result.rows] == ["fiscal_year"]
    assert (loaded.fiscal_year, loaded.programs, loaded.line_items) == (2024, 27, 94)
    assert "令和6年度（2024年度）" in loaded.describe()
    assert empty_services.budgets.fiscal_years() == [2024]
    assert "土木事務所" in empty_services.budgets.sections()


def test_loading_an_existing_year_is_refused_then_replaced(services: Services, budget_json: dict) -> None:
    with pytest.raises(ConflictError, match="既にあります"):
        services.budgets.load_data(budget_json)
    data = copy.deepcopy(budget_json)
    data["categories"][0]["programs"][0]["name"] = "災害に強い区づくり事業（改）"
    services.budgets.load_data(data, replace=True)
    assert services.budgets.get(2024).programs()[0].name == "災害に強い区づくり事業（改）"
    assert services.budgets.fiscal_years() == [2024]


def test_a_failed_load_leaves_the_database_exactly_as_it_was(services: Services, budget_json: dict) -> None:
    path = services.db_path
    assert path is not None
    data = copy.deepcopy(budget_json)
    data["categories"][-1]["programs"][-1]["line_items"][-1]["amount"] = "abc"
    services.engine.dispose()
    before = file_hash(path)
    with pytest.raises(InputError):
        services.budgets.load_data(data, replace=True)
    services.engine.dispose()
    assert file_hash(path) == before


def test_a_failure_inside_the_transaction_rolls_everything_back(services: Services, budget_json: dict) -> None:
    """Replace = delete + insert; a database error half-way must not lose the old year."""
    data = copy.deepcopy(budget_json)
    data["categories"][0]["programs"][0]["name"] = "新しい名称"
    original = services.budgets.dump(2024)
    # Sabotage: a trigger makes an insert late in the load fail inside the same transaction.
    with services.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER boom BEFORE INSERT ON agenda_sub_item BEGIN SELECT RAISE(ABORT, 'boom'); END")
    with pytest.raises(Exception, match="boom"):
        services.budgets.load_data(data, replace=True)
    assert services.budgets.dump(2024) == original


def test_unknown_year_is_a_clear_error(services: Services) -> None:
    with pytest.raises(NotFoundError, match="令和12年度（2030年度）のデータがありません（登録済み: 2024）"):
        services.budgets.get(2030)


def test_review_is_stored_and_read_back(services: Services, review_json: dict) -> None:
    assert services.budgets.review_years() == [2022]
    review = services.budgets.get_review(2022)
    assert review.areas[2].initiatives[0].title == "畠山重忠公を核とする魅力発信"
    assert services.budgets.dump_review(2022) == review_json
    with pytest.raises(ConflictError):
        services.budgets.load_data(review_json)


def test_budget_classes_keep_their_flags(services: Services) -> None:
    budget = services.budgets.get(2024)
    flags = {bc.name: (bc.in_total, bc.indicators_required) for bc in budget.budget_classes}
    assert flags == {"自主企画事業費": (True, True), "統合事務事業費": (True, False),
                     "区庁舎・区民利用施設管理費": (True, False), "区配事業": (False, True)}


# ---- whole fiscal years: an empty one, deleting one; a copy of the database

def _rows(db: Path, sql: str, *args) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def test_create_empty_year_has_the_classes_and_no_categories(services: Services, demo_db: Path) -> None:
    result = services.budgets.create_empty_year(2026, " 旭区 ")
    loaded = result.value
    assert result.changes.years and result.undo is None and result.operation_id is not None
    assert (loaded.fiscal_year, loaded.ward, loaded.programs) == (2026, "旭区", 0)
    [(fy_id, title)] = _rows(demo_db, "select id, title from fiscal_year where year = 2026")
    assert title == "令和８年度 旭区個性ある区づくり推進費の執行計画"
    assert [r[0] for r in _rows(demo_db, "select name from budget_class where fiscal_year_id = ? order by position",
                                 fy_id)] == ["自主企画事業費", "統合事務事業費", "区庁舎・区民利用施設管理費", "区配事業"]
    assert _rows(demo_db, "select count(*) from category where fiscal_year_id = ?", fy_id) == [(0,)]
    assert _rows(demo_db, "select count(*) from ward") == [(1,)]  # the demo's 旭区, not a second one
    assert services.budgets.fiscal_years() == [2024, 2026]


def test_create_empty_year_refuses_an_existing_year_and_bad_input(services: Services, demo_db: Path) -> None:
    before = _rows(demo_db, "select * from fiscal_year order by id")
    with pytest.raises(ConflictError, match="令和6年度（2024年度）のデータは既にあります"):
        services.budgets.create_empty_year(2024)
    with pytest.raises(InputError, match="区名を入力してください"):
        services.budgets.create_empty_year(2027, "  ")
    with pytest.raises(InputError, match="年度"):
        services.budgets.create_empty_year(99)
    assert _rows(demo_db, "select * from fiscal_year order by id") == before


def test_delete_year_removes_everything_under_it_in_one_go(services: Services, demo_db: Path) -> None:
    services.rollover.new_year(2024)
    [(old_id,)] = _rows(demo_db, "select id from fiscal_year where year = 2024")
    [(new_id,)] = _rows(demo_db, "select id from fiscal_year where year = 2025")
    kept = {t: _rows(demo_db, f"select count(*) from {t} where fiscal_year_id = ?", new_id)
            for t in ("budget_class", "category", "program")}
    assert _rows(demo_db, "select count(*) from meeting where fiscal_year_id = ?", old_id) != [(0,)]
    deleted = services.budgets.delete_year(2024)
    assert deleted.value == 27 and deleted.changes.years and deleted.changes.meetings and deleted.undo is None
    for table in ("budget_class", "category", "program", "meeting", "summary_row"):
        assert _rows(demo_db, f"select count(*) from {table} where fiscal_year_id = ?", old_id) == [(0,)], table
    for table, parent in (("line_item", "program"), ("indicator", "program"), ("program_section", "program"),
                          ("line_item_section", "line_item")):
        assert _rows(demo_db, f"select count(*) from {table} where {parent}_id not in (select id from {parent})") \
            == [(0,)], table
    assert _rows(demo_db, "pragma foreign_key_check") == []
    assert {t: _rows(demo_db, f"select count(*) from {t} where fiscal_year_id = ?", new_id) for t in kept} == kept
    assert services.budgets.fiscal_years() == [2025]
    assert services.budgets.review_years() == [2022]  # reviews are not part of a budget year
    with pytest.raises(NotFoundError):
        services.budgets.delete_year(2024)


def test_save_copy_writes_a_consistent_single_file(services: Services, demo_db: Path, tmp_path: Path) -> None:
    services.budgets.create_empty_year(2026)  # in the WAL, not yet in demo.db itself
    target = tmp_path / "out" / "コピー.db"
    target.parent.mkdir()
    target.write_bytes(b"an older file, replaced")
    assert services.save_copy(target) == target.resolve()
    assert _rows(target, "select year from fiscal_year order by year") == [(2024,), (2026,)]
    assert _rows(target, "pragma integrity_check") == [("ok",)]
    assert _rows(target, "pragma journal_mode") == [("delete",)]
    assert sorted(p.name for p in target.parent.iterdir()) == ["コピー.db"]  # no temporary file left behind
    assert services.budgets.fiscal_years() == [2024, 2026]  # the open database is still the one in use
    if os.name == "posix":  # a saved copy is an ordinary file (umask), not owner-only like a mkstemp one
        umask = os.umask(0)
        os.umask(umask)
        assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_save_copy_refuses_the_open_file_a_missing_folder_and_other_databases(services: Services, demo_db: Path,
                                                                             tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from asahi_desk.store.engine import make_session_factory

    with pytest.raises(InputError, match="同じファイル"):
        services.save_copy(demo_db)
    with pytest.raises(InputError, match="保存先のフォルダがありません"):
        services.save_copy(tmp_path / "nowhere" / "x.db")
    memory = create_engine("sqlite://")
    try:
        other = Services("sqlite://", memory, make_session_factory(memory))
        with pytest.raises(InputError, match="SQLite のデータベースファイルだけです"):
            other.save_copy(tmp_path / "m.db")
    finally:
        memory.dispose()
    assert not (tmp_path / "m.db").exists()


def test_the_ward_of_a_database(services, empty_services):
    """A new empty year defaults to the ward the database keeps; an empty database to 旭区."""
    assert empty_services.budgets.ward() == "旭区"
    empty_services.budgets.create_empty_year(2030, "瀬谷区")
    assert empty_services.budgets.ward() == "瀬谷区"
    assert services.budgets.ward() == "旭区"


def test_indicator_actual_is_stored_and_dumped(services, budget_json: dict) -> None:
    import copy
    data = copy.deepcopy(budget_json)
    data["categories"][0]["programs"][0]["indicators"][0]["actual"] = "80"
    services.budgets.load_data(data, replace=True)
    assert services.budgets.dump(2024) == data
    pid = services.budgets.get(2024).programs()[0].id
    assert services.editing.program(pid).indicators[0].actual == "80"
