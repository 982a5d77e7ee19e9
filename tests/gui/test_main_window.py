"""Main window: objectNames, models, edits through the undo stack, validation, filters, rollover."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTreeView,
    QWidget,
)

from asahi_desk.app import build_services
from asahi_desk.domain.checks import ERROR, Finding, Location
from asahi_desk.services.tree import BUDGET_CLASS, CATEGORY, LINE_ITEM, PROGRAM, TOTAL
from asahi_desk.ui.main import MENU_TITLES, SAVED, build_main_window

# the tables a delete touches, dumped whole: an undone delete must give them back byte for byte
SUBTREE_TABLES = ("category", "program", "program_section", "line_item", "line_item_section", "indicator",
                  "related_bureau_program", "photo")


def _first_category(window):
    """Ⅰ 安全・安心: row 0 is the total, row 1 the class 自主企画事業費, its first child the category."""
    cls = window.model.index(1, 0)
    window.tree.expand(cls)
    return window.model.index(0, 0, cls)


def _first_program(window):
    cat = _first_category(window)
    window.tree.expand(cat)
    index = window.model.index(0, 0, cat)
    window.tree.setCurrentIndex(index)
    return window.model.node(index).data.id


def _row(window, index) -> list[str]:
    return [index.siblingAtColumn(c).data() for c in range(4)]


def _dump(db) -> dict[str, list[tuple]]:
    """Every row of the tree's tables, every column but the version (which every write raises)."""
    with sqlite3.connect(db) as con:
        def columns(t: str) -> str:
            return ", ".join(r[1] for r in con.execute(f"pragma table_info({t})") if r[1] != "version")
        return {t: con.execute(f"select {columns(t)} from {t} order by id" if t not in ("program_section", "line_item_section")
                               else f"select {columns(t)} from {t} order by 1, 2").fetchall() for t in SUBTREE_TABLES}


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
    cat = _first_category(window)
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


def _program_without_items(window) -> int:
    """統合事務費: a program without line items (its amount is typed), with a printed 増▲減 of ▲1,330."""
    pid = next(p.id for c in window.services.tree.categories(2024) for p in window.services.tree.programs(c.id)
               if not p.has_children)
    assert window.select(PROGRAM, pid, window.browser.path_of(PROGRAM, pid))
    return pid


def test_amount_edit_commits_and_undo_redo(window, demo_db):
    pid = _program_without_items(window)
    before = _dump(demo_db)
    _commit(window.program_form.fields["current"], "25,000")
    assert window.services.editing.program(pid).current == 25000
    assert window.statusBar().currentMessage() == SAVED
    assert window.undo_stack.undoText() == "事業の今年度予算額を変更"
    edited = _dump(demo_db)
    window.undo_stack.undo()
    assert _dump(demo_db) == before  # the printed 増▲減 (▲1,330) is back too
    window.undo_stack.redo()
    assert _dump(demo_db) == edited
    other = build_services(str(demo_db))
    try:
        assert other.editing.program(pid).current == 25000
        assert other.editing.program(pid).prior == 25525
    finally:
        other.close()
    assert window.program_form.fields["current"].text() == "25,000"


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
    window.line_item_form.activity_editor.add()  # what the 追加 button does
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
    assert window.model.rowCount() == 2  # the class, then the 合計 of what is listed (not an ancestor of a hit)
    assert window.model.node(window.model.index(1, 0)).data.kind == TOTAL
    cat = window.model.index(0, 0, window.model.index(0, 0))
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
    window.editing.add_child()  # menu slot
    kind, new_id, _ = window.browser.selected()
    assert kind == LINE_ITEM
    items = window.services.tree.line_items(pid)
    assert items[-1].id == new_id and items[-1].label.startswith(f"{len(items)} ")
    window.editing.move(-1)
    items = window.services.tree.line_items(pid)
    assert items[-2].id == new_id and items[-2].label.startswith(f"{len(items) - 1} ")
    window.undo_stack.undo()
    assert window.services.tree.line_items(pid)[-1].id == new_id
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.select(LINE_ITEM, new_id, window.browser.path_of(LINE_ITEM, new_id))
    window.editing.delete()
    assert new_id not in [n.id for n in window.services.tree.line_items(pid)]
    assert window.select(PROGRAM, pid, window.browser.path_of(PROGRAM, pid))


def test_finding_click_selects_node(window, qtbot):
    qtbot.waitUntil(lambda: window.findings.count() > 0)
    item = window.findings.item(0)
    window.findings_panel.choose(item)
    loc = item.data(Qt.ItemDataRole.UserRole).location
    kind, node_id, _ = window.browser.selected()
    assert (kind, node_id) in ((LINE_ITEM, loc.line_item_id), (PROGRAM, loc.program_id))


def test_rollover_selects_new_year(window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.year_actions.new_year()
    assert window.current_fiscal_year() == 2025
    assert window.services.budgets.fiscal_years() == [2024, 2025]
    assert window.model.rowCount() > 0


def test_drag_and_drop_reorders_within_parent(window):
    _first_program(window)
    cat = _first_category(window)
    first = window.model.index(0, 0, cat)
    moved = window.model.node(first).data.id
    mime = window.model.mimeData([first])
    assert window.model.canDropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, cat)
    window.model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, cat)
    cat_id = window.services.editing.program(moved).category_id
    assert [n.id for n in window.services.tree.programs(cat_id)][2] == moved
    assert window.undo_stack.undoText() == "事業「災害に強い区づくり事業」を下へ移動"
    window.undo_stack.undo()
    assert window.services.tree.programs(cat_id)[0].id == moved
    # an edit reloads the tree: take indexes afresh (an index of before points at a node that is gone)
    third = window.model.index(2, 0, _first_category(window))
    other_cat = window.model.index(1, 0, window.model.index(1, 0))
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


def _line_item(window, name: str) -> QModelIndex:
    prog = window.tree.currentIndex()
    window.tree.expand(prog)
    index = next(window.model.index(r, 0, prog) for r in range(window.model.rowCount(prog))
                 if window.model.index(r, 0, prog).data().endswith(name))
    window.tree.setCurrentIndex(index)
    return index


def test_tree_shows_total_then_budget_classes(window):
    labels = [window.model.index(r, 0).data() for r in range(window.model.rowCount())]
    assert labels == ["個性ある区づくり推進費 合計", "自主企画事業費", "統合事務事業費", "区庁舎・区民利用施設管理費",
                      "区配事業（合計外）"]
    assert [window.model.node(window.model.index(r, 0)).data.kind for r in range(5)] == [TOTAL] + [BUDGET_CLASS] * 4
    assert _row(window, window.model.index(0, 0))[1:] == ["876,702", "849,290", "27,412"]  # 区配事業 not in it
    assert _row(window, window.model.index(1, 0))[1] == "102,924"
    assert not window.model.hasChildren(window.model.index(0, 0))
    cls = window.model.index(3, 0)  # a class of a single category still shows the category as its own row
    assert window.model.canFetchMore(cls)  # children load lazily, on expand
    window.tree.expand(cls)
    assert window.model.node(window.model.index(0, 0, cls)).data.kind == CATEGORY
    window.tree.setCurrentIndex(window.model.index(0, 0))
    assert window.stack.currentWidget() is window.total_page and "876,702" in window.total_page.figures.text()


def test_line_item_amount_rolls_up_to_program_category_class_and_total(window, demo_db):
    pid = _first_program(window)
    lid = window.model.node(_line_item(window, "防災訓練事業")).data.id
    _commit(window.line_item_form.fields["amount"], "1225")

    def shown() -> tuple[str, str, str, str]:
        cat = _first_category(window)  # an edit reloads the tree: indexes of before are gone
        return (window.model.index(0, 1, cat).data(), window.model.index(cat.row(), 1, cat.parent()).data(),
                window.model.index(1, 1).data(), window.model.index(0, 1).data())

    assert shown() == ("12,422", "24,855", "103,424", "877,202")
    assert window.model.index(0, 3, _first_category(window)).data() == "101"  # 12,422 − 12,321
    other = build_services(str(demo_db))
    try:
        assert (other.editing.line_item(lid).amount, other.editing.program(pid).current) == (1225, 12422)
    finally:
        other.close()
    assert window.browser.selected()[:2] == (LINE_ITEM, lid)  # the clerk stays where they were
    window.undo_stack.undo()
    assert shown() == ("11,922", "24,355", "102,924", "876,702")
    assert window.services.editing.program(pid).current == 11922
    window.undo_stack.redo()
    assert shown() == ("12,422", "24,855", "103,424", "877,202")


def test_delete_line_item_and_program_are_undoable_exactly(window, demo_db, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    before = _dump(demo_db)
    pid = _first_program(window)
    _commit(window.program_form.fields["name"], "災害に強い区づくり事業（改）")  # an earlier step
    renamed = _dump(demo_db)
    lid = window.model.node(_line_item(window, "防災活動事業")).data.id
    window.editing.delete()  # the 削除… action's slot
    assert lid not in [n.id for n in window.services.tree.line_items(pid)]
    assert window.services.editing.program(pid).current == 11922 - 8966
    assert [n.label.split(" ")[0] for n in window.services.tree.line_items(pid)] == ["1", "2", "3", "4", "5", "6"]
    window.select(PROGRAM, pid, window.browser.path_of(PROGRAM, pid))
    window.editing.delete()  # the whole program, its items, indicators, sections, photos
    cat_id = _dump(demo_db)["category"][0][0]
    assert pid not in [n.id for n in window.services.tree.programs(cat_id)]
    assert [n.label.split(" ")[0] for n in window.services.tree.programs(cat_id)] == ["1", "2", "3"]
    assert window.undo_stack.count() == 3
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert _dump(demo_db) == renamed  # ids, positions, numbers, codes, amounts, texts
    window.undo_stack.redo()
    assert lid not in [n.id for n in window.services.tree.line_items(pid)]
    window.undo_stack.redo()
    assert pid not in [n.id for n in window.services.tree.programs(cat_id)]
    for _ in range(3):
        window.undo_stack.undo()
    assert _dump(demo_db) == before  # the rename before the deletes still undoes
    assert window.model.index(0, 1, _first_category(window)).data() == "11,922"


def test_added_record_keeps_its_id_through_undo_and_redo(window):
    pid = _first_program(window)
    window.editing.add_child()  # a line item
    _kind, lid, _ = window.browser.selected()
    _commit(window.line_item_form.fields["amount"], "100")
    assert window.services.editing.program(pid).current == 12022
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert lid not in [n.id for n in window.services.tree.line_items(pid)]
    window.undo_stack.redo()
    window.undo_stack.redo()  # names the same line item: it came back with its id
    assert window.services.editing.line_item(lid).amount == 100


def _click(form: QWidget, name: str) -> None:
    form.findChild(QPushButton, name).click()


def test_list_edits_are_separate_undo_steps(window):
    pid = _first_program(window)
    form = window.program_form
    before = window.services.editing.program(pid).indicators
    _click(form, "indicator追加")
    form.indicators.setCurrentCell(len(before), 0)
    _click(form, "indicator上へ")
    form.indicators.setCurrentCell(0, 0)
    _click(form, "indicator削除")
    assert window.undo_stack.count() == 3
    window.undo_stack.undo()
    assert len(window.services.editing.program(pid).indicators) == len(before) + 1
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.services.editing.program(pid).indicators == before

    lid = window.model.node(_line_item(window, "防災訓練事業")).data.id
    acts = window.services.editing.line_item(lid).activities
    lf = window.line_item_form
    _click(lf, "activity追加")
    lf.activities.item(len(acts)).setText("訓練の見直し")  # edited in place
    lf.activities.setCurrentRow(len(acts))
    _click(lf, "activity上へ")
    lf.activities.setCurrentRow(0)
    _click(lf, "activity削除")
    assert window.undo_stack.count() == 4
    window.undo_stack.undo()
    assert window.services.editing.line_item(lid).activities == (acts[0], "訓練の見直し", *acts[1:])
    window.undo_stack.undo()
    assert window.services.editing.line_item(lid).activities == (*acts, "訓練の見直し")
    window.undo_stack.undo()
    assert window.services.editing.line_item(lid).activities == (*acts, "新しい活動")
    window.undo_stack.undo()
    assert window.services.editing.line_item(lid).activities == acts


def test_window_geometry_is_restored(qtbot, demo_db):
    """Settings go to tmp_path (conftest). The offscreen test screen is 800×600 and restoreGeometry keeps a
    window on its screen, so the size saved here fits in it."""
    first = build_main_window(str(demo_db))
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)
    first.close()
    second = build_main_window(str(demo_db))
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (760, 560)


def test_drop_under_a_filter_moves_against_the_real_order(window):
    cat_id = window.services.editing.program(_first_program(window)).category_id
    order = [n.id for n in window.services.tree.programs(cat_id)]
    window.search_box.setText("地域")  # hides ＤＶ対策事業 (the 3rd), shows the others
    cat = window.model.index(0, 0, window.model.index(0, 0))
    shown = [window.model.node(window.model.index(r, 0, cat)).data.id for r in range(window.model.rowCount(cat))]
    assert shown == [order[0], order[1], order[3]]
    first = window.model.index(0, 0, cat)
    window.model.dropMimeData(window.model.mimeData([first]), Qt.DropAction.MoveAction, 2, 0, cat)  # before the 3rd shown
    assert [n.id for n in window.services.tree.programs(cat_id)] == [order[1], order[2], order[0], order[3]]
    window.undo_stack.undo()
    cat = window.model.index(0, 0, window.model.index(0, 0))
    last = window.model.index(2, 0, cat)
    window.model.dropMimeData(window.model.mimeData([last]), Qt.DropAction.MoveAction, 1, 0, cat)  # before the 2nd
    assert [n.id for n in window.services.tree.programs(cat_id)] == [order[0], order[3], order[1], order[2]]


@pytest.mark.parametrize(("field", "on_item", "widget"), [
    ("活動内容", True, "activitiesList"), ("事業指標", False, "indicatorTable"), ("前年度額", False, "prior"),
    ("担当課", False, "sections"), ("予算額", False, "current")])
def test_finding_click_focuses_the_field(window, qtbot, field, on_item, widget):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    loc = Location(2024, field=field, category_id=1, program_id=1, line_item_id=2 if on_item else None)
    item = QListWidgetItem("x")
    item.setData(Qt.ItemDataRole.UserRole, Finding(ERROR, "X", "x", loc))
    window.search_box.setText("講座")  # a filter that hides nothing relevant is cleared on the jump
    window.findings_panel.choose(item)
    assert window.browser.selected()[:2] == ((LINE_ITEM, 2) if on_item else (PROGRAM, 1))
    form = window.line_item_form if on_item else window.program_form
    target = form.fields.get(widget) or form.findChild(QWidget, widget)

    def focused() -> bool:
        w = QApplication.focusWidget()
        return w is not None and (w is target or target.isAncestorOf(w))

    qtbot.waitUntil(focused)


def test_search_opens_the_program_of_a_matching_line_item(window):
    window.search_box.setText("防災講演会")
    cat = window.model.index(0, 0, window.model.index(0, 0))
    prog = window.model.index(0, 0, cat)
    assert window.tree.isExpanded(cat) and window.tree.isExpanded(prog)
    assert window.model.index(0, 0, prog).data() == "3 防災講演会"


def test_model_stays_valid_when_the_filter_changes_under_an_expanded_program(window, qtmodeltester):
    qtmodeltester.check(window.model)  # qt.modeltest: FAIL warnings fail the test (qt_log_level_fail)
    _first_program(window)
    window.tree.expand(window.tree.currentIndex())
    window.search_box.setText("防災")
    window.search_box.setText("防災訓")
    window.search_box.clear()


def test_service_error_stays_in_the_form(window):
    pid = _first_program(window)
    window.program_form.fieldEdited.emit("sections", ("存在しない課",))
    assert "担当課「存在しない課」は登録されていません" in window.program_form.message.text()
    assert window.services.editing.program(pid).sections != ("存在しない課",)
    assert window.undo_stack.count() == 0


def test_status_bar_says_the_data_is_saved(window):
    assert window.statusBar().currentMessage() == SAVED
    _first_program(window)
    _commit(window.program_form.fields["name"], "災害に強い区づくり事業（改）")
    assert window.statusBar().currentMessage() == SAVED


def test_user_text_in_dialogs_and_messages_is_shown_literally(window, monkeypatch):
    """A name that looks like markup is the clerk's text: the question shows it escaped, labels are plain."""
    from asahi_desk.ui.plain_text import as_html

    pid = window.services.tree.programs(window.services.tree.categories(window.current_fiscal_year())[0].id)[0].id
    window.services.editing.update_program(pid, name="<b>防災</b> & 訓練")
    window.refresh()
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _parent, _title, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.No)
    assert window.select(PROGRAM, pid, window.browser.path_of(PROGRAM, pid))
    window.editing.delete()
    assert asked and "&lt;b&gt;防災&lt;/b&gt; &amp; 訓練" in asked[0] and "<br>" in asked[0]
    assert as_html("a<b>\nc&") == "<p>a&lt;b&gt;<br>c&amp;</p>"
    assert window.program_form.message.textFormat() == Qt.TextFormat.PlainText


# ---- second audit: read-only sum, lengths, list rows, search place, per-year undo, exact undo, moves ----

def _type_amount(qtbot, edit: QLineEdit, text: str) -> None:
    """Typed as a clerk types it: click, select all, keys, Tab out."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def _q(db, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchall()


def test_current_amount_is_read_only_for_a_program_with_line_items(qtbot, window, demo_db):
    pid = _first_program(window)
    field = window.program_form.fields["current"]
    hint = window.program_form.findChild(QWidget, "currentHint")
    assert field.isReadOnly() and "細事業の合計" in field.toolTip()
    assert hint.isVisible() and hint.text() == "細事業の合計"
    _type_amount(qtbot, field, "1,000,000")
    assert _q(demo_db, "select current from program where id = ?", pid) == [(11922,)]
    assert _q(demo_db, "select sum(amount) from line_item where program_id = ?", pid) == [(11922,)]
    assert window.undo_stack.count() == 0
    # a program without items types its amount
    leaf = _program_without_items(window)
    assert not field.isReadOnly() and not hint.isVisible()
    _type_amount(qtbot, field, "25,000")
    assert _q(demo_db, "select current from program where id = ?", leaf) == [(25000,)]


def test_amount_with_misplaced_commas_is_refused(qtbot, window, demo_db):
    leaf = _program_without_items(window)
    before = _dump(demo_db)
    _type_amount(qtbot, window.program_form.fields["current"], "1,000,00")
    assert "カンマは3桁ごと" in window.program_form.message.text()
    assert _dump(demo_db) == before and window.undo_stack.count() == 0
    assert _q(demo_db, "select current from program where id = ?", leaf) == [(24195,)]


def test_too_long_text_is_refused_inline_and_nothing_written(window, demo_db):
    pid = _first_program(window)
    before = _dump(demo_db)
    _commit(window.program_form.fields["code"], "Ⅰ-1-" + "X" * 20)
    assert "コードは20文字以内" in window.program_form.message.text()
    assert window.program_form.fields["code"].text() == "Ⅰ-1"  # back to what the database holds
    assert window.statusBar().currentMessage() != SAVED
    _commit(window.program_form.fields["name"], "い" * 5000)
    assert "事業名は200文字以内" in window.program_form.message.text()
    assert _dump(demo_db) == before and window.undo_stack.count() == 0
    assert window.services.editing.program(pid).code == "Ⅰ-1"


def test_list_editors_keep_and_follow_the_current_row(qtbot, window, demo_db):
    _first_program(window)
    lid = window.model.node(_line_item(window, "防災訓練事業")).data.id
    lf = window.line_item_form
    lf.activity_editor.set_items(("A", "B", "C"))
    lf.activity_editor.edited.emit(("A", "B", "C"))  # as after typing them: one committed step
    lst = lf.activities
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(lst.item(2)).center())
    _click(lf, "activity上へ")
    assert lst.currentRow() == 1
    _click(lf, "activity上へ")
    assert lst.currentRow() == 0
    assert window.services.editing.line_item(lid).activities == ("C", "A", "B")
    _click(lf, "activity削除")
    assert window.services.editing.line_item(lid).activities == ("A", "B")
    assert lst.currentRow() == 0

    pid = _first_program(window)
    pf = window.program_form
    window.services.editing.update_program(pid, photo_captions=["A", "B", "C"])
    window.refresh()
    window.select(PROGRAM, pid, window.browser.path_of(PROGRAM, pid))
    photos = pf.photo_captions.list
    photos.setCurrentRow(2)
    _click(pf, "photoCaption上へ")
    _click(pf, "photoCaption上へ")
    assert photos.currentRow() == 0
    _click(pf, "photoCaption削除")
    assert _q(demo_db, "select caption from photo where program_id = ? order by position", pid) == [("A",), ("B",)]


def _expanded(window, parent=None) -> list[str]:
    parent = parent or QModelIndex()
    out = []
    for r in range(window.model.rowCount(parent)):
        index = window.model.index(r, 0, parent)
        if window.tree.isExpanded(index):
            out += [index.data(), *_expanded(window, index)]
    return out


def test_search_keeps_the_selection_and_clearing_restores_the_expansion(qtbot, window):
    pid = _first_program(window)
    window.tree.collapse(window.model.index(0, 0, _first_category(window)))
    expanded = _expanded(window)
    window.search_box.setFocus()
    window.search_box.setText("防災")
    current = window.tree.currentIndex()
    assert current.isValid() and window.model.node(current).data.id == pid
    assert window.stack.currentWidget() is window.program_form and window.program_form.program_id == pid
    window.search_box.setText("該当なしの語")
    assert window.stack.currentWidget() is window.empty_page
    window.search_box.setText("防災")
    window.search_box.clear()
    assert _expanded(window) == expanded
    # a selection that survives the search stays after clearing it
    _first_program(window)
    window.search_box.setText("災害")
    window.search_box.clear()
    assert window.model.node(window.tree.currentIndex()).data.id == pid
    assert window.program_form.program_id == pid


def test_each_fiscal_year_keeps_its_undo_history(qtbot, window, demo_db, monkeypatch):
    from PySide6.QtGui import QAction

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _first_program(window)
    lid = window.model.node(_line_item(window, "防災訓練事業")).data.id
    _commit(window.line_item_form.fields["amount"], "800")
    window.year_actions.new_year()
    assert window.current_fiscal_year() == 2025
    assert window.undo_stack.count() == 0  # the new year's own history
    undo = window.findChild(QAction, "undoAction")
    assert not undo.isEnabled()
    window.year_combo.setCurrentIndex(window.year_combo.findData(2024))
    assert window.undo_stack.undoText() == "細事業の金額を変更"
    assert undo.isEnabled() and "細事業の金額を変更" in undo.text()
    undo.trigger()
    assert _q(demo_db, "select amount from line_item where id = ?", lid) != [(800,)]
    window.year_combo.setCurrentIndex(window.year_combo.findData(2025))
    assert not undo.isEnabled()
    window.year_combo.setCurrentIndex(window.year_combo.findData(2024))
    assert window.undo_stack.redoText() == "細事業の金額を変更"


def test_edits_and_moves_undo_to_the_same_rows(window, demo_db):
    """Whole tables compared: a line item's amount (the program's printed 増▲減 cleared), a category code
    (the programs' codes follow), a move (numbers and codes renumbered) each undo to the rows of before."""
    before = _dump(demo_db)
    _first_program(window)
    _line_item(window, "防災訓練事業")
    _commit(window.line_item_form.fields["amount"], "999")
    assert _dump(demo_db) != before
    window.undo_stack.undo()
    assert _dump(demo_db) == before
    window.undo_stack.redo()
    window.undo_stack.undo()
    assert _dump(demo_db) == before
    window.tree.setCurrentIndex(_first_category(window))
    _commit(window.category_form.fields["code"], "Ⅸ")
    assert _q(demo_db, "select code from program where category_id = 1 order by position")[0] == ("Ⅸ-1",)
    window.undo_stack.undo()
    assert _dump(demo_db) == before
    _first_program(window)
    window.editing.move(1)
    window.undo_stack.undo()
    assert _dump(demo_db) == before


def test_moves_name_the_node_and_a_move_at_the_end_is_no_step(qtbot, window, demo_db):
    pid = _first_program(window)
    before = _dump(demo_db)
    qtbot.keyClick(window.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.undo_stack.count() == 0 and _dump(demo_db) == before
    assert "これ以上上へ移動できません" in window.statusBar().currentMessage()
    qtbot.keyClick(window.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.undo_stack.undoText() == "事業「災害に強い区づくり事業」を下へ移動"
    assert window.services.editing.program(pid).number == 2


def test_hand_typed_program_code_survives_moves_and_undo(window, demo_db):
    pid = _first_program(window)
    _commit(window.program_form.fields["code"], "Ⅰ-1-A")
    typed = _dump(demo_db)
    window.editing.move(1)
    assert window.services.editing.program(pid).code == "Ⅰ-1-A"
    assert [c for (c,) in _q(demo_db, "select code from program where category_id = 1 order by position")] == [
        "Ⅰ-1", "Ⅰ-1-A", "Ⅰ-2", "Ⅰ-3"]
    window.undo_stack.undo()
    assert _dump(demo_db) == typed


def test_refused_amount_stays_visible_after_clicking_another_row(qtbot, window, demo_db):
    _first_program(window)
    index = _line_item(window, "防災訓練事業")
    before = _dump(demo_db)
    field = window.line_item_form.fields["amount"]
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, "12a3")
    other = window.model.index(index.row() + 1, 0, index.parent())
    window.tree.scrollTo(other)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=window.tree.visualRect(other).center())
    assert window.tree.currentIndex().row() == other.row()
    note = window.line_item_form.message.text()
    assert "防災訓練事業" in note and "金額は保存していません" in note and "12a3" in note
    assert note == window.statusBar().currentMessage()
    assert _dump(demo_db) == before and window.undo_stack.count() == 0
    # shown once: the next row shown has no stale note
    window.tree.setCurrentIndex(index)
    assert window.line_item_form.message.text() == ""


def test_undo_of_a_delete_whose_id_was_reused_in_another_year_is_refused_cleanly(window, demo_db, monkeypatch):
    """SQLite gives a freed id to the next new record: a program deleted in 2024 and a program then added in
    2025 share it. Undoing the delete must not fail half way or rewire the 2025 record: it is refused, the
    step leaves the history and the database stays as it was."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.year_actions.new_year()
    window.year_combo.setCurrentIndex(window.year_combo.findData(2024))
    cat = window.services.tree.categories(2024)[0].id
    added = window.services.editing.add_program(cat, "使い捨ての事業").value
    window.refresh()
    assert window.select(PROGRAM, added, window.browser.path_of(PROGRAM, added))
    window.program_form.fieldEdited.emit("purpose", "一度だけ書いた目的")  # a step that names the same id
    window.editing.delete()
    assert window.undo_stack.undoText().endswith("を削除")
    window.year_combo.setCurrentIndex(window.year_combo.findData(2025))
    reused = window.services.editing.add_program(window.services.tree.categories(2025)[0].id, "2025年度の新事業").value
    assert reused == added  # the premise: SQLite handed out the same id
    window.year_combo.setCurrentIndex(window.year_combo.findData(2024))
    before = _dump(demo_db)
    window.undo_stack.undo()
    assert "元に戻せません" in window.statusBar().currentMessage()
    QApplication.processEvents()  # the rest of 2024's history is dropped once the stack is done with the step
    assert window.undo_stack.count() == 0 and not window.undo_stack.canUndo()
    window.undo_stack.undo()  # nothing left that could write 2024's purpose over the 2025 program
    assert _dump(demo_db) == before
    assert window.services.editing.program(reused).name == "2025年度の新事業"
    assert window.services.editing.program(reused).purpose == ""


def test_typing_a_program_number_moves_it_in_the_tree_and_undo_moves_it_back(window):
    pid = _first_program(window)
    _commit(window.program_form.fields["number"], "3")
    cat = _first_category(window)
    assert window.model.node(window.model.index(2, 0, cat)).data.id == pid
    assert window.model.node(window.tree.currentIndex()).data.id == pid  # the clerk's place follows it
    assert window.program_form.fields["number"].text() == "3"
    window.undo_stack.undo()
    assert window.model.node(window.model.index(0, 0, _first_category(window))).data.id == pid


def test_printed_summary_after_an_edit_is_brought_in_line_from_the_total_row(qtbot, window, demo_db):
    """An amount edit leaves the printed 総括表 behind: the checker says so, a click on the finding opens the
    total row, whose button sets the printed figures to the computed ones (one undo step)."""
    from PySide6.QtWidgets import QPushButton

    _first_program(window)
    _line_item(window, "防災訓練事業")
    _commit(window.line_item_form.fields["amount"], "800")

    def summary_findings() -> list:
        items = [window.findings.item(i) for i in range(window.findings.count())]
        return [it for it in items if it.data(Qt.ItemDataRole.UserRole) is not None
                and it.data(Qt.ItemDataRole.UserRole).code == "SUMMARY_TOTAL"]

    qtbot.waitUntil(lambda: len(summary_findings()) == 2, timeout=5000)  # the total and 自主企画事業費
    window.findings_panel.choose(summary_findings()[0])
    assert window.stack.currentWidget() is window.total_page
    button = window.total_page.findChild(QPushButton, "syncSummaryButton")
    assert button.isVisibleTo(window.total_page)
    assert "2行が積み上げと違います" in window.total_page.note.text()
    printed = "select current from summary_row order by position"
    assert _q(demo_db, printed)[0] == (876702,)
    button.click()
    assert _q(demo_db, printed)[0] == (876702 + 75,)
    assert window.undo_stack.undoText() == "総括表の記載値を積み上げに合わせる"
    assert not button.isVisibleTo(window.total_page)
    qtbot.waitUntil(lambda: not summary_findings(), timeout=5000)
    window.undo_stack.undo()
    assert _q(demo_db, printed)[0] == (876702,)


# ---- the demo's temporary copy, 別名で保存, an empty database, deleting a year, filter sums

def _answer_later(seen: list[str], choose) -> None:  # noqa: ANN001 - choose(box) clicks one of the box's buttons
    """Answer the next modal box (a real QMessageBox or dialog) once it is shown, recording its text."""
    from PySide6.QtCore import QTimer

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text() if isinstance(box, QMessageBox) else box.objectName())
        choose(box)

    QTimer.singleShot(0, answer)


def _press(box: QMessageBox, text: str) -> None:
    [button] = [b for b in box.buttons() if b.text() == text]
    button.click()


@pytest.fixture
def demo_window(qtbot):
    from asahi_desk.app import fresh_demo_copy

    w = build_main_window(str(fresh_demo_copy()))
    qtbot.addWidget(w)
    w.show()
    # pytest-qt closes the window after the test: that close must not wait for a box nobody answers. The tests
    # of the question put the real one back (MainWindow._ask_demo_close).
    w.ask_demo_close = lambda: "discard"
    return w


def test_demo_copy_says_it_is_temporary(demo_window):
    from asahi_desk.app import is_demo_copy
    from asahi_desk.ui.main import DEMO_OPENED, DEMO_SAVED, DEMO_TITLE

    assert is_demo_copy(demo_window.services.db_path)
    assert demo_window.windowTitle() == DEMO_TITLE == "asahi-desk — デモ（一時コピー）"
    assert demo_window.statusBar().currentMessage() == DEMO_OPENED
    assert not demo_window.demo_edited()
    _first_program(demo_window)
    _commit(demo_window.program_form.fields["name"], "災害に強い区づくり事業（改）")
    assert demo_window.statusBar().currentMessage() == DEMO_SAVED
    demo_window.grab().save("/tmp/ux-demo-window.png")
    assert "終了すると消えます" in DEMO_SAVED and "ファイル → 別名で保存" in DEMO_SAVED
    demo_window.undo_stack.undo()
    assert demo_window.demo_edited()  # the step is still there (redo), and the copy was written


def test_closing_an_edited_demo_asks_and_cancel_keeps_the_window(demo_window, qtbot):
    demo_window.ask_demo_close = demo_window._ask_demo_close  # noqa: SLF001 - the real question
    _first_program(demo_window)
    _commit(demo_window.program_form.fields["name"], "改名")
    seen: list[str] = []
    _answer_later(seen, lambda box: _press(box, "キャンセル"))
    assert not demo_window.close()  # the real question, answered キャンセル
    assert seen == ["デモの変更は終了すると消えます。別名で保存しますか？"]
    assert demo_window.isVisible()
    _answer_later(seen, lambda box: _press(box, "保存しない"))
    assert demo_window.close()
    assert len(seen) == 2


def test_closing_an_edited_demo_can_save_it_first(demo_window, tmp_path):
    _first_program(demo_window)
    pid = demo_window.program_form.program_id
    _commit(demo_window.program_form.fields["name"], "保存される名前")
    demo_window.ask_demo_close = demo_window._ask_demo_close  # noqa: SLF001 - the real question
    target = tmp_path / "残す.db"
    demo_window.ask_save_path = lambda suggestion: str(target)
    seen: list[str] = []
    _answer_later(seen, lambda box: _press(box, "保存…"))
    assert demo_window.close()
    assert _q(target, "select name from program where id = ?", pid) == [("保存される名前",)]


def test_save_as_switches_a_demo_to_the_saved_file(demo_window, tmp_path):
    from PySide6.QtGui import QAction

    demo_path = demo_window.services.db_path
    target = tmp_path / "わたしの予算.db"
    suggestions: list[str] = []
    demo_window.ask_save_path = lambda suggestion: suggestions.append(suggestion) or str(target)
    _first_program(demo_window)
    _commit(demo_window.program_form.fields["name"], "一度目")
    action = demo_window.findChild(QAction, "actionSaveAs")
    assert action.shortcut().toString() == "Ctrl+Shift+S" and action.text() == "別名で保存…"
    action.trigger()
    assert suggestions[0].endswith("asahi-desk-デモ.db") and str(demo_path.parent) not in suggestions[0]
    assert demo_window.services.db_path == target.resolve()
    assert demo_window.windowTitle().endswith("わたしの予算.db")
    assert str(target) in demo_window.statusBar().currentMessage()
    assert demo_window.current_fiscal_year() == 2024
    assert demo_window.undo_stack.count() == 0  # the old steps wrote to the temporary copy
    _first_program(demo_window)
    pid = demo_window.program_form.program_id
    _commit(demo_window.program_form.fields["name"], "二度目")
    assert demo_window.statusBar().currentMessage() == SAVED
    assert _q(target, "select name from program where id = ?", pid) == [("二度目",)]
    assert _q(demo_path, "select name from program where id = ?", pid) == [("一度目",)]
    demo_window.ask_demo_close = lambda: pytest.fail("a saved demo is a normal database: no question")
    assert demo_window.close()


def test_save_as_of_a_normal_database_writes_a_backup_and_never_asks_on_close(window, demo_db, tmp_path):
    from PySide6.QtGui import QAction

    window.ask_demo_close = lambda: pytest.fail("a normal database is never asked about")
    _first_program(window)
    pid = window.program_form.program_id
    _commit(window.program_form.fields["name"], "控えに入る名前")
    suggestions: list[str] = []
    window.ask_save_path = lambda suggestion: suggestions.append(suggestion) or str(tmp_path / "控え.db")
    window.findChild(QAction, "actionSaveAs").trigger()
    assert suggestions == ["demo-コピー.db"]  # a name: the dialog opens in the last folder used, else Documents
    assert window.services.db_path == demo_db.resolve()  # still working on the original
    assert "控え.db" in window.statusBar().currentMessage()
    assert _q(tmp_path / "控え.db", "select name from program where id = ?", pid) == [("控えに入る名前",)]
    assert window.undo_stack.count() == 1
    window.ask_save_path = lambda suggestion: str(demo_db)  # the open file itself: refused, nothing written
    window.findChild(QAction, "actionSaveAs").trigger()
    assert "同じファイル" in window.statusBar().currentMessage()
    assert window.close()


@pytest.fixture
def empty_window(qtbot, tmp_path):
    w = build_main_window(str(tmp_path / "empty.db"))
    qtbot.addWidget(w)
    w.show()
    return w


def test_empty_database_page_says_how_to_start(empty_window, tmp_path):
    from PySide6.QtGui import QAction

    page = empty_window.findChild(QWidget, "noYearPage")
    assert empty_window.stack.currentWidget() is page
    text = empty_window.findChild(QWidget, "noYearText").text()
    for hint in ("まだ年度がありません", "データ → 前年度Excel取込…", "データ → 空の年度を作成…",
                 "ファイル → データベースを開く…", "empty.db"):
        assert hint in text, hint
    for name in ("noYearImportButton", "noYearCreateButton", "noYearOpenButton"):
        assert page.findChild(QPushButton, name).isVisible(), name
    empty_window.grab().save("/tmp/ux-empty-database.png")
    before = _q(tmp_path / "empty.db", "select count(*) from fiscal_year")
    for text in ("新年度作成…", "施策を追加"):
        empty_window.statusBar().clearMessage()
        [action] = [a for a in empty_window.findChildren(QAction) if a.text() == text]
        action.trigger()
        assert "空の年度を作成…" in empty_window.statusBar().currentMessage(), text
    assert _q(tmp_path / "empty.db", "select count(*) from fiscal_year") == before == [(0,)]


def test_create_empty_year_from_the_menu_then_add_a_category(empty_window, tmp_path):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QSpinBox

    from asahi_desk.domain.fiscal import fiscal_year_of

    seen: list[str] = []
    defaults: list[tuple[int, str]] = []

    def fill(dialog) -> None:  # noqa: ANN001
        spin = dialog.findChild(QSpinBox, "emptyYearSpin")
        defaults.append((spin.value(), dialog.findChild(QLineEdit, "emptyYearWard").text()))
        spin.setValue(2026)
        dialog.accept()

    _answer_later(seen, fill)
    empty_window.findChild(QAction, "actionCreateEmptyYear").trigger()
    import datetime as dt

    assert seen == ["emptyYearDialog"] and defaults == [(fiscal_year_of(dt.date.today()), "旭区")]
    db = tmp_path / "empty.db"
    assert _q(db, "select year from fiscal_year") == [(2026,)]
    assert empty_window.current_fiscal_year() == 2026
    assert empty_window.stack.currentWidget() is not empty_window.findChild(QWidget, "noYearPage")
    assert [empty_window.model.index(r, 0).data() for r in range(empty_window.model.rowCount())][1] == "自主企画事業費"
    [add] = [a for a in empty_window.findChildren(QAction) if a.text() == "施策を追加"]
    add.trigger()
    assert _q(db, "select name from category") == [("新しい施策",)]
    assert empty_window.create_empty_year(2026, "旭区") is False  # the year exists: said, nothing written
    assert "既にあります" in empty_window.statusBar().currentMessage()
    assert _q(db, "select count(*) from fiscal_year") == [(1,)]


def test_delete_year_asks_then_removes_it_and_its_undo_history(window, demo_db):
    from PySide6.QtGui import QAction

    _first_program(window)
    _commit(window.program_form.fields["name"], "2024年度の編集")
    stack_2024 = window.undo_stack
    assert stack_2024.count() == 1
    seen: list[str] = []
    _answer_later(seen, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    window.year_actions.new_year()  # 2025 from 2024
    window.year_combo.setCurrentIndex(window.year_combo.findData(2024))
    assert window.undo_stack is stack_2024
    action = window.findChild(QAction, "actionDeleteYear")
    _answer_later(seen, lambda box: box.button(QMessageBox.StandardButton.No).click())
    action.trigger()
    assert "令和6年度（2024年度）" in seen[1] and "元に戻せません" in seen[1]
    assert _q(demo_db, "select year from fiscal_year order by year") == [(2024,), (2025,)]
    _answer_later(seen, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    action.trigger()
    assert _q(demo_db, "select year from fiscal_year order by year") == [(2025,)]
    assert window.current_fiscal_year() == 2025  # the next year is shown
    assert [window.year_combo.itemData(i) for i in range(window.year_combo.count())] == [2025]
    assert stack_2024 not in window.undo_group.stacks()
    assert "削除しました" in window.statusBar().currentMessage()
    _answer_later(seen, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    action.trigger()  # the last year: the empty-database page follows
    assert window.current_fiscal_year() is None
    assert window.stack.currentWidget() is window.findChild(QWidget, "noYearPage")
    assert _q(demo_db, "select count(*) from program") == [(0,)]


def test_section_and_search_filters_show_the_listed_programs_sums(window, demo_db):
    from asahi_desk.domain.money import format_amount

    label = window.findChild(QLabel, "filterSummary")
    assert not label.isVisible()
    window.section_filter.setCurrentIndex(window.section_filter.findText("地域振興課"))
    listed = """
        select count(*), sum(p.current), sum(p.prior) from program p join category c on c.id = p.category_id
          join budget_class b on b.id = c.budget_class_id where b.in_total = {inside} and p.id in (
          select ps.program_id from program_section ps join section s on s.id = ps.section_id
           where s.name = '地域振興課'
          union select li.program_id from line_item li join line_item_section ls on ls.line_item_id = li.id
           join section s on s.id = ls.section_id where s.name = '地域振興課')"""
    [(count, current, prior)] = _q(demo_db, listed.format(inside=1))
    [(outside, out_current, out_prior)] = _q(demo_db, listed.format(inside=0))
    assert outside > 0  # 地域振興課 has 区配事業 programs: they are named apart, never added into the 合計
    assert label.isVisible()
    assert label.text() == (f"地域振興課: 事業 {count} 件、予算額 {format_amount(current)}千円"
                            f"・前年度 {format_amount(prior)}千円（ほかに合計外 {outside} 件、予算額 "
                            f"{format_amount(out_current)}千円・前年度 {format_amount(out_prior)}千円）")
    window.search_box.setText("防災訓練")
    assert label.text().startswith("地域振興課・「防災訓練」: ")
    window.section_filter.setCurrentIndex(0)
    assert label.text().startswith("「防災訓練」: 事業 1 件、予算額 ")
    window.search_box.setText("存在しない事業名ｘｙｚ")
    assert label.text() == "「存在しない事業名ｘｙｚ」: 該当する項目はありません"
    assert window.stack.currentWidget() is window.empty_page
    assert window.empty_page.text().startswith("該当する項目はありません")
    window.search_box.clear()
    assert not label.isVisible()


def test_total_row_of_a_year_deleted_elsewhere_is_a_message_not_a_crash(window, demo_db):
    """On a shared database another clerk may delete the year shown: selecting its 合計 row says so."""
    from asahi_desk.app import build_services

    other = build_services(str(demo_db))
    try:
        other.budgets.delete_year(2024)
    finally:
        other.close()
    window.select(TOTAL, 0)
    assert "2024" in window.statusBar().currentMessage() or "令和6年度" in window.statusBar().currentMessage()


def test_a_database_url_is_shown_without_its_password():
    from asahi_desk.app import display_url

    shown = display_url("postgresql+psycopg://asahi:s3cretPW@dbhost/asahi")
    assert "s3cretPW" not in shown and "dbhost" in shown


def test_indicator_actual_shows_achievement_and_undoes(window):
    pid = _first_program(window)
    table = window.program_form.indicators
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["指標", "目標", "単位", "実績", "達成率"]
    table.item(0, 3).setText("80")  # 防災訓練・講習会等の実施回数, target 84
    assert window.services.editing.program(pid).indicators[0].actual == "80"
    assert table.item(0, 4).text() == "95.2%"
    table.item(1, 3).setText("37")  # 訓練等に参加したことのない方の割合, target 35: points
    assert table.item(1, 4).text() == "+2.0ポイント"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.services.editing.program(pid).indicators[0].actual == ""
    assert table.item(0, 4).text() == ""
