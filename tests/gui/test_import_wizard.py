"""The import wizard standalone (constructed with Services) and the menu hook on a small real window."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QMainWindow, QMenu, QWizard

from asahi_desk.app import Services
from asahi_desk.ui import excel_menu
from asahi_desk.ui.fonts import install_application_font
from asahi_desk.ui.import_wizard import PAGE_MAPPING, PAGE_PREVIEW, PAGE_SHEET, SKIP, ImportWizard
from tests.importers.broken import old_xls
from tests.importers.pdf_layout import pdf_list
from tests.importers.workbooks import plain_table, ward_list

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(autouse=True)
def font(qapp: QApplication) -> None:
    install_application_font(qapp)


def _without_priors(budget_json: dict, year: int = 2024) -> dict:
    data = copy.deepcopy(budget_json)
    data["fiscal_year"], data["prior_fiscal_year"] = year, year - 1
    for c in data["categories"]:
        for p in c["programs"]:
            p["prior"] = 0
            p.pop("change")
    data.pop("summary")
    return data


@pytest.fixture
def zeroed(empty_services: Services, budget_json: dict) -> Services:
    empty_services.budgets.load_data(_without_priors(budget_json))
    return empty_services


def _priors(services: Services) -> dict[str, int]:
    return {p.name: p.prior for p in services.budgets.get(2024).programs()}


def _shot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


def test_wizard_imports_the_seed_shaped_list(qtbot, zeroed: Services, budget_json: dict, tmp_path: Path) -> None:
    book = ward_list(budget_json, tmp_path / "r6.xlsx", extra_sheets=True)
    wizard = ImportWizard(zeroed, 2024, path=book)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.file_page.year_combo.currentData() == 2024
    wizard.next()
    assert wizard.currentId() == PAGE_SHEET
    assert wizard.sheet_page.sheets.currentItem().text().startswith("事業別一覧表")
    wizard.next()
    assert wizard.currentId() == PAGE_MAPPING
    page = wizard.mapping_page
    assert page.header_spin.value() == 5
    mapping = page.mapping()
    assert mapping.columns["name"] == 3 and mapping.columns["amount"] == 5 and mapping.columns["current"] == 4
    _shot(wizard, "excel_wizard_mapping.png")
    wizard.next()
    assert wizard.currentId() == PAGE_PREVIEW
    preview = wizard.preview_page
    assert "一致 27" in preview.summary.text()
    assert preview.table.rowCount() == 27 and preview.isComplete()
    _shot(wizard, "excel_wizard_preview.png")
    wizard.accept()  # 取り込む: validatePage runs the import
    assert wizard.result is not None and wizard.result.filled == 27
    assert _priors(zeroed) == {p["name"]: p["prior"] for c in budget_json["categories"] for p in c["programs"]}


def test_wizard_needs_a_decision_for_unmatched_rows(qtbot, zeroed: Services, tmp_path: Path) -> None:
    book = plain_table(tmp_path / "p.xlsx", [["ＤＶ対策事業", 909], ["廃止した事業", 10], ["街の美化運動", 499]],
                       ["事業名", "R5"], header_row=2, title="令和5年度 予算（単位：千円）")
    wizard = ImportWizard(zeroed, 2024, path=book)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.next()
    assert wizard.mapping_page.header_spin.value() == 2
    wizard.next()
    page = wizard.preview_page
    assert not page.isComplete()
    rows = {page.table.item(i, 2).text(): i for i in range(page.table.rowCount())}
    assert page.table.item(rows["廃止した事業"], 4).text() == "該当なし"
    skip: QComboBox = page.table.cellWidget(rows["廃止した事業"], 5)
    skip.setCurrentIndex(skip.findData(SKIP))
    assert not page.isComplete()
    fix: QComboBox = page.table.cellWidget(rows["街の美化運動"], 5)
    fix.setCurrentIndex(fix.findText("Ⅱ-4 街の美化運動事業"))  # the clerk corrects the match
    assert page.isComplete()
    _shot(wizard, "excel_wizard_decisions.png")
    wizard.accept()
    priors = _priors(zeroed)
    assert priors["ＤＶ対策事業"] == 909 and priors["街の美化運動事業"] == 499


def test_wizard_shows_bad_file_and_cell_problems(qtbot, zeroed: Services, tmp_path: Path) -> None:
    wizard = ImportWizard(zeroed, 2024, path=old_xls(tmp_path / "old.xls"))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentId() == 0
    assert "古い .xls 形式です" in wizard.file_page.error.text() and wizard.file_page.error.isVisible()
    bad = plain_table(tmp_path / "bad.xlsx", [["ＤＶ対策事業", "<b>abc</b>"]], ["事業名", "R5"])
    wizard.file_page.path_edit.setText(str(bad))
    wizard.next()
    wizard.next()
    wizard.next()
    page = wizard.preview_page
    assert [page.problems.item(i).text() for i in range(page.problems.count())] == [
        "「Sheet1」シート 2行 B列: 金額が数値ではありません（「<b>abc</b>」）"]
    assert not page.isComplete()


def test_wizard_header_row_can_be_changed(qtbot, zeroed: Services, tmp_path: Path) -> None:
    book = plain_table(tmp_path / "h.xlsx", [["ＤＶ対策事業", 909]], ["事業名", "R5"], header_row=3, title="令和5年度")
    wizard = ImportWizard(zeroed, 2024, path=book)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.next()
    page = wizard.mapping_page
    assert page.header_spin.value() == 3 and page.table.item(0, 1).text() == "事業名"
    page.header_spin.setValue(1)
    assert page.table.item(0, 1).text() == "令和5年度" and "name" not in page.mapping().columns
    wizard.next()
    assert wizard.currentId() == PAGE_MAPPING and "事業名 の列を決められません" in page.error.text()
    page.header_spin.setValue(3)
    wizard.next()
    assert wizard.currentId() == PAGE_PREVIEW and wizard.preview_page.isComplete()


def test_sheet_without_a_header_is_explained(qtbot, zeroed: Services, tmp_path: Path) -> None:
    book = plain_table(tmp_path / "odd.xlsx", [["ＤＶ対策事業", 909]], ["名前", "金"])
    wizard = ImportWizard(zeroed, 2024, path=book)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert "表が見つからない" in wizard.sheet_page.sheets.item(0).text()
    wizard.sheet_page.sheets.setCurrentRow(0)
    wizard.next()
    assert wizard.currentId() == PAGE_SHEET and "見出し行" in wizard.sheet_page.error.text()


def test_wizard_restores_an_export_into_an_empty_database(qtbot, services: Services, empty_services: Services,
                                                          tmp_path: Path) -> None:
    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    empty_services.budgets.load_data({"format": "asahi-desk budget 1", "ward": "旭区", "fiscal_year": 2030,
                                      "categories": []})
    wizard = ImportWizard(empty_services, 2030, path=out)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    # the export is of 2024, the year chosen 2030: restoring 2024 whole is offered, not the default
    assert wizard.sheet_page.restore.isEnabled() and not wizard.sheet_page.restore.isChecked()
    wizard.sheet_page.restore.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_PREVIEW and "まるごと" in wizard.preview_page.summary.text()
    wizard.accept()
    assert empty_services.budgets.dump(2024, with_ids=True) == services.budgets.dump(2024, with_ids=True)


class ProtocolWindow(QMainWindow):
    """The window protocol of ui/extensions.py, nothing more."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.refreshed = 0
        self._menus = {t: self.menuBar().addMenu(t) for t in ("ファイル", "編集", "表示", "データ", "出力", "ヘルプ")}

    def menu(self, title: str) -> QMenu:
        return self._menus[title]

    def current_fiscal_year(self) -> int | None:
        return 2024

    def refresh(self) -> None:
        self.refreshed += 1


def test_install_adds_both_actions_and_they_work(qtbot, zeroed: Services, budget_json: dict, tmp_path: Path) -> None:
    window = ProtocolWindow(zeroed)
    qtbot.addWidget(window)
    excel_menu.install(window)
    imp = [a for a in window.menu("データ").actions() if a.objectName() == "actionImportExcel"]
    exp = [a for a in window.menu("出力").actions() if a.objectName() == "actionExportExcel"]
    assert [a.text() for a in imp] == ["前年度Excel取込…"] and [a.text() for a in exp] == ["Excel出力…"]
    imp[0].trigger()
    wizard = window.findChild(QWizard, "excelImportWizard")
    assert wizard is not None and wizard.isVisible() and wizard.fiscal_year == 2024
    wizard.file_page.path_edit.setText(str(ward_list(budget_json, tmp_path / "r6.xlsx")))
    wizard.next()
    wizard.next()
    wizard.next()
    wizard.accept()
    assert window.refreshed == 1 and "27 事業に取り込みました" in window.statusBar().currentMessage()
    out = excel_menu.export_to(window, 2024, tmp_path / "out.xlsx")
    assert out is not None and out.exists() and "書き出しました" in window.statusBar().currentMessage()


def test_long_reads_run_off_the_gui_thread_and_can_be_cancelled(qtbot) -> None:
    import threading
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QWidget

    from asahi_desk.ui.import_wizard import Cancelled, run_in_thread

    parent = QWidget()
    qtbot.addWidget(parent)
    seen: dict[str, object] = {}

    def slow(progress) -> int:  # type: ignore[no-untyped-def]
        seen["thread"] = threading.current_thread()
        for n in range(1, 100_000):
            progress(n * 500)
            time.sleep(0.002)
        return 0

    def cancel() -> None:
        dialog = parent.findChild(QProgressDialog, "excelProgressDialog")
        seen["label"] = dialog.labelText()
        dialog.cancel()

    QTimer.singleShot(300, cancel)
    with pytest.raises(Cancelled):
        run_in_thread(parent, "シートを読んでいます…", slow)
    assert seen["thread"] is not threading.main_thread()
    assert "行を読みました" in str(seen["label"])
    assert run_in_thread(parent, "x", lambda progress: 42) == 42


def test_first_start_wizard_on_an_empty_database(qtbot, empty_services: Services, tmp_path: Path) -> None:
    """issue 6.4: an empty database has no years; the wizard offers some, and importing last year's
    workbook creates that year from the sheet and the chosen year by rollover."""
    from tests.importers.test_excel_layouts import ward_layout

    book = ward_layout(tmp_path / "r6.xlsx", "B3:D3")
    wizard = ImportWizard(empty_services, None, path=book)
    qtbot.addWidget(wizard)
    wizard.show()
    combo = wizard.file_page.year_combo
    assert combo.count() == 3 and wizard.file_page.isComplete()
    combo.setCurrentIndex(combo.findData(2025))
    wizard.next()
    assert wizard.currentId() == PAGE_SHEET
    wizard.next()
    assert wizard.currentId() == PAGE_MAPPING
    assert wizard.mapping_page.mapping().columns["budget_class"] == 1
    wizard.next()
    assert wizard.currentId() == PAGE_PREVIEW
    page = wizard.preview_page
    assert page.create_prior.isChecked() and not page.create_prior.isEnabled()
    assert "繰り越しで作成する" in page.create_prior.text()
    assert page.isComplete()
    wizard.accept()
    assert wizard.result is not None and wizard.result.created_year == 2024
    assert empty_services.budgets.fiscal_years() == [2024, 2025]
    assert [c.label for c in empty_services.budgets.get(2024).categories] == ["Ⅰ 安全・安心", "Ⅱ 地域の力"]


@pytest.fixture
def only2025(empty_services: Services, budget_json: dict) -> Services:
    empty_services.budgets.load_data(_without_priors(budget_json, 2025))
    return empty_services


def _currents(budget_json: dict) -> dict[str, int]:
    return {p["name"]: p["current"] for c in budget_json["categories"] for p in c["programs"]}


def test_last_years_export_fills_the_chosen_year_by_default(qtbot, services: Services, only2025: Services,
                                                            budget_json: dict, tmp_path: Path) -> None:
    """As the CLI: the 2024 export opened for 2025 fills 2025's prior amounts from its 事業別一覧表."""
    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    wizard = ImportWizard(only2025, 2025, path=out)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.sheet_page.restore.isVisible() and not wizard.sheet_page.restore.isChecked()
    assert wizard.sheet_page.sheets.currentItem().text().startswith("事業別一覧表")
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PAGE_PREVIEW and wizard.preview_page.isComplete()
    wizard.accept()
    assert {p.name: p.prior for p in only2025.budgets.get(2025).programs()} == _currents(budget_json)


def _to_preview(qtbot, services: Services, book: Path) -> ImportWizard:
    wizard = ImportWizard(services, 2025, path=book)
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PAGE_MAPPING
    return wizard


def test_mapping_shows_sample_values_and_preview_every_note(qtbot, only2025: Services, budget_json: dict,
                                                           tmp_path: Path) -> None:
    wizard = _to_preview(qtbot, only2025, pdf_list(budget_json, tmp_path / "p.xlsx", "rephead", "new"))
    table = wizard.mapping_page.table
    samples = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    assert samples["A"].splitlines()[0] == "自主企画事業"  # a blank-headed column recognised by its data
    assert samples["B"].splitlines()[0] == "Ⅰ 安全・安心"
    assert samples["C"].splitlines() == ["1", "2", "3"]
    wizard.next()
    page = wizard.preview_page
    notes = [page.notes.item(i).text() for i in range(page.notes.count())]
    assert sum("見出しの繰り返し" in n for n in notes) == 3 and any("「新規」" in n for n in notes)
    assert any(n.startswith("合計: 「事業別一覧表」シート") for n in notes) and len(notes) >= 6
    assert "読んだ金額の合計 877,287千円（27 行）" in page.summary.text()
    rows = {page.table.item(i, 2).text(): i for i in range(page.table.rowCount())}
    two_lines = rows["地域のつながりづくりに向けた民生委員の活動支援事業"]
    assert page.table.wordWrap() and page.table.rowHeight(two_lines) >= page.table.rowHeight(0)
    assert page.isComplete()


def test_total_mismatch_must_be_acknowledged(qtbot, only2025: Services, budget_json: dict, tmp_path: Path) -> None:
    wizard = _to_preview(qtbot, only2025, pdf_list(budget_json, tmp_path / "p.xlsx", "lost"))
    wizard.next()
    page = wizard.preview_page
    problems = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert any("差 24,431千円" in p for p in problems) and page.problems.isVisible()
    assert page.accept_totals.isVisible() and not page.isComplete()
    page.accept_totals.setChecked(True)
    assert page.isComplete()


def test_screenshots_of_the_pdf_list(qtbot, only2025: Services, budget_json: dict, tmp_path: Path) -> None:
    wizard = _to_preview(qtbot, only2025, pdf_list(budget_json, tmp_path / "p.xlsx"))
    _shot(wizard, "excel_import_mapping_pdf_list.png")
    wizard.next()
    assert wizard.currentId() == PAGE_PREVIEW
    _shot(wizard, "excel_import_preview_pdf_list.png")


def test_sample_tooltips_show_cell_text_as_typed(qtbot, zeroed: Services, tmp_path: Path) -> None:
    """A cell holding markup ('<b>x</b>') is shown as typed in the sample tooltip, not as bold x."""
    from PySide6.QtGui import QTextDocument

    book = plain_table(tmp_path / "m.xlsx", [["<b>x</b>", 909], ["a & \"b\"", 10]], ["事業名", "R5"])
    wizard = ImportWizard(zeroed, 2024, path=book)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PAGE_MAPPING
    table = wizard.mapping_page.table
    tip = next(table.item(r, 3).toolTip() for r in range(table.rowCount()) if table.item(r, 1).text() == "事業名")
    assert "<b>x</b>" not in tip
    doc = QTextDocument()
    doc.setHtml(tip)
    assert doc.toPlainText().splitlines() == ["<b>x</b>", 'a & "b"']


def test_new_year_chosen_with_restore_creates_that_year_and_lists_it(qtbot, services: Services,
                                                                      empty_services: Services, tmp_path: Path) -> None:
    """issue 13.9: on an empty database the year comes from the workbook's labels (令和7年度 for the 2024
    export, not the clock's); 令和7年度（新しく作成） with the restore creates 2024 and 2025, and the
    confirmation lists what will be created."""
    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    wizard = ImportWizard(empty_services, None, path=out)
    qtbot.addWidget(wizard)
    wizard.resize(1000, 720)
    wizard.show()
    combo = wizard.file_page.year_combo
    assert combo.currentData() == 2025 and combo.currentText() == "令和7年度（2025年度）（新しく作成）"
    assert "ブックの年度ラベルから令和7年度" in wizard.file_page.year_note.text()
    wizard.next()
    restore = wizard.sheet_page.restore
    assert restore.isEnabled() and not restore.isChecked()  # a restore only when asked
    assert "令和6年度（2024年度）をまるごと復元し、令和7年度（2025年度）を繰り越しで作成する" in restore.text()
    restore.setChecked(True)
    wizard.next()
    page = wizard.preview_page
    assert wizard.currentId() == PAGE_PREVIEW and page.isComplete()
    assert "令和6年度（2024年度）を Excel の詳細シートからまるごと作成します（施策 7・事業 27" in page.summary.text()
    assert "令和7年度（2025年度）を令和6年度から繰り越し（新年度作成）で作成します" in page.summary.text()
    names = [p.name for p in services.budgets.get(2024).programs()]
    assert page.table.rowCount() == len(names) == 27
    assert [page.table.item(r, 2).text() for r in range(page.table.rowCount())] == names
    assert page.table.item(0, 5).text() == "令和6年度・令和7年度"
    _shot(wizard, "import_wizard_restore_confirmation.png")
    wizard.accept()
    assert empty_services.budgets.fiscal_years() == [2024, 2025]
    assert empty_services.budgets.dump(2024, with_ids=True) == services.budgets.dump(2024, with_ids=True)
    assert {p.name: p.prior for p in empty_services.budgets.get(2025).programs()} == \
        {p.name: p.current for p in services.budgets.get(2024).programs()}


def test_wizard_and_cli_agree_on_the_own_export_into_the_existing_year(qtbot, services: Services, zeroed: Services,
                                                                       tmp_path: Path, capsys) -> None:
    """The app's 2024 export into a database that has 2024: both fill 2024's prior amounts from the
    list's 前年度額 column (the wizard's default year, as the CLI's without --fiscal-year, is 2024)."""
    import shutil

    from asahi_desk.app import build_services
    from asahi_desk.launcher import main

    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    expected = {p.name: p.prior for p in services.budgets.get(2024).programs()}
    db_copy = tmp_path / "cli.db"
    zeroed.close()
    shutil.copy(tmp_path / "empty.db", db_copy)
    assert main(["import-excel", str(out), "--db", str(db_copy)]) == 0
    cli = build_services(db_copy)
    try:
        assert _priors(cli) == expected
    finally:
        cli.close()
    again = build_services(tmp_path / "empty.db")
    try:
        wizard = ImportWizard(again, None, path=out)
        qtbot.addWidget(wizard)
        wizard.show()
        assert wizard.file_page.year_combo.currentData() == 2024
        wizard.next()
        assert wizard.sheet_page.restore.isVisible() and not wizard.sheet_page.restore.isEnabled()
        wizard.next()
        wizard.next()
        assert wizard.currentId() == PAGE_PREVIEW and wizard.preview_page.isComplete()
        wizard.accept()
        assert _priors(again) == expected
    finally:
        again.close()


def test_a_year_no_way_can_make_is_refused_on_the_first_page(qtbot, services: Services, empty_services: Services,
                                                             tmp_path: Path) -> None:
    """The same refusal as the CLI's, naming only choices that work."""
    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    wizard = ImportWizard(empty_services, None, path=out)
    qtbot.addWidget(wizard)
    wizard.show()
    combo = wizard.file_page.year_combo
    combo.setCurrentIndex(combo.findData(2026))
    wizard.next()
    assert wizard.currentId() != PAGE_SHEET
    text = wizard.file_page.error.text()
    assert "令和8年度（2026年度）のデータがありません" in text and "--fiscal-year 2025 --create-prior" in text
