"""The 履歴 dock: the change history of the selected row, its program, or the whole year, newest first,
filterable by clerk (read from the append-only history the operations write)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.operations import SOURCE_LABELS, HistoryEntry, value_text
from asahi_desk.domain.tree_rows import CATEGORY, LINE_ITEM, PROGRAM
from asahi_desk.ui.first_services import pending

if TYPE_CHECKING:
    from asahi_desk.app import Services

ROW, PROGRAM_SCOPE, YEAR = "row", "program", "year"
SCOPES = ((ROW, "選択した行"), (PROGRAM_SCOPE, "選択した行の事業"), (YEAR, "年度全体"))
COLUMNS = ("日時", "担当者", "事業", "細事業", "項目", "変更前", "変更後", "種別")
ALL_CLERKS = "（全員）"
LIMIT = 500  # lines shown; the CLI `history` lists them all
Selection = tuple[str, int] | None  # (kind, id) of the tree row; (table, id) of a 振り返り node
REVIEW_TABLES = ("review", "review_area", "review_initiative", "review_row")


class HistoryDock(QObject):
    """dock: the QDockWidget (objectName historyDock) with scope (historyScope), clerk (historyClerk) and the
    table (historyTable). refresh() reads the history again (after an edit, others' commits, a new row)."""

    def __init__(self, services: Callable[[], Services], year: Callable[[], int | None],
                 selection: Callable[[], Selection], parent: QWidget) -> None:
        super().__init__(parent)
        self._services, self._year, self._selection = services, year, selection
        self.dock = QDockWidget("履歴", parent)
        self.dock.setObjectName("historyDock")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.scope = QComboBox()
        self.scope.setObjectName("historyScope")
        for key, label in SCOPES:
            self.scope.addItem(label, key)
        self.clerk = QComboBox()
        self.clerk.setObjectName("historyClerk")
        self.clerk.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.clerk.setMinimumContentsLength(6)  # 「（全員）」 and a name shown whole
        self.clerk.addItem(ALL_CLERKS, None)
        bar.addWidget(QLabel("表示"))
        bar.addWidget(self.scope)
        bar.addWidget(QLabel("担当者"))
        bar.addWidget(self.clerk)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.dock.setWidget(body)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.clerk.currentIndexChanged.connect(lambda _i: self.refresh())
        self.entries: list[HistoryEntry] = []
        self._shown = False  # the dock is on screen (not closed, not a hidden tab): only then is it read
        self.dock.visibilityChanged.connect(self._visibility)

    def use(self, year: Callable[[], int | None],
            selection: Callable[[], Selection]) -> tuple[Callable[[], int | None], Callable[[], Selection]]:
        """Follow another view's year and selection (the 振り返り tab: its year, its row as (table, id));
        returns the ones followed before, to go back to."""
        before = (self._year, self._selection)
        self._year, self._selection = year, selection
        self.refresh()
        return before

    def _visibility(self, shown: bool) -> None:
        self._shown = shown
        if shown:
            self.refresh()

    def refresh(self) -> None:
        """Read the lines of the chosen scope (only while the dock is shown: a hidden dock costs nothing)."""
        if not self._shown or pending(self._services()):  # read once the services are loaded (the window asks)
            return
        try:
            self.entries = self._read()
            self._fill_clerks()
        except AsahiError as e:
            self.entries = []
            self.table.setRowCount(0)
            self.dock.setToolTip(str(e))
            return
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            what = e.field_label if e.field else ("追加" if e.old is None else "削除")
            old = "" if not e.field and e.old is None else value_text(e.table, e.field, e.old)
            new = "" if not e.field and e.new is None else value_text(e.table, e.field, e.new)
            cells = (e.at.strftime("%m/%d %H:%M"), e.clerk, e.program_name or "", e.row_name, what, old, new,
                     SOURCE_LABELS.get(e.source, e.source))
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)  # plain text: the clerk's names are never markup
                if c in (5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)

    def _read(self) -> list[HistoryEntry]:
        history = self._services().history
        year, scope, clerk = self._year(), self.scope.currentData(), self.clerk.currentData()
        selection = self._selection()
        if selection is not None and selection[0] in REVIEW_TABLES and scope != YEAR:
            return history.entries(row=selection, clerk=clerk, limit=LIMIT)  # a review node: its own lines
        if scope == YEAR or selection is None or selection[0] not in (CATEGORY, PROGRAM, LINE_ITEM):
            return history.entries(fiscal_year=year, clerk=clerk, limit=LIMIT)
        kind, node_id = selection
        if scope == ROW:
            return history.entries(row=(kind, node_id), clerk=clerk, limit=LIMIT)
        if kind == CATEGORY:
            return history.entries(row=(kind, node_id), clerk=clerk, limit=LIMIT)
        program = node_id if kind == PROGRAM else self._services().editing.line_item(node_id).program_id
        return history.entries(program_id=program, clerk=clerk, limit=LIMIT)

    def _fill_clerks(self) -> None:
        names = self._services().history.clerks(self._year())
        chosen = self.clerk.currentData()
        self.clerk.blockSignals(True)
        self.clerk.clear()
        self.clerk.addItem(ALL_CLERKS, None)
        for name in names:
            self.clerk.addItem(name, name)
        self.clerk.setCurrentIndex(max(0, self.clerk.findData(chosen)))
        self.clerk.blockSignals(False)
