"""会議の編集: title, date, time, venue, agenda items with sub-items (presenter, material) and attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.attachments import Attachment, normalise_material
from asahi_desk.domain.entities import AgendaItem, AgendaSubItem, Meeting
from asahi_desk.domain.error_text import os_error
from asahi_desk.domain.errors import AsahiError, InputError
from asahi_desk.domain.fiscal import MAX_YEAR, MIN_YEAR, japanese_date, parse_japanese_date
from asahi_desk.ui.file_dialogs import ask_open_file
from asahi_desk.ui.questions import DISCARD, SAVE, SaveQuestion, ask_save_discard_cancel

NEW_MEETING = "（新しい会議）"
EDITABLE = Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

class WarekiDateEdit(QDateEdit):
    """A QDateEdit that shows 令和6年6月11日（火） (the ward's way of writing a date) and still holds a QDate.
    Typing accepts the same form, 'R6.6.11' or '2024-06-11'; the arrows step the year, month or day under
    the cursor; Tab leaves the field (there are no Qt sections to walk)."""

    def __init__(self, parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.setDateRange(QDate(MIN_YEAR, 4, 1), QDate(MAX_YEAR, 3, 31))
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setKeyboardTracking(False)  # '2025/2/3' on the way to '2025/2/30' is not a date the clerk meant

    def textFromDateTime(self, value: QDateTime) -> str:  # noqa: N802 - Qt override
        d = value.date()
        try:
            return japanese_date(dt.date(d.year(), d.month(), d.day()))
        except ValueError:
            return d.toString("yyyy-MM-dd")

    def dateTimeFromText(self, text: str) -> QDateTime:  # noqa: N802 - Qt override
        day = parse_japanese_date(text)
        if day is None:
            return self.dateTime()
        return QDateTime(QDate(day.year, day.month, day.day), self.time())

    def validate(self, text: str, pos: int) -> object:
        day = parse_japanese_date(text)
        if day is not None and self.minimumDate() <= QDate(day.year, day.month, day.day) <= self.maximumDate():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        day = parse_japanese_date(text)
        return japanese_date(day) if day is not None else text

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        text, pos = self.text(), self.lineEdit().cursorPosition()
        if "年" in text and pos <= text.index("年"):
            self.setDate(self.date().addYears(steps))
        elif "月" in text and pos <= text.index("月"):
            self.setDate(self.date().addMonths(steps))
        else:
            self.setDate(self.date().addDays(steps))
        self.lineEdit().setCursorPosition(min(pos, len(self.text())))

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:  # noqa: N802 - Qt override
        return QAbstractSpinBox.StepEnabledFlag.StepUpEnabled | QAbstractSpinBox.StepEnabledFlag.StepDownEnabled

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt override
        return QAbstractSpinBox.focusNextPrevChild(self, next)


class MeetingDialog(QDialog):
    """Edits one meeting of a fiscal year; saving writes meeting, agenda and attachments in one transaction.
    Leaving with unsaved changes (Escape, キャンセル, the window's close button, another meeting in the list)
    asks 変更を保存しますか？ first; ask_unsaved is the question (replaceable: it returns SAVE, DISCARD or CANCEL)."""

    def __init__(self, services: Any, year: int, meeting_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self.setWindowTitle("会議の編集")
        self.resize(760, 640)
        self.services, self.year = services, year
        self.saved_id: int | None = None
        self._attachments: list[Attachment] = []
        self._baseline: tuple = ()
        self._shown_index = -1
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved

        self.meeting_combo = QComboBox(objectName="meetingCombo")
        self.title_edit = QLineEdit(objectName="titleEdit")
        self.date_edit = WarekiDateEdit(objectName="dateEdit", calendarPopup=True)
        self.has_time = QCheckBox("開始時刻", objectName="hasTimeCheck", checked=True)
        self.time_edit = QTimeEdit(objectName="timeEdit", displayFormat="HH:mm")
        self.has_time.toggled.connect(self.time_edit.setEnabled)
        self.venue_edit = QLineEdit(objectName="venueEdit")
        form = QFormLayout()
        form.addRow("会議", self.meeting_combo)
        form.addRow("会議名", self.title_edit)
        form.addRow("日付", self.date_edit)
        when = QHBoxLayout()
        when.addWidget(self.has_time)
        when.addWidget(self.time_edit)
        when.addStretch(1)
        form.addRow("時刻", when)
        form.addRow("場所", self.venue_edit)

        self.agenda = QTreeWidget(objectName="agendaTree")
        self.agenda.setHeaderLabels(["次第の項目・内容", "説明者", "資料"])
        self.agenda.setColumnWidth(0, 420)
        buttons = QHBoxLayout()
        for text, name, slot in (("項目を追加", "addItemButton", self.add_item),
                                 ("内容を追加", "addSubItemButton", self.add_sub_item),
                                 ("削除", "removeAgendaButton", self.remove_selected),
                                 ("上へ", "upButton", lambda: self.move_selected(-1)),
                                 ("下へ", "downButton", lambda: self.move_selected(1))):
            b = QPushButton(text, objectName=name)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        agenda_box = QGroupBox("次第")
        ab = QVBoxLayout(agenda_box)
        ab.addWidget(self.agenda)
        ab.addLayout(buttons)

        self.attach_table = QTableWidget(0, 2, objectName="attachmentTable")
        self.attach_table.setHorizontalHeaderLabels(["資料", "ファイル"])
        self.attach_table.horizontalHeader().setStretchLastSection(True)
        add_file = QPushButton("PDFを添付…", objectName="addAttachmentButton")
        add_file.clicked.connect(self.choose_attachment)
        remove_file = QPushButton("添付を外す", objectName="removeAttachmentButton")
        remove_file.clicked.connect(self.remove_attachment)
        attach_box = QGroupBox("添付資料（各ページに資料番号を押して資料1の後に綴じます）")
        at = QVBoxLayout(attach_box)
        at.addWidget(self.attach_table)
        row = QHBoxLayout()
        row.addWidget(add_file)
        row.addWidget(remove_file)
        row.addStretch(1)
        at.addLayout(row)

        self.error_label = QLabel(objectName="errorLabel", wordWrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # file names and messages, never markup
        self.error_label.setStyleSheet("color: #b00000")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(agenda_box, 3)
        layout.addWidget(attach_box, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(box)

        self._meetings: list[Meeting] = []
        self._fill_meetings(meeting_id)
        self.meeting_combo.currentIndexChanged.connect(self._meeting_chosen)
        self._load_selected()

    # ---- loading
    def _fill_meetings(self, select: int | None) -> None:
        self._meetings = self.services.meetings.meetings(self.year)
        self.meeting_combo.blockSignals(True)
        self.meeting_combo.clear()
        for m in self._meetings:
            self.meeting_combo.addItem(f"{japanese_date(m.date)} {m.title}", m.id)
        self.meeting_combo.addItem(NEW_MEETING, None)
        index = self.meeting_combo.findData(select) if select is not None else 0
        self.meeting_combo.setCurrentIndex(max(index, 0))
        self.meeting_combo.blockSignals(False)
        self._shown_index = self.meeting_combo.currentIndex()

    def _meeting_chosen(self, index: int) -> None:
        """Another meeting in the list: the changes to the one shown are saved, dropped or kept (choice undone)."""
        if not self.is_modified():
            self._load_selected()
            return
        wanted = self.meeting_combo.itemData(index)
        self._select_quietly(self._shown_index)  # the form still belongs to the meeting shown (saving needs its id)
        answer = self.ask_unsaved()
        if answer == SAVE and self._write():
            self._fill_meetings(wanted)  # a new meeting just saved gets its line in the list
            if wanted is None:
                self._select_quietly(self.meeting_combo.findText(NEW_MEETING))
        elif answer == DISCARD:
            self._select_quietly(index)
        else:  # キャンセル, or the save failed (the error is shown): stay on the meeting being edited
            return
        self._load_selected()

    def _select_quietly(self, index: int) -> None:
        self.meeting_combo.blockSignals(True)
        self.meeting_combo.setCurrentIndex(index)
        self.meeting_combo.blockSignals(False)

    def _load_selected(self) -> None:
        meeting_id = self.meeting_combo.currentData()
        meeting = next((m for m in self._meetings if m.id == meeting_id), None)
        self.error_label.clear()
        if meeting is None:
            meeting = Meeting("", dt.date.today(), dt.time(15, 0))  # the usual start of these meetings
            self._attachments = []
        else:
            self._attachments = self.services.meetings.attachments(meeting.id)
        self.title_edit.setText(meeting.title)
        self.date_edit.setDate(QDate(meeting.date.year, meeting.date.month, meeting.date.day))
        self.has_time.setChecked(meeting.start_time is not None)
        t = meeting.start_time or dt.time(15, 0)
        self.time_edit.setTime(QTime(t.hour, t.minute))
        self.time_edit.setEnabled(meeting.start_time is not None)
        self.venue_edit.setText(meeting.venue)
        self.agenda.clear()
        for item in meeting.agenda:
            top = self._top_item(item.title)
            for sub in item.items:
                self._sub_item(top, sub.title, sub.presenter or "", sub.material or "")
        self.agenda.expandAll()
        self._fill_attachments()
        self._shown_index = self.meeting_combo.currentIndex()
        self._baseline = self._state()

    # ---- unsaved changes
    def _state(self) -> tuple:
        """Everything the clerk can change, as plain values (compared with the state when loaded or saved)."""
        self.date_edit.interpretText()  # a date typed but not yet committed by leaving the field counts too
        self._sync_materials()
        root = self.agenda.invisibleRootItem()
        agenda = tuple((top.text(0), tuple((top.child(j).text(0), top.child(j).text(1), top.child(j).text(2))
                                           for j in range(top.childCount())))
                       for top in (root.child(i) for i in range(root.childCount())))
        return (self.title_edit.text(), self.date_edit.date(), self.has_time.isChecked(),
                self.time_edit.time() if self.has_time.isChecked() else None, self.venue_edit.text(), agenda,
                tuple((a.material, a.filename, a.id, len(a.data or b"")) for a in self._attachments))

    def is_modified(self) -> bool:
        return self._state() != self._baseline

    def _ask_unsaved(self) -> str:
        return ask_save_discard_cancel(self, SaveQuestion("会議の編集", "変更を保存しますか？",
                                                          informative="保存しないと、この会議への変更は失われます。"))

    def reject(self) -> None:
        """Escape, キャンセル and the close button all come here."""
        if self.is_modified():
            answer = self.ask_unsaved()
            if answer == SAVE:
                self.save()  # closes only when saved; a refused form stays open with its error
                return
            if answer != DISCARD:
                return
        if self.saved_id is not None:  # saved on the way (switching meetings): the window refreshes
            self.accept()
            return
        super().reject()

    def _fill_attachments(self) -> None:
        self.attach_table.setRowCount(len(self._attachments))
        for r, a in enumerate(self._attachments):
            self.attach_table.setItem(r, 0, QTableWidgetItem(a.material))
            name = QTableWidgetItem(a.filename + ("" if a.data else "（保存済み）"))
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.attach_table.setItem(r, 1, name)

    # ---- agenda editing
    def _top_item(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.agenda, [title, "", ""])
        item.setFlags(EDITABLE)
        return item

    def _sub_item(self, parent: QTreeWidgetItem, title: str, presenter: str = "", material: str = "") -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [title, presenter, material])
        item.setFlags(EDITABLE)
        return item

    def add_item(self, title: str = "新しい項目") -> QTreeWidgetItem:
        item = self._top_item(title if isinstance(title, str) else "新しい項目")
        self.agenda.setCurrentItem(item)
        return item

    def add_sub_item(self, title: str = "新しい内容") -> QTreeWidgetItem | None:
        current = self.agenda.currentItem()
        parent = current.parent() or current if current else None
        if parent is None:
            parent = self.add_item()
        item = self._sub_item(parent, title if isinstance(title, str) else "新しい内容")
        parent.setExpanded(True)
        self.agenda.setCurrentItem(item)
        return item

    def remove_selected(self) -> None:
        item = self.agenda.currentItem()
        if item is None:
            return
        (item.parent() or self.agenda.invisibleRootItem()).removeChild(item)

    def move_selected(self, step: int) -> None:
        item = self.agenda.currentItem()
        if item is None:
            return
        parent = item.parent() or self.agenda.invisibleRootItem()
        index = parent.indexOfChild(item)
        if 0 <= index + step < parent.childCount():
            expanded = item.isExpanded()
            parent.takeChild(index)
            parent.insertChild(index + step, item)
            item.setExpanded(expanded)
            self.agenda.setCurrentItem(item)

    # ---- attachments
    def choose_attachment(self) -> None:
        path = ask_open_file(self, "添付するPDF", "PDF (*.pdf)")
        if path:
            self.add_attachment_file(Path(path))

    def add_attachment_file(self, path: Path, material: str | None = None) -> None:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            self.error_label.setText(f"{path}: 読めません（{os_error(e)}）")
            return
        self._sync_materials()
        if material is None:
            used = {int(a.material[2:]) for a in self._attachments if a.material[2:].isdigit()} | {1}
            material = f"資料{max(used) + 1}"
        self._attachments.append(Attachment(material, Path(path).name, data))
        self._fill_attachments()

    def remove_attachment(self) -> None:
        self._sync_materials()
        row = self.attach_table.currentRow()
        if 0 <= row < len(self._attachments):
            del self._attachments[row]
            self._fill_attachments()

    def _sync_materials(self) -> None:
        """The material cells are editable: take the clerk's numbers back."""
        for r, a in enumerate(list(self._attachments)):
            cell = self.attach_table.item(r, 0)
            if cell is not None and cell.text() != a.material:
                self._attachments[r] = Attachment(cell.text().strip(), a.filename, a.data, a.id)

    # ---- saving
    def meeting(self) -> Meeting:
        """The form as a domain Meeting (InputError names the field)."""
        title = self.title_edit.text().strip()
        if not title:
            raise InputError("会議名を入力してください", "会議名")
        d = self.date_edit.date()
        t = self.time_edit.time()
        items: list[AgendaItem] = []
        root = self.agenda.invisibleRootItem()
        for i in range(root.childCount()):
            top = root.child(i)
            subs = []
            for j in range(top.childCount()):
                sub = top.child(j)
                material = sub.text(2).strip()
                if material:
                    material = normalise_material(material, f"次第 {i + 1} の資料")
                subs.append(AgendaSubItem(sub.text(0).strip(), sub.text(1).strip() or None, material or None))
            items.append(AgendaItem(i + 1, top.text(0).strip(), tuple(subs)))
        return Meeting(title, dt.date(d.year(), d.month(), d.day()),
                       dt.time(t.hour(), t.minute()) if self.has_time.isChecked() else None,
                       self.venue_edit.text().strip(), tuple(items), self.meeting_combo.currentData())

    def _write(self) -> bool:
        try:
            self._sync_materials()
            self.saved_id = self.services.meetings.save(self.year, self.meeting(), list(self._attachments)).value
        except AsahiError as e:
            self.error_label.setText(str(e))
            return False
        self._baseline = self._state()
        return True

    def save(self) -> None:
        if self._write():
            self.accept()
