"""review new and export-review on real files: exit codes, messages, what is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asahi_desk.launcher import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_review_new_from_an_earlier_year(tmp_path: Path, capsys: pytest.CaptureFixture[str], review_json: dict) -> None:
    db = str(tmp_path / "r.db")
    assert run(capsys, "init", "--db", db, "--demo")[0] == 0
    code, _, err = run(capsys, "review", "new", "--db", db, "--fiscal-year", "2023", "--from", "2022")
    assert code == 0 and "令和5年度（2023年度）の振り返りを" in err
    code, out, _ = run(capsys, "dump-json", "--db", db, "--fiscal-year", "2023", "--review")
    new = json.loads(out)
    assert code == 0 and new["fiscal_year"] == 2023
    assert review_json["title"].count("令和4年度") == 1 and new["title"] == review_json["title"].replace("令和4年度", "令和5年度")
    assert [a["name"] for a in new["areas"]] == [a["name"] for a in review_json["areas"]]
    rows = [r for a in new["areas"] for i in a["initiatives"] for r in i["rows"]]
    old_rows = [r for a in review_json["areas"] for i in a["initiatives"] for r in i["rows"]]
    assert [r["plan"] for r in rows] == [r["plan"] for r in old_rows]
    assert all(r["results"] == [] for r in rows)

    code, _, err = run(capsys, "review", "new", "--db", db, "--fiscal-year", "2023", "--from", "2022")
    assert code == 2 and err.strip() == "エラー: 令和5年度（2023年度）の振り返りは既にあります"
    code, _, err = run(capsys, "review", "new", "--db", db, "--fiscal-year", "2030", "--from", "2029")
    assert code == 2 and "令和11年度（2029年度）の振り返りがありません" in err


def test_check_of_a_review_only_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.db")
    assert run(capsys, "init", "--db", db, "--demo")[0] == 0
    code, out, err = run(capsys, "check", "--db", db, "--fiscal-year", "2022")
    assert code == 0 and "エラー 0 件" in err  # the 令和4年度 review: every row has its 振り返り
    assert run(capsys, "review", "new", "--db", db, "--fiscal-year", "2023", "--from", "2022")[0] == 0
    code, out, err = run(capsys, "check", "--db", db, "--fiscal-year", "2023")
    assert code == 0 and out.count("REVIEW_NO_RESULTS") == 22  # 令和5年度 has ended, its 振り返り are empty
