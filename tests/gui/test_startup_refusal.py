"""A database the window cannot open, on a non-interactive run (ASAHI_DESK_QUIT_AT): one Japanese line on
stderr and exit 2, instead of a modal box nobody can press (the run used to hang)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("kind", ["missing_folder", "not_a_database"])
def test_an_unopenable_database_exits_2_with_one_line(tmp_path: Path, kind: str) -> None:
    if kind == "missing_folder":
        db, expect = tmp_path / "nope" / "x.db", "データベースのフォルダがありません"
    else:
        db, expect = tmp_path / "notzip.xlsx", "SQLite のデータベースファイルではありません"
        db.write_text("not a zip, not a database", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ASAHI_DESK_QUIT_AT": "ready",
           "ASAHI_DESK_DATA_DIR": str(tmp_path / "data"), "ASAHI_DESK_SETTINGS_DIR": str(tmp_path / "settings")}
    out = subprocess.run([sys.executable, "-m", "asahi_desk", "--db", str(db)], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 2, out.stderr
    ours = [line for line in out.stderr.splitlines() if "propagateSizeHints" not in line]  # Qt's offscreen note
    assert len(ours) == 1 and ours[0].startswith("エラー: ") and expect in ours[0], out.stderr
