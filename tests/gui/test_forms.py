"""The edit forms driven as a clerk drives them: typing, Enter, ticking, choosing, editing lists in place."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStyleOptionViewItem,
    QTableWidget,
)

from asahi_desk.domain.entities import Indicator
from asahi_desk.services.editing import CategoryFields, LineItemFields, ProgramFields
from asahi_desk.services.tree import PROGRAM
from asahi_desk.ui.forms import CategoryForm, LineItemForm, ProgramForm

SAMPLE_PROGRAM = ProgramFields(
    id=1, category_id=1, code="Ⅰ-1", number=1, name="防災事業", purpose="災害に備える", current=11922, prior=12321,
    sections=("区政推進課", "地域振興課"), related=(("緑の事業", "みどり環境局", 1000), ("参考事業", "", None)),
    photo_captions=("訓練の様子",), indicators=(Indicator("訓練回数", "84", "回"),))
SAMPLE_LINE_ITEM = LineItemFields(id=7, program_id=1, number=1, name="防災訓練", amount=500, marker=None,
                           activities=("地域防災拠点の訓練を支援します。", "防災マップを配ります。"))


class Emitted:
    """fieldEdited as (field, value) pairs."""

    def __init__(self, form) -> None:
        self.calls: list[tuple[str, object]] = []
        form.fieldEdited.connect(lambda f, v: self.calls.append((f, v)))


def _shown(qtbot, form, show, record):
    qtbot.addWidget(form)
    show(record)
    form.show()
    return form


@pytest.fixture
def program_form(qtbot):
    form = ProgramForm()
    return _shown(qtbot, form, form.show_program, SAMPLE_PROGRAM)


@pytest.fixture
def line_item_form(qtbot):
    form = LineItemForm()
    return _shown(qtbot, form, form.show_line_item, SAMPLE_LINE_ITEM)


def _type(qtbot, edit: QLineEdit, text: str) -> None:
    """Replace the text as typed, then Enter (full-width text arrives whole, as from the IME)."""
    edit.setFocus()
    edit.selectAll()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


# ---- program: 増▲減, 増▲減率 ----

def test_change_and_rate_are_read_only_and_follow_the_amounts(qtbot, program_form):
    change = program_form.findChild(QLineEdit, "changeEdit")
    rate = program_form.findChild(QLineEdit, "changeRateEdit")
    assert change.isReadOnly() and rate.isReadOnly()
    assert (change.text(), rate.text()) == ("▲399", "▲3.2%")
    current = program_form.findChild(QLineEdit, "currentEdit")
    current.setFocus()
    current.selectAll()
    qtbot.keyClicks(current, "12,421")  # while typing, before Enter
    assert (change.text(), rate.text()) == ("100", "0.8%")
    _type(qtbot, program_form.findChild(QLineEdit, "priorEdit"), "0")
    assert (change.text(), rate.text()) == ("12,421", "―")


# ---- amounts: digits only ----

@pytest.mark.parametrize("typed", ["Infinity", "NaN", "1e3", "１e３", "-5", "12.5", "5円"])
def test_amount_field_refuses_what_is_not_digits(qtbot, program_form, typed):
    emitted = Emitted(program_form)
    _type(qtbot, program_form.fields["current"], typed)
    assert emitted.calls == []
    assert "金額は0以上の整数（千円）で入力してください" in program_form.message.text()


def test_amount_field_accepts_full_width_digits_and_commas(qtbot, program_form):
    emitted = Emitted(program_form)
    _type(qtbot, program_form.fields["current"], "１，２３４")
    assert emitted.calls == [("current", 1234)]
    assert program_form.message.text() == ""


# ---- program: 関連する局事業 ----

def test_related_table_add_edit_validate_remove(qtbot, program_form):
    emitted = Emitted(program_form)
    table = program_form.findChild(QTableWidget, "relatedTable")
    assert [table.item(0, c).text() for c in range(3)] == ["緑の事業", "みどり環境局", "1,000"]
    assert table.item(1, 2).text() == ""
    qtbot.mouseClick(program_form.findChild(QPushButton, "related追加"), Qt.MouseButton.LeftButton)
    assert emitted.calls[-1] == ("related", (*SAMPLE_PROGRAM.related, ("新しい局事業", "", None)))
    table.item(2, 2).setText("1e3")
    assert len(emitted.calls) == 1
    assert "関連する局事業 3行目" in program_form.message.text()
    table.item(2, 2).setText("２，５００")
    assert emitted.calls[-1][1][2] == ("新しい局事業", "", 2500)
    assert program_form.message.text() == ""
    table.item(2, 0).setText(" ")
    assert "事業名を入力してください" in program_form.message.text() and len(emitted.calls) == 2
    table.item(2, 0).setText("新事業")
    table.setCurrentCell(0, 0)
    qtbot.mouseClick(program_form.findChild(QPushButton, "related削除"), Qt.MouseButton.LeftButton)
    assert emitted.calls[-1] == ("related", (("参考事業", "", None), ("新事業", "", 2500)))


# ---- program: 写真の説明 ----

def test_photo_captions_ordered_list(qtbot, program_form):
    emitted = Emitted(program_form)
    captions = program_form.findChild(QListWidget, "photoCaptionsList")
    qtbot.mouseClick(program_form.findChild(QPushButton, "photoCaption追加"), Qt.MouseButton.LeftButton)
    assert emitted.calls[-1] == ("photo_captions", ("訓練の様子", "新しい写真の説明"))
    captions.item(1).setText("配布の様子")
    assert emitted.calls[-1] == ("photo_captions", ("訓練の様子", "配布の様子"))
    captions.setCurrentRow(1)
    qtbot.mouseClick(program_form.findChild(QPushButton, "photoCaption上へ"), Qt.MouseButton.LeftButton)
    assert emitted.calls[-1] == ("photo_captions", ("配布の様子", "訓練の様子"))


# ---- program: 担当課 ----

def _checked(sections: QListWidget) -> list[str]:
    return [sections.item(i).text() for i in range(sections.count())
            if sections.item(i).checkState() == Qt.CheckState.Checked]


def test_sections_fall_back_to_the_programs_own_without_a_master(program_form):
    sections = program_form.findChild(QListWidget, "sectionsList")
    assert _checked(sections) == ["区政推進課", "地域振興課"] and sections.count() == 2


def test_sections_multi_select_from_master_in_selection_order(qtbot, program_form):
    emitted = Emitted(program_form)
    program_form.set_section_master(["総務課", "地域振興課", "区政推進課"])
    sections = program_form.findChild(QListWidget, "sectionsList")
    assert [sections.item(i).text() for i in range(3)] == ["総務課", "地域振興課", "区政推進課"]
    assert _checked(sections) == ["地域振興課", "区政推進課"]
    sections.item(0).setCheckState(Qt.CheckState.Checked)
    assert emitted.calls[-1] == ("sections", ("区政推進課", "地域振興課", "総務課"))
    sections.item(2).setCheckState(Qt.CheckState.Unchecked)
    assert emitted.calls[-1] == ("sections", ("地域振興課", "総務課"))
    added = []
    program_form.sectionAddRequested.connect(lambda: added.append(True))
    qtbot.mouseClick(program_form.findChild(QPushButton, "addSectionButton"), Qt.MouseButton.LeftButton)
    assert added == [True]
    program_form.set_section_master(["総務課", "地域振興課", "区政推進課", "新しい課"])
    program_form.check_section("新しい課")
    assert emitted.calls[-1] == ("sections", ("地域振興課", "総務課", "新しい課"))


# ---- line item: 記号 ----

def test_marker_combo(qtbot, line_item_form):
    emitted = Emitted(line_item_form)
    combo = line_item_form.findChild(QComboBox, "markerCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == ["なし", "新", "拡"]
    assert combo.currentText() == "なし"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert emitted.calls == [("marker", "新")]
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert emitted.calls == [("marker", "新"), ("marker", "拡"), ("marker", None)]
    line_item_form.show_line_item(LineItemFields(7, 1, 1, "x", 0, "再", ()))
    assert combo.currentText() == "再"  # older data is shown, not lost


# ---- line item: 主な活動 ----

def test_activities_are_bulleted_and_striped_but_stored_plain(line_item_form):
    activities = line_item_form.findChild(QListWidget, "activitiesList")
    assert activities.alternatingRowColors()
    option = QStyleOptionViewItem()
    activities.itemDelegate().initStyleOption(option, activities.model().index(0, 0))
    assert option.text == "・地域防災拠点の訓練を支援します。"
    assert activities.item(0).text() == "地域防災拠点の訓練を支援します。"
    assert line_item_form.current_activities() == SAMPLE_LINE_ITEM.activities


def test_emptying_an_activity_removes_its_row_and_says_so(qtbot, line_item_form):
    emitted = Emitted(line_item_form)
    activities = line_item_form.findChild(QListWidget, "activitiesList")
    activities.setCurrentRow(0)
    activities.editItem(activities.item(0))
    editor = activities.viewport().focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "地域防災拠点の訓練を支援します。"  # no bullet
    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: emitted.calls != [])  # the delegate commits on Return through a queued call
    assert emitted.calls == [("activities", ("防災マップを配ります。",))]
    assert activities.count() == 1
    assert "削除しました" in line_item_form.message.text()


# ---- category: 表示順 ----

def test_category_order_field(qtbot):
    form = CategoryForm()
    _shown(qtbot, form, form.show_category, CategoryFields(3, "Ⅲ", "健康づくり", 2))
    emitted = Emitted(form)
    order = form.findChild(QLineEdit, "orderEdit")
    assert order.text() == "3"
    _type(qtbot, order, "0")
    assert emitted.calls == [] and "番号は1以上の整数" in form.message.text()
    _type(qtbot, order, "１")
    assert emitted.calls == [("order", 0)]  # the 0-based position update_category(order=…) takes


# ---- the whole window: Ctrl+Z / Ctrl+Y in a form field ----

@pytest.fixture
def window(active_window):
    return active_window


def _select_first_program(window) -> int:
    cat = window.services.tree.categories(window.current_fiscal_year())[0]
    pid = window.services.tree.programs(cat.id)[0].id
    assert window.select(PROGRAM, pid, window.browser.path_of(PROGRAM, pid))
    assert window.stack.currentWidget() is window.program_form
    return pid


def _prior_in_db(demo_db, pid: int) -> int:
    with sqlite3.connect(demo_db) as con:
        return con.execute("select prior from program where id = ?", (pid,)).fetchone()[0]


def test_ctrl_z_in_a_committed_field_undoes_the_edit(qtbot, window, demo_db):
    pid = _select_first_program(window)
    before = _prior_in_db(demo_db, pid)
    _type(qtbot, window.program_form.fields["prior"], "12000")
    assert _prior_in_db(demo_db, pid) == 12000
    field = window.program_form.fields["prior"]
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _prior_in_db(demo_db, pid) == before
    assert window.program_form.fields["prior"].text() == f"{before:,}"
    qtbot.keyClick(window.program_form.fields["prior"], Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert _prior_in_db(demo_db, pid) == 12000


def test_ctrl_z_while_typing_undoes_the_typing_only(qtbot, window, demo_db):
    pid = _select_first_program(window)
    _type(qtbot, window.program_form.fields["name"], "防災事業（改）")
    field = window.program_form.fields["prior"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "99")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "12,321"  # the field's own undo
    assert window.services.editing.program(pid).name == "防災事業（改）"  # the window's stack untouched
    assert window.undo_stack.count() == 1


def test_sections_edit_through_the_window(window):
    pid = _select_first_program(window)
    window.program_form.set_section_master(window.services.tree.sections())
    sections = window.program_form.findChild(QListWidget, "sectionsList")
    before = window.services.editing.program(pid).sections
    item = next(sections.item(i) for i in range(sections.count()) if sections.item(i).text() not in before)
    name = item.text()
    item.setCheckState(Qt.CheckState.Checked)
    assert window.services.editing.program(pid).sections == (*before, name)
    assert window.undo_stack.undoText() == "事業の担当課を変更"
    window.undo_stack.undo()
    assert window.services.editing.program(pid).sections == before
    assert window.browser.selected()[0] == PROGRAM


def test_window_gives_the_form_the_section_master(window):
    _select_first_program(window)
    sections = window.program_form.findChild(QListWidget, "sectionsList")
    shown = [sections.item(i).text() for i in range(sections.count())]
    assert shown == window.services.tree.sections()
    assert len(shown) > len(window.services.editing.program(window.program_form.program_id).sections)


def test_add_section_button_adds_to_the_master_and_ticks_it(window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QPushButton

    pid = _select_first_program(window)
    # The modal name prompt answered as a clerk would; the rest runs for real.
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("危機管理課", True)))
    window.program_form.findChild(QPushButton, "addSectionButton").click()
    assert "危機管理課" in window.services.tree.sections()
    assert window.services.editing.program(pid).sections[-1] == "危機管理課"
    assert window.section_filter.findData("危機管理課") >= 0
    window.undo_stack.undo()
    assert "危機管理課" not in window.services.editing.program(pid).sections


def test_related_photo_captions_and_category_order_edit_through_the_window(qtbot, window):
    from asahi_desk.ui.main import CATEGORY

    pid = _select_first_program(window)
    form = window.program_form
    form.fieldEdited.emit("related", (("防災推進事業", "総務局", 1200),))
    assert window.services.editing.program(pid).related == (("防災推進事業", "総務局", 1200),)
    assert window.undo_stack.undoText() == "事業の関連する局事業を変更"
    form.fieldEdited.emit("photo_captions", ("訓練の様子",))
    assert window.undo_stack.undoText() == "事業の写真の説明を変更"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.services.editing.program(pid).related == ()
    cats = window.services.tree.categories(window.current_fiscal_year())
    assert window.select(CATEGORY, cats[0].id, window.browser.path_of(CATEGORY, cats[0].id))
    window.category_form.fieldEdited.emit("order", 1)
    assert [c.id for c in window.services.tree.categories(window.current_fiscal_year())][:2] == [cats[1].id, cats[0].id]
    assert window.undo_stack.undoText() == "施策の表示順を変更"
    window.undo_stack.undo()
    assert [c.id for c in window.services.tree.categories(window.current_fiscal_year())][:2] == [cats[0].id, cats[1].id]
