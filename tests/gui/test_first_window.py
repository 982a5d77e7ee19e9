"""The window started on the first read (sqlite3 alone, before SQLAlchemy): what the clerk does before the real
services are loaded waits for them once and is never lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QListWidget, QTreeView, QWidget

from asahi_desk.app import Services, build_services
from asahi_desk.ui.first_services import pending
from asahi_desk.ui.main import load_services, watch_first_input
from asahi_desk.ui.startup import load_behind, start_window
from asahi_desk.ui.window.detail import PAGES


def _first_window(qtbot, db: Path, tmp_path: Path):
    window, _choice = start_window(str(db), False, tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    assert pending(window.services)  # built on the first read: the real services are not open yet
    return window


def _type(qtbot, edit: QLineEdit, text: str) -> None:
    """Typed as a clerk types it (Japanese arrives whole, as an input method commits it), then left: the
    offscreen platform gives no window the focus, so leaving the field is its editingFinished."""
    edit.selectAll()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)
    edit.editingFinished.emit()


def _q(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchall()


def test_the_tree_shows_the_year_before_the_services_load(qtbot, demo_db, tmp_path):
    window = _first_window(qtbot, demo_db, tmp_path)
    services = build_services(demo_db)
    try:
        year = services.budgets.fiscal_years()[-1]
        assert window.current_fiscal_year() == year
        top = [window.model.node(window.model.index(r, 0)).data for r in range(window.model.rowCount())]
        assert top == services.tree.top(year)
        cls = window.model.index(1, 0)
        window.tree.expand(cls)  # a class's categories come from the first read too
        categories = [window.model.node(window.model.index(r, 0, cls)).data for r in range(window.model.rowCount(cls))]
        assert categories == services.tree.categories(year, top[1].id)
        assert pending(window.services)
    finally:
        services.close()


def test_an_edit_typed_at_once_lands_in_the_database_after_the_load(qtbot, demo_db, tmp_path):
    window = _first_window(qtbot, demo_db, tmp_path)
    cls = window.model.index(1, 0)
    window.tree.expand(cls)
    category = window.model.index(0, 0, cls)
    category_id = window.model.node(category).data.id
    assert pending(window.services)
    window.tree.setCurrentIndex(category)  # the form needs the record: the services are loaded here, once
    assert isinstance(window.services, Services)
    assert window.stack.currentWidget() is window.category_form
    _type(qtbot, window.category_form.fields["name"], "すぐに入力した施策名")
    assert _q(demo_db, "SELECT name FROM category WHERE id = ?", category_id) == [("すぐに入力した施策名",)]
    assert window.undo_stack.count() == 1  # an ordinary edit: undoable, in the history
    assert _q(demo_db, "SELECT count(*) FROM change_history WHERE row_id = ? AND field = 'name'", category_id) == [(1,)]


def test_a_program_amount_typed_while_loading_behind_is_saved(qtbot, demo_db, tmp_path):
    """The load behind the window (load_behind, after the first paint) and an amount typed right away."""
    window = _first_window(qtbot, demo_db, tmp_path)
    load_behind(window)  # imports SQLAlchemy now; opens the database on the next turn of the event loop
    assert pending(window.services)
    program_id = _q(demo_db, "SELECT p.id FROM program p LEFT JOIN line_item l ON l.program_id = p.id"
                             " WHERE l.id IS NULL ORDER BY p.id LIMIT 1")[0][0]
    category_id = _q(demo_db, "SELECT category_id FROM program WHERE id = ?", program_id)[0][0]
    assert window.select("program", program_id, (category_id,))  # before the turn that opens the database
    _type(qtbot, window.program_form.fields["current"], "12345")
    assert _q(demo_db, "SELECT current FROM program WHERE id = ?", program_id) == [(12345,)]
    qtbot.waitUntil(lambda: not pending(window.services))


def test_the_first_click_loads_the_services_before_it_is_handled(qtbot, demo_db, tmp_path):
    """So no action, dialog or worker it starts meets the first read (a worker thread must never load them)."""
    window = _first_window(qtbot, demo_db, tmp_path)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton)
    assert isinstance(window.services, Services)


def test_a_search_typed_before_the_load_filters(qtbot, demo_db, tmp_path):
    window = _first_window(qtbot, demo_db, tmp_path)
    window.search_box.setText("防災")  # the search index needs the services: loaded now
    assert not pending(window.services)
    assert window.browser.filtered and window.model.rowCount() > 0


def test_others_commits_between_the_first_read_and_the_load_are_shown(qtbot, demo_db, tmp_path):
    window = _first_window(qtbot, demo_db, tmp_path)
    total_before = window.model.node(window.model.index(0, 0)).data.current
    other = build_services(demo_db)
    try:
        other.clerk = "佐藤"
        program = other.tree.programs(other.tree.categories(window.current_fiscal_year())[0].id)[0]
        fields = other.editing.program(program.id)
        if fields.line_items:
            item = other.tree.line_items(program.id)[0]
            line = other.editing.line_item(item.id)
            other.editing.update_line_item(item.id, version=line.version, amount=line.amount + 1000)
        else:
            other.editing.update_program(program.id, version=fields.version, current=fields.current + 1000)
    finally:
        other.close()
    load_services(window)
    qtbot.waitUntil(lambda: window.model.node(window.model.index(0, 0)).data.current == total_before + 1000)
    assert "佐藤" in window.statusBar().currentMessage()


def test_closing_before_the_load_opens_nothing(qtbot, demo_db, tmp_path):
    window = _first_window(qtbot, demo_db, tmp_path)
    services = window.services
    window.close()
    assert pending(services)


def test_until_its_first_paint_the_start_watches_the_windows_own_input(qtbot, demo_db, tmp_path):
    """The start watches the whole application from load_behind on (a Python filter there makes PySide set up every
    Qt class, ~30 ms); before that, the mouse and keys arriving at the window load the services before they are
    handled."""
    def click(handle, window):  # on the page beside the tree: nothing there asks the services for anything
        QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         window.empty_page.mapTo(window, QPoint(5, 5)))

    for send in (click, lambda handle, _window: QTest.keyClick(handle, Qt.Key.Key_Down)):
        window, _choice = start_window(str(demo_db), False, tmp_path / "data", watch_input=False)
        qtbot.addWidget(window)
        window.show()
        watch_first_input(window, whole_application=False)
        qtbot.waitExposed(window)
        assert pending(window.services)
        send(window.windowHandle(), window)
        assert isinstance(window.services, Services)


def test_the_pages_not_shown_are_built_when_needed(qtbot, demo_db, tmp_path):
    """The ready paint builds neither the forms nor the 振り返り view: a page is built when shown (or asked for),
    the rest once the services are loaded; objectNames find them as before."""
    window = _first_window(qtbot, demo_db, tmp_path)
    assert [window.detail.built(name) for name in PAGES] == [None] * len(PAGES)
    assert window.review_tab.built is None and window.findChild(QTreeView, "reviewTree") is None
    window.review_tabs.setCurrentIndex(1)  # the 振り返り tab: its view is built, and reads the loaded services
    assert window.review_tabs.currentWidget() is window.review_view
    assert window.findChild(QTreeView, "reviewTree") is window.review_view.tree
    assert window.review_view.year_combo.count() > 0
    window.review_tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: all(window.detail.built(name) is not None for name in PAGES))  # after the load
    assert window.findChild(QListWidget, "reviewLinks") is not None
    assert window.findChild(QWidget, "formStack").count() == len(PAGES) + 1  # and the empty page
