"""The right-hand side: the form of the selected row (施策・事業・細事業), the total page, the empty pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.tree_rows import BUDGET_CLASS, CATEGORY, LINE_ITEM, PROGRAM, TOTAL
from asahi_desk.ui.window.browser import NO_MATCH
from asahi_desk.ui.window.telling import Teller

if TYPE_CHECKING:
    from asahi_desk.app import Services
    from asahi_desk.ui.empty_database import NoYearPage
    from asahi_desk.ui.forms import CategoryForm, LineItemForm, ProgramForm
    from asahi_desk.ui.total_page import TotalPage

PROGRAM_FIELD_LABELS = {"code": "コード", "number": "番号", "name": "事業名", "purpose": "目的", "current": "今年度予算額",
                        "prior": "前年度予算額", "sections": "担当課", "related": "関連する局事業",
                        "photo_captions": "写真の説明"}
CATEGORY_FIELD_LABELS = {"code": "コード", "name": "施策名", "order": "表示順"}
LINE_ITEM_FIELD_LABELS = {"number": "番号", "name": "細事業名", "amount": "金額", "marker": "記号", "activities": "主な活動"}
KIND_NAMES = {CATEGORY: "施策", PROGRAM: "事業", LINE_ITEM: "細事業"}
CHOOSE_ROW = "左の一覧から施策・事業・細事業を選んでください"
# Finding.field (domain/checks.py) → the form field a click on the finding focuses: a key of form.fields or
# the objectName of a widget of the form. A line item's finding without a field of its own goes to the amount.
PROGRAM_FINDING_FIELDS = {"事業名": "name", "予算額": "current", "増▲減": "current", "前年度額": "prior",
                          "担当課": "sections", "事業指標": "indicatorTable", "目的": "purpose", "番号": "number"}
LINE_ITEM_FINDING_FIELDS = {"活動内容": "activitiesList", "細事業名": "name", "番号": "number", "記号": "marker"}
NO_YEAR_PAGE = "no_year"  # the page of a database without a year (beside the row kinds naming the other pages)
PAGES = (TOTAL, CATEGORY, PROGRAM, LINE_ITEM, NO_YEAR_PAGE)


def _new_page(name: str) -> QWidget:
    """A page of the stack: its module is imported when the first page of it is built."""
    if name == TOTAL:
        from asahi_desk.ui.total_page import TotalPage

        return TotalPage()
    if name == NO_YEAR_PAGE:
        from asahi_desk.ui.empty_database import NoYearPage

        return NoYearPage()
    from asahi_desk.ui.forms import CategoryForm, LineItemForm, ProgramForm

    return {CATEGORY: CategoryForm, PROGRAM: ProgramForm, LINE_ITEM: LineItemForm}[name]()


class DetailPanel(QObject):
    """Shows one row's form (or a page) in `stack`; keeps the note of an entry that was refused."""

    def __init__(self, services: Callable[[], Services], tell: Teller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._tell = tell
        self._shown_label: tuple[str, str] | None = None  # (kind, label) of the row whose form is shown
        # an invalid entry not saved: (form, field, note); shown again if the form is reloaded or left
        self._unsaved: tuple[QWidget, str, str] | None = None
        self.stack = QStackedWidget()
        self.stack.setObjectName("formStack")
        self.empty_page = QLabel(CHOOSE_ROW)
        self.empty_page.setObjectName("emptyPage")
        self.empty_page.setTextFormat(Qt.TextFormat.PlainText)  # class names may come from an imported sheet
        self.empty_page.setWordWrap(True)
        # near the top: the stack is as tall as its tallest page (the 事業 form), so a centred line would sit
        # below the fold of the scroll area
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_page.setContentsMargins(12, 48, 12, 12)
        self.stack.addWidget(self.empty_page)
        # the other pages are built when first shown or asked for (build_pages: all of them), so a window on the
        # start's first read is painted without them; what wires a page waits for it (when_built)
        self._pages: dict[str, QWidget] = {}
        self._when_built: dict[str, list[Callable[[QWidget], object]]] = {}
        self._section_master: list[str] | None = None

    # ---- the pages, built when needed ----
    def page(self, name: str) -> QWidget:
        """The page (TOTAL, CATEGORY, PROGRAM, LINE_ITEM or NO_YEAR_PAGE), built now if it was not yet."""
        page = self._pages.get(name)
        if page is None:
            page = self._pages[name] = _new_page(name)
            self.stack.addWidget(page)
            if name in (CATEGORY, PROGRAM, LINE_ITEM):
                form: Any = page
                form.invalid.connect(lambda f, m, form=form: self._invalid_entry(form, f, m))
                form.accepted.connect(lambda f, form=form: self._entry_fixed(form, f))
            if name == PROGRAM and self._section_master is not None:
                form.set_section_master(self._section_master)
            for callback in self._when_built.pop(name, []):
                callback(page)
        return page

    def build_pages(self) -> None:
        for name in PAGES:
            self.page(name)

    def built(self, name: str) -> QWidget | None:
        return self._pages.get(name)

    def when_built(self, name: str, callback: Callable[[Any], object]) -> None:
        """callback(page) once the page exists: now, or when it is built."""
        page = self._pages.get(name)
        if page is not None:
            callback(page)
        else:
            self._when_built.setdefault(name, []).append(callback)

    def set_section_master(self, names: list[str]) -> None:
        """The 課 master for the program form's 担当課 (kept for a form built later)."""
        self._section_master = list(names)
        form: Any = self._pages.get(PROGRAM)
        if form is not None:
            form.set_section_master(names)

    @property
    def category_form(self) -> CategoryForm:
        return self.page(CATEGORY)  # type: ignore[return-value]

    @property
    def program_form(self) -> ProgramForm:
        return self.page(PROGRAM)  # type: ignore[return-value]

    @property
    def line_item_form(self) -> LineItemForm:
        return self.page(LINE_ITEM)  # type: ignore[return-value]

    @property
    def total_page(self) -> TotalPage:
        return self.page(TOTAL)  # type: ignore[return-value]

    @property
    def no_year_page(self) -> NoYearPage:
        return self.page(NO_YEAR_PAGE)  # type: ignore[return-value]

    def form_of(self, kind: str) -> CategoryForm | ProgramForm | LineItemForm:
        return self.page(kind if kind in (CATEGORY, PROGRAM) else LINE_ITEM)  # type: ignore[return-value]

    def show(self, data: object | None, year: int | None, *, db_label: str, nothing_listed: bool) -> None:
        """The page for a tree row's data (None: no row selected)."""
        kind = getattr(data, "kind", None)
        self._shown_label = None
        if kind == TOTAL:
            try:
                lines = self._services().printed_summary.comparison(year) if year is not None else []
            except AsahiError as e:  # the year went away meanwhile (another clerk on a shared database)
                self._tell.error(str(e))
                return
            self.total_page.show_total(data, lines)
            self.stack.setCurrentWidget(self.total_page)
            return
        if data is None and year is None:
            self.no_year_page.show_database(db_label)
            self.stack.setCurrentWidget(self.no_year_page)
            return
        if data is None and nothing_listed:
            self.empty_page.setText(f"{NO_MATCH}\n\n検索の文字や担当課を変えてください。")
            self.stack.setCurrentWidget(self.empty_page)
            return
        if data is None or kind == BUDGET_CLASS:
            if data is None:
                self.empty_page.setText(CHOOSE_ROW)
            else:
                from asahi_desk.ui.total_page import figures_text

                self.empty_page.setText(figures_text(data))
            self.stack.setCurrentWidget(self.empty_page)
            return
        editing = self._services().editing
        node_id: int = data.id  # type: ignore[attr-defined]
        try:
            if kind == CATEGORY:
                self.category_form.show_category(editing.category(node_id))
            elif kind == PROGRAM:
                self.program_form.show_program(editing.program(node_id))
            else:
                self.line_item_form.show_line_item(editing.line_item(node_id))
        except AsahiError as e:
            self._tell.error(str(e))
            return
        self.stack.setCurrentWidget(self.form_of(kind))  # type: ignore[arg-type]
        self._shown_label = (kind, data.label)  # type: ignore[arg-type, attr-defined]
        self._show_unsaved_note()

    def _invalid_entry(self, form: QWidget, field: str, message: str) -> None:
        """A field's text was refused (nothing written): say so in the status bar and keep the note until the
        clerk fixes that field, so it stays visible when a click on another row reloads the form."""
        what = ""
        if self._shown_label is not None and self._shown_label[0] in KIND_NAMES:
            what = f"{KIND_NAMES[self._shown_label[0]]}「{self._shown_label[1]}」の"
        labels = (CATEGORY_FIELD_LABELS if form is self._pages.get(CATEGORY)
                  else PROGRAM_FIELD_LABELS if form is self._pages.get(PROGRAM) else LINE_ITEM_FIELD_LABELS)
        note = f"{what}{labels.get(field, field)}は保存していません: {message}"
        self._unsaved = (form, field, note)
        self._tell(note)

    def _entry_fixed(self, form: QWidget, field: str) -> None:
        if self._unsaved is not None and self._unsaved[:2] == (form, field):
            self._unsaved = None

    def _show_unsaved_note(self) -> None:
        """After the form was shown again: the note of a refused entry, in the form shown, once."""
        if self._unsaved is None:
            return
        _form, _field, note = self._unsaved
        self._unsaved = None
        message = getattr(self.stack.currentWidget(), "message", None)
        if isinstance(message, QLabel):
            message.setText(note)
        self._tell(note)

    def typing(self) -> QWidget | None:
        """The form shown when the clerk is typing in it (an entry changed and not yet committed), else None."""
        form = self.stack.currentWidget()
        is_typing = getattr(form, "is_typing", None)
        return form if is_typing is not None and is_typing() else None

    def focus_finding(self, kind: str, finding_field: str | None) -> None:
        """Focus the field of the shown form that a checker finding names."""
        if kind == LINE_ITEM:
            self._focus(self.line_item_form, LINE_ITEM_FINDING_FIELDS.get(finding_field or "", "amount"))
        elif kind == PROGRAM:
            self._focus(self.program_form, PROGRAM_FINDING_FIELDS.get(finding_field or "", "name"))
        elif kind == CATEGORY:
            self._focus(self.category_form, "name")
        elif kind == TOTAL:
            self.total_page.sync_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _focus(form: QWidget, name: str) -> None:
        fields: dict[str, QWidget] = getattr(form, "fields", {})
        widget = fields.get(name) or form.findChild(QWidget, name)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
