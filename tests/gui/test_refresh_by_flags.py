"""An edit refreshes the tree by its change flags: amounts along their path in place, structure by branch."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from asahi_desk.services.tree import BUDGET_CLASS, CATEGORY, LINE_ITEM, PROGRAM, TOTAL


def _item(window, name: str) -> int:
    s = window.services
    return next(li.id for c in s.tree.categories(2024) for p in s.tree.programs(c.id)
                for li in s.tree.line_items(p.id) if li.label.split(" ", 1)[1] == name)


def _amount(window, kind: str, node_id: int) -> str:
    return window.model.loaded(kind, node_id).siblingAtColumn(1).data()


def test_an_amount_edit_updates_its_path_without_resetting_the_tree(window) -> None:
    drill = _item(window, "防災訓練事業")
    assert window.select(LINE_ITEM, drill, window.browser.path_of(LINE_ITEM, drill))
    program = window.services.editing.line_item(drill).program_id
    category = window.services.editing.program(program).category_id
    budget_class = window.services.tree.class_of_category(category)
    other = window.model.index(2, 0)  # another class, expanded: must stay expanded
    window.tree.expand(other)
    before = {k: window.model.node(window.model.loaded(*k)).data.current for k in
              ((PROGRAM, program), (CATEGORY, category), (BUDGET_CLASS, budget_class))}
    total_before = window.model.total_node().data.current
    resets, changed = [], []
    window.model.modelReset.connect(lambda: resets.append(1))
    window.model.dataChanged.connect(lambda a, _b, _r: changed.append(window.model.node(a).data.kind))
    edit = window.findChild(QWidget, "lineItemForm").findChild(QLineEdit, "amountEdit")
    edit.setText("800")
    edit.editingFinished.emit()
    assert resets == []
    assert sorted(set(changed)) == sorted({LINE_ITEM, PROGRAM, CATEGORY, BUDGET_CLASS, TOTAL})
    assert _amount(window, LINE_ITEM, drill) == "800"
    for (kind, node_id), value in before.items():
        assert window.model.node(window.model.loaded(kind, node_id)).data.current == value + 75
    assert window.model.total_node().data.current == total_before + 75
    assert window.tree.isExpanded(other)
    assert window.browser.selected()[:2] == (LINE_ITEM, drill)
    # and the figures in place are what a fresh read gives
    fresh = {d.id: d.current for d in window.services.tree.top(2024)}
    assert fresh[0] == window.model.total_node().data.current
    window.undo_stack.undo()
    assert resets == [] and _amount(window, LINE_ITEM, drill) == "725"
    assert window.model.total_node().data.current == total_before


def test_adding_a_line_item_reloads_only_its_program(window) -> None:
    drill = _item(window, "防災訓練事業")
    assert window.select(LINE_ITEM, drill, window.browser.path_of(LINE_ITEM, drill))
    program = window.services.editing.line_item(drill).program_id
    resets = []
    window.model.modelReset.connect(lambda: resets.append(1))
    count = window.model.rowCount(window.model.loaded(PROGRAM, program))
    window.editing.add_child()
    assert resets == []
    assert window.model.rowCount(window.model.loaded(PROGRAM, program)) == count + 1
    assert window.browser.selected()[0] == LINE_ITEM and window.browser.selected()[1] != drill
    window.undo_stack.undo()
    assert resets == [] and window.model.rowCount(window.model.loaded(PROGRAM, program)) == count


def test_the_clerk_name_in_the_settings_is_who_the_history_names(qtbot, demo_db) -> None:
    from asahi_desk.ui.main import build_main_window
    from asahi_desk.ui.window.clerk_name import apply_clerk_name, set_clerk_name

    set_clerk_name("田中")
    w = build_main_window(str(demo_db))
    qtbot.addWidget(w)
    drill = _item(w, "防災訓練事業")
    assert w.select(LINE_ITEM, drill, w.browser.path_of(LINE_ITEM, drill))
    edit = w.findChild(QWidget, "lineItemForm").findChild(QLineEdit, "amountEdit")
    edit.setText("800")
    edit.editingFinished.emit()
    assert {h.clerk for h in w.services.history.entries()} == {"田中"}
    set_clerk_name("")
    from asahi_desk.services.editing import os_login

    apply_clerk_name(w.services)
    assert w.services.clerk == os_login()
