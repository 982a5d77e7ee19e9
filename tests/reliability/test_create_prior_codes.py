"""--create-prior keeps the program codes: exactly from the app's own export, else 施策 code and No."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asahi_desk.launcher import main
from tests.importers.workbooks import ward_list


def _codes(db: Path, year: int, capsys: pytest.CaptureFixture[str]) -> list[tuple[str | None, int, str]]:
    capsys.readouterr()
    assert main(["dump-json", "--db", str(db), "--fiscal-year", str(year)]) == 0
    data = json.loads(capsys.readouterr().out)
    return [(p["code"], p["number"], p["name"]) for c in data["categories"] for p in c["programs"]]


def test_create_prior_from_the_apps_own_export_keeps_every_code(tmp_path: Path, demo_db: Path, capsys) -> None:  # noqa: ANN001
    book = tmp_path / "r6.xlsx"
    assert main(["export-excel", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(book)]) == 0
    db = tmp_path / "new.db"
    assert main(["import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--create-prior"]) == 0
    original = _codes(demo_db, 2024, capsys)
    assert sum(code is not None for code, _, _ in original) == 25
    assert _codes(db, 2024, capsys) == original
    assert [c for c, _, _ in _codes(db, 2025, capsys)] == [c for c, _, _ in original]


def test_create_prior_from_another_list_takes_the_category_code_and_number(tmp_path: Path, budget_json: dict,
                                                                           capsys) -> None:  # noqa: ANN001
    book = ward_list(budget_json, tmp_path / "r5.xlsx")
    db = tmp_path / "new.db"
    assert main(["import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--create-prior"]) == 0
    codes = _codes(db, 2024, capsys)
    assert ("Ⅱ-3", 3, "旭ふれあい区民まつり") in codes
    assert all(code is None or code.split("-")[1] == str(number) for code, number, _ in codes)
    assert sum(code is not None for code, _, _ in codes) >= 24
