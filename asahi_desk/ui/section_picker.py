"""担当課 of a program: tick 課 of the section master; 「担当課を追加…」 asks the window for a new one.

The chosen 課 keep the order they were chosen in (the first is the lead 課 as printed): the ones a
program already has keep their places, a newly ticked 課 goes last, an unticked one drops out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

CHECKBOX_ROOM = 36  # px beside a name for the check box and padding


class SectionPicker(QWidget):
    changed = Signal(object)  # tuple[str, ...] in selection order
    addRequested = Signal()  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._master: tuple[str, ...] = ()
        self._chosen: list[str] = []
        self._loading = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("sectionsList")
        self.list.setToolTip("チェックした課が担当課になります（チェックした順。先頭が主な担当課）")
        # names flow in columns across the width and the list is as tall as its rows: all 課 in view
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setSpacing(3)  # room above the first row: the CJK face draws above its item rectangle
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.installEventFilter(self)
        self.list.itemChanged.connect(self._item_changed)
        layout.addWidget(self.list, 1)
        side = QVBoxLayout()
        self.add_button = QPushButton("担当課を追加…")
        self.add_button.setObjectName("addSectionButton")
        self.add_button.clicked.connect(lambda _checked=False: self.addRequested.emit())
        side.addWidget(self.add_button)
        side.addStretch(1)
        layout.addLayout(side)

    def set_master(self, names: Sequence[str]) -> None:
        self._master = tuple(names)
        self._refill()

    def set_selected(self, names: Sequence[str]) -> None:
        """Show a program's 担当課 without emitting."""
        self._chosen = list(names)
        self._refill()

    def selected(self) -> tuple[str, ...]:
        return tuple(self._chosen)

    def check(self, name: str) -> None:
        """Tick name (as if clicked) if the list shows it and it is not ticked yet."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.text() == name and item.checkState() != Qt.CheckState.Checked:
                item.setCheckState(Qt.CheckState.Checked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.list and event.type() == QEvent.Type.Resize:
            self._fit_height()
        return False

    def _fit_height(self) -> None:
        cell = self.list.gridSize()
        if cell.width() <= 0:
            return
        columns = max(1, (self.list.width() - 2 * self.list.frameWidth()) // cell.width())
        rows = max(1, math.ceil(self.list.count() / columns))
        self.list.setFixedHeight(rows * cell.height() + self.list.spacing() + 2 * self.list.frameWidth() + 4)

    def _refill(self) -> None:
        # a 課 the program has but the master lacks (master not set yet, or renamed) is still shown
        names = [*self._master, *(n for n in self._chosen if n not in self._master)]
        self._loading = True
        self.list.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if name in self._chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self._loading = False
        metrics = self.list.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in names), default=80)
        # one cell at least as tall as an item with its check box (a CJK face is taller than its font height)
        tall = max(self.list.sizeHintForRow(0) if names else 0, metrics.height()) + 7
        self.list.setGridSize(QSize(widest + CHECKBOX_ROOM, tall))
        self._fit_height()

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        name = item.text()
        ticked = item.checkState() == Qt.CheckState.Checked
        if ticked and name not in self._chosen:
            self._chosen.append(name)
        elif not ticked and name in self._chosen:
            self._chosen.remove(name)
        else:
            return
        self.changed.emit(tuple(self._chosen))
