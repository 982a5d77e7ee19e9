"""Shared fixtures: real SQLite files in tmp_path, built the way the app builds them."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from asahi_desk.app import Services, build_services, shipped_demo_db  # noqa: E402
from asahi_desk.paths import demo_dir  # noqa: E402

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture
def budget_json() -> dict:
    """The seed budget, parsed afresh for each test so no test can change another's oracle
    (a copy ships in resources/demo; a test keeps it identical to ../shared/seeds)."""
    return json.loads((demo_dir() / "asahi-r6-budget.json").read_text(encoding="utf-8"))


@pytest.fixture
def review_json() -> dict:
    return json.loads((demo_dir() / "asahi-r4-review.json").read_text(encoding="utf-8"))


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A fresh copy of the shipped demo database."""
    target = tmp_path / "demo.db"
    shutil.copy2(shipped_demo_db(), target)
    return target


@pytest.fixture
def services(demo_db: Path) -> Iterator[Services]:
    s = build_services(demo_db)
    yield s
    s.close()


@pytest.fixture
def empty_services(tmp_path: Path) -> Iterator[Services]:
    s = build_services(tmp_path / "empty.db")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> None:
    """No test reads or writes the clerk's real settings (window geometry, recent files): QSettings go to an
    ini file under the test's tmp_path. Only where Qt is loaded anyway (the CLI and service tests stay Qt-free)."""
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
