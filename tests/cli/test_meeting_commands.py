"""meeting add / list / set, and new-year's meeting template: exit 0, or 2 with one Japanese line and nothing written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from asahi_desk.app import build_services
from asahi_desk.launcher import main

AGENDA = [
    {"number": 1, "title": "座長挨拶"},
    {"number": 2, "title": "議題", "items": [
        {"title": "令和７年度 旭区個性ある区づくり推進費の執行計画について", "presenter": "副区長", "material": "資料1"}]},
    {"number": 3, "title": "その他"},
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as e:  # argparse's usage errors (exit 2), as the console script ends
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_add_then_list(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    agenda = tmp_path / "agenda.json"
    agenda.write_text(json.dumps(AGENDA, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "meeting", "add", "--db", str(demo_db), "--fiscal-year", "2024", "--title", "臨時会議",
                       "--date", "2024-09-03", "--time", "10:30", "--venue", "第１会議室", "--agenda", str(agenda))
    assert code == 0, err
    assert "令和6年度（2024年度）に会議を登録しました: ID 2: 臨時会議、2024-09-03（火） 10:30、第１会議室、次第 3 項目（資料1）" in err
    code, out, err = run(capsys, "meeting", "list", "--db", str(demo_db), "--fiscal-year", "2024")
    assert code == 0 and "会議 2 件" in err
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("令和6年度（2024年度）\tID 1: 令和６年第２回")
    assert lines[1] == "令和6年度（2024年度）\tID 2: 臨時会議、2024-09-03（火） 10:30、第１会議室、次第 3 項目（資料1）"
    dumped = json.loads(run(capsys, "dump-json", "--db", str(demo_db), "--fiscal-year", "2024")[1])
    assert dumped["meetings"][1]["agenda"] == AGENDA
    # a meeting object as dump-json writes it is accepted as the agenda file too
    whole = tmp_path / "meeting.json"
    whole.write_text(json.dumps(dumped["meetings"][0], ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "meeting", "set", "--db", str(demo_db), "--id", "2", "--agenda", str(whole))
    assert code == 0 and "次第 6 項目（資料1・資料2）" in err and "臨時会議" in err


@pytest.mark.parametrize(("args", "expected"), [
    (["--date", "2025-02-30"], "日付が正しくありません（2025-02-30）"),
    (["--date", "2025/06/10"], "日付が正しくありません（2025/06/10）"),
    (["--date", "2025-06-10", "--time", "25:00"], "時刻が正しくありません（25:00）"),
    (["--date", "2025-06-10", "--agenda", "BAD_JSON"], "JSON の書式が正しくありません（2行 1列: 区切りの , が必要です"),
    (["--date", "2025-06-10", "--agenda", "NO_TITLE"], "[1]: 必須の項目 title がありません"),
    (["--date", "2025-06-10", "--agenda", "MISSING"], "ファイルを読めません（ファイルまたはフォルダがありません）"),
    (["--date", "2025-06-10", "--fiscal-year", "2031"], "令和13年度"),
])
def test_bad_input_exits_2_with_one_japanese_line(demo_db: Path, tmp_path: Path, args: list[str], expected: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    files = {"BAD_JSON": '[{"number": 1, "title": "a"}\n{"number": 2}]', "NO_TITLE": '[{"number": 1, "title": "a"}, {"number": 2}]'}
    args = [str(tmp_path / f"{a}.json") if a in (*files, "MISSING") else a for a in args]
    for name, text in files.items():
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    if "--fiscal-year" not in args:
        args += ["--fiscal-year", "2024"]
    build_services(demo_db).close()  # opened for writing once (WAL mode set) before comparing
    before = digest(demo_db)
    code, out, err = run(capsys, "meeting", "add", "--db", str(demo_db), "--title", "会議", *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("エラー: ") and expected in err, err
    assert "Traceback" not in err and digest(demo_db) == before


def test_new_year_copies_the_meeting_so_the_handout_is_made_at_once(demo_db: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new-year", "--db", str(demo_db), "--from", "2024")
    assert code == 0 and "会議「令和７年第２回 区づくり推進横浜市会議員会議」（ID 2）を次第ごと複写しました" in err
    assert "meeting set --db" in err
    out = tmp_path / "r7.pdf"
    code, _, err = run(capsys, "export-pdf", "--db", str(demo_db), "--fiscal-year", "2025", "--out", str(out))
    assert code == 0, err
    first = PdfReader(out).pages[0].extract_text()
    assert "令和７年第２回" in first and "令和７年度" in first and "座長挨拶" in first
    code, _, err = run(capsys, "meeting", "set", "--db", str(demo_db), "--id", "2", "--title", "令和７年第１回 推進会議",
                       "--date", "2025-06-10")
    assert code == 0 and "ID 2: 令和７年第１回 推進会議、2025-06-10（火） 15:00、旭区役所新館２階大会議室、次第 6 項目" in err
    code, out_text, _ = run(capsys, "meeting", "list", "--db", str(demo_db))
    assert [line.split("\t")[0] for line in out_text.splitlines()] == ["令和6年度（2024年度）", "令和7年度（2025年度）"]


def test_meeting_help_is_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["meeting", "add", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for option in ("--db", "--fiscal-year", "--title", "--date", "--time", "--venue", "--agenda"):
        assert option in out
    assert "docs/agenda-json.md" in out and "開催日" in out
