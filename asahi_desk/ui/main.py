"""Main window shell: lays out and wires the window's pieces (ui/window/), owns the undo stacks, menus and settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from asahi_desk import __version__
from asahi_desk.demo_copy import is_demo_copy
from asahi_desk.domain.tree_rows import CATEGORY, LINE_ITEM, PROGRAM, TOTAL
from asahi_desk.ui import extensions
from asahi_desk.ui.first_services import FirstServices, LoadOnInput, pending
from asahi_desk.ui.fonts import install_application_font
from asahi_desk.ui.no_year import NO_YEAR_HINT
from asahi_desk.ui.review import shell as review_shell
from asahi_desk.ui.translations import install_japanese_translation
from asahi_desk.ui.window.browser import BudgetBrowser
from asahi_desk.ui.window.clerk_name import apply_clerk_name, ask_clerk_name
from asahi_desk.ui.window.database_actions import (
    DatabaseActions,
    ask_demo_close,
    ask_save_path,
    db_label,
    recent_files,
    remember_recent,
)
from asahi_desk.ui.window.demo_notice import DemoNotice
from asahi_desk.ui.window.detail import NO_YEAR_PAGE, DetailPanel
from asahi_desk.ui.window.editing import EditingActions
from asahi_desk.ui.window.findings import FindingsPanel
from asahi_desk.ui.window.history_dock import HistoryDock
from asahi_desk.ui.window.live_refresh import LiveRefresh
from asahi_desk.ui.window.telling import Teller
from asahi_desk.ui.window.year_actions import YearActions

if TYPE_CHECKING:
    from asahi_desk.app import Services
    from asahi_desk.domain.checks import Finding
    from asahi_desk.store.first_read import FirstRead
    from asahi_desk.ui.empty_database import NoYearPage
    from asahi_desk.ui.forms import CategoryForm, LineItemForm, ProgramForm
    from asahi_desk.ui.total_page import TotalPage

__all__ = ["CATEGORY", "DEMO_OPENED", "DEMO_SAVED", "DEMO_TITLE", "MainWindow", "build_main_window",
           "recent_files", "remember_recent"]

MENU_TITLES = ("ファイル", "編集", "表示", "データ", "出力", "ヘルプ")
SAVED = "保存済み（編集はすぐに保存されます）"
DEMO_TITLE = "asahi-desk — デモ（一時コピー）"
DEMO_SAVED = "デモの一時コピーに保存しました（終了すると消えます。残すには ファイル → 別名で保存…）"
DEMO_OPENED = "デモの一時コピーです（終了すると消えます。残すには ファイル → 別名で保存…）"


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.services = services
        apply_clerk_name(services)
        # one undo history per fiscal year: the active stack is the year shown, so switching back brings
        # that year's steps back and the 編集 menu names the shown year's step
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int | None, QUndoStack] = {}
        self._menus: dict[str, QMenu] = {}
        # a temporary demo copy (removed at exit): the title, the status bar and closing say so
        self._demo = is_demo_copy(services.db_path)
        self._edited = False  # something was written to this database from this window
        # the questions closing a demo and 別名で保存 ask; replaceable (tests, other front ends)
        self.ask_demo_close: Callable[[], str] = self._ask_demo_close
        self.ask_save_path: Callable[[str], str] = lambda suggestion: ask_save_path(self, suggestion)
        self._build_pieces()
        self._build_layout()
        self._build_menus()
        self.browser.load_years()
        if pending(services):  # built on the first read: the rest starts once the real services are loaded
            services.on_loaded(self._first_loaded)
        else:
            self.live.start()
        extensions.install_all(self)
        self.resize(1280, 800)  # the first start's size; a saved geometry replaces it
        self._restore_settings()
        if self._demo:
            self.demo_notice.show_once()

    # ---- the contract of asahi_desk.ui.extensions ----
    def menu(self, title: str) -> QMenu:
        return self._menus[title]

    def current_fiscal_year(self) -> int | None:
        return self.browser.current_fiscal_year()

    def mark_written(self) -> None:
        """Something was written to the database outside the undo stacks (attachments kept by an export)."""
        self._edited = True

    def refresh(self) -> None:
        """Reload everything after data changed outside the undo stack."""
        self._edited = True
        self._clear_undo()
        self.browser.load_years(self.current_fiscal_year())

    # ---- undo: one stack per fiscal year ----
    @property
    def undo_stack(self) -> QUndoStack:
        """The undo history of the fiscal year shown."""
        return self._stack_for(self.current_fiscal_year())

    def _stack_for(self, year: int | None) -> QUndoStack:
        stack = self._stacks.get(year)
        if stack is None:
            stack = self._stacks[year] = QUndoStack(self)
            self.undo_group.addStack(stack)
        return stack

    def _clear_undo(self) -> None:
        """Forget every year's history (the data changed outside the stacks, or another database)."""
        for stack in self._stacks.values():
            stack.clear()

    def _drop_year_history(self, year: int) -> None:
        stack = self._stacks.pop(year, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()

    # ---- the pieces and how they are wired ----
    def _build_pieces(self) -> None:
        def services() -> Services:
            return self.services

        self.tell = Teller(self)
        self.browser = BudgetBrowser(services, self)
        self.detail = DetailPanel(services, self.tell, self)
        self.findings_panel = FindingsPanel(services, self.current_fiscal_year, self)
        self.editing = EditingActions(services, lambda: self.undo_stack, self.browser, self.detail, self.tell, self)
        self.live = LiveRefresh(services, self.editing.operations.own, self)
        self.history_panel = HistoryDock(services, self.current_fiscal_year, self._selection, self)
        self.history_dock = self.history_panel.dock
        self._holding_form = False  # while others' changes are shown and the clerk is typing in the form
        self.year_actions = YearActions(services, self.current_fiscal_year, self.tell, self._saved_note, self)
        self.database = DatabaseActions(services, self.current_fiscal_year, lambda: self._demo,
                                        lambda suggestion: self.ask_save_path(suggestion), self.tell, self)
        # the names the window has always offered (tests and checks outside this repository use them)
        self.year_combo, self.search_box = self.browser.year_combo, self.browser.search_box
        self.section_filter, self.model, self.tree = self.browser.section_filter, self.browser.model, self.browser.tree
        self.stack, self.empty_page = self.detail.stack, self.detail.empty_page
        self.findings, self.findings_dock = self.findings_panel.list, self.findings_panel.dock

        self.browser.yearChanged.connect(self._year_changed)
        self.browser.currentChanged.connect(self._show_node)
        self.browser.sectionsLoaded.connect(self.detail.set_section_master)
        self.findings_panel.findingChosen.connect(self._go_to_finding)
        self.editing.edited.connect(self._after_write)
        self.live.changedElsewhere.connect(self._changed_elsewhere)
        self.browser.currentChanged.connect(lambda _index: self.history_panel.refresh())
        self.editing.edited.connect(lambda _changes: self.history_panel.refresh())
        self.year_actions.written.connect(self.mark_written)
        self.year_actions.yearsChanged.connect(self.browser.load_years)
        self.year_actions.yearDeleted.connect(self._drop_year_history)
        self.year_actions.sectionAdded.connect(self._section_added)
        self.database.databaseOpened.connect(self._use_services)
        self.detail.when_built(PROGRAM, lambda form: form.sectionAddRequested.connect(
            lambda: self.year_actions.add_section(tick=True)))
        self.detail.when_built(NO_YEAR_PAGE, self._wire_no_year_page)
        if not pending(self.services):  # on the first read they wait for the services (_after_first_load)
            self.detail.build_pages()

    def _wire_no_year_page(self, page: NoYearPage) -> None:
        page.create_button.clicked.connect(self.year_actions.ask_empty_year)
        page.open_button.clicked.connect(self.database.open_database)
        page.import_button.clicked.connect(self.year_actions.start_import)

    def _build_layout(self) -> None:
        self.setWindowTitle(self._title())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stack)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(scroll)
        self.splitter.setSizes([640, 560])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.demo_notice = DemoNotice()
        layout.addWidget(self.demo_notice)
        layout.addWidget(self.browser.top_bar)
        layout.addWidget(review_shell.attach(self, self.splitter), 1)  # tabs 予算 / 振り返り
        self.setCentralWidget(central)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.history_dock)
        self.tabifyDockWidget(self.findings_dock, self.history_dock)
        self.findings_dock.raise_()
        self.resizeDocks([self.findings_dock], [150], Qt.Orientation.Vertical)
        self.statusBar().addPermanentWidget(self.browser.filter_summary)
        self.browser.filter_summary.follow(self.statusBar())  # gives way to the message, never cuts it
        self._show_saved()

    def _build_menus(self) -> None:
        for title in MENU_TITLES:
            self._menus[title] = self.menuBar().addMenu(title)
        database, editing, years = self.database, self.editing, self.year_actions
        file = self._menus["ファイル"]
        self._action(file, "データベースを開く…", database.open_database, QKeySequence.StandardKey.Open)
        self._action(file, "新しいデータベース…", database.new_database, QKeySequence.StandardKey.New)
        self._action(file, "別名で保存…", database.save_as, QKeySequence("Ctrl+Shift+S")).setObjectName("actionSaveAs")
        self.recent_menu = file.addMenu("最近使ったファイル")
        self.recent_menu.aboutToShow.connect(lambda: database.fill_recent(self.recent_menu))
        file.addSeparator()
        self._action(file, "終了", self.close, QKeySequence.StandardKey.Quit)

        edit = self._menus["編集"]
        undo = self.undo_group.createUndoAction(self, "元に戻す")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "やり直し")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        undo.setObjectName("undoAction")
        redo.setObjectName("redoAction")
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        self._action(edit, "施策を追加", editing.add_category)
        # Ctrl+N is 新しいデータベース; Insert is the tree editors' usual "add here"
        self._action(edit, "子を追加（事業・細事業）", editing.add_child, QKeySequence("Ins"), widget=self.tree)
        self._action(edit, "削除…", editing.delete, QKeySequence.StandardKey.Delete, widget=self.tree)
        self._action(edit, "上へ移動", lambda: editing.move(-1), QKeySequence("Alt+Up"))
        self._action(edit, "下へ移動", lambda: editing.move(1), QKeySequence("Alt+Down"))
        self._action(edit, "検索", lambda: self.search_box.setFocus(), QKeySequence.StandardKey.Find)

        view = self._menus["表示"]
        view.addAction(self.findings_dock.toggleViewAction())
        view.addAction(self.history_dock.toggleViewAction())
        self._action(view, "すべて展開", self.tree.expandAll)
        self._action(view, "すべて折りたたむ", self.tree.collapseAll)
        self._action(view, "チェックを再実行", self.findings_panel.run_checks, QKeySequence("F5"))

        data = self._menus["データ"]
        self._action(data, "新年度作成…", years.new_year)
        self._action(data, "空の年度を作成…", years.ask_empty_year).setObjectName("actionCreateEmptyYear")
        self._action(data, "年度を削除…", years.ask_delete_year).setObjectName("actionDeleteYear")
        self._action(data, "担当課を追加…", years.add_section)
        self._action(data, "担当者名…", self._ask_clerk_name).setObjectName("actionClerkName")

    def _action(self, menu: QMenu, text: str, slot: Callable[[], Any], shortcut: Any = None,
                widget: QWidget | None = None) -> QAction:
        action = QAction(text, widget or self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if widget is not None:
            widget.addAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # ---- what the pieces report ----
    def _year_changed(self) -> None:
        self.undo_group.setActiveStack(self.undo_stack)  # the shown year's history (commands name its records)
        self.browser.reload()
        self.findings_panel.schedule()
        self.history_panel.refresh()
        self._show_saved()

    def _after_write(self, _changes: object = None) -> None:
        """An edit, undo or redo was committed: the findings and the status bar follow."""
        self._edited = True
        self.findings_panel.schedule()
        self._show_saved()

    def _changed_elsewhere(self, clerks: list[str]) -> None:
        """Another clerk committed: the tree, totals, findings and form show it, keeping expansion, selection
        and scroll. A form the clerk is typing in keeps the typing, with a notice (its save then states the
        version it showed, and is refused naming who changed the row if it was this one)."""
        typing = self.detail.typing()
        self._holding_form = typing is not None
        try:
            self.browser.refresh_keeping_view()
        finally:
            self._holding_form = False
        who = "、".join(f"{c}さん" for c in clerks) or "ほかの担当者"
        if typing is not None:
            note = f"{who}が変更を保存しました。入力中の内容は残しています（保存するときに最新の内容と照らし合わせます）"
            message = getattr(typing, "message", None)
            if message is not None:
                message.setText(note)
            self.tell(note)
        else:
            self.browser.reshow()
            self.tell(f"{who}の変更を反映しました")
        self.findings_panel.schedule()
        self.history_panel.refresh()

    def _selection(self) -> tuple[str, int] | None:
        current = self.browser.selected()
        return (current[0], current[1]) if current is not None else None

    def _show_node(self, index: QModelIndex) -> None:
        if self._holding_form:
            return
        data = self.model.node(index.siblingAtColumn(0)).data if index.isValid() else None
        self.detail.show(data, self.current_fiscal_year(), db_label=db_label(self.services),
                         nothing_listed=self.browser.nothing_listed())

    def _ask_clerk_name(self) -> None:
        if ask_clerk_name(self, self.services):
            self.tell(f"担当者名: {self.services.clerk}")

    def _section_added(self, name: str, tick: bool) -> None:
        self.browser.refresh_sections()
        if tick:
            self.program_form.check_section(name)

    def _go_to_finding(self, finding: Finding) -> None:
        """Show the row a checker finding names, its field focused (the filters are cleared if they hide it)."""
        loc = finding.location
        self.browser.clear_filters()
        if loc.line_item_id is not None:
            self.select(LINE_ITEM, loc.line_item_id, (loc.category_id, loc.program_id))
            self.detail.focus_finding(LINE_ITEM, loc.field)
        elif loc.program_id is not None:
            self.select(PROGRAM, loc.program_id, (loc.category_id,))
            self.detail.focus_finding(PROGRAM, loc.field)
        elif loc.category_id is not None:
            self.select(CATEGORY, loc.category_id)
            self.detail.focus_finding(CATEGORY, loc.field)
        elif (loc.field or "").startswith("総括表"):  # the printed 総括表: its figures are kept on the total row
            self.select(TOTAL, 0)
            self.detail.focus_finding(TOTAL, loc.field)

    def _use_services(self, services: Services, select: int | None) -> None:
        """Another database was opened: everything reads it from now on, the old one is closed."""
        self.findings_panel.use_services(services)  # waits for a check still reading the old database
        self.live.stop()
        old, self.services = self.services, services
        apply_clerk_name(services)
        self.browser.use_services(services)
        old.close()
        self._demo = is_demo_copy(services.db_path)
        self._edited = False
        self.setWindowTitle(self._title())
        if not self._demo:
            self.demo_notice.hide()  # it spoke of the demo's data
        self._clear_undo()
        self.browser.load_years(select)
        self.live.start()

    def _first_loaded(self, services: Services) -> None:
        """The real services behind the first read are open (loaded after the first paint, or at once by the clerk's
        first action): everything reads them from now on; the live refresh catches up from the first read."""
        first = self.services
        if not isinstance(first, FirstServices):  # another database was opened meanwhile
            return
        self.services = services
        self.browser.use_services(services)
        self.findings_panel.use_services(services)
        self.live.start(since=first.first.history_mark)
        QTimer.singleShot(0, self, lambda: self._after_first_load(first.first.years))

    def _after_first_load(self, first_years: list[int]) -> None:
        """What waited for the real services: the checks, the history, the 振り返り, the 比較 versions."""
        if pending(self.services):
            return
        if self.services.budgets.fiscal_years() != first_years:  # a year added or deleted since the first read
            self.browser.load_years(self.current_fiscal_year())
        self.detail.build_pages()  # the pages not shown yet, so the clerk's first click on a row does not wait
        self.findings_panel.schedule()
        self.history_panel.refresh()
        review = self.review_tab.built  # not built: it reads the years when it is; shown: it read them then
        if review is not None and not self.review_tab.shown():
            review.load_years()
        compare = getattr(self, "compare_combo", None)
        if compare is not None:
            compare.reload()

    # ---- what the window offers (tests, extensions, checks outside this repository) ----
    # the form pages (built when first shown or asked for: ui/window/detail.py)
    @property
    def category_form(self) -> CategoryForm:
        return self.detail.category_form

    @property
    def program_form(self) -> ProgramForm:
        return self.detail.program_form

    @property
    def line_item_form(self) -> LineItemForm:
        return self.detail.line_item_form

    @property
    def total_page(self) -> TotalPage:
        return self.detail.total_page

    @property
    def review_view(self) -> QWidget:
        """The 振り返り tab's view (ui/review/view.py), built when first asked for or shown."""
        return self.review_tab.view()

    def select(self, kind: str, node_id: int, path: tuple[int | None, ...] = ()) -> bool:
        return self.browser.select(kind, node_id, path)

    def switch_database(self, path: str, *, select: int | None = None) -> bool:
        return self.database.switch_database(path, select=select)

    def save_copy_to(self, target: Any) -> bool:
        return self.database.save_copy_to(target)

    def create_empty_year(self, year: int, ward: str) -> bool:
        return self.year_actions.create_empty_year(year, ward)

    def delete_year(self, year: int) -> bool:
        return self.year_actions.delete_year(year)

    def demo_edited(self) -> bool:
        """Whether closing would lose something: a demo copy with an edit (a step in any year's history, or a
        change made outside the undo stacks: 新年度作成, a new year, an import)."""
        return self._demo and (self._edited or any(stack.count() for stack in self._stacks.values()))

    def _ask_demo_close(self) -> str:
        return ask_demo_close(self)

    # ---- status and title ----
    def _title(self) -> str:
        return DEMO_TITLE if self._demo else f"asahi-desk {__version__} — {db_label(self.services)}"

    def _show_saved(self) -> None:
        """Where the edits went: the database (kept), or the demo's temporary copy (lost at exit)."""
        if self._demo:
            self.tell(DEMO_SAVED if self._edited else DEMO_OPENED)
        elif self.current_fiscal_year() is None:
            self.tell(NO_YEAR_HINT)
        else:
            self.tell(SAVED)

    def _saved_note(self) -> str:
        return "（デモの一時コピー）" if self._demo else "（保存済み）"

    # ---- settings ----
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("mainWindow/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        state = settings.value("mainWindow/state")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.demo_edited():
            from asahi_desk.ui.questions import CANCEL, SAVE

            answer = self.ask_demo_close()
            if answer == CANCEL or (answer == SAVE and not self.database.save_as()):
                event.ignore()
                return
        self.findings_panel.stop()  # the database closes with the window
        self.live.stop()
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/splitter", self.splitter.saveState())
        settings.setValue("mainWindow/state", self.saveState())
        super().closeEvent(event)
        # the database open now (after 開く… it is not the one build_main_window opened); a later call
        # through services would simply reconnect
        self.services.close()


def build_main_window(db: str) -> QMainWindow:
    """Build the window on a database path or URL inside an existing QApplication (no event loop)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        install_application_font(app)  # before the widgets, so they measure with the bundled face
        install_japanese_translation(app)
    from asahi_desk.app import build_services

    services = build_services(db)
    window = MainWindow(services)
    window.destroyed.connect(services.close)
    return window


def build_first_window(first: FirstRead, *, watch_input: bool = True) -> MainWindow:
    """The window on the start's first read (store/first_read.py), before SQLAlchemy is loaded: it shows the
    years and the newest year's tree; load_services() (or the clerk's first action) opens the real services.
    watch_input=False: the caller calls watch_first_input(window) itself (the start: once the window is painted)."""
    services = FirstServices(first)
    window = MainWindow(services)  # type: ignore[arg-type]
    window.destroyed.connect(services.close)
    if watch_input:
        watch_first_input(window)
    return window


def watch_first_input(window: QMainWindow, *, whole_application: bool = True) -> None:
    """The clerk's first click or key loads the services of a window on the first read before it is handled.

    whole_application: any window of the application (an application event filter), else only this window's
    own input (a filter on its QWindow, where the system's mouse and key events arrive: all there can be before
    the window's first paint). A Python filter on the application sees every object's events, and the first object
    of a class PySide does not know (Qt's animation timer, which the dock and toolbar layout starts) makes it set
    up every Qt class it has, about 30 ms: the start watches the application only once the window is painted."""
    services = getattr(window, "services", None)
    if not isinstance(services, FirstServices) or not services.pending:
        return
    watched = None if whole_application else window.windowHandle()
    if whole_application or watched is not None:
        LoadOnInput(services, window, watched)


def load_services(window: QMainWindow) -> None:
    """Open the real services of a window built on the first read (nothing when they are open)."""
    services = getattr(window, "services", None)
    if isinstance(services, FirstServices):
        services.load()
