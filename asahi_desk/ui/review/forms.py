"""Forms of the 振り返り view: a row (担当課, 事業内容, 振り返り, linked programs), an area, an initiative."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.achievement import achievement_text
from asahi_desk.domain.money import format_amount
from asahi_desk.ui.list_editors import OrderedListEditor
from asahi_desk.ui.section_picker import SectionPicker

if TYPE_CHECKING:  # domain.entities and domain.review are imported when a review is shown, not at start
    from asahi_desk.domain.entities import Program, ProgramLink, ReviewArea, ReviewInitiative, ReviewRow
    from asahi_desk.domain.review import YearPrograms

LINK_HEADERS = ("事業", "予算額（千円）", "事業指標", "目標", "実績", "達成率")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 6px;")
    return label


def _message() -> QLabel:
    label = QLabel("")
    label.setObjectName("reviewMessage")
    label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what the clerk typed
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


class _CommitLine(QLineEdit):
    """A line edit that reports its text once per finished edit, only when it changed."""

    committed = Signal(str, str)  # old, new

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self._shown = ""
        self.editingFinished.connect(self._finished)

    def show_text(self, text: str) -> None:
        self._shown = text
        self.setText(text)

    def _finished(self) -> None:
        if self.text() != self._shown:
            old, self._shown = self._shown, self.text()
            self.committed.emit(old, self.text())


class ReviewRowForm(QWidget):
    """fieldEdited(field, old, new): sections / plan / results as tuples, programs as ProgramLinks."""

    fieldEdited = Signal(str, object, object)  # noqa: N815 - Qt naming
    programActivated = Signal(int)  # noqa: N815 - a linked program's id (the budget form opens it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewRowForm")
        self.row: ReviewRow | None = None
        self._program_ids: list[int | None] = []
        layout = QVBoxLayout(self)
        heading = QLabel("振り返りの行")
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout.addWidget(heading)
        self.message = _message()
        layout.addWidget(self.message)
        layout.addWidget(_title("担当課"))
        self.sections = SectionPicker()
        self.sections.list.setObjectName("reviewSectionsList")
        for button in self.sections.findChildren(QPushButton):
            button.hide()  # the 課 master is kept from the budget side (データ → 担当課を追加…)
        self.sections.changed.connect(lambda names: self._edited("sections", tuple(names)))
        layout.addWidget(self.sections)
        layout.addWidget(_title("事業内容"))
        self.plan = OrderedListEditor("reviewPlanList", "reviewPlan", "新しい事業内容", "事業内容")
        self.plan.edited.connect(lambda rows: self._edited("plan", tuple(rows)))
        self.plan.notice.connect(self.message.setText)
        layout.addWidget(self.plan)
        layout.addWidget(_title("振り返り"))
        self.results = OrderedListEditor("reviewResultsList", "reviewResult", "新しい振り返り", "振り返り")
        self.results.edited.connect(lambda rows: self._edited("results", tuple(rows)))
        self.results.notice.connect(self.message.setText)
        self.results.list.setMinimumHeight(220)  # the bullets the clerk writes most: many in view
        layout.addWidget(self.results)
        layout.addWidget(_title("関連事業（予算額・事業指標）"))
        self.links = QTableWidget(0, len(LINK_HEADERS))
        self.links.setObjectName("reviewProgramTable")
        self.links.setHorizontalHeaderLabels(list(LINK_HEADERS))
        self.links.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.links.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.links.setWordWrap(True)
        self.links.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.links.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.links.verticalHeader().hide()
        for column, width in ((0, 170), (1, 100), (3, 80), (4, 80), (5, 100)):
            self.links.setColumnWidth(column, width)
        self.links.setMinimumHeight(140)
        self.links.cellDoubleClicked.connect(self._open_program)
        layout.addWidget(self.links)
        pick = QHBoxLayout()
        self.program_choice = QComboBox()
        self.program_choice.setObjectName("reviewProgramChoice")
        self.program_choice.setEditable(True)  # a year without budget here: a code is kept as typed
        self.program_choice.setMinimumWidth(260)
        add = QPushButton("関連事業を追加", objectName="reviewProgramAdd")
        add.clicked.connect(self.add_link)
        remove = QPushButton("関連事業を外す", objectName="reviewProgramRemove")
        remove.clicked.connect(self.remove_link)
        pick.addWidget(self.program_choice, 1)
        pick.addWidget(add)
        pick.addWidget(remove)
        layout.addLayout(pick)
        layout.addStretch(1)
        self._link_rows: list[int] = []  # table row -> index of the link it shows

    def set_section_master(self, names: Sequence[str]) -> None:
        self.sections.set_master(names)

    def show_row(self, row: ReviewRow, linked: list[tuple[ProgramLink, Program | None]],
                 choices: YearPrograms | None) -> None:
        from asahi_desk.domain.review import program_label

        self.row = row
        self.message.clear()
        self.sections.set_selected(row.sections)
        self.plan.set_items(row.plan)
        self.results.set_items(row.results)
        self.program_choice.clear()
        for uid, code, name in choices or ():
            self.program_choice.addItem(f"{code} {name}" if code else name, (uid, program_label(code, name)))
        self.program_choice.setCurrentIndex(-1)
        self._show_links(linked)

    def _show_links(self, linked: list[tuple[ProgramLink, Program | None]]) -> None:
        lines: list[tuple[int, list[str], int | None]] = []
        for k, (link, program) in enumerate(linked):
            if program is None:
                lines.append((k, [link.label, "", "（この年度の予算にありません）", "", "", ""], None))
                continue
            head = [program.label, format_amount(program.current)]
            if not program.indicators:
                lines.append((k, [*head, "（事業指標なし）", "", "", ""], program.id))
            for j, ind in enumerate(program.indicators):
                lines.append((k, [*(head if j == 0 else ["", ""]), ind.name, f"{ind.target}{ind.unit}",
                                  f"{ind.actual}{ind.unit}" if ind.actual else "", achievement_text(ind)], program.id))
        self.links.setRowCount(len(lines))
        self._link_rows = [k for k, _cells, _pid in lines]
        self._program_ids = [pid for _k, _cells, pid in lines]
        for r, (_k, cells, _pid) in enumerate(lines):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (1, 3, 4, 5):
                    item.setTextAlignment(RIGHT)
                self.links.setItem(r, c, item)

    def _edited(self, field: str, new: Any) -> None:
        if self.row is not None:
            self.fieldEdited.emit(field, getattr(self.row, field), new)

    def add_link(self) -> None:
        if self.row is None:
            return
        from asahi_desk.domain.entities import ProgramLink

        data = self.program_choice.currentData()
        text = self.program_choice.currentText().strip()
        if data is not None and self.program_choice.itemText(self.program_choice.currentIndex()) == text:
            link = ProgramLink(data[1], data[0])
        elif text:
            link = ProgramLink(text)
        else:
            self.message.setText("関連事業を選んでください")
            return
        if any((x.uid and x.uid == link.uid) or x.label == link.label for x in self.row.programs):
            self.message.setText(f"事業「{link.label}」は既に関連事業です")
            return
        self._edited("programs", (*self.row.programs, link))

    def remove_link(self) -> None:
        r = self.links.currentRow()
        if self.row is None or not 0 <= r < len(self._link_rows):
            return
        k = self._link_rows[r]
        self._edited("programs", tuple(x for i, x in enumerate(self.row.programs) if i != k))

    def _open_program(self, r: int, _c: int) -> None:
        if 0 <= r < len(self._program_ids) and self._program_ids[r] is not None:
            self.programActivated.emit(self._program_ids[r])


class ReviewAreaForm(QWidget):
    fieldEdited = Signal(str, object, object)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewAreaForm")
        layout = QVBoxLayout(self)
        heading = QLabel("分野")
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout.addWidget(heading)
        form = QFormLayout()
        self.number = QSpinBox(objectName="reviewAreaNumber", minimum=1, maximum=99)
        self.number.editingFinished.connect(self._number_done)
        self.name = _CommitLine("reviewAreaName")
        self.name.committed.connect(lambda old, new: self.fieldEdited.emit("name", old, new))
        form.addRow("番号", self.number)
        form.addRow("分野名", self.name)
        layout.addLayout(form)
        self.message = _message()
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._number = 1

    def show_area(self, area: ReviewArea) -> None:
        self.message.clear()
        self._number = area.number
        self.number.setValue(area.number)
        self.name.show_text(area.name)

    def _number_done(self) -> None:
        if self.number.value() != self._number:
            old, self._number = self._number, self.number.value()
            self.fieldEdited.emit("number", old, self._number)


class ReviewInitiativeForm(QWidget):
    fieldEdited = Signal(str, object, object)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewInitiativeForm")
        layout = QVBoxLayout(self)
        heading = QLabel("取組")
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout.addWidget(heading)
        form = QFormLayout()
        self.title = _CommitLine("reviewInitiativeTitle")
        self.title.committed.connect(lambda old, new: self.fieldEdited.emit("title", old, new))
        form.addRow("取組", self.title)
        layout.addLayout(form)
        self.message = _message()
        layout.addWidget(self.message)
        layout.addStretch(1)

    def show_initiative(self, ini: ReviewInitiative) -> None:
        self.message.clear()
        self.title.show_text(ini.title)


class BasicGoalLine(_CommitLine):
    """The review's 基本目標, above its tree."""

    def __init__(self) -> None:
        super().__init__("reviewBasicGoalEdit")
        self.setPlaceholderText("基本目標")
