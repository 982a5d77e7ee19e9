"""Excel export: the ward's 事業別一覧表 layout, and detail sheets that restore the year without loss."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import openpyxl
import pytest

from asahi_desk.app import Services
from asahi_desk.domain import excel_sheets
from asahi_desk.domain.errors import ConflictError, InputError
from asahi_desk.importers.excel import details
from asahi_desk.importers.excel.workbook import open_workbook
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import unit_of_work


def test_list_sheet_as_the_ward_lays_it_out(services: Services, tmp_path: Path, budget_json: dict) -> None:
    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["事業別一覧表"]
    assert wb.sheetnames[0] == "事業別一覧表"
    assert "事業別一覧表" in ws["A1"].value and ws["G2"].value == "（単位：千円）"
    assert [c.value for c in ws[3]] == ["施策", "No.", "事業名", "６年度予算", "５年度予算", "増▲減", "課名"]
    assert ws["A4"].value == "Ⅰ\n安全・安心" and "A4:A7" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws["C4"].value, ws["D4"].value, ws["E4"].value, ws["F4"].value] == ["災害に強い区づくり事業", 11922, 12321, -399]
    assert ws["F4"].number_format == '#,##0;"▲"#,##0'
    assert ws["G4"].value == "総務課\n福祉保健課\n高齢・障害支援課"
    totals = {r[0].value: (r[3].value, r[4].value) for r in ws.iter_rows(min_row=4) if r[0].value and "合計" in str(r[0].value)}
    assert totals["自主企画事業費 合計"] == (sum(p["current"] for c in budget_json["categories"][:4] for p in c["programs"]),
                                            sum(p["prior"] for c in budget_json["categories"][:4] for p in c["programs"]))
    assert totals["統合事務事業費 合計"] == (48626, 50201)  # as printed in the seed
    assert ws.print_area == f"'事業別一覧表'!$A$1:$G${ws.max_row}"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth == 1  # 9 = A4
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)  # values: no uncached formulas


def test_export_then_restore_into_an_empty_database_gives_the_same_data(services: Services, empty_services: Services,
                                                                         tmp_path: Path) -> None:
    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    op = empty_services.excel_import.restore(out, 2024)
    assert op.changes.years and op.changes.structure and op.undo is None
    result = op.value
    assert result.restored
    assert empty_services.budgets.dump(2024, with_ids=True) == services.budgets.dump(2024, with_ids=True)
    with pytest.raises(ConflictError):
        empty_services.excel_import.restore(out, 2024)


def test_round_trip_keeps_awkward_values(empty_services: Services, tmp_path: Path, budget_json: dict) -> None:
    data = copy.deepcopy(budget_json)
    p = data["categories"][0]["programs"][0]
    p["name"] = "=SUM(A1:A2) は数式ではない"
    p["notes"] = ["一行目\n二行目", ""]
    p["purpose"] = "  前後の空白  "
    p["photos"] = [{"caption": "写真", "image": base64.b64encode(bytes(range(256)) * 300).decode("ascii")}]
    p["line_items"][0]["activities"] = ["[括弧で始まる]", "二つ目"]
    p["line_items"][0]["sections"] = []
    p["indicators"][0]["actual"] = "80"  # 実績 survives the detail sheet
    data["categories"].append({"code": "Ⅶ", "name": "事業のない施策", "budget_class": "自主企画事業費", "programs": []})
    empty_services.budgets.load_data(data)
    before = empty_services.budgets.dump(2024, with_ids=True)
    out = empty_services.excel_export.export(2024, tmp_path / "odd.xlsx")
    with unit_of_work(empty_services.sessions) as s:
        s.delete(repo.get_fiscal_year(s, 2024))
    empty_services.excel_import.restore(out, 2024)
    after = empty_services.budgets.dump(2024, with_ids=True)
    a, b = after["categories"][0]["programs"][0], before["categories"][0]["programs"][0]
    assert {k: v for k, v in a.items() if v != b[k]} == {}
    assert after == before


def test_the_written_detail_sheets_are_the_ones_the_reader_expects(services: Services, tmp_path: Path) -> None:
    """Writer and reader share domain/excel_sheets.py: the file written has exactly those sheets and headers."""
    out = services.excel_export.export(2024, tmp_path / "sheets.xlsx")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames[:1] == [excel_sheets.LIST_SHEET]
    assert set(excel_sheets.DETAIL_COLUMNS) | {excel_sheets.INFO_SHEET} <= set(wb.sheetnames)
    for sheet, columns in excel_sheets.DETAIL_COLUMNS.items():
        header = next(wb[sheet].iter_rows(min_row=1, max_row=1, values_only=True))
        assert tuple(header) == columns, sheet
    assert next(wb[excel_sheets.INFO_SHEET].iter_rows(min_row=1, max_row=1, values_only=True))[1] == excel_sheets.FORMAT
    wb.close()
    with open_workbook(out) as book:
        assert details.has_details(book)


def test_export_of_the_prior_year_imports_as_prior_amounts(services: Services, tmp_path: Path) -> None:
    """The 事業別一覧表 of an export reads back through the ordinary import (its ５年度 column)."""
    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    preview = services.excel_import.preview(out, 2024)
    assert preview.sheet == "事業別一覧表" and preview.problems == ()
    assert preview.counts()["matched"] == 27
    assert {r.record.name: r.record.amount for r in preview.rows if r.record} == \
        {p.name: p.prior for p in services.budgets.get(2024).programs()}
    assert json.dumps(preview.mapping.as_json())


def test_a_workbook_exported_before_the_actual_column_still_restores(services: Services, empty_services: Services,
                                                                   tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = services.excel_export.export(2024, tmp_path / "old.xlsx")
    wb = load_workbook(out)
    ws = wb["指標"]
    assert ws.cell(1, 6).value == "実績"
    ws.delete_cols(6)
    wb.save(out)
    assert empty_services.excel_import.restore(out, 2024).value.restored
    assert empty_services.budgets.dump(2024) == services.budgets.dump(2024)


def test_a_character_excel_cannot_store_is_one_japanese_line_naming_the_place(services: Services, tmp_path: Path) -> None:
    """A control character stored before the schema checks existed (written here past them, as an old file
    would hold it): the refusal names the program and the field, never openpyxl's English text."""
    from sqlalchemy import text

    with unit_of_work(services.sessions) as s:
        fy = repo.get_fiscal_year(s, 2024)
        s.execute(text("UPDATE program SET purpose = '目的' || char(1) WHERE name = '災害に強い区づくり事業' "
                       "AND fiscal_year_id = :fy"), {"fy": fy.id})
    out = tmp_path / "r6.xlsx"
    with pytest.raises(InputError) as e:
        services.excel_export.export(2024, out)
    assert str(e.value) == ("令和6年度（2024年度）: 事業「災害に強い区づくり事業」の目的に Excel のセルに書けない文字"
                            "（\\u0001）があります")
    assert not out.exists()


def test_inquiry_and_compare_workbooks_refuse_an_unstorable_character_in_japanese(services: Services,
                                                                                   tmp_path: Path) -> None:
    """Old data with a control character: the 照会票 and the 査定状況 workbook are refused with one Japanese line
    naming the workbook (openpyxl's IllegalCharacterError is English and was not even a ValueError)."""
    from sqlalchemy import text

    services.versions.save(2024, "要求")
    with unit_of_work(services.sessions) as s:
        fy = repo.get_fiscal_year(s, 2024)
        s.execute(text("UPDATE program SET purpose = '目的' || char(1) WHERE name = '災害に強い区づくり事業' "
                       "AND fiscal_year_id = :fy"), {"fy": fy.id})
        s.execute(text("UPDATE line_item SET name = name || char(2) WHERE name = '防災訓練事業'"))
    with pytest.raises(InputError) as e:
        services.inquiry.export_section(2024, "総務課", tmp_path / "soumu.xlsx")
    assert str(e.value) == "令和6年度（2024年度） 総務課の照会票に Excel のセルに書けない文字（制御文字）が含まれています"
    assert not (tmp_path / "soumu.xlsx").exists()
    with pytest.raises(InputError) as e:
        services.comparison.export(2024, "要求", None, tmp_path / "cmp.xlsx")
    assert "査定状況" in str(e.value) and "書けない文字" in str(e.value) and "cannot" not in str(e.value)


def test_inquiry_export_all_refuses_two_sections_that_share_a_file_name(empty_services: Services, budget_json: dict,
                                                                          tmp_path: Path) -> None:
    data = copy.deepcopy(budget_json)
    programs = [p for c in data["categories"] for p in c["programs"]]
    programs[0]["sections"], programs[1]["sections"] = ["総務/課"], ["総務_課"]
    empty_services.budgets.load_data(data)
    with pytest.raises(InputError, match="「総務/課」と「総務_課」の照会票が同じファイル名"):
        empty_services.inquiry.export_all(2024, tmp_path / "out")
    assert not (tmp_path / "out").exists()
