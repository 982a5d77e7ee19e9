"""inquiry export / import on real workbooks: layout, answers edited with openpyxl (and re-saved by
LibreOffice), the three-state merge, conflicts, deletions, other 課's rows, other years, broken files."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from asahi_desk.app import build_services
from asahi_desk.domain import inquiry as iq
from asahi_desk.domain.errors import AsahiError
from asahi_desk.launcher import main
from tests.importers.broken import BROKEN

SECTION = "総務課"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def program(db: Path, name: str):  # noqa: ANN201 - a domain Program
    s = build_services(db)
    try:
        return next(p for p in s.budgets.get(2024).programs() if p.name == name)
    finally:
        s.close()


def item(db: Path, program_name: str, item_name: str):  # noqa: ANN201 - a domain LineItem
    return next(li for li in program(db, program_name).line_items if li.name == item_name)


@pytest.fixture
def book(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "soumu.xlsx"
    code, _, err = run(capsys, "inquiry", "export", "--db", str(demo_db), "--fiscal-year", "2024",
                       "--section", SECTION, "--out", str(out))
    assert code == 0, err
    return out


def row_of(ws, column: int, value: object) -> int:  # noqa: ANN001 - an openpyxl sheet
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, column).value == value:
            return r
    raise AssertionError(f"{value} not found")


def edit(path: Path, changes: dict[str, dict[tuple[int | str, int], object]]) -> None:
    """changes: sheet -> {(row or the 細事業名/事業名 to find in column D/B, column): value}."""
    wb = openpyxl.load_workbook(path)
    for sheet, cells in changes.items():
        ws = wb[sheet]
        for (where, col), value in cells.items():
            r = where if isinstance(where, int) else row_of(ws, 4 if sheet == iq.ITEMS_SHEET else 2, where)
            ws.cell(r, col).value = value
    wb.save(path)


def first_blank_item_row(path: Path) -> int:
    ws = openpyxl.load_workbook(path)[iq.ITEMS_SHEET]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value is None)


def test_layout_sheets_labels_protection_validation_print(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [iq.PROGRAMS_SHEET, iq.ITEMS_SHEET, iq.INDICATORS_SHEET, iq.HOWTO_SHEET, iq.BASE_SHEET]
    assert [c.value for c in wb["事業"][1]] == ["事業コード", "事業名", "目的"]
    assert [c.value for c in wb["細事業"][1]] == ["事業コード", "事業名", "細事業番号", "細事業名", "金額（千円）", "記号",
                                                 "主な活動"]
    assert [c.value for c in wb["事業指標"][1]] == ["事業コード", "指標", "目標", "単位", "実績"]
    assert wb[iq.BASE_SHEET].sheet_state == "hidden"
    ws = wb["細事業"]
    r = row_of(ws, 4, "防災訓練事業")
    assert ws.cell(r, 5).value == 725
    assert "\n" in ws.cell(r, 7).value  # one activity a line
    assert ws.protection.sheet and not ws.protection.password
    assert ws.cell(r, 1).protection.locked and ws.cell(r, 3).protection.locked
    assert not any(ws.cell(r, c).protection.locked for c in (4, 5, 6, 7))
    assert ws.cell(r, 7).alignment.wrap_text
    amount_rule = next(dv for dv in ws.data_validations.dataValidation if dv.type == "whole")
    assert amount_rule.operator == "greaterThanOrEqual" and amount_rule.formula1 == "0"
    assert f"E{r}" in amount_rule.sqref
    for sheet in (iq.PROGRAMS_SHEET, iq.ITEMS_SHEET, iq.INDICATORS_SHEET):
        assert wb[sheet].page_setup.orientation == "landscape"
        assert str(wb[sheet].page_setup.paperSize) == "9"  # A4
    names = {c.value for c in wb["事業"]["B"][1:]}
    assert "災害に強い区づくり事業" in names and "ＤＶ対策事業" not in names  # only 総務課's programs


def test_all_writes_one_book_per_section_and_shared_programs_go_to_each(demo_db: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "inquiry", "export", "--db", str(demo_db), "--fiscal-year", "2024", "--all",
                       "--out", str(tmp_path / "books"))
    assert code == 0
    files = sorted((tmp_path / "books").glob("*.xlsx"))
    assert len(files) == 8 and len(out.splitlines()) == 8
    having = [f.name for f in files
              if "災害に強い区づくり事業" in {c.value for c in openpyxl.load_workbook(f)["事業"]["B"]}]
    assert sorted(having) == sorted(f"照会票_2024_{s}.xlsx" for s in ("総務課", "福祉保健課", "高齢・障害支援課"))


def test_export_unknown_section_is_refused(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "inquiry", "export", "--db", str(demo_db), "--fiscal-year", "2024",
                       "--section", "財政課", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and "財政課" in err and not (tmp_path / "x.xlsx").exists()


def test_answer_edited_with_openpyxl_is_applied(demo_db: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = program(demo_db, "災害に強い区づくり事業")
    blank = first_blank_item_row(book)
    edit(book, {iq.ITEMS_SHEET: {("防災訓練事業", 5): 800, ("防災訓練事業", 7): "訓練A\n訓練B",
                                 (blank, 1): "Ⅰ-1", (blank, 2): "災害に強い区づくり事業", (blank, 4): "避難所開設訓練",
                                 (blank, 5): 120, (blank, 6): "新"},
                iq.PROGRAMS_SHEET: {("災害に強い区づくり事業", 3): "新しい目的"}})
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--dry-run")
    assert code == 0, err
    assert "防災訓練事業 の金額: 725 → 800" in out and "追加: 災害に強い区づくり事業 ／ 避難所開設訓練" in out
    assert item(demo_db, "災害に強い区づくり事業", "防災訓練事業").amount == 725  # dry run: nothing written
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 0, err
    assert "変更 3 件、追加 1 件" in err and "書き込みました" in err
    after = program(demo_db, "災害に強い区づくり事業")
    assert after.purpose == "新しい目的"
    li = item(demo_db, "災害に強い区づくり事業", "防災訓練事業")
    assert li.amount == 800 and li.activities == ("訓練A", "訓練B")
    added = item(demo_db, "災害に強い区づくり事業", "避難所開設訓練")
    assert added.amount == 120 and added.marker == "新" and added.number == len(after.line_items)
    assert after.current == before.current + 75 + 120 == sum(x.amount for x in after.line_items)


def test_central_change_is_kept_and_conflict_needs_a_decision(demo_db: Path, book: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    s = build_services(demo_db)
    try:
        li = item(demo_db, "災害に強い区づくり事業", "防災訓練事業")
        s.editing.update_line_item(li.id, amount=900)  # the budget section changes it after the export
        other = item(demo_db, "災害に強い区づくり事業", "防災活動事業")
        s.editing.update_line_item(other.id, amount=9000)
    finally:
        s.close()
    edit(book, {iq.ITEMS_SHEET: {("防災訓練事業", 5): 800, ("防災活動事業", 6): "新"}})
    before = digest(demo_db)
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 1
    assert "競合: 災害に強い区づくり事業 ／ 防災訓練事業 の金額: 照会時 725／現在 900／回答 800" in out
    assert "何も書き込んでいません" in err and digest(demo_db) == before
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--prefer", "database")
    assert code == 0, err
    assert item(demo_db, "災害に強い区づくり事業", "防災訓練事業").amount == 900
    activity = item(demo_db, "災害に強い区づくり事業", "防災活動事業")
    assert activity.amount == 9000 and activity.marker == "新"  # central amount kept, the answer's marker applied
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--prefer", "answer")
    assert code == 0, err
    assert item(demo_db, "災害に強い区づくり事業", "防災訓練事業").amount == 800


def test_deletion_is_listed_then_accepted(demo_db: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(book, {iq.ITEMS_SHEET: {("防災訓練事業", 4): None}})
    before = digest(demo_db)
    code, out, _ = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 1 and "削除: 災害に強い区づくり事業 ／ 防災訓練事業" in out and digest(demo_db) == before
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--accept-deletions")
    assert code == 0, err
    p = program(demo_db, "災害に強い区づくり事業")
    assert "防災訓練事業" not in [li.name for li in p.line_items]
    assert [li.number for li in p.line_items] == list(range(1, len(p.line_items) + 1))
    assert p.current == sum(li.amount for li in p.line_items)


def test_row_of_another_sections_program_is_refused_with_its_place(demo_db: Path, book: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    blank = first_blank_item_row(book)
    edit(book, {iq.ITEMS_SHEET: {(blank, 1): "Ⅰ-3", (blank, 2): "ＤＶ対策事業", (blank, 4): "追加", (blank, 5): 1},
                iq.PROGRAMS_SHEET: {("災害に強い区づくり事業", 3): "変更"}})
    before = digest(demo_db)
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 2
    assert f"「細事業」シート {blank}行" in out and "ＤＶ対策事業」は総務課の事業ではありません" in out
    assert "何も書き込んでいません" in err and digest(demo_db) == before


def test_workbook_of_another_fiscal_year_is_refused(demo_db: Path, book: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb[iq.BASE_SHEET]
    ws["B2"] = 2023
    wb.save(book)
    code, _, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 2 and "令和5年度（2023年度）のもの" in err
    code, _, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--fiscal-year", "2024")
    assert code == 2 and "2023" in err


def test_hidden_sheet_gone_matches_by_code_and_names(demo_db: Path, book: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.load_workbook(book)
    del wb[iq.BASE_SHEET]
    wb["細事業"].cell(row_of(wb["細事業"], 4, "防災訓練事業"), 5).value = 801
    wb.save(book)
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 0, err
    assert "照会情報シートがない" in err and "725 → 801" in out
    assert item(demo_db, "災害に強い区づくり事業", "防災訓練事業").amount == 801


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_or_hostile_file_exits_2_and_writes_nothing(kind: str, demo_db: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    make, message = BROKEN[kind]
    bad = make(tmp_path / f"{kind}.xlsx")
    build_services(demo_db).close()  # the first open sets the journal mode in the file's header
    before = digest(demo_db)
    code, _, err = run(capsys, "inquiry", "import", str(bad), "--db", str(demo_db))
    assert code == 2 and err.startswith("エラー: ") and "Traceback" not in err
    # a huge sheet that is not named like an inquiry sheet is refused as not an inquiry workbook first
    assert message in err or (kind == "huge_dimension" and "照会票ではありません" in err)
    assert digest(demo_db) == before


def test_not_a_number_in_amount_names_cell(demo_db: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(book, {iq.ITEMS_SHEET: {("防災訓練事業", 5): "たくさん"}})
    code, _, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    r = row_of(openpyxl.load_workbook(book)[iq.ITEMS_SHEET], 4, "防災訓練事業")
    assert code == 2 and f"「細事業」シート {r}行 E列" in err


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
def test_answer_resaved_by_libreoffice_is_applied(demo_db: Path, book: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    edit(book, {iq.ITEMS_SHEET: {("防災訓練事業", 5): 777, ("防災訓練事業", 7): "一つ目\n二つ目"}})
    outdir = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "xlsx", "--outdir", str(outdir), str(book)],
                   check=True, capture_output=True, timeout=180)
    resaved = outdir / book.name
    assert resaved.exists() and digest(resaved) != digest(book)
    code, out, err = run(capsys, "inquiry", "import", str(resaved), "--db", str(demo_db))
    assert code == 0, err
    li = item(demo_db, "災害に強い区づくり事業", "防災訓練事業")
    assert li.amount == 777 and li.activities == ("一つ目", "二つ目")
    assert "変更 2 件" in err


def test_indicators_changed_added_and_deleted(demo_db: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = program(demo_db, "災害に強い区づくり事業").indicators
    assert len(before) >= 2
    wb = openpyxl.load_workbook(book)
    ws = wb[iq.INDICATORS_SHEET]
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "Ⅰ-1"]
    ws.cell(rows[0], 3).value = "99"  # 目標 of the first
    ws.cell(rows[1], 2).value = None  # the second emptied: a deletion
    blank = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value is None)
    ws.cell(blank, 1).value, ws.cell(blank, 2).value, ws.cell(blank, 3).value = "Ⅰ-1", "新しい指標", "5"
    wb.save(book)
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--accept-deletions")
    assert code == 0, err
    assert f"{before[0].name} の目標: {before[0].target} → 99" in out
    assert f"削除: 災害に強い区づくり事業 ／ {before[1].name}" in out and "追加: 災害に強い区づくり事業 ／ 新しい指標" in out
    after = program(demo_db, "災害に強い区づくり事業").indicators
    assert after[0].target == "99" and before[1].name not in [i.name for i in after]
    assert after[-1].name == "新しい指標" and len(after) == len(before)


def test_two_sections_answering_a_shared_program_differently_conflict(demo_db: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    books = []
    for section, purpose in (("総務課", "総務課の目的"), ("福祉保健課", "福祉保健課の目的")):
        out = tmp_path / f"{section}.xlsx"
        assert run(capsys, "inquiry", "export", "--db", str(demo_db), "--fiscal-year", "2024", "--section", section,
                   "--out", str(out))[0] == 0
        edit(out, {iq.PROGRAMS_SHEET: {("災害に強い区づくり事業", 3): purpose}})
        books.append(str(out))
    code, out, _ = run(capsys, "inquiry", "import", *books, "--db", str(demo_db))
    assert code == 1
    assert "競合: 災害に強い区づくり事業 の目的" in out and "回答 福祉保健課の目的" in out
    code, _, err = run(capsys, "inquiry", "import", *books, "--db", str(demo_db), "--prefer", "database")
    assert code == 0, err
    assert program(demo_db, "災害に強い区づくり事業").purpose == "総務課の目的"  # the first file's answer stands


def test_import_is_recorded_in_the_history_with_the_section_as_source_and_can_be_undone(
        demo_db: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(book, {iq.ITEMS_SHEET: {("防災訓練事業", 5): 800}})
    s = build_services(demo_db)
    try:
        result = s.inquiry.import_answers([book])
        assert result.written and result.operation is not None
        lines = [h for h in s.history.entries(fiscal_year=2024) if h.operation_id == result.operation.operation_id]
        assert {(h.source, h.item_name, h.field, h.old, h.new) for h in lines if h.table == "line_item"} == {
            ("総務課", "防災訓練事業", "amount", 725, 800)}
        assert lines[0].label == "照会回答の取込（総務課）"
        s.editing.undo(result.operation.undo)
        assert item(demo_db, "災害に強い区づくり事業", "防災訓練事業").amount == 725
    finally:
        s.close()
    code, out, _ = run(capsys, "history", "--db", str(demo_db), "--fiscal-year", "2024")
    assert code == 0 and "（総務課）" in out


def test_a_form_opened_before_the_import_cannot_write_over_it(demo_db: Path, book: Path) -> None:
    """Two clerks: B's form shows 防災訓練事業 before the import; after the import B's save states the version B saw
    and is refused, naming the change, instead of silently writing over the 課's answer."""
    s = build_services(demo_db)
    try:
        li = item(demo_db, "災害に強い区づくり事業", "防災訓練事業")
        seen = s.editing.line_item(li.id).version
        edit(book, {iq.ITEMS_SHEET: {("防災訓練事業", 5): 800}})
        assert s.inquiry.import_answers([book]).written
        with pytest.raises(AsahiError, match="防災訓練事業の金額は .* 800 に変更しています"):
            s.editing.update_line_item(li.id, amount=600, version=seen)
        assert item(demo_db, "災害に強い区づくり事業", "防災訓練事業").amount == 800
    finally:
        s.close()


def delete_centrally(db: Path, program_name: str, item_name: str) -> None:
    s = build_services(db)
    try:
        s.editing.delete_line_item(item(db, program_name, item_name).id)
    finally:
        s.close()


def test_item_deleted_centrally_and_unchanged_in_the_answer_stays_deleted(demo_db: Path, book: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    delete_centrally(demo_db, "災害に強い区づくり事業", "防災活動事業")
    edit(book, {iq.ITEMS_SHEET: {("防災訓練事業", 5): 800}})  # the answer leaves 防災活動事業 as exported
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 0, err
    assert "競合" not in out and "--prefer" not in err and "--accept-deletions" not in err
    assert "維持: 災害に強い区づくり事業 ／ 防災活動事業 は照会後に削除済みです" in out
    assert "変更 1 件" in err and "照会後の削除を維持 1 件" in err and "書き込みました" in err
    p = program(demo_db, "災害に強い区づくり事業")
    assert "防災活動事業" not in [li.name for li in p.line_items]
    assert item(demo_db, "災害に強い区づくり事業", "防災訓練事業").amount == 800
    assert p.current == sum(li.amount for li in p.line_items)


def test_item_deleted_centrally_and_changed_in_the_answer_is_a_conflict_each_preference_decides(
        demo_db: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = item(demo_db, "災害に強い区づくり事業", "防災活動事業")
    delete_centrally(demo_db, "災害に強い区づくり事業", "防災活動事業")
    edit(book, {iq.ITEMS_SHEET: {("防災活動事業", 5): exported.amount + 100}})
    before = digest(demo_db)
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 1 and digest(demo_db) == before
    assert (f"競合: 災害に強い区づくり事業 ／ 防災活動事業 の金額: 照会時 {exported.amount:,}／現在 （照会後に削除済み）／"
            f"回答 {exported.amount + 100:,}") in out
    assert "--prefer" in err and "--accept-deletions" not in err  # only the flag that decides it is suggested
    code, _, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--accept-deletions")
    assert code == 1 and digest(demo_db) == before  # not a deletion to accept: still undecided

    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--prefer", "database",
                         "--dry-run")
    assert code == 0, err
    assert "→ データベースを採用" in out
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--prefer", "answer")
    assert code == 0, err
    assert "→ 回答を採用" in out and "追加: 災害に強い区づくり事業 ／ 防災活動事業" in out
    p = program(demo_db, "災害に強い区づくり事業")
    back = item(demo_db, "災害に強い区づくり事業", "防災活動事業")
    assert back.amount == exported.amount + 100 and back.activities == exported.activities
    assert back.number == exported.number  # back where it stood
    assert [li.number for li in p.line_items] == list(range(1, len(p.line_items) + 1))
    assert p.current == sum(li.amount for li in p.line_items)


def test_item_deleted_centrally_and_changed_in_the_answer_stays_deleted_with_prefer_database(
        demo_db: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    delete_centrally(demo_db, "災害に強い区づくり事業", "防災活動事業")
    edit(book, {iq.ITEMS_SHEET: {("防災活動事業", 6): "新"}})
    code, _, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--prefer", "database")
    assert code == 0, err
    assert "防災活動事業" not in [li.name for li in program(demo_db, "災害に強い区づくり事業").line_items]


def test_year_reloaded_without_uids_matches_by_code_and_names_with_the_exported_base(
        demo_db: Path, book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dumped = tmp_path / "year.json"
    assert run(capsys, "dump-json", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(dumped))[0] == 0
    assert run(capsys, "load-json", "--db", str(demo_db), "--replace", str(dumped))[0] == 0  # new uids everywhere
    s = build_services(demo_db)
    try:  # central changes after the reload: the base (as exported) tells them from the answer's
        s.editing.update_line_item(item(demo_db, "災害に強い区づくり事業", "防災訓練事業").id, amount=900)
    finally:
        s.close()
    delete_centrally(demo_db, "災害に強い区づくり事業", "防災講演会")  # No. 3: the later items move up a number
    r = row_of(openpyxl.load_workbook(book)[iq.ITEMS_SHEET], 4, "防災講演会")
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), "--dry-run")
    assert code == 0, err
    assert out.splitlines() == ["維持: 災害に強い区づくり事業 ／ 防災講演会 は照会後に削除済みです。回答では変わっていないため、"
                                f"削除のままにします（soumu.xlsx 「細事業」シート {r}行）"]
    assert "変更 0 件、追加 0 件、削除 0 件、競合 0 件、照会後の削除を維持 1 件" in err  # the unanswered workbook
    edit(book, {iq.ITEMS_SHEET: {("防災活動事業", 6): "新", ("防災訓練事業", 7): "訓練だけ"}})
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db))
    assert code == 0, err
    assert "競合" not in out and "変更 2 件" in err
    assert item(demo_db, "災害に強い区づくり事業", "防災活動事業").marker == "新"
    trained = item(demo_db, "災害に強い区づくり事業", "防災訓練事業")
    assert trained.amount == 900 and trained.activities == ("訓練だけ",)  # central amount kept, answer applied


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: would reorder the terminal line if echoed raw


def test_user_text_in_inquiry_lines_is_escaped(demo_db: Path, book: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    s = build_services(demo_db)
    try:
        s.editing.update_line_item(item(demo_db, "災害に強い区づくり事業", "防災訓練事業").id, amount=900)
    finally:
        s.close()
    hostile = book.with_name(f"soumu{RLO}kaitou.xlsx")  # a file name is user text too
    book.rename(hostile)
    edit(hostile, {iq.ITEMS_SHEET: {("防災訓練事業", 5): 800}})
    code, out, err = run(capsys, "inquiry", "import", str(hostile), "--db", str(demo_db), "--dry-run")
    assert code == 1, err
    assert "競合: 災害に強い区づくり事業 ／ 防災訓練事業 の金額" in out and "soumu\\u202ekaitou.xlsx" in out
    assert RLO not in out and RLO not in err


@pytest.mark.parametrize("dry_run", [True, False])
def test_control_characters_in_an_answer_are_refused_naming_file_sheet_row_and_column(
        dry_run: bool, demo_db: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = row_of(openpyxl.load_workbook(book)[iq.ITEMS_SHEET], 4, "防災訓練事業")
    edit(book, {iq.ITEMS_SHEET: {(r, 4): f"防災{RLO}訓練", (r, 5): 800},
                iq.PROGRAMS_SHEET: {("災害に強い区づくり事業", 3): "一行目\n二行目"}})  # a newline is fine in 目的
    build_services(demo_db).close()
    before = digest(demo_db)
    code, out, err = run(capsys, "inquiry", "import", str(book), "--db", str(demo_db), *(["--dry-run"] * dry_run))
    assert code == 2 and digest(demo_db) == before
    assert out.splitlines() == [f"soumu.xlsx 「細事業」シート {r}行 D列: 細事業名に制御文字（\\u202e）は使えません"
                                "（改行・タブも使えない項目です）"]
    assert "何も書き込んでいません" in err and RLO not in out + err and "Traceback" not in err
