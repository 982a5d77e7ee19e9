"""Edit forms of the right pane (program, line item, category), built in code with inline validation.

Each form emits fieldEdited(field, value) with a value EditService accepts; the window writes it as one
undoable command and shows the form again with what was committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.achievement import achievement_text
from asahi_desk.domain.money import (
    change,
    change_rate,
    format_amount,
    format_rate,
    parse_amount_input,
)
from asahi_desk.services.edit_fields import (
    CURRENT_IS_SUM_MESSAGE,
    CategoryFields,
    LineItemFields,
    ProgramFields,
)
from asahi_desk.ui.field_undo import watch_field_undo
from asahi_desk.ui.list_editors import OrderedListEditor, TableEditor
from asahi_desk.ui.section_picker import SectionPicker

if TYPE_CHECKING:
    from asahi_desk.domain.entities import Indicator

NUMBER_MESSAGE = "番号は1以上の整数で入力してください"
# (value stored, text shown); a marker outside these (older data) is shown as an extra entry
MARKERS: tuple[tuple[str | None, str], ...] = ((None, "なし"), ("新", "新"), ("拡", "拡"))
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
AMOUNT_FIELD_WIDTH = 160
CURRENT_IS_SUM = "細事業の合計"


class PlainText(QPlainTextEdit):
    """A multi-line field that reports editingFinished on focus loss, like QLineEdit."""

    editingFinished = Signal()  # noqa: N815 - Qt naming

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.editingFinished.emit()


def parse_amount_field(text: str) -> int:
    """The amount of a form field (0 or more 千円, digits only), or ValueError with the message the form shows."""
    return parse_amount_input(text)


def parse_optional_amount_field(text: str) -> int | None:
    return None if not text.strip() else parse_amount_input(text)


def parse_number_field(text: str) -> int:
    t = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not t.isascii() or not t.isdigit() or int(t) < 1:
        raise ValueError(NUMBER_MESSAGE)
    return int(t)


def _required(message: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text.strip():
            raise ValueError(message)
        return text.strip()
    return parse


def _field_text(widget: QObject) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()  # type: ignore[attr-defined]


class EditForm(QWidget):
    """Common parts: a red message line and the fieldEdited(field, value) signal."""

    fieldEdited = Signal(str, object)  # noqa: N815
    invalid = Signal(str, str)  # field, message
    accepted = Signal(str)  # field: its text reads (committed, or the same value as before)

    def __init__(self, title: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._values: dict[str, object] = {}
        self._clean: dict[QObject, str] = {}  # text of each field as last shown or committed
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.layout_.addWidget(heading)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.addLayout(self.form)
        self.message = QLabel("")
        self.message.setObjectName("validationMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what the clerk typed
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.fields: dict[str, QWidget] = {}

    def line(self, name: str, label: str, parse: Any = None, *, add_row: bool = True) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"{name}Edit")
        if add_row:
            self.form.addRow(label, edit)
        self._field(name, edit)
        edit.editingFinished.connect(lambda: self._commit(name, label, edit.text(), parse))
        return edit

    def amount(self, name: str, label: str, parse: Any = parse_amount_field) -> QLineEdit:
        edit = self.line(name, label, parse, add_row=False)
        edit.setAlignment(RIGHT)
        edit.setMaximumWidth(AMOUNT_FIELD_WIDTH)
        edit.setPlaceholderText("例 12,345")
        return edit

    def text(self, name: str, label: str) -> PlainText:
        edit = PlainText()
        edit.setObjectName(f"{name}Edit")
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(90)
        edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form.addRow(label, edit)
        self._field(name, edit)
        edit.editingFinished.connect(lambda: self._commit(name, label, edit.toPlainText(), None))
        return edit

    def _field(self, name: str, widget: QWidget) -> None:
        self.fields[name] = widget
        self._clean[widget] = ""
        watch_field_undo(widget, self._dirty)

    def _dirty(self, widget: QObject) -> bool:
        """True while the field holds typing not yet committed (its own undo then applies)."""
        return _field_text(widget) != self._clean.get(widget, "")

    def is_typing(self) -> bool:
        """Whether a field holds typing not yet committed (a refresh from others' changes must keep it)."""
        return any(self._dirty(widget) for widget in self.fields.values()
                   if isinstance(widget, QLineEdit | QPlainTextEdit))

    def show_problem(self, message: str) -> None:
        self.message.setText(message)

    def _commit(self, name: str, label: str, raw: str, parse: Any) -> None:
        if self._loading:
            return
        try:
            value = parse(raw) if parse else raw
        except ValueError as e:
            self.message.setText(f"{label}: {e}")
            self.fields[name].setStyleSheet("border: 1px solid #b00020;")
            self.invalid.emit(name, str(e))
            return
        self.message.setText("")
        self.fields[name].setStyleSheet("")
        self.accepted.emit(name)
        self._clean[self.fields[name]] = raw
        if value != self._values.get(name):
            self._values[name] = value
            self.fieldEdited.emit(name, value)

    def set_value(self, name: str, value: object, shown: str) -> None:
        self._values[name] = value
        widget = self.fields[name]
        widget.setStyleSheet("")
        if isinstance(widget, QLineEdit):
            widget.setText(shown)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(shown)
        self._clean[widget] = shown

    def _emit_list(self, name: str, value: tuple) -> None:
        if not self._loading:
            self._values[name] = value
            self.fieldEdited.emit(name, value)


def _read_only(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setReadOnly(True)
    edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    edit.setAlignment(RIGHT)
    edit.setMaximumWidth(AMOUNT_FIELD_WIDTH)
    edit.setStyleSheet("QLineEdit { background: palette(window); }")
    return edit


def _pair(left: QWidget, label: str, right: QWidget, note: QWidget | None = None) -> QHBoxLayout:
    """Two short fields on one form row: [left] (note)  label [right]."""
    row = QHBoxLayout()
    row.addWidget(left)
    if note is not None:
        row.addWidget(note)
    row.addSpacing(16)
    row.addWidget(QLabel(label))
    row.addWidget(right)
    row.addStretch(1)
    return row


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 6px;")
    return label


def _check_indicators(rows: tuple[tuple[str, ...], ...]) -> tuple[int, int, str] | None:
    blank = next((i for i, row in enumerate(rows) if not row[0]), None)
    return None if blank is None else (blank, 0, f"事業指標 {blank + 1}行目: 指標名を入力してください")


def _check_related(rows: tuple[tuple[str, ...], ...]) -> tuple[int, int, str] | None:
    for i, (name, _bureau, amount) in enumerate(rows):
        if not name:
            return i, 0, f"関連する局事業 {i + 1}行目: 事業名を入力してください"
        try:
            parse_optional_amount_field(amount)
        except ValueError as e:
            return i, 2, f"関連する局事業 {i + 1}行目: {e}"
    return None


class ProgramForm(EditForm):
    """Fields: code, number, name, sections, current, prior, purpose, related, photo_captions; and indicators."""

    indicatorsEdited = Signal(object)  # noqa: N815 - tuple[Indicator, ...]
    sectionAddRequested = Signal()  # noqa: N815 - the 「担当課を追加…」 button

    def __init__(self, parent: Any = None) -> None:
        super().__init__("事業", parent)
        self.setObjectName("programForm")
        self.program_id: int | None = None
        self.version: int | None = None  # of the record shown: its writes state it
        self.line("code", "コード").setMaximumWidth(AMOUNT_FIELD_WIDTH)
        self.line("number", "番号", parse_number_field).setMaximumWidth(AMOUNT_FIELD_WIDTH)
        self.line("name", "事業名", _required("事業名を入力してください"))
        self.sections = SectionPicker()
        self.sections.changed.connect(lambda names: self._emit_list("sections", names))
        self.sections.addRequested.connect(self.sectionAddRequested)
        self.fields["sections"] = self.sections.list
        self.form.addRow("担当課", self.sections)
        current = self.amount("current", "今年度予算額（千円）")
        prior = self.amount("prior", "前年度予算額（千円）")
        # a program with line items costs their sum: its amount is shown, not typed (CURRENT_IS_SUM)
        self.current_hint = QLabel(CURRENT_IS_SUM)
        self.current_hint.setObjectName("currentHint")
        self.current_hint.setStyleSheet("color: #555555;")  # readable on the light grey of a read-only field
        self.current_hint.hide()
        self.form.addRow("今年度予算額（千円）", _pair(current, "前年度予算額（千円）", prior, self.current_hint))
        self.change_edit = _read_only("changeEdit")
        self.change_rate_edit = _read_only("changeRateEdit")
        self.form.addRow("増▲減（千円）", _pair(self.change_edit, "増▲減率", self.change_rate_edit))
        for edit in (current, prior):
            edit.textChanged.connect(lambda _t: self._show_change())
        self.text("purpose", "目的")
        self.layout_.addWidget(self.message)

        self.layout_.addWidget(_section_title("事業指標"))
        self.indicator_editor = TableEditor(
            "indicatorTable", "indicator", ["指標", "目標", "単位", "実績", "達成率"], ["新しい指標", "", "", ""],
            _check_indicators, widths=(80, 50, 80, 100), derived=lambda row: achievement_text(_indicator(row)))
        self.indicators = self.indicator_editor.table
        self.indicator_editor.edited.connect(
            lambda rows: self.indicatorsEdited.emit(tuple(_indicator(row) for row in rows)))
        self.indicator_editor.problem.connect(self.show_problem)
        self.layout_.addWidget(self.indicator_editor)

        self.layout_.addWidget(_section_title("関連する局事業"))
        self.related = TableEditor("relatedTable", "related", ["事業名", "局", "金額（千円）"], ["新しい局事業", "", ""],
                                   _check_related, widths=(200, 110), right=(2,))
        self.related.edited.connect(lambda rows: self._emit_list("related", tuple(
            (name, bureau, parse_optional_amount_field(amount)) for name, bureau, amount in rows)))
        self.related.problem.connect(self.show_problem)
        self.layout_.addWidget(self.related)

        self.layout_.addWidget(_section_title("写真の説明"))
        self.photo_captions = OrderedListEditor("photoCaptionsList", "photoCaption", "新しい写真の説明", "写真の説明")
        self.photo_captions.list.setMinimumHeight(80)
        self.photo_captions.edited.connect(lambda rows: self._emit_list("photo_captions", rows))
        self.photo_captions.notice.connect(self.show_problem)
        self.layout_.addWidget(self.photo_captions)
        self.layout_.addStretch(1)

    def set_section_master(self, names: Sequence[str]) -> None:
        """The 担当課 a program can have (EditService / TreeService sections()); call again after add_section."""
        self.sections.set_master(names)

    def check_section(self, name: str) -> None:
        """Tick a 課 (e.g. one just added through sectionAddRequested); emits fieldEdited('sections', …)."""
        self.sections.check(name)

    def show_program(self, p: ProgramFields) -> None:
        self._loading = True
        same = p.id == self.program_id  # shown again after an edit: the lists keep their current row
        self.program_id = p.id
        self.version = p.version
        self.message.setText("")
        self.set_value("code", p.code or "", p.code or "")
        self.set_value("number", p.number, str(p.number))
        self.set_value("name", p.name, p.name)
        self.set_value("current", p.current, format_amount(p.current))
        self.set_value("prior", p.prior, format_amount(p.prior))
        self._values["sections"] = p.sections
        self.sections.set_selected(p.sections)
        self.set_value("purpose", p.purpose, p.purpose)
        self.show_indicators(p.indicators)
        self._values["related"] = p.related
        self.related.set_rows([(name, bureau, format_amount(amount)) for name, bureau, amount in p.related])
        self._values["photo_captions"] = p.photo_captions
        self.photo_captions.set_items(p.photo_captions, keep_current=same)
        self._show_current_editable(p.line_items == 0)
        self._show_change()
        self._loading = False

    def _show_current_editable(self, editable: bool) -> None:
        """今年度予算額 is typed only for a program without line items; with items it is their sum."""
        edit = self.fields["current"]
        assert isinstance(edit, QLineEdit)
        edit.setReadOnly(not editable)
        edit.setToolTip("" if editable else CURRENT_IS_SUM_MESSAGE)
        edit.setStyleSheet("" if editable else "QLineEdit { background: palette(window); }")
        self.current_hint.setVisible(not editable)

    def _amount_shown(self, name: str) -> int:
        """The amount typed so far if it reads, else the committed one: 増▲減 follows the typing."""
        try:
            return parse_amount_field(self.fields[name].text())  # type: ignore[attr-defined]
        except ValueError:
            value = self._values.get(name)
            return value if isinstance(value, int) else 0

    def _show_change(self) -> None:
        current, prior = self._amount_shown("current"), self._amount_shown("prior")
        self.change_edit.setText(format_amount(change(current, prior)))
        self.change_rate_edit.setText(format_rate(change_rate(current, prior)))

    def show_indicators(self, rows: tuple[Indicator, ...]) -> None:
        self.indicator_editor.set_rows([(i.name, i.target, i.unit, i.actual) for i in rows])


class LineItemForm(EditForm):
    """Fields: number, name, amount, marker, activities."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("細事業", parent)
        self.setObjectName("lineItemForm")
        self.line_item_id: int | None = None
        self.version: int | None = None  # of the record shown: its writes state it
        self.line("number", "番号", parse_number_field).setMaximumWidth(AMOUNT_FIELD_WIDTH)
        self.line("name", "細事業名", _required("細事業名を入力してください"))
        amount = self.amount("amount", "金額（千円）")
        self.marker = QComboBox()
        self.marker.setObjectName("markerCombo")
        self.marker.setToolTip("新: 新規事業、拡: 拡充事業")
        self.marker.activated.connect(lambda i: self._marker_chosen(self.marker.itemData(i)))
        self.fields["marker"] = self.marker
        self.form.addRow("金額（千円）", _pair(amount, "記号", self.marker))
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(_section_title("主な活動（ダブルクリックまたは F2 で編集。空欄にすると削除）"))
        self.activity_editor = OrderedListEditor("activitiesList", "activity", "新しい活動", "活動")
        self.activities = self.activity_editor.list
        self.activities.setMinimumHeight(220)
        self.activity_editor.edited.connect(lambda rows: self._emit_list("activities", rows))
        self.activity_editor.notice.connect(self.show_problem)
        self.layout_.addWidget(self.activity_editor)
        self.layout_.addStretch(1)

    def show_line_item(self, li: LineItemFields) -> None:
        self._loading = True
        same = li.id == self.line_item_id  # shown again after an edit: the activity keeps its current row
        self.line_item_id = li.id
        self.version = li.version
        self.message.setText("")
        self.set_value("number", li.number, str(li.number))
        self.set_value("name", li.name, li.name)
        self.set_value("amount", li.amount, format_amount(li.amount))
        self._show_marker(li.marker)
        self.activity_editor.set_items(li.activities, keep_current=same)
        self._loading = False

    def _show_marker(self, marker: str | None) -> None:
        self._values["marker"] = marker
        self.marker.clear()
        for value, shown in MARKERS:
            self.marker.addItem(shown, value)
        if marker is not None and marker not in ("新", "拡"):
            self.marker.addItem(marker, marker)  # older data: shown as it is, not lost
        self.marker.setCurrentIndex(self.marker.findData(marker) if marker is not None else 0)

    def _marker_chosen(self, value: str | None) -> None:
        if not self._loading and value != self._values.get("marker"):
            self._values["marker"] = value
            self.fieldEdited.emit("marker", value)

    def current_activities(self) -> tuple[str, ...]:
        return self.activity_editor.items()


class CategoryForm(EditForm):
    """Fields: code, name, order (表示順, shown from 1; emitted as the 0-based position update_category takes)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("施策", parent)
        self.setObjectName("categoryForm")
        self.category_id: int | None = None
        self.version: int | None = None  # of the record shown: its writes state it
        self.line("code", "コード").setMaximumWidth(AMOUNT_FIELD_WIDTH)
        self.line("name", "施策名", _required("施策名を入力してください"))
        order = self.line("order", "表示順", lambda t: parse_number_field(t) - 1)
        order.setMaximumWidth(AMOUNT_FIELD_WIDTH)
        order.setToolTip("何番目に表示するか（1から）")
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(1)

    def show_category(self, c: CategoryFields) -> None:
        self._loading = True
        self.category_id = c.id
        self.version = c.version
        self.message.setText("")
        self.set_value("code", c.code or "", c.code or "")
        self.set_value("name", c.name, c.name)
        self.set_value("order", c.position, str(c.position + 1))
        self._loading = False


def _indicator(row: Sequence[Any]) -> Indicator:
    """An indicator of a table row (domain.entities is imported when a form first needs one, not at start)."""
    from asahi_desk.domain.entities import Indicator

    return Indicator(*row)
