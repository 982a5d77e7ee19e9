"""The 振り返り view beside the budget tree: a year's review as a tree, the selected node's form, and
add / delete / reorder. Every edit is one operation of ReviewService (one transaction, change history),
pushed on this view's undo stack; undo and redo are checked operations too."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.operations import OpResult
from asahi_desk.services.review_names import AREA, FIELDS, INITIATIVE, REVIEW, ROW
from asahi_desk.ui.first_services import pending
from asahi_desk.ui.operations import Operations, Target
from asahi_desk.ui.review.forms import BasicGoalLine, ReviewAreaForm, ReviewInitiativeForm, ReviewRowForm
from asahi_desk.ui.review.tree_model import ReviewTreeModel
from asahi_desk.ui.window.telling import Teller
from asahi_desk.ui.year_combo import fill_year_combo

if TYPE_CHECKING:
    from asahi_desk.app import Services
    from asahi_desk.domain.entities import ReviewRow
    from asahi_desk.services.review import ReviewService

KIND_LABELS = {AREA: "分野", INITIATIVE: "取組", ROW: "行"}
store_tables = {AREA: "review_area", INITIATIVE: "review_initiative", ROW: "review_row"}  # the history's names
NO_REVIEW = "振り返りがありません（JSON を読み込むか、データ → 振り返りを前年度から作成…）"


class ReviewView(QWidget):
    """services(): the window's services (they change when another database is opened); tell: its Teller."""

    programActivated = Signal(int)  # noqa: N815 - a linked program's id
    selectionChanged = Signal()  # noqa: N815 - another node selected (the 履歴 dock follows)
    written = Signal()  # an operation, undo or redo was committed (the window's findings and demo state follow)

    def __init__(self, services: Callable[[], Services], undo_group: QUndoGroup, tell: Teller,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self._services = services
        self._tell = tell
        self.undo_stack = QUndoStack(self)
        undo_group.addStack(self.undo_stack)
        # the window's one way to perform an operation, with this view's undo history
        self.operations = Operations(services, lambda: self.undo_stack, tell, self)
        self.operations.performed.connect(self._performed)
        self.operations.refused.connect(self._refused)
        self.review: Any = None
        self._shown_review: int | None = None  # the review whose tree was opened last (opened once, then kept)

        self.year_combo = QComboBox(objectName="reviewYearCombo")
        self.year_combo.setMinimumWidth(200)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.basic_goal = BasicGoalLine()
        self.basic_goal.committed.connect(
            lambda old, new: self._set_field(REVIEW, self.review.id, "basic_goal", old, new))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("振り返りの年度"))
        bar.addWidget(self.year_combo)
        bar.addSpacing(12)
        bar.addWidget(QLabel("基本目標"))
        bar.addWidget(self.basic_goal, 1)

        self.model = ReviewTreeModel(self)
        self.tree = QTreeView(objectName="reviewTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.selectionModel().currentChanged.connect(lambda cur, _prev: self._show(cur))
        self.tree.selectionModel().currentChanged.connect(lambda _cur, _prev: self.selectionChanged.emit())
        buttons = QHBoxLayout()
        for name, label, slot in (("reviewAddArea", "分野を追加", self.add_area),
                                  ("reviewAddInitiative", "取組を追加", self.add_initiative),
                                  ("reviewAddRow", "行を追加", self.add_row),
                                  ("reviewDelete", "削除", self.delete),
                                  ("reviewMoveUp", "上へ", lambda: self.move(-1)),
                                  ("reviewMoveDown", "下へ", lambda: self.move(1))):
            button = QPushButton(label, objectName=name)
            button.clicked.connect(lambda _c=False, s=slot: s())
            buttons.addWidget(button)
        for keys, slot in (("Alt+Up", lambda: self.move(-1)), ("Alt+Down", lambda: self.move(1)),
                           ("Ins", self.add_row), ("Del", self.delete)):
            shortcut = QShortcut(QKeySequence(keys), self.tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(buttons)

        self.row_form = ReviewRowForm()
        self.row_form.fieldEdited.connect(lambda f, old, new: self._set_field(ROW, self.row_form.row.id, f, old, new))
        self.row_form.programActivated.connect(self.programActivated)
        self.area_form = ReviewAreaForm()
        self.area_form.fieldEdited.connect(lambda f, old, new: self._set_field(AREA, self._current_id(), f, old, new))
        self.initiative_form = ReviewInitiativeForm()
        self.initiative_form.fieldEdited.connect(
            lambda f, old, new: self._set_field(INITIATIVE, self._current_id(), f, old, new))
        self.empty = QLabel("左の一覧から分野・取組・行を選んでください", objectName="reviewEmptyPage")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget(objectName="reviewFormStack")
        for w in (self.empty, self.area_form, self.initiative_form, self.row_form):
            self.stack.addWidget(w)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stack)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setSizes([520, 680])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        if not pending(services()):  # on the start's first read: once the services are loaded (the window asks)
            self.load_years()

    @property
    def service(self) -> ReviewService:
        return self._services().review

    # ---- loading and showing
    def load_years(self, select: int | None = None) -> None:
        years = self.service.years()
        fill_year_combo(self.year_combo, years, select if select is not None else self.year_combo.currentData())
        self.row_form.set_section_master(self._services().budgets.sections())
        self.load()

    def reload_keeping_form(self) -> None:
        """After another clerk's commit: the tree again, and the form unless the clerk is typing in it."""
        focus = QApplication.focusWidget()
        if focus is not None and self.stack.currentWidget().isAncestorOf(focus) and isinstance(focus, QLineEdit):
            return  # a line being typed: its commit states what it showed, and a stale one is refused
        if self.year() is not None or self.service.years():
            self.load()

    def year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def load(self, kind: str | None = None, node_id: int | None = None) -> None:
        """The year's review again; the node (kind, id), or the one selected before, stays selected."""
        if kind is None:
            current = self.model.node(self.tree.currentIndex())
            kind, node_id = (current.kind, current.id) if current is not None else (None, None)
        expanded = self._expanded()
        year = self.year()
        self.review = self.service.find(year) if year is not None else None
        self.model.set_review(self.review)
        self.basic_goal.setEnabled(self.review is not None)
        self.basic_goal.show_text(self.review.basic_goal if self.review is not None else "")
        if self.review is not None and self.review.id != self._shown_review:
            self.tree.expandToDepth(1)  # a review shown first: its areas and initiatives open, rows in view
            self._shown_review = self.review.id
        for k, i in expanded:
            index = self.model.find(k, i)
            if index.isValid():
                self.tree.expand(index)
        if self.review is None:
            self.empty.setText(NO_REVIEW)
        if kind is not None and node_id is not None and self.select(kind, node_id):
            return
        self._show(QModelIndex())

    def _expanded(self) -> list[tuple[str, int]]:
        out = []
        for r in range(self.model.rowCount()):
            area = self.model.index(r, 0)
            if self.tree.isExpanded(area):
                out.append((AREA, self.model.node(area).id))  # type: ignore[union-attr]
            for j in range(self.model.rowCount(area)):
                ini = self.model.index(j, 0, area)
                if self.tree.isExpanded(ini):
                    out.append((INITIATIVE, self.model.node(ini).id))  # type: ignore[union-attr]
        return out

    def select(self, kind: str, node_id: int) -> bool:
        index = self.model.find(kind, node_id)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        self._show(index)
        return True

    def select_row(self, year: int, row_id: int) -> bool:
        """Show a year's review with one of its rows selected (the program form's reviewLinks go here)."""
        at = self.year_combo.findData(year)
        if at < 0:
            self.load_years(year)
            at = self.year_combo.findData(year)
        if at != self.year_combo.currentIndex():
            self.year_combo.setCurrentIndex(at)
        return self.select(ROW, row_id)

    def history_selection(self) -> tuple[str, int] | None:
        """The selected node as the change history names it: (table, id)."""
        node = self.model.node(self.tree.currentIndex())
        return (store_tables[node.kind], node.id) if node is not None else None

    def _current_id(self) -> int:
        node = self.model.node(self.tree.currentIndex())
        return node.id if node is not None else 0

    def _show(self, index: QModelIndex) -> None:
        node = self.model.node(index)
        if node is None:
            if self.review is not None:
                self.empty.setText("左の一覧から分野・取組・行を選んでください")
            self.stack.setCurrentWidget(self.empty)
        elif node.kind == AREA:
            self.area_form.show_area(node.value)
            self.stack.setCurrentWidget(self.area_form)
        elif node.kind == INITIATIVE:
            self.initiative_form.show_initiative(node.value)
            self.stack.setCurrentWidget(self.initiative_form)
        else:
            row: ReviewRow = node.value
            try:
                linked = self.service.linked(self.review.fiscal_year, row.programs)
                choices = self.service.year_programs(self.review.fiscal_year)
            except AsahiError as e:
                self._tell(str(e))
                return
            self.row_form.show_row(row, linked, choices)
            self.stack.setCurrentWidget(self.row_form)

    # ---- edits: each one operation (one transaction, history), performed the window's one way
    def _perform(self, text: str, call: Callable[[], OpResult], target: Target, undo_target: Target | None = None,
                 targets: Callable[[OpResult], tuple[Target, Target]] | None = None) -> None:
        self.operations.perform(text, call, target=target, undo_target=undo_target, targets=targets)

    def _performed(self, _changes: object, kind: str | None, node_id: int | None) -> None:
        """A step was committed (an operation, its undo or its redo): show the tree again, the target selected."""
        self.load(kind, node_id) if kind is not None else self.load(None, None)
        self.written.emit()

    def _refused(self, error: object) -> None:
        """The write did not happen: show what the database holds, and why (in the form too)."""
        self.load()
        form = self.stack.currentWidget()
        if hasattr(form, "message"):
            form.message.setText(str(error))

    def _set_field(self, kind: str, node_id: int, field: str, old: Any, new: Any) -> None:
        if self.review is None:
            return
        target: Target = (kind, node_id) if kind != REVIEW else (None, None)
        self._perform(f"振り返りの{FIELDS[kind][field]}を変更",
                      lambda: self.service.set_field(kind, node_id, field, old, new), target)

    def _parent_of(self, kind: str) -> tuple[int, int] | None:
        """(parent id, position) for a new node of kind: after the selected one of its kind, or at the end
        of the selected (or the selected node's) parent."""
        node = self.model.node(self.tree.currentIndex())
        if kind == AREA:
            at = node
            while at is not None and at.kind != AREA:
                at = at.parent
            return self.review.id, (at.row() + 1 if at is not None else len(self.review.areas))
        parent_kind = AREA if kind == INITIATIVE else INITIATIVE
        at, position = node, None
        while at is not None and at.kind != parent_kind:
            if at.kind == kind:
                position = at.row() + 1
            at = at.parent
        if at is None:
            return None
        return at.id, position if position is not None else len(at.children)

    def add_area(self) -> None:
        from asahi_desk.domain.entities import ReviewArea  # with the services, after the first paint

        if self.review is not None:
            self._insert(AREA, ReviewArea(len(self.review.areas) + 1, "新しい分野"))

    def add_initiative(self) -> None:
        from asahi_desk.domain.entities import ReviewInitiative

        self._insert(INITIATIVE, ReviewInitiative("新しい取組"))

    def add_row(self) -> None:
        from asahi_desk.domain.entities import ReviewRow

        self._insert(ROW, ReviewRow())

    def _insert(self, kind: str, value: Any) -> None:
        place = self._parent_of(kind) if self.review is not None else None
        if place is None:
            self._tell(f"{KIND_LABELS[kind]}を加える{'分野' if kind == INITIATIVE else '取組'}を選んでください")
            return
        parent_id, position = place
        parent: Target = (_parent_kind(kind), parent_id) if kind != AREA else (None, None)
        self._perform(f"振り返りの{KIND_LABELS[kind]}を追加",
                      lambda: self.service.insert(kind, parent_id, position, value), parent,
                      targets=lambda r: ((kind, r.value), parent))

    def delete(self) -> None:
        node = self.model.node(self.tree.currentIndex())
        if node is None:
            return
        kind, node_id, seen = node.kind, node.id, node.value
        parent: Target = (node.parent.kind, node.parent.id) if node.parent is not None and kind != AREA \
            else (None, None)
        # undo puts back the same rows, ids included
        self._perform(f"振り返りの{KIND_LABELS[kind]}を削除", lambda: self.service.delete(kind, node_id, seen),
                      parent, (kind, node_id))

    def move(self, delta: int) -> None:
        node = self.model.node(self.tree.currentIndex())
        if node is None:
            return
        kind, node_id = node.kind, node.id
        self._perform(f"振り返りの{KIND_LABELS[kind]}を移動", lambda: self.service.move(kind, node_id, delta),
                      (kind, node_id))


def _parent_kind(kind: str) -> str:
    return {INITIATIVE: AREA, ROW: INITIATIVE}[kind]
