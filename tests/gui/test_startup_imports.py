"""What a start loads before its first paint, and before the main window is ready: the names are the contract.

Each case starts the app in a fresh interpreter with `-X importtime` and ASAHI_DESK_QUIT_AT, as the
startup benchmark does, and reads the modules it imported from the importtime lines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# asahi_desk modules the frame's first paint may load; nothing of SQLAlchemy, services, the CLI or the main window
FIRST_PAINT = {"asahi_desk", "asahi_desk.launcher", "asahi_desk.domain", "asahi_desk.domain.errors",
               "asahi_desk.logging_setup", "asahi_desk.paths", "asahi_desk.ui", "asahi_desk.ui.startup",
               "asahi_desk.ui.start_frame", "asahi_desk.ui.fonts",
               "asahi_desk.ui.translations"}
# third-party packages it may load (everything else it imports is the standard library); sitecustomize is the
# interpreter's own hook, org a package some installations provide for the standard library's Java probe
FIRST_PAINT_PACKAGES = {"PySide6", "shiboken6", "shibokensupport", "platformdirs", "sitecustomize", "org"}
# never before the main window is ready on a database at the schema head: the CLI, migrations, the
# Excel and PDF libraries (loaded when an import, an export or a pending migration needs them)
NEVER_AT_START = ("asahi_desk.cli", "alembic", "openpyxl", "python_calamine", "reportlab", "pypdf",
                  "asahi_desk.reports", "asahi_desk.importers.excel")
# never before the ready paint on an SQLite file at the schema head holding a year (the first read shows it): the
# ORM, the services and the store beyond the first read are loaded right after the window is painted
NOT_BEFORE_READY = ("sqlalchemy", "asahi_desk.app", "asahi_desk.store.models", "asahi_desk.store.repository",
                    "asahi_desk.services.tree", "asahi_desk.services.editing", "asahi_desk.services.budgets",
                    "asahi_desk.domain.entities", "asahi_desk.domain.checks",
                    # nor the pages not shown at the ready paint: the forms, the 合計 page, the 振り返り tab's view
                    # (built when first shown, or once the services are loaded)
                    "asahi_desk.ui.forms", "asahi_desk.ui.total_page", "asahi_desk.ui.list_editors",
                    "asahi_desk.ui.section_picker", "asahi_desk.services.summary_lines", "asahi_desk.ui.review.view",
                    "asahi_desk.ui.review.forms", "asahi_desk.ui.review.tree_model", "asahi_desk.ui.review.links")


def started_modules(quit_at: str, tmp_path: Path, *args: str) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ASAHI_DESK_QUIT_AT": quit_at,
           "ASAHI_DESK_DATA_DIR": str(tmp_path / "data"), "ASAHI_DESK_SETTINGS_DIR": str(tmp_path / "settings")}
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "asahi_desk", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    log = (tmp_path / "data" / "asahi-desk.log").read_text(encoding="utf-8")
    assert ("window ready" in log) == (quit_at == "ready"), log
    return [line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")
            and not line.rstrip().endswith("package")]


def test_the_first_paint_loads_only_qt_and_the_frame(tmp_path: Path) -> None:
    modules = started_modules("shown", tmp_path, "--demo")
    ours = {m for m in modules if m.split(".")[0] == "asahi_desk"}
    assert ours <= FIRST_PAINT, sorted(ours - FIRST_PAINT)
    third_party = {m.split(".")[0] for m in modules} - set(sys.stdlib_module_names) - {"asahi_desk"}
    third_party = {m for m in third_party if not m.startswith("_")}
    assert third_party <= FIRST_PAINT_PACKAGES, sorted(third_party - FIRST_PAINT_PACKAGES)
    assert "sqlalchemy" not in modules


@pytest.mark.parametrize("args", [("--demo",), ("--db", "DEMO_COPY")])
def test_the_ready_window_loads_no_sqlalchemy_cli_migrations_excel_or_pdf(tmp_path: Path, demo_db: Path,
                                                                          args: tuple) -> None:
    """An SQLite file at the schema head holding a year: the window is painted from the first read (sqlite3), and
    SQLAlchemy, the models and the services load after it."""
    args = tuple(str(demo_db) if a == "DEMO_COPY" else a for a in args)
    modules = started_modules("ready", tmp_path, *args)
    assert "asahi_desk.ui.main" in modules and "asahi_desk.store.first_read" in modules  # the window was built
    loaded = [m for m in modules if m.startswith(NEVER_AT_START)]
    assert loaded == []
    assert [m for m in modules if m.startswith(NOT_BEFORE_READY)] == []


def test_a_new_database_opens_the_usual_way(tmp_path: Path) -> None:
    """No first read for an empty (new) database: the schema is created and the window built on the services."""
    modules = started_modules("ready", tmp_path, "--db", str(tmp_path / "new.db"))
    assert "sqlalchemy.orm" in modules and "asahi_desk.ui.main" in modules
    assert not [m for m in modules if m.startswith(("asahi_desk.cli", "openpyxl", "reportlab", "pypdf"))]


def test_the_frame_has_the_main_windows_menus() -> None:
    from asahi_desk.ui import main, start_frame

    assert start_frame.MENU_TITLES == main.MENU_TITLES


@pytest.mark.parametrize(("argv", "expected"), [
    ([], {"db": None, "demo": False}),
    (["--demo"], {"db": None, "demo": True}),
    (["--db", "x.db"], {"db": "x.db", "demo": False}),
    (["--db=sqlite:///x.db", "--demo"], {"db": "sqlite:///x.db", "demo": True}),
    (["--db"], None), (["--demo", "--demo"], None), (["check", "--db", "x.db"], None), (["--help"], None),
    (["--version"], None), (["--db", "--demo"], None),
])
def test_only_window_arguments_skip_the_cli(argv: list[str], expected: dict | None) -> None:
    from asahi_desk.launcher import gui_arguments

    assert gui_arguments(argv) == expected
