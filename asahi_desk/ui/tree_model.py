"""The budget tree model: 施策 → 事業 → 細事業 loaded lazily, columns name / amount / prior / change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from asahi_desk.domain.money import format_amount
from asahi_desk.services.tree import CATEGORY, LINE_ITEM, PROGRAM, Matches, NodeData, TreeService

MIME = "application/x-asahi-desk-node"
HEADERS = ("名称", "予算額（千円）", "前年度（千円）", "増▲減")
Index = QModelIndex | QPersistentModelIndex


class Node:
    """A plain tree node; children is None until first fetched."""

    __slots__ = ("children", "data", "parent", "row")

    def __init__(self, data: NodeData | None, parent: Node | None, row: int) -> None:
        self.data = data
        self.parent = parent
        self.row = row
        self.children: list[Node] | None = None


class BudgetTreeModel(QAbstractItemModel):
    def __init__(self, tree: TreeService, parent: Any = None) -> None:
        super().__init__(parent)
        self._tree = tree
        self._year: int | None = None
        self._matches: Matches | None = None
        self._root = Node(None, None, 0)
        self.on_move: Callable[[str, int, int], None] | None = None  # (kind, id, delta): the window's undo step

    # ---- loading ----
    def load(self, year: int | None, matches: Matches | None = None) -> None:
        self.beginResetModel()
        self._year, self._matches = year, matches
        self._root = Node(None, None, 0)
        self._root.children = self._wrap(self._root, self._fetch(None)) if year is not None else []
        self.endResetModel()

    def _fetch(self, node: Node | None) -> list[NodeData]:
        if node is None or node.data is None:
            rows = self._tree.categories(self._year) if self._year is not None else []
            keep = self._matches.categories if self._matches else None
        elif node.data.kind == CATEGORY:
            rows, keep = self._tree.programs(node.data.id), self._matches.programs if self._matches else None
        elif node.data.kind == PROGRAM:
            rows, keep = self._tree.line_items(node.data.id), self._matches.line_items if self._matches else None
            if self._matches is not None and not any(r.id in keep for r in rows):
                keep = None  # the program itself matched: show all its items
        else:
            rows, keep = [], None
        return [r for r in rows if keep is None or r.id in keep]

    @staticmethod
    def _wrap(parent: Node, rows: list[NodeData]) -> list[Node]:
        return [Node(d, parent, i) for i, d in enumerate(rows)]

    def node(self, index: Index) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    # ---- Qt model API ----
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self.node(parent)
        if node.children is None or not (0 <= row < len(node.children)) or not (0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = index.internalPointer().parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self.node(parent)
        return len(node.children) if node.children is not None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return False
        node = self.node(parent)
        if node.children is not None:
            return bool(node.children)
        return node.data is not None and node.data.has_children

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return False
        node = self.node(parent)
        return node.children is None and node.data is not None and node.data.has_children

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        node = self.node(parent)
        if node.children is not None:
            return
        rows = self._fetch(node)
        node.children = []
        if rows:
            self.beginInsertRows(parent, 0, len(rows) - 1)
            node.children = self._wrap(node, rows)
            self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d: NodeData = index.internalPointer().data
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return d.label
            if col == 1:
                return format_amount(d.current)
            if col == 2:
                return "" if d.prior is None else format_amount(d.prior)
            if col == 3:
                return "" if d.prior is None or d.current is None else format_amount(d.current - d.prior)
        elif role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return d.label
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if self.node(index).data.kind != LINE_ITEM:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # ---- drag and drop: reorder within the same parent only ----
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        first = next((i for i in indexes if i.isValid()), None)
        if first is not None:
            node = self.node(first.siblingAtColumn(0))
            mime.setData(MIME, QByteArray(f"{node.data.kind}:{node.data.id}:{node.row}".encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                        parent: Index) -> bool:
        return self._drop_target(data, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                     parent: Index) -> bool:
        target = self._drop_target(data, row, parent)
        if target is not None and self.on_move is not None:
            self.on_move(*target)
        return False  # the window reloads the branch; the view must not remove the source row itself

    def _drop_target(self, data: QMimeData, row: int, parent: Index) -> tuple[str, int, int] | None:
        if not data.hasFormat(MIME) or row < 0:
            return None
        kind, node_id, source_row = bytes(data.data(MIME).data()).decode().split(":")
        siblings = self.node(parent).children or []
        source = next((n for n in siblings if n.data and n.data.kind == kind and n.data.id == int(node_id)), None)
        if source is None:  # another parent: moving between parents is not a reorder
            return None
        delta = (row - 1 if row > int(source_row) else row) - int(source_row)
        return (kind, int(node_id), delta) if delta else None

    # ---- lookup for the findings panel and after edits ----
    def find(self, kind: str, node_id: int, path: tuple[int | None, ...] = ()) -> QModelIndex:
        """Index of a node; path = (category_id, program_id) loads the branch on the way."""
        parent = QModelIndex()
        for want_kind, want_id in zip((CATEGORY, PROGRAM, LINE_ITEM), (*path, node_id), strict=False):
            if want_id is None:
                continue
            if self.canFetchMore(parent):
                self.fetchMore(parent)
            node = self.node(parent)
            hit = next((c for c in node.children or [] if c.data and c.data.kind == want_kind
                        and c.data.id == want_id), None)
            if hit is None:
                return QModelIndex()
            parent = self.createIndex(hit.row, 0, hit)
            if want_kind == kind:
                return parent
        return QModelIndex()
