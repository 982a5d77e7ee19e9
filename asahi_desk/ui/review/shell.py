"""The small hook of the 振り返り view into the main window: a tab beside the budget, the program form's
citing rows (reviewLinks), and which undo history is active."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTabWidget, QWidget

from asahi_desk.domain.errors import AsahiError

BUDGET_TAB, REVIEW_TAB = "予算", "振り返り"
REVIEW_INDEX = 1  # the 振り返り tab's place
PROGRAM = "program"  # services.tree's kind of a program row


class ReviewTab:
    """The 振り返り tab of a window: its ReviewView is imported and built when first needed (the tab shown, a
    finding or a citation opened, window.review_view asked for), not for the window's first paint."""

    def __init__(self, window: Any, tabs: QTabWidget) -> None:
        self._window, self._tabs = window, tabs
        self._view: Any = None
        self._placeholder = QWidget()  # the tab's page until the view is built
        tabs.addTab(self._placeholder, REVIEW_TAB)

    @property
    def built(self) -> Any:
        """The view when it has been built, else None."""
        return self._view

    def shown(self) -> bool:
        return self._tabs.currentIndex() == REVIEW_INDEX

    def view(self) -> Any:
        """The view, built now if it was not yet: it takes the placeholder's place in the tab."""
        if self._view is None:
            from asahi_desk.ui.review.view import ReviewView

            window = self._window
            self._view = ReviewView(lambda: window.services, window.undo_group, window.tell)
            tabs, current = self._tabs, self._tabs.currentIndex()
            blocked = tabs.blockSignals(True)  # the same tab stays current: no tab change to tell
            tabs.removeTab(REVIEW_INDEX)
            tabs.insertTab(REVIEW_INDEX, self._view, REVIEW_TAB)
            tabs.setCurrentIndex(current)
            tabs.blockSignals(blocked)
            self._placeholder.deleteLater()
            _wire(window, self._view)
        return self._view


def attach(window: Any, budget_view: QWidget) -> QTabWidget:
    """Tabs 予算 (budget_view) and 振り返り; returns the tab widget for the window's layout. The 振り返り view is
    built when first needed: window.review_tab (a ReviewTab) builds it, window.review_view is the window's name
    for it.

    window offers services, tell (its Teller), undo_group, undo_stack (the shown year's budget history), statusBar(), tree and
    model (the budget tree), program_form, mark_written(), findings_panel (optional) and select(kind, id, path)."""
    tabs = QTabWidget()
    tabs.setObjectName("viewTabs")
    tabs.setDocumentMode(True)
    tabs.addTab(budget_view, BUDGET_TAB)
    review = ReviewTab(window, tabs)
    window.review_tab = review
    window.review_tabs = tabs
    database = getattr(window, "database", None)
    if database is not None:  # 開く… / 新規 / a demo: the review of the database open now, a fresh history
        database.databaseOpened.connect(lambda *_args: _reopened(review.built))
    live = getattr(window, "live", None)
    if live is not None:  # another clerk's commit: the review shows it too (the form's typing is kept)
        live.changedElsewhere.connect(lambda _clerks: review.built is not None and review.built.reload_keeping_form())

    top_bar = getattr(getattr(window, "browser", None), "top_bar", None)  # 年度・検索・担当課 of the budget

    history = getattr(window, "history_panel", None)  # the 履歴 dock follows the tab shown
    budget_sources: list[Any] = []

    def budget_moves() -> list[Any]:
        """The 編集 menu's window-wide 上へ/下へ移動 (Alt+↑/↓): on the 振り返り tab they would move a budget row
        the clerk cannot see, and make the review tree's own Alt+↑/↓ ambiguous."""
        keys = {QKeySequence("Alt+Up"), QKeySequence("Alt+Down")}
        menu = window.menu("編集") if hasattr(window, "menu") else None
        return [a for a in (menu.actions() if menu is not None else []) if a.shortcut() in keys]

    def tab_changed(_index: int) -> None:
        shown = review.shown()
        view = review.view() if shown else None  # shown for the first time: built now
        for action in budget_moves():
            action.setEnabled(not shown)
        if top_bar is not None:
            top_bar.setVisible(not shown)
        if history is not None:
            if view is not None and not budget_sources:
                budget_sources.extend(history.use(view.year, view.history_selection))
            elif not shown and budget_sources:
                history.use(*budget_sources)
                budget_sources.clear()
        if view is not None:
            view.load_years()
            window.undo_group.setActiveStack(view.undo_stack)
        else:
            window.undo_group.setActiveStack(window.undo_stack)
            show_citations(window.tree.currentIndex())  # links made on the 振り返り tab show at once

    def keep_review_stack(stack: Any) -> None:
        # a reload of the budget side (a year switch, a refresh) makes its year's stack active: on the
        # 振り返り tab, Ctrl+Z stays the review's
        view = review.built
        if view is not None and review.shown() and stack is not view.undo_stack:
            window.undo_group.setActiveStack(view.undo_stack)

    tabs.currentChanged.connect(tab_changed)
    window.undo_group.activeStackChanged.connect(keep_review_stack)

    citations: list[Any] = []  # the program form's reviewLinks, made with the form

    def add_links(form: Any) -> None:
        from asahi_desk.ui.review.links import ReviewLinksList

        links = ReviewLinksList()
        form.layout_.addWidget(links)
        window.review_links = links
        links.rowActivated.connect(open_row)
        citations.append(links)

    def show_citations(current: Any, _previous: Any = None) -> None:
        data = window.model.node(current.siblingAtColumn(0)).data if current.isValid() else None
        if data is None or data.kind != PROGRAM or not citations:  # no program form yet: nothing shows them
            return
        try:
            citations[0].show_citations(window.services.review.citing_program(data.id))
        except AsahiError as e:
            window.statusBar().showMessage(str(e))

    window.tree.selectionModel().currentChanged.connect(show_citations)

    def open_row(year: int, row_id: int) -> None:
        view = review.view()
        tabs.setCurrentWidget(view)
        if not view.select_row(year, row_id):
            window.statusBar().showMessage("振り返りの行が見つかりません（削除された可能性があります）")

    detail = getattr(window, "detail", None)
    if detail is not None:  # the program form is built when first shown (ui/window/detail.py)
        detail.when_built(PROGRAM, add_links)
    else:
        add_links(window.program_form)
    window.open_review_row = open_row
    return tabs


def _reopened(view: Any) -> None:
    """Another database is open: a built view shows its review, with a fresh history (an unbuilt one reads it
    when it is built)."""
    if view is not None:
        view.undo_stack.clear()
        view.load_years()


def _wire(window: Any, view: Any) -> None:
    """The view's signals to the window: written (the demo state, the history, the findings), the selection (the
    history), a linked program activated (shown in the budget tree); the budget's operation ids."""
    view.written.connect(window.mark_written)
    history = getattr(window, "history_panel", None)
    if history is not None:
        view.selectionChanged.connect(history.refresh)
        view.written.connect(history.refresh)
    budget_ops = getattr(getattr(window, "editing", None), "operations", None)
    if budget_ops is not None:  # one set of this window's operation ids: the live refresh skips them all
        view.operations.own = budget_ops.own
    findings = getattr(window, "findings_panel", None)
    if findings is not None:  # a review edit may raise or settle the checker's review findings
        view.written.connect(findings.schedule)

    def open_program(program_id: int) -> None:
        try:
            category_id = window.services.editing.program(program_id).category_id
        except AsahiError as e:
            window.statusBar().showMessage(str(e))
            return
        window.review_tabs.setCurrentIndex(0)
        window.select(PROGRAM, program_id, (category_id,))

    view.programActivated.connect(open_program)


def connect_findings(window: Any) -> None:
    """A click on a finding of the 振り返り opens its row (the budget side ignores such findings). Called
    once the window's findings list exists (by the menu extension, after the window is built)."""

    def clicked(item: Any) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        row_id = getattr(getattr(finding, "location", None), "review_row_id", None)
        if row_id is not None:
            window.open_review_row(finding.location.fiscal_year, row_id)

    window.findings.itemClicked.connect(clicked)
    window.findings.itemActivated.connect(clicked)
