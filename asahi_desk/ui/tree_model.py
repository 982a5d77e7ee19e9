"""The budget tree model, loaded lazily; columns name / amount / prior / change.

Top level: the total row (個性ある区づくり推進費 合計: the classes inside the total), then one row per budget
class (自主企画事業費, 統合事務事業費, …; a class outside the total says so). Under a class: its categories
(施策) → programs (事業) → line items (細事業). A class of a single category (区庁舎・区民利用施設管理費) still shows
that category as its own row: the category is what the clerk edits and adds programs to, and keeping every
level in the same place keeps navigation, drag-and-drop and the findings' jumps uniform."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from asahi_desk.domain.money import format_amount
from asahi_desk.domain.search_text import match_spans
from asahi_desk.domain.tree_rows import (
    BUDGET_CLASS,
    CATEGORY,
    LINE_ITEM,
    PROGRAM,
    TOTAL,
    TOTAL_LABEL,
    ListedSums,
    Matches,
    NodeData,
)
from asahi_desk.ui.plain_text import as_html

if TYPE_CHECKING:
    from asahi_desk.services.tree import TreeService

MIME = "application/x-asahi-desk-node"
HEADERS = ("名称", "予算額（千円）", "前年度（千円）", "増▲減")
Index = QModelIndex | QPersistentModelIndex
Key = tuple[str, int]  # (kind, id) of a node; a tuple of keys from the top is a node's path
DRAGGABLE = (CATEGORY, PROGRAM, LINE_ITEM)
# column 0: the (start, end) character spans of the label that the search words matched (ui/highlight.py paints them)
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 1
# under a filter the 合計, class and category rows add up only the programs listed, and say so
LISTED_TOTAL_LABEL = f"{TOTAL_LABEL}（表示中の事業）"
LISTED_TIP = "絞り込み中: 表示している事業だけの合計です（全体の額は絞り込みを解除すると表示されます）"


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
        self._words: tuple[str, ...] = ()  # the folded search words, highlighted in the labels
        self.listed: ListedSums | None = None  # under a filter: the sums of the programs listed
        self._root = Node(None, None, 0)
        self._nodes: dict[Key, Node] = {}  # every loaded node by (kind, id): an edit finds its rows in O(1)
        self._resetting = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._bold_italic = QFont(self._bold)
        self._bold_italic.setItalic(True)
        self.on_move: Callable[[str, int, int], None] | None = None  # (kind, id, delta): the window's undo step
        # columns added after the four (the 比較 selector's version amount and difference): header, text of a node
        self._extra: list[tuple[str, Callable[[NodeData], str]]] = []

    def set_extra_columns(self, columns: list[tuple[str, Callable[[NodeData], str]]]) -> None:
        """Replace the added columns (inserting or removing them, so the tree keeps its expansion)."""
        if self._extra:
            self.beginRemoveColumns(QModelIndex(), len(HEADERS), len(HEADERS) + len(self._extra) - 1)
            self._extra = []
            self.endRemoveColumns()
        if columns:
            self.beginInsertColumns(QModelIndex(), len(HEADERS), len(HEADERS) + len(columns) - 1)
            self._extra = list(columns)
            self.endInsertColumns()

    # ---- loading ----
    def load(self, year: int | None, matches: Matches | None = None, words: tuple[str, ...] = ()) -> None:
        self.beginResetModel()
        self._year, self._matches, self._words = year, matches, words
        self.listed = self._tree.listed_sums(year, matches.programs) if matches is not None and year is not None else None
        self._root = Node(None, None, 0)
        self._nodes = {}
        self._root.children = self._wrap(self._root, self._fetch(None)) if year is not None else []
        self._announce(self.endResetModel)

    def _fetch(self, node: Node | None) -> list[NodeData]:
        if self._year is None:
            return []
        if node is None or node.data is None:
            rows = self._tree.top(self._year)
            keep = self._matches.classes if self._matches else None
            if self.listed is not None and keep is not None:
                # the total is not an ancestor of a match: under a filter it closes the list, summing what is listed
                listed = self.listed
                rows = [self._listed_row(r, listed.classes) for r in rows if r.kind == BUDGET_CLASS and r.id in keep]
                if rows:
                    rows.append(NodeData(TOTAL, 0, LISTED_TOTAL_LABEL, listed.inside[1], listed.inside[2], False))
                return rows
        elif node.data.kind == BUDGET_CLASS:
            rows = self._tree.categories(self._year, node.data.id)
            keep = self._matches.categories if self._matches else None
            if self.listed is not None:
                rows = [self._listed_row(r, self.listed.categories) for r in rows]
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
    def _listed_row(row: NodeData, sums: dict[int, tuple[int, int]]) -> NodeData:
        current, prior = sums.get(row.id, (0, 0))
        return dataclasses.replace(row, current=current, prior=prior)

    def is_listed_sum(self, index: Index) -> bool:
        """The row's amounts add up the listed programs only (a filter is on and it is a 合計, class or 施策 row)."""
        return self.listed is not None and index.isValid() and self.node(index).data.kind in (TOTAL, BUDGET_CLASS,
                                                                                              CATEGORY)

    def _wrap(self, parent: Node, rows: list[NodeData]) -> list[Node]:
        nodes = [Node(d, parent, i) for i, d in enumerate(rows)]
        for n in nodes:
            self._nodes[(n.data.kind, n.data.id)] = n  # type: ignore[union-attr]
        return nodes

    # ---- updates in place (an operation's change flags say which) ----
    def loaded(self, kind: str, node_id: int) -> QModelIndex:
        """The row of a loaded node (column 0), or an invalid index."""
        node = self._nodes.get((kind, node_id))
        return self.createIndex(node.row, 0, node) if node is not None else QModelIndex()

    def set_figures(self, kind: str, node_id: int, current: int | None, prior: int | None) -> bool:
        """A loaded row's 予算額 and 前年度 (増▲減 follows): dataChanged for that row only."""
        node = self._nodes.get((kind, node_id))
        if node is None or node.data is None:
            return False
        if (node.data.current, node.data.prior) != (current, prior):
            node.data = replace(node.data, current=current, prior=prior)
            index = self.createIndex(node.row, 0, node)
            self.dataChanged.emit(index.siblingAtColumn(1), index.siblingAtColumn(3), [Qt.ItemDataRole.DisplayRole])
        return True

    def add_figures(self, node: Node, current: int, prior: int) -> None:
        """Add a change of its descendants' sums to a loaded row (a category, a class, the total)."""
        if node.data is None or (current == 0 and prior == 0):
            return
        node.data = replace(node.data, current=(node.data.current or 0) + current, prior=(node.data.prior or 0) + prior)
        index = self.createIndex(node.row, 0, node)
        self.dataChanged.emit(index.siblingAtColumn(1), index.siblingAtColumn(3), [Qt.ItemDataRole.DisplayRole])

    def set_label(self, kind: str, node_id: int, label: str) -> None:
        node = self._nodes.get((kind, node_id))
        if node is not None and node.data is not None and node.data.label != label:
            node.data = replace(node.data, label=label)
            index = self.createIndex(node.row, 0, node)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])

    def node_of(self, kind: str, node_id: int) -> Node | None:
        return self._nodes.get((kind, node_id))

    def total_node(self) -> Node | None:
        top = self._root.children or []
        return next((n for n in top if n.data is not None and n.data.kind == TOTAL), None)

    def reload_children(self, kind: str, node_id: int) -> bool:
        """Read one loaded row's children again (a structure change below it): the rows under it are removed
        and fetched anew; the rest of the tree is untouched. False when the row is not loaded."""
        node = self._nodes.get((kind, node_id))
        if node is None:
            return False
        index = self.createIndex(node.row, 0, node)
        if node.children is None:  # never opened: its children are read when it is; only the arrow may change
            if node.data is not None:
                has = bool(self._tree.line_items(node_id) if kind == PROGRAM else self._tree.programs(node_id))
                if has != node.data.has_children:
                    node.data = replace(node.data, has_children=has)
                    self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
            return True
        if node.children:
            self.beginRemoveRows(index, 0, len(node.children) - 1)
            self._forget(node.children)
            node.children = []
            self.endRemoveRows()
        node.children = None
        if node.data is not None:  # it may have got its first child, or lost its last one
            node.data = replace(node.data, has_children=True)
        self.fetchMore(index)
        if node.data is not None and not node.children:
            node.data = replace(node.data, has_children=False)
        return True

    def _forget(self, nodes: list[Node]) -> None:
        for n in nodes:
            if n.data is not None and self._nodes.get((n.data.kind, n.data.id)) is n:
                del self._nodes[(n.data.kind, n.data.id)]
            if n.children:
                self._forget(n.children)

    def node(self, index: Index) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    # ---- Qt model API ----
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self.node(parent)
        if node.children is None or not (0 <= row < len(node.children)) or not (0 <= column < self.columnCount()):
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
        return len(HEADERS) + len(self._extra)

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
        return not self._resetting and node.children is None and node.data is not None and node.data.has_children

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        node = self.node(parent)
        if node.children is not None:
            return
        rows = self._fetch(node)
        node.children = []
        if rows:
            self.beginInsertRows(parent, 0, len(rows) - 1)
            node.children = self._wrap(node, rows)
            self._announce(self.endInsertRows)

    def _announce(self, end: Callable[[], None]) -> None:
        """End a reset or an insertion with fetching switched off: whoever handles the signal (a view, the model
        tester walking the whole tree) must not load children while it is being delivered, or those rows
        would be inserted inside the change still being announced."""
        self._resetting = True
        try:
            end()
        finally:
            self._resetting = False

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < self.columnCount():
            return self._extra[section - len(HEADERS)][0]
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
            if col >= len(HEADERS):
                return self._extra[col - len(HEADERS)][1](d)
        elif role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.FontRole and d.kind in (TOTAL, BUDGET_CLASS):
            return self._bold_italic if self.listed is not None else self._bold
        elif role == Qt.ItemDataRole.FontRole and self.listed is not None and d.kind == CATEGORY:
            return self._italic
        elif role == Qt.ItemDataRole.ToolTipRole:
            if self.is_listed_sum(index):  # names are shown as typed, never as markup
                return as_html(f"{d.label}\n{LISTED_TIP}")
            return as_html(d.label) if col == 0 else None
        elif role == HIGHLIGHT_ROLE and col == 0:
            return match_spans(d.label, self._words) if self._words and d.kind in DRAGGABLE else []
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        kind = self.node(index).data.kind
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if kind in DRAGGABLE:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if kind in (BUDGET_CLASS, CATEGORY, PROGRAM):
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
        """(kind, id, delta) of the move a drop asks for. Under a filter the view shows only some siblings, so
        the row dropped before is looked up by id in the real order of all siblings, and the delta counted there."""
        if not data.hasFormat(MIME) or row < 0:
            return None
        kind, node_id_text, _row = bytes(data.data(MIME).data()).decode().split(":")
        node_id = int(node_id_text)
        shown = [n.data for n in self.node(parent).children or [] if n.data is not None]
        if not any(d.kind == kind and d.id == node_id for d in shown):
            return None  # another parent: moving between parents is not a reorder
        order = self._sibling_order(self.node(parent))
        source = order.index(node_id)
        if row < len(shown):  # before the row dropped on
            anchor = order.index(shown[row].id)
            target = anchor - 1 if anchor > source else anchor
        else:  # after the last row shown
            anchor = order.index(shown[-1].id)
            target = anchor if anchor > source else anchor + 1
        return (kind, node_id, target - source) if target != source else None

    def _sibling_order(self, parent: Node) -> list[int]:
        """Ids of the parent's children in the order the service moves them (categories: the whole year)."""
        d = parent.data
        if d is None or self._year is None:
            return []
        if d.kind == BUDGET_CLASS:
            return [n.id for n in self._tree.categories(self._year)]
        if d.kind == CATEGORY:
            return [n.id for n in self._tree.programs(d.id)]
        return [n.id for n in self._tree.line_items(d.id)]

    # ---- lookup for the findings panel and after edits ----
    def locate(self, path: tuple[Key, ...]) -> QModelIndex:
        """Index of the node at this path of keys from the top, loading the branches on the way."""
        parent = QModelIndex()
        for kind, node_id in path:
            if self.canFetchMore(parent):
                self.fetchMore(parent)
            hit = next((c for c in self.node(parent).children or [] if c.data and c.data.kind == kind
                        and c.data.id == node_id), None)
            if hit is None:
                return QModelIndex()
            parent = self.createIndex(hit.row, 0, hit)
        return parent

    def path(self, index: Index) -> tuple[Key, ...]:
        keys: list[Key] = []
        node = self.node(index)
        while node.data is not None:
            keys.append((node.data.kind, node.data.id))
            node = node.parent  # type: ignore[assignment]
        return tuple(reversed(keys))

    def find(self, kind: str, node_id: int, path: tuple[int | None, ...] = ()) -> QModelIndex:
        """Index of a node; path = (category_id, program_id) of its ancestors loads the branch on the way."""
        if kind in (TOTAL, BUDGET_CLASS):
            return self.locate(((kind, node_id),))
        ids = [i for i in (*path, node_id) if i is not None]
        keys = list(zip((CATEGORY, PROGRAM, LINE_ITEM), ids, strict=False))
        if not keys or keys[-1][0] != kind:
            return QModelIndex()
        class_id = self._tree.class_of_category(keys[0][1])
        if class_id is None:
            return QModelIndex()
        return self.locate(((BUDGET_CLASS, class_id), *keys))
