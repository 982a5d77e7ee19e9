"""SIGKILL at random points of load, import, new-year and upgrade: the database is never corrupt, and the
next command works. ASAHI_DESK_CRASH_RUNS sets the number of kills (30 by default, in CI)."""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asahi_desk.app import build_services
from asahi_desk.launcher import main
from asahi_desk.store.migrate import HEAD_REVISION, current_revision
from tests.importers.workbooks import ward_list

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("ASAHI_DESK_CRASH_RUNS", "30"))
SCENARIOS = ("load-new", "load", "new-year", "import", "upgrade")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from asahi_desk.app import shipped_demo_db
    from asahi_desk.paths import demo_dir

    folder = tmp_path_factory.mktemp("crash-seeds")
    budget = json.loads((demo_dir() / "asahi-r6-budget.json").read_text(encoding="utf-8"))
    out = {"budget": folder / "r6.json", "r8": folder / "r8.json", "zero-json": folder / "zero.json",
           "demo": folder / "demo.db", "zero": folder / "zero.db", "old": folder / "old.db",
           "book": ward_list(budget, folder / "r5.xlsx", extra_sheets=True)}
    out["budget"].write_text(json.dumps(budget, ensure_ascii=False), encoding="utf-8")
    out["r8"].write_text(json.dumps({**budget, "fiscal_year": 2026, "prior_fiscal_year": 2025}, ensure_ascii=False),
                         encoding="utf-8")
    shutil.copy2(shipped_demo_db(), out["demo"])
    zero = copy.deepcopy(budget)
    for c in zero["categories"]:
        for p in c["programs"]:
            p["prior"] = 0
            p.pop("change")
    zero.pop("summary")
    out["zero-json"].write_text(json.dumps(zero, ensure_ascii=False), encoding="utf-8")
    assert main(["load-json", str(out["zero-json"]), "--db", str(out["zero"])]) == 0
    # the demo as the 0002 code built it: the upgrade scenario runs every later migration on real data
    shutil.copy2(Path(__file__).parents[1] / "db" / "data" / "demo-0002.db", out["old"])
    return out


def _prepare(scenario: str, seeds: dict[str, Path], folder: Path) -> tuple[Path, list[str]]:
    db = folder / "db.sqlite"
    if scenario == "load-new":
        return db, ["load-json", str(seeds["budget"]), "--db", str(db)]
    source = {"load": "demo", "new-year": "demo", "import": "zero", "upgrade": "old"}[scenario]
    shutil.copy2(seeds[source], db)
    return db, {
        "load": ["load-json", str(seeds["r8"]), "--db", str(db)],
        "new-year": ["new-year", "--db", str(db), "--from", "2024"],
        "import": ["import-excel", str(seeds["book"]), "--db", str(db), "--fiscal-year", "2024"],
        "upgrade": ["new-year", "--db", str(db), "--from", "2024"],
    }[scenario]


def _wait_for_database_work(proc: subprocess.Popen, folder: Path) -> None:
    """Until the command has opened its database (its WAL or its staging file appears) or ended."""
    deadline = time.monotonic() + 20
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.endswith("-wal") or p.name.startswith(".") for p in folder.iterdir()):
            return
        time.sleep(0.005)


def _intact(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_random_kills_leave_a_working_database(tmp_path: Path, seeds: dict[str, Path], capsys) -> None:  # noqa: ANN001
    rng = random.Random(int(os.environ.get("ASAHI_DESK_CRASH_SEED", "17")))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = 0
    window: dict[str, float] = {}  # seconds from opening the database to the end, as last measured
    for run in range(RUNS):
        scenario = SCENARIOS[run % len(SCENARIOS)]
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        db, argv = _prepare(scenario, seeds, folder)
        proc = subprocess.Popen([sys.executable, "-m", "asahi_desk.launcher", *argv], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_database_work(proc, folder)  # start-up (imports) is most of a run: aim past it
        opened = time.monotonic()
        time.sleep(rng.uniform(0.0, window.get(scenario, 0.8)))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
            proc.wait(30)
        else:  # finished first: its database work took this long, aim the next kills inside it
            proc.wait(30)
            window[scenario] = max(0.02, 0.9 * (time.monotonic() - opened))
        context = f"run {run} {scenario} (exit {proc.returncode})"
        if db.exists():
            _intact(db)
        # the next command works: the same one again (done, or refused because it was done)
        capsys.readouterr()
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 0 or (code == 2 and "既にあります" in err), f"{context}: {err}"
        _intact(db)
        if scenario == "upgrade":
            services = build_services(db)
            try:
                assert current_revision(services.engine) == HEAD_REVISION
                assert len(services.budgets.get(2024).programs()) == 27
            finally:
                services.close()
            assert len(list(folder.glob("*.before-*"))) == 1, context  # one backup, however many tries
        leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
        assert leftovers == [], f"{context}: {leftovers}"
    assert killed >= RUNS // 3, f"only {killed} of {RUNS} runs were killed before they finished"
    print(f"crash runs: {RUNS}, killed mid-run: {killed}")
