"""Small editors of ordered rows for the forms: a list of texts and a table, each with add / remove / move.

They emit the whole new content (a tuple) after each change; the window writes it as one undoable step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

BULLET = "・"
ERROR_BACKGROUND = QColor("#fde7ea")
ALTERNATE_BACKGROUND = QColor("#eef3f8")
_SEPARATOR = QColor("#c8c8c8")
_ITEM_PADDING = 6  # px added to each entry's height: room between two entries

Index = QModelIndex | QPersistentModelIndex
Rows = tuple[tuple[str, ...], ...]
# (row, column, message) of the first bad cell, or None when the rows may be written
RowCheck = Callable[[Rows], tuple[int, int, str] | None]


def button_row(prefix: str, actions: dict[str, Callable[[], object]]) -> QHBoxLayout:
    """追加 / 削除 / 上へ / 下へ buttons named prefix + label (activity追加 …)."""
    row = QHBoxLayout()
    for label, slot in actions.items():
        button = QPushButton(label)
        button.setObjectName(f"{prefix}{label}")
        button.clicked.connect(lambda _checked=False, s=slot: s())
        row.addWidget(button)
    row.addStretch(1)
    return row


def _moved(rows: Sequence[Any], r: int, delta: int) -> list[Any] | None:
    if r < 0 or not (0 <= r + delta < len(rows)):
        return None
    out = list(rows)
    out.insert(r + delta, out.pop(r))
    return out


class BulletDelegate(QStyledItemDelegate):
    """Shows each entry as ・text with a rule under it, so a wrapped entry never reads as two.

    Only the painting changes: the item's text (what is edited and stored) has no bullet.
    """

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.text = f"{BULLET}{option.text}"

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + _ITEM_PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        painter.save()
        painter.setPen(_SEPARATOR)
        rect = option.rect  # type: ignore[attr-defined]
        painter.drawLine(rect.left() + 4, rect.bottom(), rect.right() - 4, rect.bottom())
        painter.restore()


class OrderedListEditor(QWidget):
    """An ordered list of texts, edited in place (double-click or F2).

    edited(tuple[str, ...]) after each change. A blank entry is never kept: emptying an entry removes
    its row (and notice() says so), so no text is lost without the clerk seeing the row go.
    """

    edited = Signal(object)
    notice = Signal(str)

    def __init__(self, object_name: str, button_prefix: str, new_text: str, what: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._new_text = new_text
        self._what = what
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName(object_name)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setAlternatingRowColors(True)
        palette = self.list.palette()
        palette.setColor(palette.ColorRole.AlternateBase, ALTERNATE_BACKGROUND)
        self.list.setPalette(palette)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setItemDelegate(BulletDelegate(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.itemChanged.connect(self._item_changed)
        layout.addWidget(self.list)
        layout.addLayout(button_row(button_prefix, {"追加": self.add, "削除": self.remove,
                                                    "上へ": lambda: self.move(-1), "下へ": lambda: self.move(1)}))

    def set_items(self, rows: Sequence[str], *, keep_current: bool = False) -> None:
        """Show rows without emitting. keep_current: the same record shown again after an edit, so the current
        row stays (clamped to the new length): 上へ twice, then 削除, work on the row the clerk follows."""
        was, self._loading = self._loading, True
        current = self.list.currentRow() if keep_current else -1
        self.list.clear()
        for text in rows:
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        if current >= 0 and rows:
            self.list.setCurrentRow(min(current, len(rows) - 1))
        self._loading = was

    def items(self) -> tuple[str, ...]:
        return tuple(self.list.item(i).text() for i in range(self.list.count()))

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        r = self.list.row(item)
        rows = list(self.items())
        if not rows[r].strip():
            del rows[r]
            self.set_items(rows)
            self.list.setCurrentRow(min(r, len(rows) - 1))
            self.notice.emit(f"空欄にした{self._what}（{r + 1}行目）を削除しました（元に戻す: Ctrl+Z）")
        elif rows[r] != rows[r].strip():
            rows[r] = rows[r].strip()
            self.set_items(rows)
            self.list.setCurrentRow(r)
        self.edited.emit(tuple(rows))

    def add(self) -> None:
        rows = (*self.items(), self._new_text)
        self.set_items(rows)
        self.edited.emit(rows)
        self.list.setCurrentRow(len(rows) - 1)
        self.list.editItem(self.list.item(len(rows) - 1))

    def remove(self) -> None:
        r = self.list.currentRow()
        if r < 0:
            return
        rows = list(self.items())
        del rows[r]
        self.set_items(rows)
        self.list.setCurrentRow(min(r, len(rows) - 1))
        self.edited.emit(tuple(rows))

    def move(self, delta: int) -> None:
        r = self.list.currentRow()
        rows = _moved(self.items(), r, delta)
        if rows is None:
            return
        self.set_items(rows)
        self.list.setCurrentRow(r + delta)
        self.edited.emit(tuple(rows))


class FitTable(QTableWidget):
    """A table as tall as its rows (and MIN_ROWS empty ones): the form scrolls, not a table inside it."""

    MIN_ROWS = 2

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().sectionResized.connect(lambda *_a: self.updateGeometry())
        self.model().rowsInserted.connect(lambda *_a: self.updateGeometry())
        self.model().rowsRemoved.connect(lambda *_a: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = self.verticalHeader()
        empty = max(0, self.MIN_ROWS - self.rowCount()) * rows.defaultSectionSize()
        height = self.horizontalHeader().height() + rows.length() + empty + 2 * self.frameWidth()
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())


class TableEditor(QWidget):
    """Rows of text cells with add / remove / move. edited(rows) after a change that check() accepts;
    otherwise problem(message) and the bad cell turns red, and nothing is emitted. problem('') clears."""

    edited = Signal(object)  # tuple[tuple[str, ...], ...]
    problem = Signal(str)

    def __init__(self, object_name: str, button_prefix: str, headers: Sequence[str], new_row: Sequence[str],
                 check: RowCheck, *, widths: Sequence[int] = (), right: Sequence[int] = (),
                 derived: Callable[[tuple[str, ...]], str] | None = None,
                 parent: QWidget | None = None) -> None:
        """derived: a last, read-only column computed from the row's cells (the headers name it too);
        rows() leaves it out."""
        super().__init__(parent)
        self._loading = False
        self._derived = derived
        self._cells = len(headers) - (1 if derived else 0)
        self._new_row = tuple(new_row)
        self._check = check
        self._right = frozenset(right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = FitTable(0, len(headers))
        self.table.setObjectName(object_name)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate(widths, start=1):
            self.table.setColumnWidth(col, width)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(lambda _item: self._cells_changed())
        layout.addWidget(self.table)
        layout.addLayout(button_row(button_prefix, {"追加": self.add, "削除": self.remove,
                                                    "上へ": lambda: self.move(-1), "下へ": lambda: self.move(1)}))

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Show rows without emitting."""
        was, self._loading = self._loading, True
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in self._right:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self._show_derived()
        self._loading = was

    def _show_derived(self) -> None:
        if self._derived is None:
            return
        was, self._loading = self._loading, True
        for r, cells in enumerate(self.rows()):
            item = QTableWidgetItem(self._derived(cells))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, self._cells, item)
        self._loading = was

    def rows(self) -> Rows:
        out = []
        for r in range(self.table.rowCount()):
            cells = (self.table.item(r, c) for c in range(self._cells))
            out.append(tuple((cell.text() if cell else "").strip() for cell in cells))
        return tuple(out)

    def _emit_if_valid(self, rows: Rows) -> bool:
        was, self._loading = self._loading, True
        for r in range(self.table.rowCount()):
            for c in range(self._cells):
                cell = self.table.item(r, c)
                if cell is not None:
                    cell.setBackground(QBrush())
        bad = self._check(rows)
        if bad is not None:
            r, c, message = bad
            cell = self.table.item(r, c)
            if cell is not None:
                cell.setBackground(ERROR_BACKGROUND)
            self._loading = was
            self.problem.emit(message)
            return False
        self._loading = was
        self.problem.emit("")
        self.edited.emit(rows)
        return True

    def _cells_changed(self) -> None:
        if not self._loading:
            self._show_derived()
            self._emit_if_valid(self.rows())

    def add(self) -> None:
        rows = (*self.rows(), self._new_row)
        self.set_rows(rows)
        self._emit_if_valid(rows)
        last = len(rows) - 1
        self.table.setCurrentCell(last, 0)
        self.table.editItem(self.table.item(last, 0))

    def remove(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        rows = list(self.rows())
        del rows[r]
        self.set_rows(rows)
        self._emit_if_valid(tuple(rows))

    def move(self, delta: int) -> None:
        r = self.table.currentRow()
        rows = _moved(self.rows(), r, delta)
        if rows is None:
            return
        self.set_rows(rows)
        self.table.setCurrentCell(r + delta, 0)
        self._emit_if_valid(tuple(rows))
