"""asahi-desk history: one change a line, newest first, filtered by year and date; CSV; bad input exit 2."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

from asahi_desk.app import build_services


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asahi_desk", *args], capture_output=True, text=True)


def _edit_undo_redo(db: Path) -> None:
    services = build_services(db)
    services.clerk = "山田"
    try:
        program = services.tree.programs(services.tree.categories(2024)[0].id)[0]
        item = next(li for li in services.tree.line_items(program.id) if li.label.endswith("防災訓練事業"))
        edit = services.editing.update_line_item(item.id, amount=800)
        undone = services.editing.undo(edit.undo)
        services.editing.redo(undone.undo)
    finally:
        services.close()


def test_history_lists_edit_undo_and_redo_newest_first(demo_db: Path) -> None:
    _edit_undo_redo(demo_db)
    out = _cli("history", "--db", str(demo_db), "--fiscal-year", "2024")
    assert out.returncode == 0, out.stderr
    amounts = [line for line in out.stdout.splitlines() if "防災訓練事業 金額" in line]
    assert [line.split("金額: ")[1] for line in amounts] == ["725 → 800（やり直し）", "800 → 725（元に戻す）",
                                                           "725 → 800（編集）"]
    assert all(" 山田 災害に強い区づくり事業 / 防災訓練事業 " in line for line in amounts)
    assert any("今年度予算額: 11,922 → 11,997（編集）" in line for line in out.stdout.splitlines())
    assert _cli("history", "--db", str(demo_db), "--fiscal-year", "2025").stdout == ""
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert _cli("history", "--db", str(demo_db), "--since", tomorrow).stdout == ""
    assert _cli("history", "--db", str(demo_db), "--since", dt.date.today().isoformat()).stdout == out.stdout


def test_history_as_csv(demo_db: Path) -> None:
    _edit_undo_redo(demo_db)
    out = _cli("history", "--db", str(demo_db), "--csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["日時", "担当者", "年度", "種別", "事業", "細事業", "項目", "変更前", "変更後", "操作"]
    item_rows = [r for r in rows[1:] if r[5] == "防災訓練事業"]
    assert [(r[1], r[2], r[3], r[6], r[7], r[8], r[9]) for r in item_rows] == [
        ("山田", "2024", "やり直し", "金額", "725", "800", "細事業の金額を変更"),
        ("山田", "2024", "元に戻す", "金額", "800", "725", "細事業の金額を変更"),
        ("山田", "2024", "編集", "金額", "725", "800", "細事業の金額を変更")]


def test_history_refuses_bad_input_with_exit_2(tmp_path: Path, demo_db: Path) -> None:
    missing = _cli("history", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "データベースがありません" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    bad = _cli("history", "--db", str(demo_db), "--since", "2026-13-01")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


def test_a_loaded_year_is_one_line_of_history(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    assert _cli("init", "--db", str(db), "--demo").returncode == 0
    out = _cli("history", "--db", str(db))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 1 and "追加（年度）" in lines[0] and "2024年度" in lines[0] and lines[0].endswith("（読込）")
