"""import-excel / export-excel: exit codes 0 imported, 1 decisions needed, 2 bad input; refused files change nothing."""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from asahi_desk.app import build_services
from asahi_desk.launcher import main
from tests.importers.broken import BROKEN
from tests.importers.pdf_layout import pdf_list
from tests.importers.workbooks import plain_table, ward_list


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def zeroed_db(tmp_path: Path, budget_json: dict, capsys: pytest.CaptureFixture[str]) -> Path:
    data = copy.deepcopy(budget_json)
    for c in data["categories"]:
        for p in c["programs"]:
            p["prior"] = 0
            p.pop("change")
    data.pop("summary")
    src = tmp_path / "zero.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "z.db"
    assert run(capsys, "load-json", str(src), "--db", str(db))[0] == 0
    return db


def test_import_excel_fills_the_seed_priors(zeroed_db: Path, tmp_path: Path, budget_json: dict,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    book = ward_list(budget_json, tmp_path / "r5.xlsx", extra_sheets=True)
    before = digest(zeroed_db)
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024", "--dry-run")
    assert code == 0 and "試行" in err and digest(zeroed_db) == before
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024")
    assert code == 0 and "27 事業に取り込みました" in err and "「事業別一覧表」シート（見出し 5行" in err
    code, out, _ = run(capsys, "dump-json", "--db", str(zeroed_db), "--fiscal-year", "2024")
    dumped = json.loads(out)
    assert [p["prior"] for c in dumped["categories"] for p in c["programs"]] == \
        [p["prior"] for c in budget_json["categories"] for p in c["programs"]]


def test_rows_needing_a_decision_exit_1_and_are_printed(zeroed_db: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    book = plain_table(tmp_path / "p.xlsx", [["ＤＶ対策事業", 909], ["廃止した事業", 10]], ["事業名", "令和５年度"])
    before = digest(zeroed_db)
    code, out, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024")
    assert code == 1 and digest(zeroed_db) == before
    assert out.strip() == "「Sheet1」シート 3行: 該当なし: 「廃止した事業」 10千円 — 今年度の事業に一致するものがありません"
    assert "--skip-unmatched" in err
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024",
                       "--skip-unmatched")
    assert code == 0 and "1 事業に取り込みました" in err


def test_bad_cells_exit_2_with_every_place(zeroed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = plain_table(tmp_path / "bad.xlsx", [["ＤＶ対策事業", "abc"], ["街の美化運動事業", "1,2x"], ["旭区広報事業", 5]],
                       ["事業名", "R5"], sheet="事業別一覧表")
    before = digest(zeroed_db)
    code, out, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024")
    assert code == 2 and digest(zeroed_db) == before
    assert out.splitlines()[0] == "「事業別一覧表」シート 2行 B列: 金額が数値ではありません（「abc」）"
    assert len(out.splitlines()) == 2 and "Traceback" not in err


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_refused_files_leave_the_database_byte_for_byte(demo_db: Path, tmp_path: Path, kind: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    make, message = BROKEN[kind]
    book = make(tmp_path / f"{kind}.xlsx")
    build_services(demo_db).close()  # the first open switches the shipped file to WAL: settle it before hashing
    before = digest(demo_db)
    code, out, err = run(capsys, "import-excel", str(book), "--db", str(demo_db), "--fiscal-year", "2024")
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert digest(demo_db) == before


def test_unknown_sheet_and_year_are_bad_input(demo_db: Path, tmp_path: Path, budget_json: dict,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    book = ward_list(budget_json, tmp_path / "r6.xlsx")
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(demo_db), "--fiscal-year", "2024", "--sheet", "なし")
    assert code == 2 and "「なし」シートがありません" in err
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(demo_db), "--fiscal-year", "2030")
    assert code == 2 and "令和12年度（2030年度）のデータがありません" in err


def test_export_then_import_into_an_empty_database(demo_db: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "r6.xlsx"
    code, _, err = run(capsys, "export-excel", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(out_file))
    assert code == 0 and out_file.exists()
    empty = tmp_path / "new.db"
    # no restore unless asked: the message names the two ways that work on this file, and both do
    code, _, err = run(capsys, "import-excel", str(out_file), "--db", str(empty), "--fiscal-year", "2024")
    assert code == 2 and "（--restore）" in err and "（--create-prior）" in err and not empty.exists()
    code, _, err = run(capsys, "import-excel", str(out_file), "--db", str(empty), "--fiscal-year", "2024", "--restore")
    assert code == 0 and "復元しました" in err
    assert "令和6年度（2024年度）を Excel の詳細シートからまるごと作成します（施策 7・事業 27・細事業 94" in err
    a = run(capsys, "dump-json", "--db", str(demo_db), "--fiscal-year", "2024", "--with-ids")[1]
    b = run(capsys, "dump-json", "--db", str(empty), "--fiscal-year", "2024", "--with-ids")[1]
    assert json.loads(a) == json.loads(b)
    code, _, err = run(capsys, "import-excel", str(out_file), "--db", str(empty), "--fiscal-year", "2024", "--restore")
    assert code == 2 and "既にあります" in err and "--restore を外してください" in err
    other = tmp_path / "other.db"
    code, _, err = run(capsys, "import-excel", str(out_file), "--db", str(other), "--fiscal-year", "2024",
                       "--create-prior")
    assert code == 0 and "令和5年度（2023年度）を Excel から作成し、令和6年度（2024年度）を繰り越しで作成しました" in err


def test_export_to_a_missing_folder_is_bad_input(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export-excel", "--db", str(demo_db), "--fiscal-year", "2024",
                       "--out", str(tmp_path / "no" / "x.xlsx"))
    assert code == 2 and "出力先のフォルダがありません" in err


def test_cli_start_does_not_load_openpyxl() -> None:
    code = ("import sys; from asahi_desk.cli.main import build_parser; from asahi_desk.app import Services; "
            "build_parser(); print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_create_prior_from_the_cli(zeroed_db: Path, tmp_path: Path, budget_json: dict,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    book = ward_list(budget_json, tmp_path / "r5.xlsx")
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024",
                       "--create-prior")
    assert code == 0 and "令和5年度（2023年度）の事業を作成しました" in err
    code, out, _ = run(capsys, "dump-json", "--db", str(zeroed_db), "--fiscal-year", "2023")
    prior = json.loads(out)
    assert [p["current"] for c in prior["categories"] for p in c["programs"]] == \
        [p["prior"] for c in budget_json["categories"] for p in c["programs"]]


def test_negative_prior_exits_2_naming_the_place(zeroed_db: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    book = plain_table(tmp_path / "neg.xlsx", [["ＤＶ対策事業", "▲300"], ["旭区広報事業", 3615]], ["事業名", "R5"])
    before = digest(zeroed_db)
    code, out, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024")
    assert code == 2 and digest(zeroed_db) == before
    assert out.splitlines() == ["「Sheet1」シート 2行 B列: 負の金額は取り込めません（「▲300」）。予算額・前年度額は0以上です"
                                "（増▲減の列なら列の対応を直してください）"]
    # the final line names the file and the first bad place, not only a count
    assert err.splitlines()[-1] == (f"エラー: {book}: 「Sheet1」シート 2行 B列: 負の金額は取り込めません（「▲300」）。"
                                    "予算額・前年度額は0以上です（増▲減の列なら列の対応を直してください）（何も書き込んでいません）")
    assert "Traceback" not in err


def test_several_bad_cells_name_the_first_and_count_the_others(zeroed_db: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    book = plain_table(tmp_path / "neg.xlsx", [["ＤＶ対策事業", "▲300"], ["旭区広報事業", "▲5"]], ["事業名", "R5"])
    code, out, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024")
    assert code == 2 and len(out.splitlines()) == 2
    last = err.splitlines()[-1]
    assert last.startswith(f"エラー: {book}: 「Sheet1」シート 2行 B列: 負の金額は取り込めません（「▲300」）")
    assert last.endswith(" ほか 1 件（何も書き込んでいません）")


@pytest.mark.parametrize("kind", ["bad_cells", "broken"])
def test_refused_import_leaves_no_new_database_behind(tmp_path: Path, kind: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    if kind == "bad_cells":
        book = plain_table(tmp_path / "bad.xlsx", [["ＤＶ対策事業", "Infinity"]], ["事業名", "R6"])
    else:
        book = BROKEN["billion_laughs"][0](tmp_path / "bomb.xlsx")
    db = tmp_path / "new_empty.db"
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--create-prior")
    assert code == 2 and "Traceback" not in err
    assert not db.exists() and not list(tmp_path.glob("new_empty.db*"))


def test_last_years_workbook_into_an_empty_database(tmp_path: Path, budget_json: dict,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """issue 6.4 by the CLI: r6.xlsx into an empty database for 2025 creates 2024 and rolls it over."""
    book = ward_list(budget_json, tmp_path / "r6.xlsx")
    db = tmp_path / "empty.db"
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2025")
    assert code == 2 and "（--create-prior）を選んでください" in err and not db.exists()
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--create-prior")
    assert code == 0, err
    assert "令和6年度（2024年度）を Excel から作成し、令和7年度（2025年度）を繰り越しで作成しました" in err
    prior = json.loads(run(capsys, "dump-json", "--db", str(db), "--fiscal-year", "2024")[1])
    new = json.loads(run(capsys, "dump-json", "--db", str(db), "--fiscal-year", "2025")[1])
    seed = [(p["name"], p["current"], p["prior"]) for c in budget_json["categories"] for p in c["programs"]]
    assert [(p["name"], p["current"], p["prior"]) for c in prior["categories"] for p in c["programs"]] == seed
    assert [(p["name"], p["prior"]) for c in new["categories"] for p in c["programs"]] == [(n, cur) for n, cur, _ in seed]
    assert [c["name"] for c in prior["categories"]] == [c["name"] for c in budget_json["categories"]]


def test_pdf_list_prints_the_totals_and_fills_every_prior(tmp_path: Path, budget_json: dict,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.db"
    book = pdf_list(budget_json, tmp_path / "p.xlsx", "rephead")
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--create-prior")
    assert code == 0, err
    assert "合計: 読んだ金額の合計 877,287千円（27 行）" in err
    assert "合計: 「事業別一覧表」シート 33行「合計」48,626千円 = 読んだ行（31〜32行）の合計 48,626千円" in err
    services = build_services(db)
    try:
        assert {p.name: p.prior for p in services.budgets.get(2025).programs()} == {
            p["name"]: p["current"] for c in budget_json["categories"] for p in c["programs"]}
    finally:
        services.close()


def test_total_mismatch_exits_1_naming_the_difference(tmp_path: Path, budget_json: dict,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.db"
    assert run(capsys, "init", "--db", str(db))[0] == 0
    before = digest(db)
    book = pdf_list(budget_json, tmp_path / "p.xlsx", "lost")
    code, out, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--create-prior")
    assert code == 1
    assert "31行: 「合計」の 48,626千円 と、読んだ行（29行）の合計 24,195千円 が合いません（差 24,431千円）" in out
    assert "--accept-totals" in err and digest(db) == before
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--create-prior",
                       "--accept-totals")
    assert code == 0, err


def test_skip_unmatched_lists_the_rows_it_skips(zeroed_db: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    book = plain_table(tmp_path / "u.xlsx", [["ＤＶ対策事業", 909], ["幻の事業", 5]], ["事業名", "５年度予算"])
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(zeroed_db), "--fiscal-year", "2024",
                       "--skip-unmatched")
    assert code == 0, err
    assert "読み飛ばし（--skip-unmatched）: 「Sheet1」シート 3行: 該当なし: 「幻の事業」 5千円" in err


def _priors(db: Path, year: int) -> dict[str, int]:
    services = build_services(db)
    try:
        return {p.name: p.prior for p in services.budgets.get(year).programs()}
    finally:
        services.close()


def test_own_export_into_the_existing_year_fills_priors_as_the_wizard(demo_db: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """issue 13.9: export-excel of 2024 imported into the existing 2024 fills 2024's prior amounts from its
    前年度額 column (no restore unless --restore); without --fiscal-year the workbook's labels choose 2024."""
    book = tmp_path / "r6.xlsx"
    assert run(capsys, "export-excel", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(book))[0] == 0
    expected = _priors(demo_db, 2024)
    services = build_services(demo_db)
    try:  # zero the priors so the import visibly fills them
        data = services.budgets.dump(2024, with_ids=True)
        for c in data["categories"]:
            for p in c["programs"]:
                p["prior"] = 0
                p.pop("change", None)
        data.pop("summary", None)
        services.budgets.load_data(data, replace=True)
    finally:
        services.close()
    assert set(_priors(demo_db, 2024).values()) == {0}
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(demo_db))
    assert code == 0, err
    assert "ブックの年度ラベルから令和6年度（2024年度）を対象にします" in err
    assert "令和6年度（2024年度）の前年度額を 27 事業に取り込みました" in err
    assert _priors(demo_db, 2024) == expected
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(demo_db), "--fiscal-year", "2024", "--restore")
    assert code == 2 and "既にあります（復元は、その年度がないときだけできます）" in err


@pytest.mark.parametrize("year", ["2023", "2025", "2026"])
def test_every_suggested_flag_works_on_that_file(demo_db: Path, tmp_path: Path, year: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A refusal for a year that is not there suggests only what then works: each suggested command line
    is run on the same file (in an empty database and in the demo's)."""
    import re
    import shutil

    book = tmp_path / "r6.xlsx"
    assert run(capsys, "export-excel", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(book))[0] == 0
    for n, source in enumerate((None, demo_db)):
        db = tmp_path / f"t{n}.db"
        if source is not None:
            shutil.copy(source, db)
        code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", year)
        assert code == 2 and "のデータがありません" in err
        tried = 0
        for flag in ("--create-prior", "--restore"):
            if f"（{flag}）" in err:
                trial = tmp_path / f"trial{n}{flag}.db"
                if source is not None:
                    shutil.copy(source, trial)
                code, _, e2 = run(capsys, "import-excel", str(book), "--db", str(trial), "--fiscal-year", year, flag)
                assert code == 0, e2
                tried += 1
        for other in re.findall(r"（--fiscal-year (\d{4})((?: --[a-z-]+)*)）", err):
            trial = tmp_path / f"trial{n}-{other[0]}.db"
            if source is not None:
                shutil.copy(source, trial)
            code, _, e2 = run(capsys, "import-excel", str(book), "--db", str(trial), "--fiscal-year", other[0],
                              *other[1].split())
            assert code == 0, e2
            tried += 1
        if "new-year --from" in err:
            assert run(capsys, "new-year", "--db", str(db), "--from", str(int(year) - 1))[0] == 0
            code, _, e2 = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", year)
            assert code == 0, e2
            tried += 1
        assert tried, err


def test_restore_into_the_next_year_creates_both(demo_db: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "r6.xlsx"
    assert run(capsys, "export-excel", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(book))[0] == 0
    db = tmp_path / "e.db"
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--restore",
                       "--dry-run")
    assert code == 0 and "試行" in err and "令和7年度（2025年度）を令和6年度から繰り越し（新年度作成）で作成します" in err
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2025", "--restore")
    assert code == 0, err
    assert "令和6年度（2024年度）を Excel の詳細シートから復元し、令和7年度（2025年度）を繰り越しで作成しました" in err
    assert _priors(db, 2025) == {n: cur for n, cur in ((p.name, p.current) for p in _budget(demo_db, 2024).programs())}
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(tmp_path / "f.db"), "--fiscal-year", "2027",
                       "--restore")
    assert code == 2 and "--fiscal-year 2025 --restore" in err


def _budget(db: Path, year: int):  # type: ignore[no-untyped-def]
    services = build_services(db)
    try:
        return services.budgets.get(year)
    finally:
        services.close()


def test_edited_list_sheet_refuses_the_restore_and_its_suggestion_works(demo_db: Path, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import re

    import openpyxl

    book = tmp_path / "r6.xlsx"
    assert run(capsys, "export-excel", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(book))[0] == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["事業別一覧表"]
    row = next(r for r in ws.iter_rows(min_row=1) if r[2].value == "ＤＶ対策事業")
    row[3].value = 1000  # the clerk edited 2024's amount in the list (the detail sheets say 906)
    wb.save(book)
    db = tmp_path / "e.db"
    code, out, err = run(capsys, "import-excel", str(book), "--db", str(db), "--fiscal-year", "2024", "--restore")
    assert code == 2 and "予算額が 1,000千円ですが、詳細シートでは 906千円です" in out
    suggested = re.search(r"（(--fiscal-year \d{4} --sheet \S+ --create-prior)、", out)
    assert suggested is not None, out
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), *suggested.group(1).split())
    # the list's 合計 row still says the old sum: that refusal suggests --accept-totals, which works
    assert code == 1 and "合計行が誤りなら --accept-totals で取り込めます" in err and not db.exists()
    code, _, err = run(capsys, "import-excel", str(book), "--db", str(db), *suggested.group(1).split(), "--accept-totals")
    assert code == 0, err
    assert _priors(db, 2025)["ＤＶ対策事業"] == 1000
