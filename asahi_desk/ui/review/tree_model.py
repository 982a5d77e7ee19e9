"""The review as a tree of areas → initiatives → rows: plain nodes and a thin QAbstractItemModel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from asahi_desk.services.review_names import AREA, INITIATIVE, ROW
from asahi_desk.ui.plain_text import as_html

if TYPE_CHECKING:
    from asahi_desk.domain.entities import Review

Index = QModelIndex | QPersistentModelIndex
KindRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2


@dataclass(eq=False)
class ReviewNode:
    kind: str
    id: int
    label: str
    value: Any  # the ReviewArea / ReviewInitiative / ReviewRow it shows
    parent: ReviewNode | None = None
    children: list[ReviewNode] = field(default_factory=list)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent is not None else 0


class ReviewTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = ReviewNode("root", 0, "", None)

    def set_review(self, review: Review | None) -> None:
        from asahi_desk.domain.review import row_label  # with the services, after the first paint

        self.beginResetModel()
        self._root = ReviewNode("root", 0, "", review)
        for area in (review.areas if review is not None else ()):
            a = ReviewNode(AREA, int(area.id or 0), f"{area.number}　{area.name}", area, self._root)
            self._root.children.append(a)
            for ini in area.initiatives:
                i = ReviewNode(INITIATIVE, int(ini.id or 0), ini.title, ini, a)
                a.children.append(i)
                for r in ini.rows:
                    results = f"（振り返り {len(r.results)}件）" if r.results else "（振り返り未入力）"
                    i.children.append(ReviewNode(ROW, int(r.id or 0), f"{row_label(r)} {results}", r, i))
        self.endResetModel()

    def node(self, index: Index) -> ReviewNode | None:
        return index.internalPointer() if index.isValid() else None  # type: ignore[return-value]

    def find(self, kind: str, node_id: int) -> QModelIndex:
        def walk(parent: ReviewNode) -> ReviewNode | None:
            for child in parent.children:
                if child.kind == kind and child.id == node_id:
                    return child
                found = walk(child)
                if found is not None:
                    return found
            return None

        hit = walk(self._root)
        return self.createIndex(hit.row(), 0, hit) if hit is not None else QModelIndex()

    # ---- QAbstractItemModel
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        owner = self.node(parent) or self._root
        if column != 0 or not 0 <= row < len(owner.children):
            return QModelIndex()
        return self.createIndex(row, 0, owner.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len((self.node(parent) or self._root).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:  # shown as typed, never as markup
            return as_html(node.label)
        if role == KindRole:
            return node.kind
        if role == IdRole:
            return node.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "分野 / 取組 / 担当課"
        return None
