"""One refusal path: every hostile input ends in exit 2 and one Japanese line naming file and place."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import pytest

from asahi_desk.launcher import main
from tests.reliability import hostile_corpus


def _sha(path: Path) -> str:
    """The database's content (not its header, which WAL mode changes on first open)."""
    with sqlite3.connect(path) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[str, float]:
    started = time.perf_counter()
    code = main(argv)
    elapsed = time.perf_counter() - started
    out, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("エラー: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err, elapsed


def test_every_hostile_json_is_refused_in_one_line(tmp_path: Path, demo_db: Path, capsys) -> None:  # noqa: ANN001
    before = _sha(demo_db)
    for name, path, expect in hostile_corpus.json_cases(tmp_path):
        err, elapsed = _refused(capsys, ["load-json", str(path), "--db", str(demo_db), "--replace"])
        assert expect in err and str(path) in err, (name, err)
        assert elapsed < 10, (name, elapsed)
    assert _sha(demo_db) == before


def test_dev_zero_is_refused_at_the_size_limit(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    err, elapsed = _refused(capsys, ["load-json", "/dev/zero", "--db", str(tmp_path / "z.db")])
    assert "ファイルが大きすぎます" in err and elapsed < 10
    assert list(tmp_path.iterdir()) == []


def test_multiline_fields_keep_newlines_and_tabs(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    hostile_corpus.json_cases(tmp_path)
    db = tmp_path / "ok.db"
    assert main(["load-json", str(tmp_path / "multiline-ok.json"), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["dump-json", "--db", str(db), "--fiscal-year", "2024"]) == 0
    assert "一行目\\n二行目\\tタブ" in capsys.readouterr().out


def test_texts_are_checked_by_the_schema_on_sqlite_too(services) -> None:  # noqa: ANN001
    from asahi_desk.domain.errors import InputError

    with pytest.raises(InputError, match=r"区名が長すぎます|長すぎます"):
        services.budgets.create_empty_year(2030, "区" * 101)


def test_control_characters_in_messages_are_escaped(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    odd = tmp_path / "a\nb\u202ec.json"
    odd.write_text("{", encoding="utf-8")
    err, _ = _refused(capsys, ["load-json", str(odd), "--db", str(tmp_path / "x.db")])
    assert "a\\nb\\u202ec.json" in err


def test_a_real_bug_exits_3_with_a_log_file(tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    """Exit 3 is for bugs only, and it leaves the traceback in a file whose path it prints."""
    from asahi_desk.cli import commands_core

    def broken(_args) -> int:  # noqa: ANN001
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(commands_core, "cmd_check", broken)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ASAHI_DESK_DEBUG", raising=False)
    code = main(["check", "--db", str(tmp_path / "y.db")])
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1 and "予期しない内部エラー" in err
    log = Path(err.split("詳細: ")[1].strip())
    assert log.is_file() and "ZeroDivisionError" in log.read_text(encoding="utf-8")


def test_every_hostile_workbook_is_refused_in_one_line(tmp_path: Path, demo_db: Path, capsys) -> None:  # noqa: ANN001
    before = _sha(demo_db)
    for name, path, expect in hostile_corpus.xlsx_cases(tmp_path):
        err, elapsed = _refused(capsys, ["import-excel", str(path), "--db", str(demo_db), "--fiscal-year", "2024"])
        assert expect in err and str(path) in err, (name, err)
        assert elapsed < (3 if name == "million-rows" else 10), (name, elapsed)
    assert _sha(demo_db) == before
