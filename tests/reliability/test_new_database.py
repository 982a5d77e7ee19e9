"""A command never deletes what it did not make: new databases are built aside and renamed in on success."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from asahi_desk.cli import new_database
from asahi_desk.domain.errors import InputError
from asahi_desk.launcher import main

ROOT = Path(__file__).resolve().parents[2]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


def test_a_failing_command_on_a_new_path_leaves_nothing(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "new.db"
    code, err = _run(capsys, "dump-json", "--db", str(db), "--fiscal-year", "2024")
    assert code == 2 and "データがありません" in err
    assert list(tmp_path.iterdir()) == []  # neither the database nor its temporary


def test_a_database_made_by_another_process_meanwhile_is_kept(tmp_path: Path, capsys,  # noqa: ANN001
                                                               budget_json: dict) -> None:
    """The failing command's staging ends while the target was created and filled by someone else."""
    target = tmp_path / "shared.db"
    src = tmp_path / "b.json"
    src.write_text(json.dumps(budget_json, ensure_ascii=False), encoding="utf-8")
    with new_database.staged(target.resolve()) as staging:
        assert _run(capsys, "load-json", str(src), "--db", str(target))[0] == 0  # the other process
        before = _sha(target)
        staging.path.write_bytes(b"")  # this process's half-built, failing database
    assert target.exists() and _sha(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "shared.db"]


def test_promote_refuses_when_the_target_appeared(tmp_path: Path, capsys, budget_json: dict) -> None:  # noqa: ANN001
    target = (tmp_path / "race.db").resolve()
    src = tmp_path / "b.json"
    src.write_text(json.dumps(budget_json, ensure_ascii=False), encoding="utf-8")
    with new_database.staged(target) as staging:
        assert _run(capsys, "init", "--db", str(staging.path))[0] == 0
        assert _run(capsys, "load-json", str(src), "--db", str(target))[0] == 0
        before = _sha(target)
        with pytest.raises(InputError, match="別の処理が先にデータベースを作成しました"):
            staging.promote()
    assert _sha(target) == before


def test_two_processes_creating_the_same_path_one_wins(tmp_path: Path, budget_json: dict) -> None:
    src = tmp_path / "b.json"
    src.write_text(json.dumps(budget_json, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "both.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "asahi_desk.launcher", "load-json", str(src), "--db", str(target)]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(60), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    for code, err in results:
        if code == 2:
            assert err.count("\n") == 1 and ("別の処理が先に" in err or "既にあります" in err), err
            assert "読み込みました" not in err  # the loser does not claim a load that is not kept
    assert main(["check", "--db", str(target), "--fiscal-year", "2024"]) == 1  # findings, but readable
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_empty_file_gets_no_schema_from_a_failing_read(tmp_path: Path, capsys, budget_json: dict) -> None:  # noqa: ANN001
    empty = tmp_path / "zero.db"
    empty.touch()
    code, err = _run(capsys, "dump-json", "--db", str(empty), "--fiscal-year", "2024")
    assert code == 2 and empty.stat().st_size == 0
    src = tmp_path / "b.json"
    src.write_text(json.dumps(budget_json, ensure_ascii=False), encoding="utf-8")
    assert _run(capsys, "load-json", str(src), "--db", str(empty))[0] == 0  # a good command fills it
    assert empty.stat().st_size > 0
    assert _run(capsys, "dump-json", "--db", str(empty), "--fiscal-year", "2024")[0] == 0
