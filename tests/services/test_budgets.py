"""Loading, replacing and reading budgets through the services, one transaction each."""

from __future__ import annotations

import copy
import hashlib
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
    loaded = empty_services.budgets.load_data(budget_json)
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
