"""Main window: fiscal year, budget tree, edit forms, findings dock, undo stack and menus."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from asahi_desk import __version__
from asahi_desk.app import (
    Services,
    build_services,
    default_db_path,
    display_url,
    fresh_demo_copy,
    is_demo_copy,
)
from asahi_desk.domain.checks import ERROR, Finding
from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.domain.money import format_amount
from asahi_desk.services.tree import BUDGET_CLASS, CATEGORY, LINE_ITEM, PROGRAM, TOTAL
from asahi_desk.ui import extensions
from asahi_desk.ui.check_runner import CheckRunner
from asahi_desk.ui.empty_database import NO_YEAR, EmptyYearDialog, NoYearPage
from asahi_desk.ui.fonts import install_application_font
from asahi_desk.ui.forms import CategoryForm, LineItemForm, ProgramForm
from asahi_desk.ui.plain_text import as_html
from asahi_desk.ui.questions import CANCEL, SAVE, SaveQuestion, ask_save_discard_cancel
from asahi_desk.ui.review import shell as review_shell
from asahi_desk.ui.total_page import TotalPage, figures_text
from asahi_desk.ui.translations import install_japanese_translation
from asahi_desk.ui.tree_model import BudgetTreeModel
from asahi_desk.ui.undo import OperationCommand

MENU_TITLES = ("ファイル", "編集", "表示", "データ", "出力", "ヘルプ")
ALL_SECTIONS = "（すべての担当課）"
MAX_RECENT = 6
PROGRAM_FIELD_LABELS = {"code": "コード", "number": "番号", "name": "事業名", "purpose": "目的", "current": "今年度予算額",
                        "prior": "前年度予算額", "sections": "担当課", "related": "関連する局事業",
                        "photo_captions": "写真の説明"}
CATEGORY_FIELD_LABELS = {"code": "コード", "name": "施策名", "order": "表示順"}
LINE_ITEM_FIELD_LABELS = {"number": "番号", "name": "細事業名", "amount": "金額", "marker": "記号", "activities": "主な活動"}
SAVED = "保存済み（編集はすぐに保存されます）"
DEMO_TITLE = "asahi-desk — デモ（一時コピー）"
DEMO_SAVED = "デモの一時コピーに保存しました（終了すると消えます。残すには ファイル → 別名で保存…）"
DEMO_OPENED = "デモの一時コピーを開いています（編集は終了すると消えます。残すには ファイル → 別名で保存…）"
DEMO_CLOSE_QUESTION = "デモの変更は終了すると消えます。別名で保存しますか？"
NO_MATCH = "該当する項目はありません"
NO_YEAR_HINT = (f"{NO_YEAR}データ → 前年度Excel取込… で前年度の Excel から始めるか、"
                "データ → 空の年度を作成… で年度を作ってください")
KIND_NAMES = {CATEGORY: "施策", PROGRAM: "事業", LINE_ITEM: "細事業"}
# Finding.field (domain/checks.py) → the form field a click on the finding focuses: a key of form.fields or
# the objectName of a widget of the form. A line item's finding without a field of its own goes to the amount.
PROGRAM_FINDING_FIELDS = {"事業名": "name", "予算額": "current", "増▲減": "current", "前年度額": "prior",
                          "担当課": "sections", "事業指標": "indicatorTable", "目的": "purpose", "番号": "number"}
LINE_ITEM_FINDING_FIELDS = {"活動内容": "activitiesList", "細事業名": "name", "番号": "number", "記号": "marker"}


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.services = services
        # one undo history per fiscal year: the active stack is the year shown, so switching back brings
        # that year's steps back and the 編集 menu names the shown year's step
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int | None, QUndoStack] = {}
        self._filtered = False  # the tree shows a search or 担当課 filter
        self._unfiltered_expansion: list[tuple[tuple[str, int], ...]] = []  # expanded rows before the filter
        # an invalid entry not saved: (form, field, note); shown again if the form is reloaded or left
        self._unsaved: tuple[QWidget, str, str] | None = None
        self._menus: dict[str, QMenu] = {}
        # a temporary demo copy (removed at exit): the title, the status bar and closing say so
        self._demo = is_demo_copy(services.db_path)
        self._edited = False  # something was written to this database from this window
        # the questions closing a demo and 別名で保存 ask; replaceable (tests, other front ends)
        self.ask_demo_close: Callable[[], str] = self._ask_demo_close
        self.ask_save_path: Callable[[str], str] = self._ask_save_path
        self._build_widgets()
        self._build_menus()
        # the checker loads two whole years: run it after the window is painted, once per burst of edits
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(100)
        self._check_timer.timeout.connect(self._idle_work)
        self._checks = CheckRunner(self.services.checks.check, self)
        self._checks.finished.connect(self._show_findings)
        self._checks.failed.connect(self._show_check_failure)
        self._load_years()
        extensions.install_all(self)
        self.resize(1280, 800)  # the first start's size; a saved geometry replaces it
        self._restore_settings()

    # ---- the contract of asahi_desk.ui.extensions ----
    def menu(self, title: str) -> QMenu:
        return self._menus[title]

    def current_fiscal_year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def mark_written(self) -> None:
        """Something was written to the database outside the undo stacks (attachments kept by an export)."""
        self._edited = True

    def refresh(self) -> None:
        """Reload everything after data changed outside the undo stack."""
        self._edited = True
        self._clear_undo()
        self._load_years(self.current_fiscal_year())

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

    # ---- widgets ----
    def _build_widgets(self) -> None:
        self.setWindowTitle(self._title())
        top = QWidget()
        bar = QHBoxLayout(top)
        bar.setContentsMargins(6, 6, 6, 0)
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("fiscalYearCombo")
        self.year_combo.setMinimumWidth(200)
        self.year_combo.currentIndexChanged.connect(lambda _i: self._year_changed())
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("事業名・細事業名・活動で絞り込み（Ctrl+F）")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(lambda _t: self._apply_filter())
        self.section_filter = QComboBox()
        self.section_filter.setObjectName("sectionFilter")
        self.section_filter.setMinimumWidth(180)
        self.section_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year_combo)
        bar.addSpacing(12)
        bar.addWidget(QLabel("検索"))
        bar.addWidget(self.search_box, 1)
        bar.addWidget(QLabel("担当課"))
        bar.addWidget(self.section_filter)

        self.model = BudgetTreeModel(self.services.tree, self)
        self.tree = QTreeView()
        self.tree.setObjectName("budgetTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setDragDropMode(QTreeView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.model.on_move = self._move_node
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.tree.setColumnWidth(col, 110)
        self.tree.selectionModel().currentChanged.connect(lambda cur, _prev: self._show_node(cur))

        self.category_form = CategoryForm()
        self.program_form = ProgramForm()
        self.line_item_form = LineItemForm()
        self.category_form.fieldEdited.connect(lambda f, v: self._edit(CATEGORY, f, v))
        self.program_form.fieldEdited.connect(lambda f, v: self._edit(PROGRAM, f, v))
        self.line_item_form.fieldEdited.connect(lambda f, v: self._edit(LINE_ITEM, f, v))
        self.program_form.indicatorsEdited.connect(self._edit_indicators)
        self.program_form.sectionAddRequested.connect(lambda: self._add_section(tick=True))
        for form in (self.category_form, self.program_form, self.line_item_form):
            form.invalid.connect(lambda f, m, form=form: self._invalid_entry(form, f, m))
            form.accepted.connect(lambda f, form=form: self._entry_fixed(form, f))
        self.stack = QStackedWidget()
        self.stack.setObjectName("formStack")
        self.empty_page = QLabel("左の一覧から施策・事業・細事業を選んでください")
        self.empty_page.setObjectName("emptyPage")
        self.empty_page.setTextFormat(Qt.TextFormat.PlainText)  # class names may come from an imported sheet
        self.empty_page.setWordWrap(True)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.total_page = TotalPage()
        self.total_page.sync_button.clicked.connect(self._match_printed_summary)
        self.no_year_page = NoYearPage()
        self.no_year_page.create_button.clicked.connect(self._create_empty_year)
        self.no_year_page.open_button.clicked.connect(self._open_database)
        self.no_year_page.import_button.clicked.connect(self._start_import)
        for w in (self.empty_page, self.total_page, self.category_form, self.program_form, self.line_item_form,
                  self.no_year_page):
            self.stack.addWidget(w)
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
        layout.addWidget(top)
        layout.addWidget(review_shell.attach(self, self.splitter), 1)  # tabs 予算 / 振り返り
        self.setCentralWidget(central)

        self.findings = QListWidget()
        self.findings.setObjectName("findingsPanel")
        self.findings.setWordWrap(True)
        self.findings.itemActivated.connect(self._finding_clicked)
        self.findings.itemClicked.connect(self._finding_clicked)
        self.findings_dock = QDockWidget("チェック結果", self)
        self.findings_dock.setObjectName("findingsDock")
        self.findings_dock.setWidget(self.findings)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self.resizeDocks([self.findings_dock], [150], Qt.Orientation.Vertical)
        # under a search or 担当課 filter: how many programs are listed and their sums (the tree's class and
        # category rows keep their whole totals)
        self.filter_summary = QLabel()
        self.filter_summary.setObjectName("filterSummary")
        self.filter_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.filter_summary.hide()
        self.statusBar().addPermanentWidget(self.filter_summary)
        self._show_saved()

    def _build_menus(self) -> None:
        for title in MENU_TITLES:
            self._menus[title] = self.menuBar().addMenu(title)
        file = self._menus["ファイル"]
        self._action(file, "データベースを開く…", self._open_database, QKeySequence.StandardKey.Open)
        self._action(file, "新しいデータベース…", self._new_database, QKeySequence.StandardKey.New)
        self._action(file, "別名で保存…", self._save_as, QKeySequence("Ctrl+Shift+S")).setObjectName("actionSaveAs")
        self.recent_menu = file.addMenu("最近使ったファイル")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
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
        self._action(edit, "施策を追加", self._add_category)
        # Ctrl+N is 新しいデータベース; Insert is the tree editors' usual "add here"
        self._action(edit, "子を追加（事業・細事業）", self._add_child, QKeySequence("Ins"), widget=self.tree)
        self._action(edit, "削除…", self._delete, QKeySequence.StandardKey.Delete, widget=self.tree)
        self._action(edit, "上へ移動", lambda: self._move(-1), QKeySequence("Alt+Up"))
        self._action(edit, "下へ移動", lambda: self._move(1), QKeySequence("Alt+Down"))
        self._action(edit, "検索", lambda: self.search_box.setFocus(), QKeySequence.StandardKey.Find)

        view = self._menus["表示"]
        view.addAction(self.findings_dock.toggleViewAction())
        self._action(view, "すべて展開", self.tree.expandAll)
        self._action(view, "すべて折りたたむ", self.tree.collapseAll)
        self._action(view, "チェックを再実行", self._run_checks, QKeySequence("F5"))

        data = self._menus["データ"]
        self._action(data, "新年度作成…", self._new_year)
        self._action(data, "空の年度を作成…", self._create_empty_year).setObjectName("actionCreateEmptyYear")
        self._action(data, "年度を削除…", self._delete_year).setObjectName("actionDeleteYear")
        self._action(data, "担当課を追加…", self._add_section)

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

    # ---- years, tree, filter ----
    def _load_years(self, select: int | None = None) -> None:
        years = self.services.budgets.fiscal_years()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(fiscal_year_both(y), y)
        if years:
            self.year_combo.setCurrentIndex(years.index(select) if select in years else len(years) - 1)
        self.year_combo.blockSignals(False)
        self._refresh_sections()
        self._year_changed()

    def _refresh_sections(self) -> None:
        """The section master into the 担当課 filter (keeping its choice) and the program form's picker."""
        names = self.services.tree.sections()
        chosen = self.section_filter.currentData()
        self.section_filter.blockSignals(True)
        self.section_filter.clear()
        self.section_filter.addItem(ALL_SECTIONS, None)
        for name in names:
            self.section_filter.addItem(name, name)
        self.section_filter.setCurrentIndex(max(0, self.section_filter.findData(chosen)))
        self.section_filter.blockSignals(False)
        self.program_form.set_section_master(names)

    def _year_changed(self) -> None:
        self.undo_group.setActiveStack(self.undo_stack)  # the shown year's history (commands name its records)
        self.services.tree.invalidate()
        self._apply_filter()
        self._check_timer.start()
        self._show_saved()

    def _show_saved(self) -> None:
        """Where the edits went: the database (kept), or the demo's temporary copy (lost at exit)."""
        if self._demo:
            self.statusBar().showMessage(DEMO_SAVED if self._edited else DEMO_OPENED)
        elif self.current_fiscal_year() is None:
            self.statusBar().showMessage(NO_YEAR_HINT)
        else:
            self.statusBar().showMessage(SAVED)

    def _saved_note(self) -> str:
        return "（デモの一時コピー）" if self._demo else "（保存済み）"

    def _apply_filter(self) -> None:
        """Load the tree for the year and filters. The selected row stays selected (and its form shown) while it
        still matches; the rows expanded before a filter are expanded again when the filter is cleared."""
        year = self.current_fiscal_year()
        text = self.search_box.text()
        section = self.section_filter.currentData()
        filtering = year is not None and bool(text.strip() or section)
        matches = self.services.tree.search(year, text, section) if filtering else None  # type: ignore[arg-type]
        current = self.tree.currentIndex()
        keep = self.model.path(current.siblingAtColumn(0)) if current.isValid() else ()
        if filtering and not self._filtered:
            self._unfiltered_expansion = self._expanded_paths()
        restore = self._unfiltered_expansion if self._filtered and not filtering else []
        self._filtered = filtering
        self.model.load(year, matches)
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
            self._reveal(index)
        else:
            self._show_node(QModelIndex())

    def _summarize_filter(self, text: str, section: str | None, matches: object) -> None:
        """The programs listed under a filter: their count and sums, or that nothing matched. Read from the
        rows the filter opened (every matching category is open, so its programs are loaded)."""
        if matches is None:
            self.filter_summary.hide()
            self.filter_summary.clear()
            return
        count = current = prior = 0
        for crow in range(self.model.rowCount()):
            cls = self.model.index(crow, 0)
            for row in range(self.model.rowCount(cls)):
                cat = self.model.index(row, 0, cls)
                for prow in range(self.model.rowCount(cat)):
                    data = self.model.node(self.model.index(prow, 0, cat)).data
                    count, current, prior = count + 1, current + data.current, prior + data.prior
        what = "・".join(w for w in (section or "", f"「{text.strip()}」" if text.strip() else "") if w)
        if count == 0:
            self.filter_summary.setText(f"{what}: {NO_MATCH}")
        else:
            self.filter_summary.setText(f"{what}: 事業 {count} 件、予算額 {format_amount(current)}千円"
                                        f"・前年度 {format_amount(prior)}千円")
        self.filter_summary.show()

    def _open(self, index: QModelIndex) -> None:
        if self.model.canFetchMore(index):
            self.model.fetchMore(index)
        self.tree.expand(index)

    def _selected(self) -> tuple[str, int, QModelIndex] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        index = index.siblingAtColumn(0)
        data = self.model.node(index).data
        return data.kind, data.id, index

    def _show_node(self, index: QModelIndex) -> None:
        data = self.model.node(index.siblingAtColumn(0)).data if index.isValid() else None
        if data is not None and data.kind == TOTAL:
            year = self.current_fiscal_year()
            try:
                drift = self.services.printed_summary.drift(year) if year is not None else None
            except AsahiError as e:  # the year went away meanwhile (another clerk on a shared database)
                self._error(str(e))
                return
            self.total_page.show_total(data, drift)
            self.stack.setCurrentWidget(self.total_page)
            return
        if data is None and self.current_fiscal_year() is None:
            self.no_year_page.show_database(self._db_label())
            self.stack.setCurrentWidget(self.no_year_page)
            return
        if data is None and self._filtered and self.model.rowCount() == 0:
            self.empty_page.setText(f"{NO_MATCH}\n\n検索の文字や担当課を変えてください。")
            self.stack.setCurrentWidget(self.empty_page)
            return
        if data is None or data.kind == BUDGET_CLASS:
            self.empty_page.setText("左の一覧から施策・事業・細事業を選んでください" if data is None else figures_text(data))
            self.stack.setCurrentWidget(self.empty_page)
            return
        try:
            if data.kind == CATEGORY:
                self.category_form.show_category(self.services.editing.category(data.id))
                self.stack.setCurrentWidget(self.category_form)
            elif data.kind == PROGRAM:
                self.program_form.show_program(self.services.editing.program(data.id))
                self.stack.setCurrentWidget(self.program_form)
            else:
                self.line_item_form.show_line_item(self.services.editing.line_item(data.id))
                self.stack.setCurrentWidget(self.line_item_form)
        except AsahiError as e:
            self._error(str(e))
            return
        self._show_unsaved_note()

    def _replay_failed(self, message: str) -> None:
        """An undo or redo the database refused: say why, and drop this year's history once the stack is done
        with the step (its other steps may name the same records)."""
        self._error(message)
        QTimer.singleShot(0, self.undo_stack.clear)

    def _invalid_entry(self, form: QWidget, field: str, message: str) -> None:
        """A field's text was refused (nothing written): say so in the status bar and keep the note until the
        clerk fixes that field, so it stays visible when a click on another row reloads the form."""
        current = self._selected()
        what = ""
        if current is not None and current[0] in KIND_NAMES:
            what = f"{KIND_NAMES[current[0]]}「{self.model.node(current[2]).data.label}」の"
        labels = (CATEGORY_FIELD_LABELS if form is self.category_form
                  else PROGRAM_FIELD_LABELS if form is self.program_form else LINE_ITEM_FIELD_LABELS)
        note = f"{what}{labels.get(field, field)}は保存していません: {message}"
        self._unsaved = (form, field, note)
        self.statusBar().showMessage(note)

    def _entry_fixed(self, form: QWidget, field: str) -> None:
        if self._unsaved is not None and self._unsaved[:2] == (form, field):
            self._unsaved = None

    def _show_unsaved_note(self) -> None:
        """After the form was shown again: the note of a refused entry, in the form shown, once."""
        if self._unsaved is None:
            return
        _form, _field, note = self._unsaved
        self._unsaved = None
        shown = self.stack.currentWidget()
        message = getattr(shown, "message", None)
        if isinstance(message, QLabel):
            message.setText(note)
        self.statusBar().showMessage(note)

    def select(self, kind: str, node_id: int, path: tuple[int | None, ...] = ()) -> bool:
        index = self.model.find(kind, node_id, path)
        if not index.isValid():
            return False
        self._reveal(index)
        return True

    def _reveal(self, index: QModelIndex) -> None:
        """Make index the current row, its ancestors expanded and the row scrolled into view."""
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def _path_of(self, kind: str, node_id: int) -> tuple[int | None, ...]:
        if kind == PROGRAM:
            return (self.services.editing.program(node_id).category_id,)
        if kind == LINE_ITEM:
            pid = self.services.editing.line_item(node_id).program_id
            return (self.services.editing.program(pid).category_id, pid)
        return ()

    # ---- edits ----
    def _after_edit(self, kind: str | None = None, node_id: int | None = None) -> None:
        """Show the committed state: tree amounts, the form, the findings."""
        current = self._selected()
        if kind is None and current is not None:
            kind, node_id = current[0], current[1]
        expanded = self._expanded_paths()
        self.services.tree.invalidate()
        self._apply_filter()
        for path in expanded:
            index = self.model.locate(path)
            if index.isValid():
                self.tree.expand(index)
        if kind == TOTAL:
            self.select(TOTAL, 0)  # the one total row (an edit of the printed 総括表 names the year)
        elif kind is not None and node_id is not None:
            with contextlib.suppress(AsahiError):  # the record may have been deleted
                self.select(kind, node_id, self._path_of(kind, node_id))
        self._edited = True
        self._check_timer.start()
        self._show_saved()

    def _expanded_paths(self, parent: QModelIndex | None = None) -> list[tuple[tuple[str, int], ...]]:
        """The paths of the expanded rows, parents before children (only loaded rows can be expanded)."""
        parent = parent or QModelIndex()
        out: list[tuple[tuple[str, int], ...]] = []
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            if self.tree.isExpanded(index):
                out.append(self.model.path(index))
                out.extend(self._expanded_paths(index))
        return out

    def _push(self, text: str, do: Callable[[], Any], kind: str, node_id: int, field: str | None = None) -> bool:
        """Run one operation now; when it wrote anything, push its undo entry (the first redo is the write just
        made). Every call is its own step: a form reports a text field once per finished edit. Undo and redo
        change only the fields the operation changed, each checked against what it expects to find."""
        try:
            result = do()
        except AsahiError as e:
            self._error(str(e))
            return False
        if result.undo is not None:
            self.undo_stack.push(OperationCommand(text, self.services.editing, result.undo,
                                                  lambda: self._after_edit(kind, node_id), failed=self._replay_failed))
        return True

    def _edit(self, kind: str, field: str, value: object) -> None:
        ed = self.services.editing
        form: Any = {CATEGORY: self.category_form, PROGRAM: self.program_form}.get(kind, self.line_item_form)
        if kind == CATEGORY:
            cid = self.category_form.category_id
            ok = self._push(f"施策の{CATEGORY_FIELD_LABELS[field]}を変更",
                            lambda: ed.update_category(cid, **{field: value}), kind, cid, field)
        elif kind == PROGRAM:
            pid = self.program_form.program_id
            ok = self._push(f"事業の{PROGRAM_FIELD_LABELS[field]}を変更",
                            lambda: ed.update_program(pid, **{field: value}), kind, pid, field)
        else:
            lid = self.line_item_form.line_item_id
            ok = self._push(f"細事業の{LINE_ITEM_FIELD_LABELS[field]}を変更",
                            lambda: ed.update_line_item(lid, **{field: value}), kind, lid, field)
        if not ok:
            self._show_refusal(form)

    def _match_printed_summary(self) -> None:
        year = self.current_fiscal_year()
        if year is not None:
            self._push("総括表の記載値を積み上げに合わせる",
                       lambda: self.services.printed_summary.match_computed(year), TOTAL, year)

    def _edit_indicators(self, rows: tuple) -> None:
        pid = self.program_form.program_id
        ed = self.services.editing
        if not self._push("事業指標を変更", lambda: ed.set_indicators(pid, rows), PROGRAM, pid, "indicators"):
            self._show_refusal(self.program_form)

    def _show_refusal(self, form: Any) -> None:
        """After a refused edit: the form back to what the database holds, and why the edit did not reach it."""
        message = self.statusBar().currentMessage()
        self._show_node(self.tree.currentIndex())
        form.message.setText(message)

    def _add_category(self, budget_class_id: int | None = None) -> None:
        year = self.current_fiscal_year()
        if year is None:
            self._explain("施策を追加", NO_YEAR_HINT)
        else:
            self._push_add("施策を追加", CATEGORY, lambda: self.services.editing.add_category(
                year, "新しい施策", budget_class_id=budget_class_id))

    def _add_child(self) -> None:
        current = self._selected()
        if current is None or current[0] == TOTAL:
            self._add_category()
            return
        kind, node_id, _index = current
        ed = self.services.editing
        if kind == BUDGET_CLASS:
            self._add_category(node_id)
        elif kind == CATEGORY:
            self._push_add("事業を追加", PROGRAM, lambda: ed.add_program(node_id, "新しい事業"))
        else:
            pid = node_id if kind == PROGRAM else ed.line_item(node_id).program_id
            self._push_add("細事業を追加", LINE_ITEM, lambda: ed.add_line_item(pid, "新しい細事業"))

    def _push_add(self, text: str, kind: str, add: Callable[[], Any]) -> None:
        """Add now; undo deletes the new record, redo puts that same record back (same id, so the later steps
        that name it still work)."""
        try:
            result = add()
        except AsahiError as e:
            self._error(str(e))
            return
        self._push_result(text, kind, result.value, result, added=True)

    def _delete(self) -> None:
        current = self._selected()
        if current is None or current[0] in (TOTAL, BUDGET_CLASS):
            return
        kind, node_id, index = current
        label = self.model.node(index).data.label
        what = {CATEGORY: "施策（配下の事業を含む）", PROGRAM: "事業（配下の細事業を含む）", LINE_ITEM: "細事業"}[kind]
        answer = QMessageBox.question(  # the name is the clerk's text: shown literally, never as markup
            self, "削除の確認", as_html(f"{what}「{label}」を削除しますか？\n（編集メニューの「元に戻す」で戻せます）"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._push_removal(f"{what.split('（')[0]}「{label}」を削除", kind, node_id, added=False)

    def _push_removal(self, text: str, kind: str, node_id: int, *, added: bool) -> None:
        """Delete a record (and its subtree) as one undo step; undo puts back exactly the rows removed."""
        ed = self.services.editing
        deleter = {CATEGORY: ed.delete_category, PROGRAM: ed.delete_program, LINE_ITEM: ed.delete_line_item}[kind]
        parent = self._parent_of(kind, node_id)
        try:
            result = deleter(node_id)
        except AsahiError as e:
            self._error(str(e))
            return
        self._push_result(text, kind, node_id, result, added=added, parent=parent)

    def _push_result(self, text: str, kind: str, node_id: int, result: Any, *, added: bool,
                     parent: tuple[str | None, int | None] | None = None) -> None:
        """Push an add's or a delete's undo entry: after an add the record is shown, undo shows its parent."""
        if result.undo is None:
            return
        parent = parent or self._parent_of(kind, node_id)

        def show_record() -> None:
            self._after_edit(kind, node_id)

        def show_parent() -> None:
            self._after_edit(*parent)

        if added:
            self.undo_stack.push(OperationCommand(text, self.services.editing, result.undo, show_record,
                                                  after_undo=show_parent, failed=self._replay_failed))
        else:
            self.undo_stack.push(OperationCommand(text, self.services.editing, result.undo, show_parent,
                                                  after_undo=show_record, failed=self._replay_failed))

    def _parent_of(self, kind: str, node_id: int) -> tuple[str | None, int | None]:
        """The node to show once this one is gone."""
        if kind == CATEGORY:
            return BUDGET_CLASS, self.services.tree.class_of_category(node_id)
        path = self._path_of(kind, node_id)
        return (CATEGORY, path[0]) if kind == PROGRAM else (PROGRAM, path[-1])

    def _move(self, delta: int) -> None:
        current = self._selected()
        if current is not None and current[0] not in (TOTAL, BUDGET_CLASS):
            self._move_node(current[0], current[1], delta)

    def _move_node(self, kind: str, node_id: int, delta: int) -> None:
        ed = self.services.editing
        mover = {CATEGORY: ed.move_category, PROGRAM: ed.move_program, LINE_ITEM: ed.move_line_item}[kind]
        reader = {CATEGORY: ed.category, PROGRAM: ed.program, LINE_ITEM: ed.line_item}[kind]
        where = "上" if delta < 0 else "下"
        try:
            name = reader(node_id).name
        except AsahiError as e:
            self._error(str(e))
            return
        moved: list[bool] = []

        def move() -> Any:
            result = mover(node_id, delta)
            moved.append(result.value)
            return result

        self._push(f"{KIND_NAMES[kind]}「{name}」を{where}へ移動", move, kind, node_id)
        if moved == [False]:
            self.statusBar().showMessage(f"{KIND_NAMES[kind]}「{name}」はこれ以上{where}へ移動できません")

    # ---- findings ----
    def _idle_work(self) -> None:
        self._run_checks()
        year = self.current_fiscal_year()
        if year is not None:
            self.services.tree.search(year)  # builds the search index now, so the first filter is quick

    def _run_checks(self) -> None:
        """Re-check on the worker thread; the list keeps the previous findings until the new ones arrive."""
        year = self.current_fiscal_year()
        if year is None:
            self.findings.clear()
            return
        self.findings_dock.setWindowTitle(f"チェック結果（{self.findings.count()}件・確認中…）")
        self._checks.request(year)

    def _show_check_failure(self, year: int, message: str) -> None:
        if year != self.current_fiscal_year():
            return
        self.findings.clear()
        self.findings.addItem(message)
        self.findings_dock.setWindowTitle("チェック結果")

    def _show_findings(self, year: int, findings: list[Finding]) -> None:
        if year != self.current_fiscal_year():
            return  # the clerk switched years meanwhile; that year's own check is on its way
        self.findings.setUpdatesEnabled(False)
        self.findings.clear()
        for f in findings:
            item = QListWidgetItem(f"{'エラー' if f.severity == ERROR else '警告'}  {f.location.describe()}  {f.message}")
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setForeground(Qt.GlobalColor.darkRed if f.severity == ERROR else Qt.GlobalColor.darkYellow)
            self.findings.addItem(item)
        self.findings.setUpdatesEnabled(True)
        self.findings_dock.setWindowTitle(f"チェック結果（{len(findings)}件）")

    def _finding_clicked(self, item: QListWidgetItem) -> None:
        f: Finding | None = item.data(Qt.ItemDataRole.UserRole)
        if f is None:
            return
        loc = f.location
        if self.search_box.text() or self.section_filter.currentIndex() > 0:
            self.search_box.clear()
            self.section_filter.setCurrentIndex(0)
        if loc.line_item_id is not None:
            self.select(LINE_ITEM, loc.line_item_id, (loc.category_id, loc.program_id))
            self._focus(self.line_item_form, LINE_ITEM_FINDING_FIELDS.get(loc.field or "", "amount"))
        elif loc.program_id is not None:
            self.select(PROGRAM, loc.program_id, (loc.category_id,))
            self._focus(self.program_form, PROGRAM_FINDING_FIELDS.get(loc.field or "", "name"))
        elif loc.category_id is not None:
            self.select(CATEGORY, loc.category_id)
            self._focus(self.category_form, "name")
        elif (loc.field or "").startswith("総括表"):  # the printed 総括表: its figures are kept on the total row
            self.select(TOTAL, 0)
            self.total_page.sync_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _focus(form: QWidget, name: str) -> None:
        fields: dict[str, QWidget] = getattr(form, "fields", {})
        widget = fields.get(name) or form.findChild(QWidget, name)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- data menu ----
    def _new_year(self) -> None:
        year = self.current_fiscal_year()
        if year is None:
            self._explain("新年度作成", f"新年度作成は表示中の年度を写して翌年度を作ります。{NO_YEAR_HINT}")
            return
        answer = QMessageBox.question(
            self, "新年度作成", f"{fiscal_year_both(year)}を写して{fiscal_year_both(year + 1)}を作成しますか？\n"
            "今年度の予算額が新年度の前年度予算額になります。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            new = self.services.rollover.new_year(year)
        except AsahiError as e:
            self._error(str(e))
            return
        self._edited = True
        self._load_years(new)
        self.statusBar().showMessage(f"{fiscal_year_both(new)}を作成しました{self._saved_note()}")

    def _add_section(self, *, tick: bool = False) -> None:
        """A new 課 in the master; from the program form's button it is also ticked for that program."""
        name, ok = QInputDialog.getText(self, "担当課を追加", "担当課名")
        if not ok:
            return
        try:
            name = self.services.editing.add_section(name)
        except AsahiError as e:
            self._error(str(e))
            return
        self._edited = True
        self._refresh_sections()
        if tick:
            self.program_form.check_section(name)
        self.statusBar().showMessage(f"担当課「{name}」を追加しました{self._saved_note()}")

    def _create_empty_year(self) -> None:
        years = self.services.budgets.fiscal_years()
        dialog = EmptyYearDialog(self, ward=self.services.budgets.ward())
        if years and dialog.year.value() in years:
            dialog.year.setValue(max(years) + 1)
        if dialog.exec() != EmptyYearDialog.DialogCode.Accepted:
            return
        self.create_empty_year(*dialog.values())

    def create_empty_year(self, year: int, ward: str) -> bool:
        """A year with the budget classes and no categories; shown afterwards."""
        try:
            self.services.budgets.create_empty_year(year, ward)
        except AsahiError as e:
            self._error(str(e))
            return False
        self._edited = True
        self._load_years(year)
        self.statusBar().showMessage(f"{fiscal_year_both(year)}（{ward.strip()}）を作成しました{self._saved_note()}"
                                     "。編集 → 施策を追加 で施策を加えてください")
        return True

    def _delete_year(self) -> None:
        year = self.current_fiscal_year()
        if year is None:
            self._explain("年度を削除", NO_YEAR)
            return
        answer = QMessageBox.question(
            self, "年度を削除", as_html(f"{fiscal_year_both(year)}を削除しますか？\n"
                                       "この年度の施策・事業・細事業・指標・会議がすべて消えます。"
                                       "この操作は元に戻せません。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_year(year)

    def delete_year(self, year: int) -> bool:
        """Delete the year for good; its undo history goes with it and the next year (else the previous) is shown."""
        try:
            programs = self.services.budgets.delete_year(year)
        except AsahiError as e:
            self._error(str(e))
            return False
        self._edited = True
        stack = self._stacks.pop(year, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        years = self.services.budgets.fiscal_years()
        later = [y for y in years if y > year]
        self._load_years(later[0] if later else (years[-1] if years else None))
        self.statusBar().showMessage(f"{fiscal_year_both(year)}を削除しました（事業 {programs} 件）"
                                     f"{self._saved_note()}")
        return True

    def _start_import(self) -> None:
        action = self.findChild(QAction, "actionImportExcel")
        if action is not None:
            action.trigger()
        else:
            self._explain("前年度Excel取込", "データ → 前年度Excel取込… から取り込んでください")

    # ---- files ----
    def _db_label(self) -> str:
        path = self.services.db_path
        return path.name if path is not None else display_url(self.services.url)

    def _title(self) -> str:
        return DEMO_TITLE if self._demo else f"asahi-desk {__version__} — {self._db_label()}"

    def _save_as(self) -> bool:
        """ファイル → 別名で保存…: a copy of the database. A demo copy's window then works on the saved file,
        so later edits are kept; a real database stays the one open (the copy is a backup)."""
        current = self.services.db_path
        if current is None:
            self._error("別名で保存できるのは SQLite のデータベースファイルだけです")
            return False
        if self._demo:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            suggestion = str(Path(folder or Path.home()) / "asahi-desk-デモ.db")
        else:
            suggestion = str(current.with_name(f"{current.stem}-コピー{current.suffix}"))
        target = self.ask_save_path(suggestion)
        return bool(target) and self.save_copy_to(Path(target))

    def save_copy_to(self, target: Path) -> bool:
        try:
            saved = self.services.save_copy(target)
        except AsahiError as e:
            self._error(str(e))
            return False
        if self._demo:
            year = self.current_fiscal_year()
            if not self.switch_database(str(saved), select=year):
                return False
            self.statusBar().showMessage(f"デモを {saved} に保存しました。これからの編集はこのファイルに保存されます"
                                         "（元に戻す履歴はここから始まります）")
        else:
            self.statusBar().showMessage(f"コピーを {saved} に保存しました（作業中のデータベースは"
                                         f"引き続き {self._db_label()} です）")
        return True

    def _ask_save_path(self, suggestion: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "別名で保存", suggestion, "データベース (*.db *.sqlite)")
        return path

    def _ask_demo_close(self) -> str:
        return ask_save_discard_cancel(self, SaveQuestion("デモの変更", DEMO_CLOSE_QUESTION, save="保存…",
                                                          discard="保存しない", object_name="demoCloseQuestion"))

    def demo_edited(self) -> bool:
        """Whether closing would lose something: a demo copy with an edit (a step in any year's history, or a
        change made outside the undo stacks: 新年度作成, a new year, an import)."""
        return self._demo and (self._edited or any(stack.count() for stack in self._stacks.values()))

    def _open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "データベースを開く", "", "データベース (*.db *.sqlite);;すべて (*)")
        if path:
            self.switch_database(path)

    def _new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "新しいデータベース", "asahi-desk.db", "データベース (*.db)")
        if path:
            if Path(path).exists():
                self._error(f"{path}: 既にあります。別の名前を指定してください")
                return
            self.switch_database(path)

    def switch_database(self, path: str, *, select: int | None = None) -> bool:
        try:
            services = build_services(path)
        except AsahiError as e:
            self._error(str(e))
            return False
        self._checks.set_check(services.checks.check)  # waits for a check still reading the old database
        old, self.services = self.services, services
        self.model._tree = services.tree  # noqa: SLF001 - same model, new data source
        old.close()
        self._demo = is_demo_copy(services.db_path)
        self._edited = False
        self.setWindowTitle(self._title())
        if not self._demo:
            remember_recent(path)
        self._clear_undo()
        self._load_years(select)
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.switch_database(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("（なし）").setEnabled(False)

    def _error(self, message: str) -> None:
        self._tell("入力エラー", message, QMessageBox.Icon.Warning)

    def _explain(self, title: str, message: str) -> None:
        """Why a command did nothing."""
        self._tell(title, message, QMessageBox.Icon.Information)

    def _tell(self, title: str, message: str, icon: QMessageBox.Icon) -> None:
        """In the status bar, and in a box too where there is a screen (offscreen tests have none)."""
        self.statusBar().showMessage(message)
        if QApplication.platformName() != "offscreen":
            QMessageBox(icon, title, as_html(message), QMessageBox.StandardButton.Ok, self).exec()

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
            answer = self.ask_demo_close()
            if answer == CANCEL or (answer == SAVE and not self._save_as()):
                event.ignore()
                return
        self._check_timer.stop()
        self._checks.wait()  # the database closes with the window
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/splitter", self.splitter.saveState())
        settings.setValue("mainWindow/state", self.saveState())
        super().closeEvent(event)
        # the database open now (after 開く… it is not the one build_main_window opened); a later call
        # through services would simply reconnect
        self.services.close()


def recent_files() -> list[str]:
    value = QSettings().value("recentFiles", [])
    return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]


def remember_recent(path: str) -> None:
    files = [p for p in recent_files() if p != path]
    QSettings().setValue("recentFiles", [path, *files][:MAX_RECENT])


def build_main_window(db: str) -> QMainWindow:
    """Build the window on a database path or URL inside an existing QApplication (no event loop)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        install_application_font(app)  # before the widgets, so they measure with the bundled face
        install_japanese_translation(app)
    services = build_services(db)
    window = MainWindow(services)
    window.destroyed.connect(services.close)
    return window


def run(db: str | None = None, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("asahi-desk")
    app.setOrganizationName("asahi-desk")
    install_application_font(app)
    path = str(fresh_demo_copy()) if demo else (db or str(default_db_path()))
    window = build_main_window(path)
    if not demo:
        remember_recent(path)
    window.show()
    return app.exec()
