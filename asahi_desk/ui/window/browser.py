"""The budget browser: fiscal year, search and 担当課 filter, the budget tree and its selection."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTreeView, QWidget

from asahi_desk.domain.money import format_amount
from asahi_desk.domain.operations import DELETE, INSERT, UPDATE, OpChanges, RowChange
from asahi_desk.domain.search_text import query_words
from asahi_desk.domain.tree_rows import BUDGET_CLASS, CATEGORY, LINE_ITEM, OUTSIDE_TOTAL, PROGRAM
from asahi_desk.ui.highlight import HighlightDelegate
from asahi_desk.ui.status_label import StatusLabel
from asahi_desk.ui.tree_model import BudgetTreeModel
from asahi_desk.ui.year_combo import fill_year_combo

if TYPE_CHECKING:
    from asahi_desk.app import Services

ALL_SECTIONS = "（すべての担当課）"
NO_MATCH = "該当する項目はありません"

ExpandedPath = tuple[tuple[str, int], ...]


class BudgetBrowser(QObject):
    """Owns the top bar (year, search, 担当課), the tree and the filter summary; the shell lays them out.

    Speaks back through signals: yearChanged (the year combo moved, or the years were reloaded),
    currentChanged (the row to show in the form; invalid when none), sectionsLoaded (the 課 master)."""

    yearChanged = Signal()
    currentChanged = Signal(QModelIndex)
    sectionsLoaded = Signal(list)

    def __init__(self, services: Callable[[], Services], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.filtered = False  # the tree shows a search or 担当課 filter
        self._unfiltered_expansion: list[ExpandedPath] = []  # expanded rows before the filter
        self.top_bar = QWidget()
        bar = QHBoxLayout(self.top_bar)
        bar.setContentsMargins(6, 6, 6, 0)
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("fiscalYearCombo")
        self.year_combo.setMinimumWidth(200)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.yearChanged.emit())
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("名称・目的・活動・指標・課を検索（ひらがな・半角も可。空白で区切ると全部を含む行）Ctrl+F")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(lambda _t: self.apply_filter())
        self.section_filter = QComboBox()
        self.section_filter.setObjectName("sectionFilter")
        self.section_filter.setMinimumWidth(180)
        self.section_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year_combo)
        bar.addSpacing(12)
        bar.addWidget(QLabel("検索"))
        bar.addWidget(self.search_box, 1)
        bar.addWidget(QLabel("担当課"))
        bar.addWidget(self.section_filter)

        self.model = BudgetTreeModel(services().tree, self)
        self.tree = QTreeView()
        self.tree.setObjectName("budgetTree")
        self.tree.setModel(self.model)
        self.tree.setItemDelegateForColumn(0, HighlightDelegate(self.tree))  # search hits marked in the labels
        self.tree.setUniformRowHeights(True)
        self.tree.setDragDropMode(QTreeView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.tree.setColumnWidth(col, 110)
        self.tree.selectionModel().currentChanged.connect(lambda cur, _prev: self.currentChanged.emit(cur))

        # under a search or 担当課 filter: how many programs are listed and their sums (the tree's 合計, class
        # and category rows then add up the listed programs too, in italics)
        self.filter_summary = StatusLabel()
        self.filter_summary.setObjectName("filterSummary")
        self.filter_summary.hide()

    def use_services(self, services: Services) -> None:
        """Another database: same model, new data source."""
        self.model._tree = services.tree  # noqa: SLF001

    # ---- years and sections ----
    def current_fiscal_year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def load_years(self, select: int | None = None) -> None:
        """The database's years into the combo (select, else the latest); then yearChanged."""
        fill_year_combo(self.year_combo, self._services().budgets.fiscal_years(), select)
        self.refresh_sections()
        self.yearChanged.emit()

    def refresh_sections(self) -> None:
        """The section master into the 担当課 filter (keeping its choice); sectionsLoaded tells the forms."""
        names = self._services().tree.sections()
        chosen = self.section_filter.currentData()
        self.section_filter.blockSignals(True)
        self.section_filter.clear()
        self.section_filter.addItem(ALL_SECTIONS, None)
        for name in names:
            self.section_filter.addItem(name, name)
        self.section_filter.setCurrentIndex(max(0, self.section_filter.findData(chosen)))
        self.section_filter.blockSignals(False)
        self.sectionsLoaded.emit(list(names))

    # ---- filter ----
    def clear_filters(self) -> None:
        if self.search_box.text() or self.section_filter.currentIndex() > 0:
            self.search_box.clear()
            self.section_filter.setCurrentIndex(0)

    def reload(self) -> None:
        """Read the year again (the data changed) and show it under the current filters."""
        self._services().tree.invalidate()
        self.apply_filter()

    def refresh_keeping_view(self) -> None:
        """Read the year again (another clerk committed) keeping what the clerk sees: the expanded rows, the
        selected row and the scroll position."""
        expanded = self.expanded_paths()
        current = self.selected()
        path = self.model.path(current[2]) if current is not None else None
        scroll = self.tree.verticalScrollBar().value()
        self.reload()
        self.expand_paths(expanded)
        if path is not None:
            index = self.model.locate(path)
            if index.isValid() and index != self.tree.currentIndex().siblingAtColumn(0):
                self.tree.setCurrentIndex(index)
        self.tree.verticalScrollBar().setValue(scroll)

    def apply_changes(self, changes: OpChanges, rows: tuple[RowChange, ...]) -> bool:
        """Show an operation of this window by its change flags, in place: amounts along the path 細事業 → 事業 →
        施策 → class → 合計 (dataChanged of those rows only), renamed rows relabelled, a structure change
        reloading only the branch it changed; the search index is dropped only when a text or the structure
        changed. Selection, expansion and scroll stay. False when the change needs the whole tree read again
        (a filter is on, a category added or removed, 担当課 or years changed): the caller reloads."""
        if self.filtered or changes.sections or changes.years:
            return False
        branches = [b for b in changes.branches if b[0] in ("category", "program")]
        if len(branches) != len(changes.branches):
            return False
        if changes.texts or changes.structure or changes.indicators:  # what the search index holds
            self._services().tree.invalidate()
        expanded = self.expanded_paths() if branches else []
        scroll = self.tree.verticalScrollBar().value()
        for c in rows:
            self._apply_row(c)
        for table, node_id in branches:
            self.model.reload_children(CATEGORY if table == "category" else PROGRAM, node_id)
        if branches:
            self.expand_paths(expanded)
        self.tree.verticalScrollBar().setValue(scroll)
        return True

    def _apply_row(self, c: RowChange) -> None:
        model = self.model
        after = dict(c.after)
        kind = {"line_item": LINE_ITEM, "program": PROGRAM, "category": CATEGORY}.get(c.table)
        if kind is None or c.row_id is None:
            return
        if c.kind == UPDATE:
            node = model.node_of(kind, c.row_id)
            if node is not None and node.data is not None:
                number = after.get("number", node.data.label.split(" ", 1)[0])
                if kind in (LINE_ITEM, PROGRAM) and "name" in after:
                    model.set_label(kind, c.row_id, f"{number} {after['name']}")
                figures = {"line_item": ("amount", "prior"), "program": ("current", "prior")}.get(c.table)
                if figures and (figures[0] in after or figures[1] in after):
                    model.set_figures(kind, c.row_id, after.get(figures[0], node.data.current),
                                      after.get(figures[1], node.data.prior))
            if c.table == "program":
                before = dict(c.before)
                self._add_to_ancestors(c, after.get("current", 0) - before.get("current", 0) if "current" in after else 0,
                                       after.get("prior", 0) - before.get("prior", 0) if "prior" in after else 0)
        elif c.table == "program" and c.kind in (INSERT, DELETE):
            values = dict(c.after if c.kind == INSERT else c.before)
            sign = 1 if c.kind == INSERT else -1
            self._add_to_ancestors(c, sign * int(values.get("current") or 0), sign * int(values.get("prior") or 0))

    def _add_to_ancestors(self, c: RowChange, current: int, prior: int) -> None:
        """A program's figures moved by (current, prior): its category, its class and (inside the total) 合計."""
        if (current, prior) == (0, 0) or c.parent is None:
            return
        model = self.model
        category = model.node_of(CATEGORY, c.parent[1])
        if category is not None:
            model.add_figures(category, current, prior)
            budget_class = category.parent
        else:
            class_id = self._services().tree.class_of_category(c.parent[1])
            budget_class = model.node_of(BUDGET_CLASS, class_id) if class_id is not None else None
        if budget_class is not None and budget_class.data is not None:
            model.add_figures(budget_class, current, prior)
            total = model.total_node()
            if total is not None and not budget_class.data.label.endswith(OUTSIDE_TOTAL):
                model.add_figures(total, current, prior)

    def apply_filter(self) -> None:
        """Load the tree for the year and filters. The selected row stays selected (and its form shown) while it
        still matches; the rows expanded before a filter are expanded again when the filter is cleared."""
        year = self.current_fiscal_year()
        text = self.search_box.text()
        section = self.section_filter.currentData()
        filtering = year is not None and bool(text.strip() or section)
        matches = self._services().tree.search(year, text, section) if filtering else None  # type: ignore[arg-type]
        current = self.tree.currentIndex()
        keep = self.model.path(current.siblingAtColumn(0)) if current.isValid() else ()
        if filtering and not self.filtered:
            self._unfiltered_expansion = self.expanded_paths()
        restore = self._unfiltered_expansion if self.filtered and not filtering else []
        self.filtered = filtering
        self.model.load(year, matches, query_words(text) if matches is not None else ())
        if matches is not None:
            # few branches match: open them down to the hits, so the clerk sees them without clicking; a program
            # is opened when one of its line items matched the text (not for a 担当課 filter alone, which keeps
            # whole programs: opening them all would bury the list)
            for crow in range(self.model.rowCount()):
                cls = self.model.index(crow, 0)
                self._open(cls)
                for row in range(self.model.rowCount(cls)):
                    cat = self.model.index(row, 0, cls)
                    self._open(cat)
                    for prow in range(self.model.rowCount(cat)):
                        prog = self.model.index(prow, 0, cat)
                        if self.model.node(prog).data.id in matches.by_item:
                            self._open(prog)
        self._summarize_filter(text, section, matches)
        for path in restore:
            index = self.model.locate(path)
            if index.isValid():
                self._open(index)
        index = self.model.locate(keep) if keep else QModelIndex()
        if index.isValid():
            self.reveal(index)
        else:
            self.currentChanged.emit(QModelIndex())

    def _summarize_filter(self, text: str, section: str | None, matches: object) -> None:
        """The programs listed under a filter: their count and sums (the 合計 of what is listed: 合計外 classes such
        as 区配事業 are named apart, never added in), or that nothing matched."""
        listed = self.model.listed
        if matches is None or listed is None:
            self.filter_summary.hide()
            self.filter_summary.clear()
            return
        what = "・".join(w for w in (section or "", f"「{text.strip()}」" if text.strip() else "") if w)
        (count, current, prior), (outside, out_current, out_prior) = listed.inside, listed.outside
        if count + outside == 0:
            self.filter_summary.setText(f"{what}: {NO_MATCH}")
        else:
            line = (f"{what}: 事業 {count} 件、予算額 {format_amount(current)}千円"
                    f"・前年度 {format_amount(prior)}千円")
            if outside:
                line += (f"（ほかに合計外 {outside} 件、予算額 {format_amount(out_current)}千円"
                         f"・前年度 {format_amount(out_prior)}千円）")
            self.filter_summary.setText(line)
        self.filter_summary.show()

    def nothing_listed(self) -> bool:
        """A filter is on and no row matches."""
        return self.filtered and self.model.rowCount() == 0

    # ---- selection ----
    def _open(self, index: QModelIndex) -> None:
        if self.model.canFetchMore(index):
            self.model.fetchMore(index)
        self.tree.expand(index)

    def selected(self) -> tuple[str, int, QModelIndex] | None:
        """(kind, id, column-0 index) of the current row, or None."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        index = index.siblingAtColumn(0)
        data = self.model.node(index).data
        return data.kind, data.id, index

    def reshow(self) -> None:
        """Show the current row's form again (after a refused edit, it shows what the database holds)."""
        self.currentChanged.emit(self.tree.currentIndex())

    def select(self, kind: str, node_id: int, path: tuple[int | None, ...] = ()) -> bool:
        index = self.model.find(kind, node_id, path)
        if not index.isValid():
            return False
        self.reveal(index)
        return True

    def reveal(self, index: QModelIndex) -> None:
        """Make index the current row, its ancestors expanded and the row scrolled into view."""
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def path_of(self, kind: str, node_id: int) -> tuple[int | None, ...]:
        """The ids of the rows above a program or a line item (category, program), as model.find takes them."""
        editing = self._services().editing
        if kind == PROGRAM:
            return (editing.program(node_id).category_id,)
        if kind == LINE_ITEM:
            pid = editing.line_item(node_id).program_id
            return (editing.program(pid).category_id, pid)
        return ()

    def expanded_paths(self, parent: QModelIndex | None = None) -> list[ExpandedPath]:
        """The paths of the expanded rows, parents before children (only loaded rows can be expanded)."""
        parent = parent or QModelIndex()
        out: list[ExpandedPath] = []
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            if self.tree.isExpanded(index):
                out.append(self.model.path(index))
                out.extend(self.expanded_paths(index))
        return out

    def expand_paths(self, paths: list[ExpandedPath]) -> None:
        for path in paths:
            index = self.model.locate(path)
            if index.isValid():
                self.tree.expand(index)
