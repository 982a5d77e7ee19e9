"""Layer rules the machine checks: import-linter contracts, and what start-up may not load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


def test_services_do_not_load_qt() -> None:
    loaded = _loaded_after("import asahi_desk.services.budgets, asahi_desk.services.checking, asahi_desk.app")
    assert "PySide6" not in loaded and "shiboken6" not in loaded


def test_opening_an_up_to_date_database_loads_no_heavy_libraries(demo_db: Path) -> None:
    from asahi_desk.app import build_services

    build_services(demo_db).close()  # at head (the shipped demo may be a revision behind until rebuilt)
    loaded = _loaded_after(
        f"from asahi_desk.app import build_services\ns = build_services({str(demo_db)!r})\n"
        "s.budgets.get(2024); s.checks.check(2024)")
    assert not loaded & {"alembic", "reportlab", "openpyxl", "pypdf", "PySide6"}


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout
