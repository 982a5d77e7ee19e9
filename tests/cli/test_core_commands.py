"""The CLI contract: commands, output, exit codes (0 ok, 1 findings, 2 bad input), no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from asahi_desk import __version__
from asahi_desk.launcher import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_demo_check_dump_new_year(tmp_path: Path, capsys: pytest.CaptureFixture[str], budget_json: dict) -> None:
    db = str(tmp_path / "b.db")
    code, _, err = run(capsys, "init", "--db", db, "--demo")
    assert code == 0 and "事業 27 件、細事業 94 件" in err

    code, out, err = run(capsys, "check", "--db", db, "--fiscal-year", "2024")
    lines = out.strip().splitlines()
    # the 4 errors of the printed document; 令和6年度 has ended, so its indicators without 実績 are warnings
    errors = [line for line in lines if line.startswith("エラー")]
    assert code == 1 and len(errors) == 4 and "エラー 4 件、警告 45 件" in err
    assert all(line.count("\t") == 3 for line in lines)

    code, out, _ = run(capsys, "dump-json", "--db", db, "--fiscal-year", "2024")
    assert code == 0 and json.loads(out) == budget_json
    out_file = tmp_path / "d.json"
    assert run(capsys, "dump-json", "--db", db, "--fiscal-year", "2024", "--out", str(out_file))[0] == 0
    assert json.loads(out_file.read_text(encoding="utf-8")) == budget_json

    code, _, err = run(capsys, "new-year", "--db", db, "--from", "2024")
    assert code == 0 and "令和7年度（2025年度）" in err
    code, _, err = run(capsys, "new-year", "--db", db, "--from", "2024")
    assert code == 2 and err.startswith("エラー: 令和7年度（2025年度）のデータは既にあります")


def test_load_json_and_check_clean_data(tmp_path: Path, capsys: pytest.CaptureFixture[str], budget_json: dict) -> None:
    data = json.loads(json.dumps(budget_json))
    integrated = data["categories"][4]["programs"][1]
    for item in integrated["line_items"]:
        item["activities"] = [f"{item['name']}についての固有の説明文をここに書きます。"]
    data["categories"][1]["programs"][8]["indicators"][0]["name"] = "保育所での相談件数"
    for cat in data["categories"]:  # 令和6年度 has ended: clean data has its results
        for program in cat["programs"]:
            for indicator in program["indicators"]:
                indicator["actual"] = indicator["target"]
    src = tmp_path / "clean.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert run(capsys, "load-json", str(src), "--db", db)[0] == 0
    code, out, err = run(capsys, "check", "--db", db)
    assert (code, out) == (0, "") and "エラー 0 件、警告 0 件" in err


@pytest.mark.parametrize(("args", "expect"), [
    (["dump-json", "--db", "{db}", "--fiscal-year", "2031"], "令和13年度（2031年度）のデータがありません"),
    (["check", "--db", "{db}", "--fiscal-year", "1999"], "平成11年度（1999年度）のデータがありません"),
    (["dump-json", "--db", "{db}", "--fiscal-year", "R6"], "年度は西暦4桁"),
    (["dump-json", "--db", "{db}", "--fiscal-year", "2024", "--out", "{tmp}/no/such/dir/x.json"], "出力先のフォルダがありません"),
    (["init", "--db", "{tmp}/missing/dir/x.db"], "データベースのフォルダがありません"),
    (["load-json", "{tmp}/nothing.json", "--db", "{db}"], "ファイルを読めません"),
    (["new-year", "--db", "{db}"], "コマンドの指定が正しくありません"),
    (["check", "--db", "{tmp}/text.db"], "データベースを開けません（file is not a database）"),
    (["check", "--db", "{tmp}"], "データベースのパスがフォルダです"),
    (["init", "--db", "foo://bar"], "この種類のデータベースには対応していません"),
    (["frobnicate"], "コマンドの指定が正しくありません"),
])
def test_bad_input_exits_2_with_one_japanese_line(tmp_path: Path, demo_db: Path, capsys: pytest.CaptureFixture[str],
                                                  args: list[str], expect: str) -> None:
    (tmp_path / "text.db").write_text("not a database", encoding="utf-8")
    code = exit_code([a.format(db=demo_db, tmp=tmp_path) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert expect in err and err.count("\n") == 1 and "Traceback" not in err


def exit_code(argv: list[str]) -> int:
    """main() returns the code; argparse's usage errors leave through SystemExit(2) instead."""
    try:
        return main(argv)
    except SystemExit as e:
        return int(e.code or 0)


@pytest.mark.parametrize(("mutate", "expect"), [
    (lambda d: d["categories"][0]["programs"][0].__setitem__("current", -1), "負の値"),
    (lambda d: d["categories"][0]["programs"][0]["line_items"][0].__setitem__("amount", 7.5), "整数"),
    (lambda d: d["meeting"].__setitem__("date", "2024-13-01"), "日付"),
])
def test_bad_json_writes_nothing(tmp_path: Path, demo_db: Path, capsys: pytest.CaptureFixture[str],
                                 budget_json: dict, mutate, expect: str) -> None:  # noqa: ANN001
    data = json.loads(json.dumps(budget_json))
    mutate(data)
    data["fiscal_year"], data["prior_fiscal_year"] = 2026, 2025
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "load-json", str(src), "--db", str(demo_db))
    assert code == 2 and expect in err and str(src) in err
    assert run(capsys, "dump-json", "--db", str(demo_db), "--fiscal-year", "2026")[0] == 2


def test_malformed_json_names_line_and_column(tmp_path: Path, demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "broken.json"
    src.write_text('{\n "format": "asahi-desk budget 1",\n "ward": \n}', encoding="utf-8")
    code, _, err = run(capsys, "load-json", str(src), "--db", str(demo_db))
    assert code == 2 and "4行" in err and "broken.json" in err


def test_unwritable_output_path(tmp_path: Path, demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/asahi-desk.json")  # root can write anywhere else
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "x.json"
    code, _, err = run(capsys, "dump-json", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(target))
    assert code == 2 and "書き込めません" in err


def test_subprocess_version_and_check(demo_db: Path) -> None:
    exe = [sys.executable, "-m", "asahi_desk"]
    version = subprocess.run([*exe, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"asahi-desk {__version__}"
    check = subprocess.run([*exe, "check", "--db", str(demo_db)], capture_output=True, text=True,
                           encoding="utf-8")
    assert check.returncode == 1 and check.stdout.count("DUPLICATE_TEXT") == 4
    bad = subprocess.run([*exe, "check", "--db", str(demo_db), "--fiscal-year", "2050"], capture_output=True,
                         text=True, encoding="utf-8")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.startswith("エラー:")


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_demo_is_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     review_json: dict) -> None:
    """A database that already holds the 2022 review refuses the demo whole: the 2024 budget is not added."""
    db = tmp_path / "b.db"
    review = tmp_path / "review.json"
    review.write_text(json.dumps(review_json, ensure_ascii=False), encoding="utf-8")
    assert run(capsys, "load-json", str(review), "--db", str(db))[0] == 0
    before = _sha(db)
    code, _, err = run(capsys, "init", "--db", str(db), "--demo")
    assert code == 2 and "振り返りは既にあります" in err
    assert _sha(db) == before
    assert run(capsys, "dump-json", "--db", str(db), "--fiscal-year", "2024")[0] == 2


def test_bad_input_leaves_no_new_database_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    db = tmp_path / "typo.db"
    assert run(capsys, "load-json", str(broken), "--db", str(db))[0] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json"]


def test_dump_json_of_a_review_year(demo_db: Path, capsys: pytest.CaptureFixture[str], review_json: dict) -> None:
    code, out, _ = run(capsys, "dump-json", "--db", str(demo_db), "--fiscal-year", "2022")
    assert code == 0 and json.loads(out) == review_json
    code, _, err = run(capsys, "dump-json", "--db", str(demo_db), "--fiscal-year", "2024", "--review")
    assert code == 2 and "振り返りがありません" in err


@pytest.mark.parametrize(("args", "expect"), [
    (["check"], "必須の指定がありません: --db"),
    (["check", "--db", "x.db", "--bogus"], "知らない指定です: --bogus"),
    (["check", "--db", "x.db", "--fiscal-year"], "--fiscal-year のあとに値が必要です"),
    (["nonsense"], "は選べません"),
])
def test_usage_errors_are_japanese(capsys: pytest.CaptureFixture[str], args: list[str], expect: str) -> None:
    with pytest.raises(SystemExit) as e:
        main(args)
    err = capsys.readouterr().err
    assert e.value.code == 2 and expect in err and err.count("\n") == 1
    assert "the following" not in err and "unrecognized" not in err and "invalid choice" not in err
