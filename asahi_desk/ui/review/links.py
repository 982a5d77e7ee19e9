"""The program form's list of the review rows that cite the program (objectName reviewLinks)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from asahi_desk.services.review_names import Citation


class ReviewLinksList(QWidget):
    """rowActivated(year, row id) on a click: the window shows that row in the 振り返り view."""

    rowActivated = Signal(int, int)  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("この事業を挙げている振り返り")
        title.setStyleSheet("font-weight: bold; margin-top: 6px;")
        layout.addWidget(title)
        self.list = QListWidget()
        self.list.setObjectName("reviewLinks")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(110)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        layout.addWidget(self.list)

    def show_citations(self, citations: Sequence[Citation]) -> None:
        self.list.clear()
        for c in citations:
            item = QListWidgetItem(c.describe())
            item.setData(Qt.ItemDataRole.UserRole, (c.fiscal_year, c.row_id))
            self.list.addItem(item)
        if not citations:
            placeholder = QListWidgetItem("（振り返りの行から関連事業として挙げられていません）")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)

    def _clicked(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target is not None:
            self.rowActivated.emit(int(target[0]), int(target[1]))
