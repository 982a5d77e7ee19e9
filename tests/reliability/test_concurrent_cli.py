"""Two loads or new-years of the same year at once from the CLI: one succeeds, the other is refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _both(*argv: str) -> list[tuple[int, str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "asahi_desk.launcher", *argv]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    return sorted((p.wait(60), p.stderr.read()) for p in procs)  # type: ignore[union-attr]


@pytest.mark.parametrize("command", ["new-year", "load-json"])
def test_same_year_twice_at_once(tmp_path: Path, demo_db: Path, budget_json: dict, command: str) -> None:
    db = tmp_path / "shared.db"
    shutil.copy2(demo_db, db)
    if command == "new-year":
        argv = ("new-year", "--db", str(db), "--from", "2024")
    else:
        data = {**budget_json, "fiscal_year": 2026, "prior_fiscal_year": 2025}
        src = tmp_path / "r8.json"
        src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        argv = ("load-json", str(src), "--db", str(db))
    (ok, _), (refused, err) = _both(*argv)
    assert (ok, refused) == (0, 2), err
    assert err.count("\n") == 1 and "のデータは既にあります" in err and "Integrity" not in err, err
