"""The 振り返り view in the main window, on a real copy of the demo database: tree, row form, edits of a
bullet, a link and an actual with undo, add / delete / reorder, and the program form's reviewLinks."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from PySide6.QtWidgets import QListWidget, QPushButton, QTabWidget, QTreeView, QWidget

from asahi_desk.app import build_services
from asahi_desk.services.review import ROW
from asahi_desk.ui.main import build_main_window
from asahi_desk.ui.review import menu as review_menu

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def linked_db(demo_db: Path, review_json: dict) -> Path:
    """The demo plus the demo review as 令和6年度's, its first row linked to Ⅰ-1."""
    services = build_services(demo_db)
    data = copy.deepcopy(review_json)
    data["fiscal_year"] = 2024
    data["areas"][0]["initiatives"][0]["rows"][0]["programs"] = ["Ⅰ-1"]
    services.budgets.load_data(data)
    services.close()
    return demo_db


@pytest.fixture
def review_window(qtbot, linked_db: Path):
    w = build_main_window(str(linked_db))
    qtbot.addWidget(w)
    w.show()
    w.review_tabs.setCurrentWidget(w.review_view)
    w.review_view.year_combo.setCurrentIndex(w.review_view.year_combo.findData(2024))
    return w


def _first_row(view):
    area = view.model.index(0, 0)
    ini = view.model.index(0, 0, area)
    index = view.model.index(0, 0, ini)
    view.tree.setCurrentIndex(index)
    return view.model.node(index)


def test_objects_and_model(review_window, qtmodeltester):
    w = review_window
    assert isinstance(w.findChild(QTabWidget, "viewTabs"), QTabWidget)
    assert w.findChild(QTreeView, "reviewTree") is w.review_view.tree
    assert w.findChild(QWidget, "reviewRowForm") is w.review_view.row_form
    assert w.findChild(QListWidget, "reviewLinks") is not None
    qtmodeltester.check(w.review_view.model)
    assert w.review_view.model.rowCount() == 6 or w.review_view.model.rowCount() > 0
    node = _first_row(w.review_view)
    form = w.review_view.row_form
    assert w.review_view.stack.currentWidget() is form
    assert form.sections.selected() == ("総務課", "福祉保健課", "高齢・障害支援課")
    table = form.links
    cells = [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
             for r in range(table.rowCount())]
    assert cells[0][:2] == ["Ⅰ-1 災害に強い区づくり事業", "11,922"]
    assert [c[2] for c in cells] == ["防災訓練・講習会等の実施回数", "訓練等に参加したことのない方の割合"]
    assert cells[0][3] == "84回" and node.value.results


def test_bullet_edit_and_undo(review_window):
    w = review_window
    view = w.review_view
    node = _first_row(view)
    before = node.value.results
    item = view.row_form.results.list.item(0)
    item.setText("防災訓練（書き換え）")
    assert w.services.review.node(ROW, node.id).results[0] == "防災訓練（書き換え）"
    assert w.undo_group.activeStack() is view.undo_stack
    w.findChild(type(w.undo_group.createUndoAction(w)), "undoAction").trigger()
    assert w.services.review.node(ROW, node.id).results == before
    assert view.row_form.results.items() == before  # the form shows the database again


def test_link_edit_and_undo(review_window):
    w = review_window
    view = w.review_view
    node = _first_row(view)
    form = view.row_form
    at = next(i for i in range(form.program_choice.count()) if form.program_choice.itemText(i).startswith("Ⅱ-8 "))
    form.program_choice.setCurrentIndex(at)
    form.findChild(QPushButton, "reviewProgramAdd").click()
    assert [x.label for x in w.services.review.node(ROW, node.id).programs] == ["Ⅰ-1", "Ⅱ-8"]
    assert any(form.links.item(r, 0).text().startswith("Ⅱ-8") for r in range(form.links.rowCount()))
    view.undo_stack.undo()
    assert [x.label for x in w.services.review.node(ROW, node.id).programs] == ["Ⅰ-1"]
    view.undo_stack.redo()
    assert [x.label for x in w.services.review.node(ROW, node.id).programs] == ["Ⅰ-1", "Ⅱ-8"]


def test_actual_edited_in_the_program_form_shows_in_the_row_form(review_window):
    w = review_window
    w.review_tabs.setCurrentIndex(0)
    cls = w.model.index(1, 0)
    w.tree.expand(cls)
    cat = w.model.index(0, 0, cls)
    w.tree.expand(cat)
    w.tree.setCurrentIndex(w.model.index(0, 0, cat))  # Ⅰ-1
    w.program_form.indicators.item(0, 3).setText("80")
    links = w.findChild(QListWidget, "reviewLinks")
    assert links.count() == 1 and "令和6年度" in links.item(0).text()
    links.itemClicked.emit(links.item(0))  # a click goes to the citing row
    assert w.review_tabs.currentWidget() is w.review_view
    form = w.review_view.row_form
    assert w.review_view.stack.currentWidget() is form
    assert form.links.item(0, 4).text() == "80回" and form.links.item(0, 5).text() == "95.2%"
    w.review_tabs.setCurrentIndex(0)
    w.undo_stack.undo()
    w.review_tabs.setCurrentWidget(w.review_view)
    w.review_view.select_row(2024, form.row.id)
    assert form.links.item(0, 4).text() == "" and form.links.item(0, 5).text() == ""


def test_add_delete_reorder_with_undo(review_window):
    w = review_window
    view = w.review_view
    svc = w.services.review
    node = _first_row(view)
    ini_id = node.parent.id
    ids = lambda: [r.id for r in svc.node("initiative", ini_id).rows]  # noqa: E731
    start = ids()
    view.findChild(QPushButton, "reviewAddRow").click()
    after_add = ids()
    assert len(after_add) == len(start) + 1 and after_add[0] == start[0]  # placed after the selected row
    new_id = after_add[1]
    assert view.model.node(view.tree.currentIndex()).id == new_id
    view.findChild(QPushButton, "reviewMoveUp").click()
    assert ids()[0] == new_id
    view.findChild(QPushButton, "reviewDelete").click()
    assert ids() == start
    view.undo_stack.undo()  # the row comes back first
    assert len(ids()) == len(start) + 1
    view.undo_stack.undo()  # moved back down
    view.undo_stack.undo()  # and the add undone
    assert ids() == start
    # deleting a real row and undoing it brings its bullets and links back
    _first_row(view)
    first = svc.node(ROW, start[0])
    view.findChild(QPushButton, "reviewDelete").click()
    assert start[0] not in ids()
    view.undo_stack.undo()
    back = svc.node("initiative", ini_id).rows[0]
    assert (back.sections, back.plan, back.results, back.programs) == (first.sections, first.plan, first.results,
                                                                         first.programs)


def test_a_stale_edit_is_refused_and_the_form_reloads(review_window, linked_db):
    w = review_window
    view = w.review_view
    node = _first_row(view)
    other = build_services(linked_db)  # a colleague on the same file
    try:
        other.review.set_field(ROW, node.id, "results", node.value.results, ("別の担当者の記入",))
    finally:
        other.close()
    view.row_form.results.list.item(0).setText("こちらの記入")
    assert w.services.review.node(ROW, node.id).results == ("別の担当者の記入",)
    assert "さんが 別の担当者の記入 に変更しています。表示を更新しました" in view.row_form.message.text()
    assert view.row_form.results.items() == ("別の担当者の記入",)


def test_new_review_menu_item(review_window):
    w = review_window
    assert w.findChild(type(w.menu("データ").actions()[0]), "actionNewReview") is not None
    assert review_menu.new_review(w, 2025, 2024)
    assert w.review_view.year() == 2025
    rows = [r for _a, _i, r in w.services.review.get(2025).rows()]
    assert rows and all(not r.results for r in rows)
    assert not review_menu.new_review(w, 2025, 2024)  # refused: the year has its review
    assert w.statusBar().currentMessage() == "令和7年度（2025年度）の振り返りは既にあります"


def test_screenshot(review_window, qtbot):
    w = review_window
    w.resize(1400, 900)
    _first_row(w.review_view)
    w.review_view.tree.expandAll()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(SHOTS / "review_view.png"))


def test_a_review_finding_opens_its_row(review_window, qtbot):
    w = review_window
    view = w.review_view
    node = _first_row(view)
    second = view.model.node(view.model.index(1, 0, view.model.index(0, 0, view.model.index(0, 0))))
    # a 振り返り bullet pasted into another row: the checker names that row
    w.services.review.set_field("row", second.id, "results", second.value.results,
                                (*second.value.results, node.value.results[0]))
    w.review_tabs.setCurrentIndex(0)
    w.findings_panel.run_checks()  # the F5 action
    qtbot.waitUntil(lambda: any("REVIEW_DUPLICATE_RESULT" in (w.findings.item(i).text() or "")
                                or "振り返りが" in (w.findings.item(i).text() or "")
                                for i in range(w.findings.count())), timeout=10_000)
    item = next(w.findings.item(i) for i in range(w.findings.count()) if "振り返りが" in w.findings.item(i).text())
    w.findings.itemClicked.emit(item)
    assert w.review_tabs.currentWidget() is view
    assert view.model.node(view.tree.currentIndex()).id == second.id


def test_basic_goal_area_initiative_and_sections_edits_with_undo(review_window):
    w = review_window
    view = w.review_view
    svc = w.services.review
    goal = view.basic_goal
    before_goal = goal.text()
    goal.setText("新しい基本目標")
    goal.editingFinished.emit()
    assert svc.get(2024).basic_goal == "新しい基本目標"
    area_index = view.model.index(0, 0)
    view.tree.setCurrentIndex(area_index)
    assert view.stack.currentWidget() is view.area_form
    view.area_form.name.setText("安全・安心（改）")
    view.area_form.name.editingFinished.emit()
    assert svc.get(2024).areas[0].name == "安全・安心（改）"
    ini_index = view.model.index(0, 0, view.model.index(0, 0))
    view.tree.setCurrentIndex(ini_index)
    view.initiative_form.title.setText("災害に強いまちづくり（改）")
    view.initiative_form.title.editingFinished.emit()
    assert svc.get(2024).areas[0].initiatives[0].title == "災害に強いまちづくり（改）"
    node = _first_row(view)
    view.row_form.sections.check("地域振興課")
    assert svc.node(ROW, node.id).sections == ("総務課", "福祉保健課", "高齢・障害支援課", "地域振興課")
    for _ in range(4):
        view.undo_stack.undo()
    review = svc.get(2024)
    assert review.basic_goal == before_goal and review.areas[0].name == "安全・安心"
    assert review.areas[0].initiatives[0].title == "災害に強いまちづくり"
    assert review.rows()[0][2].sections == ("総務課", "福祉保健課", "高齢・障害支援課")
    # the edits are in the change history, with their undos
    sources = [h.source for h in w.services.history.entries(fiscal_year=2024) if h.table.startswith("review")]
    assert sources.count("edit") == 4 and sources.count("undo") == 4


def test_a_colleagues_review_edit_shows_up_and_own_edits_are_not_reported(review_window, linked_db, qtbot):
    w = review_window
    view = w.review_view
    node = _first_row(view)
    view.row_form.results.list.item(0).setText("自分の記入")
    w.live.poll()
    assert "変更を反映しました" not in w.statusBar().currentMessage()  # our own operation
    other = build_services(linked_db)
    try:
        other.review.set_field(ROW, node.id, "results", w.services.review.node(ROW, node.id).results, ("同僚の記入",))
    finally:
        other.close()
    qtbot.waitUntil(lambda: view.row_form.results.items() == ("同僚の記入",), timeout=5_000)


def test_a_link_made_in_the_review_shows_in_the_program_form(review_window):
    w = review_window
    w.review_tabs.setCurrentIndex(0)
    cls = w.model.index(1, 0)
    w.tree.expand(cls)
    cat = w.model.index(0, 0, cls)
    w.tree.expand(cat)
    w.tree.setCurrentIndex(w.model.index(0, 0, cat))  # Ⅰ-1
    links = w.findChild(QListWidget, "reviewLinks")
    assert links.count() == 1
    w.review_tabs.setCurrentWidget(w.review_view)
    view = w.review_view
    second = view.model.index(1, 0, view.model.index(0, 0, view.model.index(0, 0)))
    view.tree.setCurrentIndex(second)
    form = view.row_form
    form.program_choice.setCurrentIndex(next(i for i in range(form.program_choice.count())
                                             if form.program_choice.itemText(i).startswith("Ⅰ-1 ")))
    form.findChild(QPushButton, "reviewProgramAdd").click()
    w.review_tabs.setCurrentIndex(0)
    assert links.count() == 2


def test_opening_another_database_shows_its_review(review_window, tmp_path):
    w = review_window
    other = tmp_path / "other.db"
    services = build_services(other)
    services.budgets.load_demo()  # the 令和4年度 review only
    services.close()
    assert w.switch_database(str(other))
    assert [w.review_view.year_combo.itemData(i) for i in range(w.review_view.year_combo.count())] == [2022]
    assert w.review_view.review.fiscal_year == 2022 and w.review_view.undo_stack.count() == 0


def test_history_dock_follows_the_review_row(review_window, qtbot):
    w = review_window
    view = w.review_view
    node = _first_row(view)
    view.row_form.results.list.item(0).setText("書き換えた振り返り")
    dock = w.findChild(QWidget, "historyDock")
    dock.show()
    dock.raise_()
    table = w.findChild(QWidget, "historyTable")
    scope = w.findChild(QWidget, "historyScope")
    scope.setCurrentIndex(scope.findData("row"))
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    assert table.item(0, 4).text() == "振り返り" and "書き換えた振り返り" in table.item(0, 6).text()
    other = view.model.index(1, 0, view.model.index(0, 0, view.model.index(0, 0)))
    view.tree.setCurrentIndex(other)  # a row never edited: no lines
    assert table.rowCount() == 0
    view.select("row", node.id)
    assert table.rowCount() == 1
    w.review_tabs.setCurrentIndex(0)  # the budget again: the dock follows its selection (nothing selected)
    scope.setCurrentIndex(scope.findData("year"))
    # the year's lines: the review's one change (and the demo's load, when the demo database was built so)
    assert [table.item(r, 4).text() for r in range(table.rowCount())][:1] == ["振り返り"]
    w.review_tabs.setCurrentWidget(view)
    view.tree.setCurrentIndex(other)
    scope.setCurrentIndex(scope.findData("row"))
    assert table.rowCount() == 0


def test_tree_keys_add_move_and_delete(review_window, qtbot):
    from PySide6.QtCore import Qt

    w = review_window
    view = w.review_view
    w.activateWindow()
    qtbot.waitExposed(w)
    node = _first_row(view)
    ini_id = node.parent.id
    ids = lambda: [r.id for r in w.services.review.node("initiative", ini_id).rows]  # noqa: E731
    start = ids()
    view.tree.setFocus()
    qtbot.waitUntil(view.tree.hasFocus)
    qtbot.keyClick(view.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert ids() == [start[1], start[0]]
    qtbot.keyClick(view.tree, Qt.Key.Key_Insert)
    assert len(ids()) == 3
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert ids() == [start[1], start[0]]
    moves = [a for a in w.menu("編集").actions() if a.text() in ("上へ移動", "下へ移動")]
    assert len(moves) == 2 and not any(a.isEnabled() for a in moves)  # a budget row is not moved from here
    w.review_tabs.setCurrentIndex(0)
    assert all(a.isEnabled() for a in moves)
