"""Main window: objectNames, models, edits through the undo stack, validation, filters, rollover."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QMessageBox, QTableWidget, QTreeView, QWidget

from asahi_desk.app import build_services
from asahi_desk.services.tree import LINE_ITEM, PROGRAM
from asahi_desk.ui.main import MENU_TITLES, build_main_window


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def window(qtbot, demo_db):
    w = build_main_window(str(demo_db))
    qtbot.addWidget(w)
    w.show()
    return w


def _first_program(window):
    cat = window.model.index(0, 0)
    window.tree.expand(cat)
    index = window.model.index(0, 0, cat)
    window.tree.setCurrentIndex(index)
    return window.model.node(index).data.id


def _commit(edit: QLineEdit, text: str) -> None:
    edit.setText(text)
    edit.editingFinished.emit()


def test_object_names_and_menus(window):
    for name, cls in (("fiscalYearCombo", QComboBox), ("budgetTree", QTreeView), ("findingsPanel", QListWidget),
                      ("programForm", QWidget), ("indicatorTable", QTableWidget), ("lineItemForm", QWidget),
                      ("searchBox", QLineEdit), ("sectionFilter", QComboBox), ("categoryForm", QWidget)):
        assert window.findChild(cls, name) is not None, name
    assert [m.title() for m in window.menuBar().findChildren(type(window.menu("ファイル")))
            if m.title() in MENU_TITLES]
    for title in MENU_TITLES:
        assert window.menu(title).title() == title
    assert window.current_fiscal_year() == 2024
    assert window.findChild(QComboBox, "fiscalYearCombo").currentText().startswith("令和6年度")
    assert any(a.text().startswith("会議資料PDF") for a in window.menu("出力").actions())


def test_models_pass_qtmodeltester(window, qtmodeltester):
    _first_program(window)
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.program_form.indicators.model())
    window.search_box.setText("防災")
    qtmodeltester.check(window.model)


def test_tree_columns_show_amounts(window):
    _first_program(window)
    cat = window.model.index(0, 0)
    prog = window.model.index(0, 0, cat)
    assert window.model.index(0, 1, cat).data() == "11,922"
    assert window.model.index(0, 3, cat).data() == "▲399"
    assert window.model.index(0, 1, cat).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert window.model.hasChildren(prog)


def test_findings_rerun_after_edit(window, qtbot):
    qtbot.waitUntil(lambda: window.findings.count() > 0)
    before = window.findings.count()
    pid = _first_program(window)
    _commit(window.program_form.fields["name"], "")  # blocked: no write, no re-check needed
    assert "事業名を入力してください" in window.program_form.message.text()
    window.services.editing.set_indicators(pid, [])
    window.refresh()
    qtbot.waitUntil(lambda: window.findings.count() != before)


def test_amount_edit_commits_and_undo_redo(window, demo_db):
    pid = _first_program(window)
    _commit(window.program_form.fields["current"], "12,000")
    assert window.services.editing.program(pid).current == 12000
    assert window.statusBar().currentMessage() == "保存済み"
    assert window.undo_stack.undoText() == "事業の今年度予算額を変更"
    window.undo_stack.undo()
    assert window.services.editing.program(pid).current == 11922
    window.undo_stack.redo()
    other = build_services(str(demo_db))
    try:
        assert other.editing.program(pid).current == 12000
        assert other.editing.program(pid).prior == 12321
    finally:
        other.close()
    assert window.program_form.fields["current"].text() == "12,000"


def test_invalid_amount_blocks_the_write(window, demo_db):
    pid = _first_program(window)
    _commit(window.program_form.fields["current"], "-5")
    assert "金額は0以上の整数（千円）で入力してください" in window.program_form.message.text()
    _commit(window.program_form.fields["current"], "abc")
    assert window.undo_stack.count() == 0
    other = build_services(str(demo_db))
    try:
        assert other.editing.program(pid).current == 11922
    finally:
        other.close()


def test_line_item_and_activities_edit(window):
    _first_program(window)
    prog = window.tree.currentIndex()
    window.tree.expand(prog)
    item = window.model.index(0, 0, prog)
    window.tree.setCurrentIndex(item)
    lid = window.model.node(item).data.id
    assert window.stack.currentWidget() is window.line_item_form
    _commit(window.line_item_form.fields["name"], "防災訓練事業（改）")
    assert window.services.editing.line_item(lid).name == "防災訓練事業（改）"
    before = window.services.editing.line_item(lid).activities
    window.line_item_form._add()  # noqa: SLF001 - the 追加 button's slot
    assert window.services.editing.line_item(lid).activities == (*before, "新しい活動")
    window.undo_stack.undo()
    assert window.services.editing.line_item(lid).activities == before
    assert window.services.editing.line_item(lid).name == "防災訓練事業（改）"


def test_indicator_table_edit_and_undo(window):
    pid = _first_program(window)
    table = window.program_form.indicators
    table.item(0, 1).setText("90")
    assert window.services.editing.program(pid).indicators[0].target == "90"
    window.undo_stack.undo()
    assert window.services.editing.program(pid).indicators[0].target == "84"


def test_search_and_section_filter_keep_ancestors(window):
    window.search_box.setText("防災訓練")
    assert window.model.rowCount() == 1
    cat = window.model.index(0, 0)
    assert window.model.index(0, 0, cat).data().endswith("災害に強い区づくり事業")
    window.search_box.clear()
    total = window.model.rowCount()
    window.section_filter.setCurrentIndex(window.section_filter.findText("総務課"))
    assert 0 < window.model.rowCount() < total
    window.search_box.setText("存在しない事業名ｘｙｚ")
    assert window.model.rowCount() == 0


def test_structure_add_move_delete(window, monkeypatch):
    pid = _first_program(window)
    window.tree.expand(window.tree.currentIndex())
    window._add_child()  # noqa: SLF001 - menu slot
    kind, new_id, _ = window._selected()  # noqa: SLF001
    assert kind == LINE_ITEM
    items = window.services.tree.line_items(pid)
    assert items[-1].id == new_id and items[-1].label.startswith(f"{len(items)} ")
    window._move(-1)  # noqa: SLF001
    items = window.services.tree.line_items(pid)
    assert items[-2].id == new_id and items[-2].label.startswith(f"{len(items) - 1} ")
    window.undo_stack.undo()
    assert window.services.tree.line_items(pid)[-1].id == new_id
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.select(LINE_ITEM, new_id, window._path_of(LINE_ITEM, new_id))  # noqa: SLF001
    window._delete()  # noqa: SLF001
    assert new_id not in [n.id for n in window.services.tree.line_items(pid)]
    assert window.select(PROGRAM, pid, window._path_of(PROGRAM, pid))  # noqa: SLF001


def test_finding_click_selects_node(window, qtbot):
    qtbot.waitUntil(lambda: window.findings.count() > 0)
    item = window.findings.item(0)
    window._finding_clicked(item)  # noqa: SLF001
    loc = item.data(Qt.ItemDataRole.UserRole).location
    kind, node_id, _ = window._selected()  # noqa: SLF001
    assert (kind, node_id) in ((LINE_ITEM, loc.line_item_id), (PROGRAM, loc.program_id))


def test_rollover_selects_new_year(window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window._new_year()  # noqa: SLF001
    assert window.current_fiscal_year() == 2025
    assert window.services.budgets.fiscal_years() == [2024, 2025]
    assert window.model.rowCount() > 0


def test_drag_and_drop_reorders_within_parent(window):
    _first_program(window)
    cat = window.model.index(0, 0)
    first, third = window.model.index(0, 0, cat), window.model.index(2, 0, cat)
    moved = window.model.node(first).data.id
    mime = window.model.mimeData([first])
    assert window.model.canDropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, cat)
    window.model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, cat)
    cat_id = window.services.editing.program(moved).category_id
    assert [n.id for n in window.services.tree.programs(cat_id)][2] == moved
    assert window.undo_stack.undoText() == "下へ移動"
    window.undo_stack.undo()
    assert window.services.tree.programs(cat_id)[0].id == moved
    other_cat = window.model.index(1, 0)
    assert not window.model.canDropMimeData(window.model.mimeData([third]), Qt.DropAction.MoveAction, 0, 0, other_cat)


def test_switch_to_new_database_and_recent_files(window, tmp_path):
    from asahi_desk.ui.main import recent_files

    target = tmp_path / "new.db"
    window.switch_database(str(target))
    assert target.exists()
    assert window.current_fiscal_year() is None
    assert window.model.rowCount() == 0
    assert recent_files()[0] == str(target)
    assert "new.db" in window.windowTitle()
