"""The ward's list copied from the PDF (second audit): names merged left of 事業名, totals checked,
repeated headers and unit rows, 新規 in the older column, line items in 円 summed before rounding."""

from __future__ import annotations

from pathlib import Path

import pytest

from asahi_desk.importers.excel.headers import find_header, propose_mapping
from asahi_desk.importers.excel.layout import parse_rows
from asahi_desk.importers.excel.records import ParsedSheet
from asahi_desk.importers.excel.workbook import open_workbook
from tests.importers.pdf_layout import pdf_list, yen_items
from tests.importers.workbooks import plain_table


def _parse(path: Path, target_year: int = 2025, sheet: str | None = None) -> ParsedSheet:
    with open_workbook(path) as wb:
        name = sheet or wb.sheet_names()[0]
        header = find_header(wb.rows(name))
        assert header is not None
        mapping, _ = propose_mapping(header, target_year)
        return parse_rows(name, wb.rows(name), mapping)


def _seed(budget_json: dict) -> list[dict]:
    return [p for c in budget_json["categories"] for p in c["programs"]]


def test_names_merged_left_of_the_name_column_are_programs(budget_json: dict, tmp_path: Path) -> None:
    parsed = _parse(pdf_list(budget_json, tmp_path / "p.xlsx"))
    got = {r.name: r for r in parsed.records}
    assert len(parsed.records) == 27 and parsed.problems == []
    assert {p["name"]: p["current"] for p in _seed(budget_json)} == {n: r.amount for n, r in got.items()}
    assert {p["name"]: p["prior"] for p in _seed(budget_json)} == {n: r.earlier for n, r in got.items()}
    # 統合事務費 / 統合事業費 sit in B:D under the Ⅴ label of column A; 区庁舎… fills A:D on its own
    for name in ("統合事務費", "統合事業費"):
        assert (got[name].category.code, got[name].category.name) == ("Ⅴ", "統合事務事業費")  # type: ignore[union-attr]
        assert got[name].budget_class == "統合事務事業費"
    office = got["区庁舎・区民利用施設管理費"]
    assert (office.category.code, office.category.name) == (None, "区庁舎・区民利用施設管理費")  # type: ignore[union-attr]
    assert office.budget_class == "区庁舎・区民利用施設管理費"
    # Ⅵ after a 合計 and a blank row takes its own label, not 統合事業費 / the row above
    helpers = got["地域の担い手応援事業"]
    assert (helpers.category.code, helpers.category.name) == ("Ⅵ", "旭区で企画する主な区配事業")  # type: ignore[union-attr]
    # the PDF's line break inside a name is joined without a newline
    assert "地域のつながりづくりに向けた民生委員の活動支援事業" in got
    assert "認知症をみんなでささえるまちづくり事業" in got
    assert got["災害に強い区づくり事業"].sections == ("総務課", "福祉保健課", "高齢・障害支援課")


def test_minimal_merged_name_in_the_category_column(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事業別一覧表"
    ws["A1"] = "令和６年度 事業別一覧表"
    ws["E2"] = "（単位：千円）"
    for col, label in enumerate((None, "No.", "事業名", "６年度予算", "５年度予算"), start=1):
        ws.cell(3, col, label)
    for col, v in enumerate(("Ⅰ 安全・安心", 1, "災害に強い区づくり事業", 11922, 12321), start=1):
        ws.cell(4, col, v)
    ws.cell(5, 1, "区庁舎・区民利用施設管理費")
    ws.merge_cells("A5:C5")
    ws.cell(5, 4, 725152)
    ws.cell(5, 5, 695859)
    wb.save(tmp_path / "m.xlsx")
    parsed = _parse(tmp_path / "m.xlsx")
    assert [(r.name, r.amount) for r in parsed.records] == [("災害に強い区づくり事業", 11922),
                                                            ("区庁舎・区民利用施設管理費", 725152)]
    assert parsed.records[1].category.code is None  # type: ignore[union-attr]  # not under Ⅰ
    assert not any("合計行とみなしました" in n for n in parsed.notes)


def test_totals_are_checked_against_the_rows_read(budget_json: dict, tmp_path: Path) -> None:
    parsed = _parse(pdf_list(budget_json, tmp_path / "p.xlsx"))
    assert [(t.figure, t.read, t.ok) for t in parsed.totals] == [(102924, 102924, True), (48626, 48626, True)]
    assert parsed.read_total == sum(p["current"] for p in _seed(budget_json)) == 877287


def test_a_row_whose_name_is_lost_disagrees_with_the_total(budget_json: dict, tmp_path: Path) -> None:
    parsed = _parse(pdf_list(budget_json, tmp_path / "p.xlsx", "lost"))
    assert len(parsed.records) == 26
    bad = parsed.mismatches()
    assert [(t.figure, t.read) for t in bad] == [(24431, 24195), (48626, 24195)]
    assert "差 24,431千円" in bad[1].line("事業別一覧表")


@pytest.mark.parametrize("flag", ["totals"])
def test_other_subtotal_labels_are_not_programs(budget_json: dict, tmp_path: Path, flag: str) -> None:
    parsed = _parse(pdf_list(budget_json, tmp_path / "p.xlsx", flag))
    assert len(parsed.records) == 27 and not parsed.mismatches()
    assert {t.label for t in parsed.totals} == {"（小計）", "自主企画事業費計", "【合計】"}
    assert parsed.read_total == 877287


def test_repeated_header_and_unit_rows_are_skipped(budget_json: dict, tmp_path: Path) -> None:
    parsed = _parse(pdf_list(budget_json, tmp_path / "p.xlsx", "rephead"))
    assert parsed.problems == [] and len(parsed.records) == 27
    assert sum("見出しの繰り返し" in n for n in parsed.notes) == 3
    assert all("単位" not in s for r in parsed.records for s in r.sections)
    assert {r.name: r.sections for r in parsed.records}["統合事業費"] == ("区政推進課",)


def test_new_and_dashes_in_the_older_column(budget_json: dict, tmp_path: Path) -> None:
    parsed = _parse(pdf_list(budget_json, tmp_path / "p.xlsx", "new"))
    assert parsed.problems == []
    got = {r.name: r for r in parsed.records}
    assert got["ＤＶ対策事業"].earlier == 0 and got["ＤＶ対策事業"].amount == 906
    assert got["旭区広報事業"].earlier is None  # a dash in a reference column: empty
    assert any("「新規」" in n and "0 と読みます" in n for n in parsed.notes)


def test_new_in_the_column_written_is_still_refused(tmp_path: Path) -> None:
    path = plain_table(tmp_path / "n.xlsx", [["ＤＶ対策事業", "新規", 909]], ["事業名", "５年度予算", "４年度予算"])
    parsed = _parse(path, 2024)
    assert [(p.row, p.col) for p in parsed.problems] == [(2, 2)]


def test_yen_line_items_are_summed_before_rounding(budget_json: dict, tmp_path: Path) -> None:
    parsed = _parse(yen_items(budget_json, tmp_path / "y.xlsx"))
    got = {r.name: r for r in parsed.records}
    # 災害に強い区づくり事業: 7 line items of x,xxx,499円 = 11,925,493円 -> 11,925千円 once (per line: 11,922)
    seed = next(p for p in _seed(budget_json) if p["name"] == "災害に強い区づくり事業")
    assert len(seed["line_items"]) == 7 and seed["current"] * 1000 + 7 * 499 == 11_925_493
    assert got["災害に強い区づくり事業"].rows == 7
    assert got["災害に強い区づくり事業"].amount == 11925
    assert parsed.problems == [] and not parsed.mismatches()
    assert [t.figure for t in parsed.totals] == [parsed.totals[0].read]


def test_grand_total_may_leave_a_class_outside(tmp_path: Path) -> None:
    """The export's 個性ある区づくり推進費 合計 is the class totals without 区配事業 (outside the total)."""
    rows = [["統合事務費", 24195], ["統合事務事業費 合計", 24195], ["地域の担い手応援事業", 585], ["区配事業 合計", 585],
            ["区庁舎・区民利用施設管理費", 725152], ["区庁舎・区民利用施設管理費 合計", 725152],
            ["個性ある区づくり推進費 合計", 749347]]
    parsed = _parse(plain_table(tmp_path / "g.xlsx", rows, ["事業名", "６年度予算"]))
    assert len(parsed.records) == 3 and not parsed.mismatches()
    assert parsed.totals[-1].left_out == "区配事業合計"
    rows[-1][1] = 749348
    parsed = _parse(plain_table(tmp_path / "h.xlsx", rows, ["事業名", "６年度予算"]))
    assert [t.figure for t in parsed.mismatches()] == [749348]


def test_grand_total_of_some_totals_refused_when_rows_after_them_are_in_none(tmp_path: Path) -> None:
    """Ⅰ計 30 + Ⅱ計 5 = 合計 35 does not leave a class out when a row of 7 below Ⅱ計 is in no total."""
    rows = [["A事業", 10], ["B事業", 20], ["Ⅰ 計", 30], ["C事業", 5], ["Ⅱ 計", 5], ["D事業", 7], ["合計", 35]]
    parsed = _parse(plain_table(tmp_path / "t.xlsx", rows, ["事業名", "６年度予算"]))
    assert len(parsed.records) == 4
    assert [(t.figure, t.read, t.left_out) for t in parsed.mismatches()] == [(35, 42, "")]
    assert "なし" not in parsed.totals[-1].line("Sheet1")


def test_grand_total_equal_to_all_totals_is_not_a_class_left_out(tmp_path: Path) -> None:
    """Every total above it adds up to 合計 (Ⅱ計 already disagrees: X事業 is in no total): a
    mismatch, never 「（「なし」を除く）」."""
    rows = [["A事業", 10], ["B事業", 20], ["Ⅰ 計", 30], ["X事業", 7], ["C事業", 5], ["Ⅱ 計", 5], ["合計", 35]]
    parsed = _parse(plain_table(tmp_path / "t.xlsx", rows, ["事業名", "６年度予算"]))
    assert [(t.figure, t.read, t.left_out) for t in parsed.mismatches()] == [(5, 12, ""), (35, 42, "")]
    assert all("なし" not in t.line("Sheet1") for t in parsed.totals)
