"""Edits from the window: field edits, add, delete, move, the printed 総括表; each one step on the year's undo stack.

Every edit goes through ui/operations.py (run, push, report flags, refuse); this module picks the operation,
its undo step's name and the row to show, and refreshes the views by the step's change flags.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from asahi_desk.domain.errors import AsahiError, StaleError
from asahi_desk.domain.operations import OpResult
from asahi_desk.domain.tree_rows import BUDGET_CLASS, CATEGORY, LINE_ITEM, PROGRAM, TOTAL
from asahi_desk.ui.no_year import NO_YEAR_HINT
from asahi_desk.ui.operations import Operations
from asahi_desk.ui.plain_text import as_html
from asahi_desk.ui.window.browser import BudgetBrowser
from asahi_desk.ui.window.detail import (
    CATEGORY_FIELD_LABELS,
    KIND_NAMES,
    LINE_ITEM_FIELD_LABELS,
    PROGRAM_FIELD_LABELS,
    DetailPanel,
)
from asahi_desk.ui.window.telling import Teller

if TYPE_CHECKING:
    from asahi_desk.app import Services


class EditingActions(QObject):
    """The 編集 menu's slots and the forms' edits. edited(changes) after every committed step (a do, undo or
    redo), with its change flags."""

    edited = Signal(object)

    def __init__(self, services: Callable[[], Services], undo_stack: Callable[[], QUndoStack],
                 browser: BudgetBrowser, detail: DetailPanel, tell: Teller, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self._undo_stack = undo_stack
        self.operations = Operations(services, undo_stack, tell, self)
        self.operations.performed.connect(self._after_edit)
        self.operations.refused.connect(self._refused)
        self._browser = browser
        self._detail = detail
        self._tell = tell
        self._parent = parent
        browser.model.on_move = self._move_node
        for kind in (CATEGORY, PROGRAM, LINE_ITEM):  # the forms are built when first shown (DetailPanel.page)
            detail.when_built(kind, lambda form, kind=kind: form.fieldEdited.connect(
                lambda f, v: self._edit(kind, f, v)))
        detail.when_built(PROGRAM, lambda form: form.indicatorsEdited.connect(self._edit_indicators))
        detail.when_built(TOTAL, lambda page: page.sync_button.clicked.connect(self._match_printed_summary))

    # ---- the menu's entry points ----
    def add_category(self, budget_class_id: int | None = None) -> None:
        year = self._browser.current_fiscal_year()
        if year is None:
            self._tell.explain("施策を追加", NO_YEAR_HINT)
        else:
            self._push_add("施策を追加", CATEGORY, lambda: self._services().editing.add_category(
                year, "新しい施策", budget_class_id=budget_class_id))

    def add_child(self) -> None:
        current = self._browser.selected()
        if current is None or current[0] == TOTAL:
            self.add_category()
            return
        kind, node_id, _index = current
        ed = self._services().editing
        if kind == BUDGET_CLASS:
            self.add_category(node_id)
        elif kind == CATEGORY:
            self._push_add("事業を追加", PROGRAM, lambda: ed.add_program(node_id, "新しい事業"))
        else:
            pid = node_id if kind == PROGRAM else ed.line_item(node_id).program_id
            self._push_add("細事業を追加", LINE_ITEM, lambda: ed.add_line_item(pid, "新しい細事業"))

    def delete(self) -> None:
        current = self._browser.selected()
        if current is None or current[0] in (TOTAL, BUDGET_CLASS):
            return
        kind, node_id, index = current
        label = self._browser.model.node(index).data.label
        what = {CATEGORY: "施策（配下の事業を含む）", PROGRAM: "事業（配下の細事業を含む）", LINE_ITEM: "細事業"}[kind]
        answer = QMessageBox.question(  # the name is the clerk's text: shown literally, never as markup
            self._parent, "削除の確認", as_html(f"{what}「{label}」を削除しますか？\n（編集メニューの「元に戻す」で戻せます）"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._push_removal(f"{what.split('（')[0]}「{label}」を削除", kind, node_id, added=False)

    def move(self, delta: int) -> None:
        current = self._browser.selected()
        if current is not None and current[0] not in (TOTAL, BUDGET_CLASS):
            self._move_node(current[0], current[1], delta)

    # ---- after each step ----
    def _after_edit(self, result: OpResult | None = None, kind: str | None = None, node_id: int | None = None) -> None:
        """Show the committed state by the step's change flags (in place where they allow: amounts along their
        path, renamed rows, the one branch whose structure changed), then the row to show and its form."""
        browser = self._browser
        current = browser.selected()
        if kind is None and current is not None:
            kind, node_id = current[0], current[1]
        if result is None or not browser.apply_changes(result.changes, result.rows):
            expanded = browser.expanded_paths()
            browser.reload()
            browser.expand_paths(expanded)
        if kind == TOTAL:  # the one total row (an edit of the printed 総括表 names the year)
            now = browser.selected()
            if now is not None and now[0] == TOTAL:
                browser.reshow()
            else:
                browser.select(TOTAL, 0)
        elif kind is not None and node_id is not None:
            now = browser.selected()  # after a branch reload the row selected before may be gone
            if now is not None and now[:2] == (kind, node_id):
                browser.reshow()  # the same row: its form shows the committed values
            else:
                with contextlib.suppress(AsahiError):  # the record may have been deleted
                    browser.select(kind, node_id, browser.path_of(kind, node_id))
        self.edited.emit(result.changes if result is not None else None)

    def _refused(self, error: AsahiError) -> None:
        """A refused edit: the tree and the form show what the database holds now (a colleague's change that
        made it stale among it), with why the edit did not reach it."""
        form = self._detail.stack.currentWidget()
        message = self._tell.current()
        if isinstance(error, StaleError):
            expanded = self._browser.expanded_paths()
            current = self._browser.selected()
            self._browser.reload()
            self._browser.expand_paths(expanded)
            if current is not None:
                with contextlib.suppress(AsahiError):
                    self._browser.select(current[0], current[1], self._browser.path_of(current[0], current[1]))
        self._browser.reshow()
        if hasattr(form, "message"):
            form.message.setText(message)

    def _push(self, text: str, do: Callable[[], OpResult], kind: str, node_id: int) -> bool:
        """One operation, one undo step (the undo and redo change only the fields it changed)."""
        return self.operations.perform(text, do, target=(kind, node_id)) is not None

    def _edit(self, kind: str, field: str, value: object) -> None:
        ed = self._services().editing
        detail = self._detail
        if kind == CATEGORY:
            form: Any = detail.category_form
            cid = form.category_id
            self._push(f"施策の{CATEGORY_FIELD_LABELS[field]}を変更",
                       lambda: ed.update_category(cid, version=_version(form), **{field: value}), kind, cid)
        elif kind == PROGRAM:
            form = detail.program_form
            pid = form.program_id
            self._push(f"事業の{PROGRAM_FIELD_LABELS[field]}を変更",
                       lambda: ed.update_program(pid, version=_version(form), **{field: value}), kind, pid)
        else:
            form = detail.line_item_form
            lid = form.line_item_id
            self._push(f"細事業の{LINE_ITEM_FIELD_LABELS[field]}を変更",
                       lambda: ed.update_line_item(lid, version=_version(form), **{field: value}), kind, lid)

    def _match_printed_summary(self) -> None:
        year = self._browser.current_fiscal_year()
        if year is not None:
            self._push("総括表の記載値を積み上げに合わせる",
                       lambda: self._services().printed_summary.match_computed(year), TOTAL, year)

    def _edit_indicators(self, rows: tuple) -> None:
        form = self._detail.program_form
        pid = form.program_id
        ed = self._services().editing
        self._push("事業指標を変更", lambda: ed.set_indicators(pid, rows, version=_version(form)), PROGRAM, pid)

    def _push_add(self, text: str, kind: str, add: Callable[[], OpResult]) -> None:
        """Add now; undo deletes the new record, redo puts that same record back (same id, so the later steps
        that name it still work)."""
        def targets(result: OpResult) -> tuple[tuple[str, int], tuple[str | None, int | None]]:
            return (kind, result.value), self._parent_of(kind, result.value)

        self.operations.perform(text, add, target=(None, None), targets=targets)

    def _push_removal(self, text: str, kind: str, node_id: int, *, added: bool) -> None:
        """Delete a record (and its subtree) as one undo step; undo puts back exactly the rows it removed."""
        ed = self._services().editing
        deleter = {CATEGORY: ed.delete_category, PROGRAM: ed.delete_program, LINE_ITEM: ed.delete_line_item}[kind]
        try:
            parent = self._parent_of(kind, node_id)
        except AsahiError as e:
            self._tell.error(str(e))
            return
        self.operations.perform(text, lambda: deleter(node_id), target=parent, undo_target=(kind, node_id))

    def _parent_of(self, kind: str, node_id: int) -> tuple[str | None, int | None]:
        """The node to show once this one is gone."""
        if kind == CATEGORY:
            return BUDGET_CLASS, self._services().tree.class_of_category(node_id)
        path = self._browser.path_of(kind, node_id)
        return (CATEGORY, path[0]) if kind == PROGRAM else (PROGRAM, path[-1])

    def _move_node(self, kind: str, node_id: int, delta: int) -> None:
        ed = self._services().editing
        mover = {CATEGORY: ed.move_category, PROGRAM: ed.move_program, LINE_ITEM: ed.move_line_item}[kind]
        reader = {CATEGORY: ed.category, PROGRAM: ed.program, LINE_ITEM: ed.line_item}[kind]
        where = "上" if delta < 0 else "下"
        try:
            name = reader(node_id).name
        except AsahiError as e:
            self._tell.error(str(e))
            return
        result = self.operations.perform(f"{KIND_NAMES[kind]}「{name}」を{where}へ移動",
                                         lambda: mover(node_id, delta), target=(kind, node_id))
        if result is not None and result.value is False:
            self._tell(f"{KIND_NAMES[kind]}「{name}」はこれ以上{where}へ移動できません")


def _version(form: Any) -> int | None:
    """The version of the record the form shows: the write states it (a stale one is refused)."""
    return getattr(form, "version", None)
