"""出力 → 会議資料PDF… (export dialog, run on a ui/workers.py worker behind a progress dialog) and 出力 → 会議の編集… (the meeting editor)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import fiscal_year_both, fiscal_year_label, japanese_date
from asahi_desk.ui.file_dialogs import ask_folder, ask_open_file, ask_save_file, start_folder
from asahi_desk.ui.message_boxes import fit_text
from asahi_desk.ui.workers import Worker

if TYPE_CHECKING:  # imported when the menu is used, not when the window starts
    from asahi_desk.ui.meeting_dialog import MeetingDialog


def install(window: Any) -> None:
    """Add 会議資料PDF… and 会議の編集… to the window's 出力 menu (see ui/extensions.py)."""
    export = QAction("会議資料PDF…", window)
    export.setObjectName("actionExportPdf")
    export.setStatusTip("次第・資料1（執行計画）・添付資料を PDF に書き出します")
    export.triggered.connect(lambda: open_export_dialog(window))
    edit = QAction("会議の編集…", window)
    edit.setObjectName("actionEditMeeting")
    edit.setStatusTip("会議の日時・場所・次第・添付資料を編集します")
    edit.triggered.connect(lambda: open_meeting_dialog(window))
    menu = window.menu("出力")
    menu.addAction(export)
    menu.addAction(edit)


def _year(window: Any) -> int | None:
    year = window.current_fiscal_year()
    if year is None:
        years = window.services.budgets.fiscal_years()
        year = years[-1] if years else None
    if year is None:
        QMessageBox.information(window, "会議資料PDF", "予算のデータがありません。")
    return year


def open_export_dialog(window: Any) -> PdfExportDialog | None:
    year = _year(window)
    if year is None:
        return None
    dialog = PdfExportDialog(window.services, year, window)
    dialog.exported.connect(lambda text: _status(window, text))
    if hasattr(window, "mark_written"):
        dialog.attachmentsStored.connect(window.mark_written)
    dialog.open()
    return dialog


def open_meeting_dialog(window: Any) -> MeetingDialog | None:
    year = _year(window)
    if year is None:
        return None
    from asahi_desk.ui.meeting_dialog import MeetingDialog

    dialog = MeetingDialog(window.services, year, parent=window)
    dialog.accepted.connect(window.refresh)
    dialog.open()
    return dialog


def missing_materials_text(missing: tuple[str, ...] | list[str]) -> str:
    """The GUI's wording for materials the agenda names but the handout would lack (the CLI names --attach)."""
    return f"次第に挙げた{'・'.join(missing)}のPDFがありません（「PDFを添付…」で加えてください）"


class PdfExportDialog(QDialog):
    """Meeting, output file, split folder, attachments, review, 'open when done'. Before exporting it says
    which 資料N of the agenda have no PDF yet and how many errors the checker finds (information only).
    open_url opens the finished PDF (QDesktopServices.openUrl; replaceable, it returns False on failure)."""

    exported = Signal(str)
    attachmentsStored = Signal()  # noqa: N815 - PDFs added here were kept on the meeting (a database write)

    def __init__(self, services: Any, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfExportDialog")
        self.setWindowTitle(f"会議資料PDF（{fiscal_year_both(year)}）")
        self.resize(620, 460)
        self.services, self.year = services, year
        self.result: Any = None
        self.error: str | None = None
        self._attach: dict[str, Path] = {}
        self._progress: QProgressDialog | None = None
        self._worker = Worker(self)
        self._worker.progressed.connect(self._show_progress)
        self._worker.finished.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.open_failed_box: QMessageBox | None = None

        self.meeting_combo = QComboBox(objectName="meetingCombo")
        self._meetings = {m.id: m for m in services.meetings.meetings(year)}
        for m in self._meetings.values():
            self.meeting_combo.addItem(f"{japanese_date(m.date)} {m.title}", m.id)
        self.meeting_combo.currentIndexChanged.connect(self._load_attachments)
        self.out_edit = QLineEdit(objectName="outEdit")
        self.out_edit.setText(str(start_folder() / f"{fiscal_year_label(year)}_会議資料.pdf"))  # last folder used
        self.split_edit = QLineEdit(objectName="splitDirEdit", placeholderText="（資料ごとのファイルは作らない）")
        self.review_check = QCheckBox("振り返りを資料として加える", objectName="reviewCheck")
        self.review_combo = QComboBox(objectName="reviewCombo")
        for y in services.budgets.review_years():
            self.review_combo.addItem(fiscal_year_both(y), y)
        self.review_check.setEnabled(self.review_combo.count() > 0)
        self.review_indicators_check = QCheckBox("各行の下に関連事業の指標（目標・実績・達成率）を加える",
                                                 objectName="reviewIndicatorsCheck")
        self.review_indicators_check.setEnabled(False)
        self.review_check.toggled.connect(self.review_indicators_check.setEnabled)
        self.open_check = QCheckBox("書き出したら開く", objectName="openWhenDoneCheck", checked=True)
        self.attach_table = QTableWidget(0, 2, objectName="attachmentTable")
        self.attach_table.setHorizontalHeaderLabels(["資料", "ファイル"])
        self.attach_table.horizontalHeader().setStretchLastSection(True)
        self.attach_table.itemChanged.connect(self._material_edited)
        add = QPushButton("PDFを添付…", objectName="addAttachmentButton")
        add.clicked.connect(self.choose_attachment)
        remove = QPushButton("添付を外す", objectName="removeAttachmentButton")
        remove.clicked.connect(self.remove_selected_attachment)
        self.missing_label = self._notice("missingMaterialsNotice")
        self.check_label = self._notice("checkErrorsNotice")

        form = QFormLayout()
        form.addRow("会議", self.meeting_combo)
        form.addRow("出力ファイル", self._with_button(self.out_edit, "参照…", self.choose_out))
        form.addRow("資料ごとのフォルダ", self._with_button(self.split_edit, "参照…", self.choose_split))
        review_row = QHBoxLayout()
        review_row.addWidget(self.review_check)
        review_row.addWidget(self.review_combo, 1)
        form.addRow("", review_row)
        form.addRow("", self.review_indicators_check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("添付資料（会議に保存済みのものと、ここで加えるもの。加えたものは会議に保存されます）"))
        layout.addWidget(self.attach_table, 1)
        attach_row = QHBoxLayout()
        attach_row.addWidget(add)
        attach_row.addWidget(remove)
        attach_row.addStretch(1)
        layout.addLayout(attach_row)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.check_label)
        layout.addWidget(self.open_check)
        self.error_label = QLabel(objectName="errorLabel", wordWrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # file names and messages, never markup
        self.error_label.setStyleSheet("color: #b00000")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("書き出す")
        self.export_button.setObjectName("exportButton")
        self.export_button.setEnabled(self.meeting_combo.count() > 0)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("閉じる")
        buttons.accepted.connect(self.start_export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.meeting_combo.count() == 0:
            self.error_label.setText("この年度の会議がありません。出力 → 会議の編集… で登録してください。")
        self._show_check_errors()
        self._load_attachments()

    @staticmethod
    def _notice(name: str) -> QLabel:
        label = QLabel(objectName=name, wordWrap=True, visible=False)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet("color: #7a4a00; background: #fff4d6; border: 1px solid #e0c080; padding: 4px")
        return label

    def _show_check_errors(self) -> None:
        """Once, when the dialog opens: the handout can go out with errors, but the clerk should know."""
        try:
            from asahi_desk.domain.checks import ERROR

            errors = sum(1 for f in self.services.checks.check(self.year) if f.severity == ERROR)
        except AsahiError:
            errors = 0
        self.check_label.setText(f"チェック結果にエラーが{errors}件あります（このまま書き出せます）" if errors else "")
        self.check_label.setVisible(errors > 0)

    def missing_materials(self) -> tuple[str, ...]:
        """The 資料N the chosen meeting's agenda names with no PDF stored on the meeting nor added here."""
        from asahi_desk.services.handout import missing_materials

        meeting = self._meetings.get(self.meeting_combo.currentData())
        if meeting is None:
            return ()
        return missing_materials(meeting, self._materials())

    def _materials(self) -> list[str]:
        return [self.attach_table.item(r, 0).text() for r in range(self.attach_table.rowCount())]

    def _show_missing(self) -> None:
        missing = self.missing_materials()
        self.missing_label.setText(missing_materials_text(missing) if missing else "")
        self.missing_label.setVisible(bool(missing))

    def _with_button(self, edit: QLineEdit, text: str, slot: Any) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return row

    def _load_attachments(self) -> None:
        meeting_id = self.meeting_combo.currentData()
        stored = self.services.meetings.attachments(meeting_id) if meeting_id is not None else []
        rows = [(a.material, f"{a.filename}（保存済み）", None) for a in stored if a.material not in self._attach]
        rows += [(m, str(p), m) for m, p in self._attach.items()]
        read_only = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        self.attach_table.blockSignals(True)
        self.attach_table.setRowCount(len(rows))
        for r, (material, name, added) in enumerate(rows):
            label = QTableWidgetItem(material)
            label.setData(Qt.ItemDataRole.UserRole, added)  # the key in _attach; None for a stored one
            if added is None:
                label.setFlags(read_only)
            self.attach_table.setItem(r, 0, label)
            file = QTableWidgetItem(name)
            file.setFlags(read_only)
            self.attach_table.setItem(r, 1, file)
        self.attach_table.blockSignals(False)
        self._show_missing()

    def _material_edited(self, item: QTableWidgetItem) -> None:
        """The 資料 cell of a file added here can be renumbered (資料３, 3 …); stored ones are read-only."""
        old = item.data(Qt.ItemDataRole.UserRole)
        if item.column() != 0 or old is None:
            return
        from asahi_desk.domain.attachments import normalise_material  # with the dialog, not at start

        try:
            material = normalise_material(item.text(), "資料")
            if material == "資料1":
                raise AsahiError("資料1は執行計画です。添付資料には資料2以降を指定してください")
            if material != old and material in self._attach:
                raise AsahiError(f"{material}には別のPDFを加えています（先にそちらを外すか番号を変えてください）")
        except AsahiError as e:
            self.error_label.setText(str(e))
            self._load_attachments()
            return
        self.error_label.clear()
        self._attach = {(material if k == old else k): p for k, p in self._attach.items() if k == old or k != material}
        self._load_attachments()

    def remove_selected_attachment(self) -> None:
        row = self.attach_table.currentRow()
        item = self.attach_table.item(row, 0) if row >= 0 else None
        if item is None:
            return
        added = item.data(Qt.ItemDataRole.UserRole)
        if added is None:
            self.error_label.setText(f"{item.text()}は会議に保存された添付です。外すには 出力 → 会議の編集… を使ってください")
            return
        self.error_label.clear()
        self._attach.pop(added, None)
        self._load_attachments()

    def choose_out(self) -> None:
        path = ask_save_file(self, "PDF の保存先", self.out_edit.text(), "PDF (*.pdf)", "pdf")
        if path:
            self.out_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def choose_split(self) -> None:
        path = ask_folder(self, "資料ごとの PDF を書くフォルダ")
        if path:
            self.split_edit.setText(path)

    def choose_attachment(self) -> None:
        path = ask_open_file(self, "添付するPDF", "PDF (*.pdf)")
        if path:
            self.add_attachment(Path(path))

    def add_attachment(self, path: Path, material: str | None = None) -> None:
        if material is None:  # the first 資料 the agenda still lacks, else the next number
            missing = self.missing_materials()
            used = {int(m[2:]) for m in self._materials() if m[2:].isdigit()} | {1}
            material = missing[0] if missing else f"資料{max(used) + 1}"
        self._attach[material] = path
        self._load_attachments()

    def request(self) -> Any:
        from asahi_desk.services.handout import ExportRequest

        split = self.split_edit.text().strip()
        return ExportRequest(
            fiscal_year=self.year, out=Path(self.out_edit.text().strip()), meeting_id=self.meeting_combo.currentData(),
            attach=dict(self._attach), split_dir=Path(split) if split else None,
            review_year=self.review_combo.currentData() if self.review_check.isChecked() else None,
            review_indicators=self.review_check.isChecked() and self.review_indicators_check.isChecked())

    def start_export(self) -> None:
        """Export on a pool thread behind a progress dialog; the window stays responsive."""
        self.error = None
        self.error_label.clear()
        if not self.out_edit.text().strip():
            self.error_label.setText("出力ファイルを指定してください")
            return
        self.export_button.setEnabled(False)
        self._progress = QProgressDialog("会議資料を作成しています…", "", 0, 0, self)
        self._progress.setObjectName("pdfProgress")
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle("会議資料PDF")
        self._progress.setMinimumDuration(0)
        self._progress.show()
        request, handout = self.request(), self.services.handout
        self._worker.start(lambda progress: handout.export(request, progress=progress))

    @property
    def busy(self) -> bool:
        return self._worker.busy

    def _show_progress(self, done: int, total: int, what: str) -> None:
        if self._progress is not None and total:
            self._progress.setMaximum(total)
            self._progress.setValue(done)
            if what:
                self._progress.setLabelText(f"{what} を作成しています…")

    def _finish(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress = None
        self.export_button.setEnabled(True)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self.error = message
        self.error_label.setText(message)

    def _on_done(self, result: Any) -> None:
        self._finish()
        self.result = result
        if self._attach and result.meeting.id is not None:
            self.attachmentsStored.emit()
        self._attach.clear()
        text = result.describe(with_missing_note=False)
        if result.missing:
            text += f"　注意: {missing_materials_text(result.missing)}"
        self.exported.emit(text)
        if self.open_check.isChecked() and not self.open_url(QUrl.fromLocalFile(str(result.files[0]))):
            self._open_failed(result.files[0])
        self.accept()

    def _open_failed(self, path: Path) -> None:
        """Not modal: the PDF is written, the clerk only has to open it another way."""
        message = f"会議資料PDFは書き出しましたが、開けませんでした: {path}"
        self.exported.emit(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "会議資料PDF", "書き出したPDFを開けませんでした。",
                          QMessageBox.StandardButton.Ok, self.parentWidget())
        box.setObjectName("openFailedBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(f"ファイルは保存されています:\n{path}\n\n"
                               "PDFを表示するアプリが見つからないか、起動できませんでした。"
                               "ファイルをフォルダから直接開いてください。")
        fit_text(box)  # the path on one line where it fits
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.open_failed_box = box


def _status(window: Any, text: str) -> None:
    bar = window.statusBar() if hasattr(window, "statusBar") else None
    if bar is not None:
        bar.showMessage(text, 10_000)
