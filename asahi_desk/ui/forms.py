"""Edit forms of the right pane (program, line item, category), built in code with inline validation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.entities import Indicator
from asahi_desk.domain.money import check_amount, format_amount, parse_amount
from asahi_desk.services.editing import CategoryFields, LineItemFields, ProgramFields

AMOUNT_MESSAGE = "金額は0以上の整数（千円）で入力してください"
NUMBER_MESSAGE = "番号は1以上の整数で入力してください"


class PlainText(QPlainTextEdit):
    """A multi-line field that reports editingFinished on focus loss, like QLineEdit."""

    editingFinished = Signal()  # noqa: N815 - Qt naming

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.editingFinished.emit()


def parse_amount_field(text: str) -> int:
    """The amount of a form field, or ValueError with the message the form shows."""
    try:
        value = parse_amount(text)
        check_amount(value)
    except (ValueError, TypeError):
        raise ValueError(AMOUNT_MESSAGE) from None
    return value


def parse_number_field(text: str) -> int:
    t = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not t.isdigit() or int(t) < 1:
        raise ValueError(NUMBER_MESSAGE)
    return int(t)


class EditForm(QWidget):
    """Common parts: a red message line and the fieldEdited(field, value) signal."""

    fieldEdited = Signal(str, object)  # noqa: N815
    invalid = Signal(str, str)  # field, message

    def __init__(self, title: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._values: dict[str, object] = {}
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.layout_.addWidget(heading)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.message = QLabel("")
        self.message.setObjectName("validationMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.fields: dict[str, QWidget] = {}

    def line(self, name: str, label: str, parse: Any = None) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"{name}Edit")
        self.form.addRow(label, edit)
        self.fields[name] = edit
        edit.editingFinished.connect(lambda: self._commit(name, label, edit.text(), parse))
        return edit

    def text(self, name: str, label: str) -> PlainText:
        edit = PlainText()
        edit.setObjectName(f"{name}Edit")
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(90)
        edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form.addRow(label, edit)
        self.fields[name] = edit
        edit.editingFinished.connect(lambda: self._commit(name, label, edit.toPlainText(), None))
        return edit

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


def _list_buttons(parent_layout: QVBoxLayout, prefix: str, actions: dict[str, Any]) -> None:
    row = QHBoxLayout()
    for label, slot in actions.items():
        button = QPushButton(label)
        button.setObjectName(f"{prefix}{label}")
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch(1)
    parent_layout.addLayout(row)


def _sections(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.replace(",", "、").split("、") if t.strip())


class ProgramForm(EditForm):
    indicatorsEdited = Signal(object)  # noqa: N815 - tuple[Indicator, ...]

    def __init__(self, parent: Any = None) -> None:
        super().__init__("事業", parent)
        self.setObjectName("programForm")
        self.program_id: int | None = None
        self.line("code", "コード")
        self.line("number", "番号", parse_number_field)
        self.line("name", "事業名", lambda t: t.strip() or _raise("事業名を入力してください"))
        self.line("current", "今年度予算額（千円）", parse_amount_field)
        self.line("prior", "前年度予算額（千円）", parse_amount_field)
        self.line("sections", "担当課（「、」区切り）", _sections)
        self.text("purpose", "目的")
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(QLabel("事業指標"))
        self.indicators = QTableWidget(0, 3)
        self.indicators.setObjectName("indicatorTable")
        self.indicators.setHorizontalHeaderLabels(["指標", "目標", "単位"])
        header = self.indicators.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.indicators.setColumnWidth(1, 90)
        self.indicators.setColumnWidth(2, 70)
        self.indicators.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.indicators.itemChanged.connect(self._indicators_changed)
        self.layout_.addWidget(self.indicators)
        _list_buttons(self.layout_, "indicator", {"追加": self._add_indicator, "削除": self._remove_indicator,
                                                  "上へ": lambda: self._move_indicator(-1),
                                                  "下へ": lambda: self._move_indicator(1)})
        self.layout_.addStretch(1)

    def show_program(self, p: ProgramFields) -> None:
        self._loading = True
        self.program_id = p.id
        self.message.setText("")
        self.set_value("code", p.code or "", p.code or "")
        self.set_value("number", p.number, str(p.number))
        self.set_value("name", p.name, p.name)
        self.set_value("current", p.current, format_amount(p.current))
        self.set_value("prior", p.prior, format_amount(p.prior))
        self.set_value("sections", p.sections, "、".join(p.sections))
        self.set_value("purpose", p.purpose, p.purpose)
        self.show_indicators(p.indicators)
        self._loading = False

    def show_indicators(self, rows: tuple[Indicator, ...]) -> None:
        was = self._loading
        self._loading = True
        self.indicators.setRowCount(len(rows))
        for r, ind in enumerate(rows):
            for c, text in enumerate((ind.name, ind.target, ind.unit)):
                self.indicators.setItem(r, c, QTableWidgetItem(text))
        self._loading = was

    def current_indicators(self) -> tuple[Indicator, ...]:
        out = []
        for r in range(self.indicators.rowCount()):
            cells = [self.indicators.item(r, c) for c in range(3)]
            name, target, unit = ((c.text() if c else "") for c in cells)
            out.append(Indicator(name.strip(), target.strip(), unit.strip()))
        return tuple(out)

    def _indicators_changed(self, _item: QTableWidgetItem) -> None:
        if self._loading:
            return
        rows = self.current_indicators()
        blank = next((i for i, ind in enumerate(rows) if not ind.name), None)
        if blank is not None:
            self.message.setText(f"事業指標 {blank + 1}行目: 指標名を入力してください")
            return
        self.message.setText("")
        self.indicatorsEdited.emit(rows)

    def _add_indicator(self) -> None:
        rows = (*self.current_indicators(), Indicator("新しい指標"))
        self.show_indicators(rows)
        self.indicatorsEdited.emit(rows)
        self.indicators.setCurrentCell(len(rows) - 1, 0)
        self.indicators.editItem(self.indicators.item(len(rows) - 1, 0))

    def _remove_indicator(self) -> None:
        r = self.indicators.currentRow()
        if r < 0:
            return
        rows = list(self.current_indicators())
        del rows[r]
        self.show_indicators(tuple(rows))
        self.indicatorsEdited.emit(tuple(rows))

    def _move_indicator(self, delta: int) -> None:
        r = self.indicators.currentRow()
        rows = list(self.current_indicators())
        if r < 0 or not (0 <= r + delta < len(rows)):
            return
        rows.insert(r + delta, rows.pop(r))
        self.show_indicators(tuple(rows))
        self.indicators.setCurrentCell(r + delta, 0)
        self.indicatorsEdited.emit(tuple(rows))


class LineItemForm(EditForm):
    def __init__(self, parent: Any = None) -> None:
        super().__init__("細事業", parent)
        self.setObjectName("lineItemForm")
        self.line_item_id: int | None = None
        self.line("number", "番号", parse_number_field)
        self.line("name", "細事業名", lambda t: t.strip() or _raise("細事業名を入力してください"))
        self.line("amount", "金額（千円）", parse_amount_field)
        self.line("marker", "記号（新・拡 など）", _marker)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(QLabel("主な活動（ダブルクリックで編集）"))
        self.activities = QListWidget()
        self.activities.setObjectName("activitiesList")
        self.activities.setWordWrap(True)
        self.activities.itemChanged.connect(lambda _i: self._activities_changed())
        self.layout_.addWidget(self.activities)
        _list_buttons(self.layout_, "activity", {"追加": self._add, "削除": self._remove,
                                                 "上へ": lambda: self._move(-1), "下へ": lambda: self._move(1)})
        self.layout_.addStretch(1)

    def show_line_item(self, li: LineItemFields) -> None:
        self._loading = True
        self.line_item_id = li.id
        self.message.setText("")
        self.set_value("number", li.number, str(li.number))
        self.set_value("name", li.name, li.name)
        self.set_value("amount", li.amount, format_amount(li.amount))
        self.set_value("marker", li.marker, li.marker or "")
        self.show_activities(li.activities)
        self._loading = False

    def show_activities(self, rows: tuple[str, ...]) -> None:
        was = self._loading
        self._loading = True
        self.activities.clear()
        for text in rows:
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.activities.addItem(item)
        self._loading = was

    def current_activities(self) -> tuple[str, ...]:
        return tuple(self.activities.item(i).text() for i in range(self.activities.count()))

    def _activities_changed(self) -> None:
        if not self._loading:
            self.fieldEdited.emit("activities", self.current_activities())

    def _add(self) -> None:
        rows = (*self.current_activities(), "新しい活動")
        self.show_activities(rows)
        self.fieldEdited.emit("activities", rows)
        self.activities.setCurrentRow(len(rows) - 1)
        self.activities.editItem(self.activities.item(len(rows) - 1))

    def _remove(self) -> None:
        r = self.activities.currentRow()
        if r < 0:
            return
        rows = list(self.current_activities())
        del rows[r]
        self.show_activities(tuple(rows))
        self.fieldEdited.emit("activities", tuple(rows))

    def _move(self, delta: int) -> None:
        r = self.activities.currentRow()
        rows = list(self.current_activities())
        if r < 0 or not (0 <= r + delta < len(rows)):
            return
        rows.insert(r + delta, rows.pop(r))
        self.show_activities(tuple(rows))
        self.activities.setCurrentRow(r + delta)
        self.fieldEdited.emit("activities", tuple(rows))


class CategoryForm(EditForm):
    def __init__(self, parent: Any = None) -> None:
        super().__init__("施策", parent)
        self.setObjectName("categoryForm")
        self.category_id: int | None = None
        self.line("code", "コード")
        self.line("name", "施策名", lambda t: t.strip() or _raise("施策名を入力してください"))
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(1)

    def show_category(self, c: CategoryFields) -> None:
        self._loading = True
        self.category_id = c.id
        self.message.setText("")
        self.set_value("code", c.code or "", c.code or "")
        self.set_value("name", c.name, c.name)
        self._loading = False


def _raise(message: str) -> str:
    raise ValueError(message)


def _marker(text: str) -> str | None:
    t = text.strip()
    if len(t) > 4:
        raise ValueError("記号は4文字以内で入力してください")
    return t or None
