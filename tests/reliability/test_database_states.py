"""A locked, read-only or full database: one Japanese line, exit 2, nothing half-written."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from asahi_desk.app import build_services
from asahi_desk.domain.errors import InputError
from asahi_desk.launcher import main
from asahi_desk.store import engine as engine_module


def _r8(tmp_path: Path, budget_json: dict) -> Path:
    src = tmp_path / "r8.json"
    src.write_text(json.dumps({**budget_json, "fiscal_year": 2026, "prior_fiscal_year": 2025}, ensure_ascii=False),
                   encoding="utf-8")
    return src


def test_locked_database_waits_then_says_so(tmp_path: Path, demo_db: Path, budget_json: dict, capsys,  # noqa: ANN001
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "LOCK_WAIT_SECONDS", 1.0)
    assert main(["new-year", "--db", str(demo_db), "--from", "2024"]) == 0  # a write: the file is in WAL mode
    capsys.readouterr()
    holder = sqlite3.connect(demo_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another clerk's save in progress
    try:
        started = time.perf_counter()
        code = main(["load-json", str(_r8(tmp_path, budget_json)), "--db", str(demo_db)])
        waited = time.perf_counter() - started
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1
        assert "データベースが他の処理で使用中です（1秒待ちましたが空きませんでした）" in err and str(demo_db) in err
        assert waited >= 1.0
        # reading is not blocked by a writer (WAL)
        assert main(["dump-json", "--db", str(demo_db), "--fiscal-year", "2024"]) == 0
    finally:
        holder.rollback()
        holder.close()
    assert main(["load-json", str(_r8(tmp_path, budget_json)), "--db", str(demo_db)]) == 0


def test_full_disk_writes_nothing(demo_db: Path, budget_json: dict) -> None:
    services = build_services(demo_db)
    try:
        before = services.budgets.fiscal_years()
        services.engine.dispose()
        # SQLITE_FULL, as a full disk gives it: the database may not grow past its current pages
        event.listen(services.engine, "connect",
                     lambda conn, _r: conn.execute(f"PRAGMA max_page_count={conn.execute('PRAGMA page_count').fetchone()[0]}"))
        data = {**budget_json, "fiscal_year": 2026, "prior_fiscal_year": 2025}
        with pytest.raises(InputError, match="ディスクの空きが足りないため書き込めませんでした（何も書き込んでいません）"):
            services.budgets.load_data(data, "r8.json")
        assert services.budgets.fiscal_years() == before
    finally:
        services.close()
    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _immutable(path: Path, on: bool) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


def test_read_only_database_reads_and_refuses_writes(tmp_path: Path, demo_db: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "share"
    folder.mkdir()
    db = folder / "ro.db"
    shutil.copy2(demo_db, db)
    assert main(["check", "--db", str(db)]) in (0, 1)  # at head, WAL leftovers folded by the last close
    if not (_immutable(db, True) and _immutable(folder, True)):
        db.chmod(0o444)
        folder.chmod(0o555)
        if os.access(db, os.W_OK):
            pytest.skip("cannot make a read-only file here (root without chattr)")
    try:
        capsys.readouterr()
        assert main(["dump-json", "--db", str(db), "--fiscal-year", "2024"]) == 0
        assert json.loads(capsys.readouterr().out)["ward"] == "旭区"
        code = main(["new-year", "--db", str(db), "--from", "2024"])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and "データベースが読み取り専用のため書き込めません" in err, err
    finally:
        _immutable(folder, False)
        _immutable(db, False)
        folder.chmod(0o755)
