"""The PDF export dialog and the meeting editor standalone (with Services), and install() on a small real window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox

from asahi_desk.app import Services
from asahi_desk.domain.checks import ERROR
from asahi_desk.ui import pdf_export
from asahi_desk.ui.fonts import install_application_font
from asahi_desk.ui.meeting_dialog import (
    NEW_MEETING,
    MeetingDialog,
)
from asahi_desk.ui.pdf_export import PdfExportDialog
from asahi_desk.ui.questions import CANCEL, DISCARD, SAVE

SHOTS = Path("/tmp/asahi-pdf-shots")


@pytest.fixture(autouse=True)
def font(qapp: QApplication) -> None:
    install_application_font(qapp)


def _shot(widget: object, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]


class StubWindow(QMainWindow):
    """The documented window protocol (ui/extensions.py) and nothing else."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.refreshed = 0
        self._menus: dict[str, QMenu] = {}
        for title in ("ファイル", "編集", "表示", "データ", "出力", "ヘルプ"):
            self._menus[title] = self.menuBar().addMenu(title)

    def menu(self, title: str) -> QMenu:
        return self._menus[title]

    def current_fiscal_year(self) -> int | None:
        return 2024

    def refresh(self) -> None:
        self.refreshed += 1


def _attachment(tmp_path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    from asahi_desk.reports.pdf.fonts import MINCHO, register_fonts

    register_fonts()
    path = tmp_path / "coworking.pdf"
    c = Canvas(str(path), initialFontName=MINCHO)
    c.setFont(MINCHO, 12)
    c.drawString(72, 700, "実証実験の報告")
    c.showPage()
    c.save()
    return path


def test_export_dialog_runs_off_thread_and_writes_the_handout(qtbot, services: Services, tmp_path: Path) -> None:
    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.meeting_combo.count() == 1 and "令和6年6月11日（火）" in dialog.meeting_combo.currentText()
    dialog.out_edit.setText(str(tmp_path / "handout.pdf"))
    dialog.split_edit.setText(str(tmp_path / "split"))
    dialog.open_check.setChecked(False)
    dialog.add_attachment(_attachment(tmp_path))
    assert dialog.attach_table.item(0, 0).text() == "資料2"
    _shot(dialog, "export_dialog")
    dialog.start_export()
    assert dialog.busy  # returned at once: the export runs on a pool thread
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.error is None, dialog.error
    assert dialog.result.materials == ("次第", "資料1", "資料2")
    assert sorted(p.name for p in (tmp_path / "split").iterdir()) == ["次第.pdf", "資料1.pdf", "資料2.pdf"]
    assert "資料２" in PdfReader(tmp_path / "split" / "資料2.pdf").pages[0].extract_text()
    assert [a.material for a in services.meetings.attachments(dialog.result.meeting.id)] == ["資料2"]


def test_export_dialog_shows_bad_output_in_one_line(qtbot, services: Services, tmp_path: Path) -> None:
    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.out_edit.setText(str(tmp_path / "missing" / "x.pdf"))
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.error and "出力先のフォルダがありません" in dialog.error
    assert dialog.error_label.text() == dialog.error
    assert dialog.export_button.isEnabled()


def test_meeting_dialog_edits_and_saves_in_one_go(qtbot, services: Services, tmp_path: Path) -> None:
    dialog = MeetingDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.title_edit.text() == "令和６年第２回 区づくり推進横浜市会議員会議"
    assert dialog.agenda.topLevelItemCount() == 6
    assert dialog.agenda.topLevelItem(3).child(0).text(2) == "資料1"
    _shot(dialog, "meeting_dialog")
    dialog.venue_edit.setText("旭区役所本館 <会議室> & 別室")
    dialog.agenda.setCurrentItem(dialog.agenda.topLevelItem(5))
    dialog.move_selected(-1)  # その他 before 報告
    sub = dialog.add_sub_item("追加の報告")
    assert sub is not None
    sub.setText(2, "資料３")
    dialog.add_attachment_file(_attachment(tmp_path))
    dialog.save()
    assert dialog.error_label.text() == ""
    saved = services.meetings.get(dialog.saved_id)
    assert saved.venue == "旭区役所本館 <会議室> & 別室"
    assert [a.title for a in saved.agenda][-2:] == ["その他", "報告"]
    assert saved.agenda[4].items[-1].material == "資料3"
    assert [a.material for a in services.meetings.attachments(saved.id)] == ["資料2"]
    assert len(services.meetings.meetings(2024)) == 1


def test_meeting_dialog_new_meeting_and_validation(qtbot, services: Services) -> None:
    dialog = MeetingDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.meeting_combo.setCurrentIndex(dialog.meeting_combo.findText(NEW_MEETING))
    assert dialog.agenda.topLevelItemCount() == 0
    dialog.save()
    assert "会議名" in dialog.error_label.text()
    dialog.title_edit.setText("令和６年第３回 会議")
    dialog.date_edit.setDate(QDate(2024, 11, 5))
    dialog.time_edit.setTime(QTime(10, 30))
    dialog.add_item("議題")
    dialog.add_sub_item("説明").setText(2, "資料ABC")
    dialog.save()
    assert "資料の番号" in dialog.error_label.text()
    dialog.agenda.topLevelItem(0).child(0).setText(2, "資料1")
    dialog.save()
    meetings = services.meetings.meetings(2024)
    assert [m.date for m in meetings] == [dt.date(2024, 6, 11), dt.date(2024, 11, 5)]
    assert meetings[1].start_time == dt.time(10, 30)


def test_install_adds_the_two_actions_to_the_output_menu(qtbot, services: Services) -> None:
    window = StubWindow(services)
    qtbot.addWidget(window)
    pdf_export.install(window)
    actions = {a.objectName(): a for a in window.menu("出力").actions()}
    assert actions["actionExportPdf"].text() == "会議資料PDF…"
    assert actions["actionEditMeeting"].text() == "会議の編集…"
    actions["actionExportPdf"].trigger()
    export = window.findChild(PdfExportDialog, "pdfExportDialog")
    assert export is not None and export.isVisible()
    export.reject()
    actions["actionEditMeeting"].trigger()
    editor = window.findChild(MeetingDialog, "meetingDialog")
    assert editor is not None and editor.isVisible()
    editor.save()
    assert window.refreshed == 1


# ---- export dialog: what the clerk learns before and after exporting


def test_export_dialog_names_the_missing_material_before_exporting(qtbot, services: Services, tmp_path: Path) -> None:
    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.show()
    notice = dialog.findChild(type(dialog.missing_label), "missingMaterialsNotice")
    assert notice is dialog.missing_label and notice.isVisible()
    assert notice.text() == "次第に挙げた資料2のPDFがありません（「PDFを添付…」で加えてください）"
    assert "--attach" not in notice.text()
    dialog.add_attachment(_attachment(tmp_path))
    assert not notice.isVisible() and dialog.missing_materials() == ()
    dialog.attach_table.setCurrentCell(0, 0)
    dialog.remove_selected_attachment()
    assert notice.isVisible() and dialog.attach_table.rowCount() == 0
    _shot(dialog, "export_dialog_notices")


def test_export_dialog_missing_notice_follows_the_meeting_and_stored_attachments(
        qtbot, services: Services, tmp_path: Path) -> None:
    """A second meeting naming 資料3, the first one with 資料2 stored on it: the notice follows the choice."""
    editor = MeetingDialog(services, 2024)
    qtbot.addWidget(editor)
    editor.add_attachment_file(_attachment(tmp_path))  # 資料2 stored on the 6月 meeting
    editor.save()
    editor = MeetingDialog(services, 2024)
    qtbot.addWidget(editor)
    editor.meeting_combo.setCurrentIndex(editor.meeting_combo.findText(NEW_MEETING))
    editor.title_edit.setText("第３回")
    editor.date_edit.setDate(QDate(2024, 11, 5))
    editor.add_item("報告")
    editor.add_sub_item("実験の報告").setText(2, "資料3")
    editor.save()

    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.meeting_combo.count() == 2
    assert not dialog.missing_label.isVisible()  # 資料2 is stored on the 6月 meeting
    assert "資料2（保存済み）" not in dialog.attach_table.item(0, 1).text()
    assert dialog.attach_table.item(0, 0).text() == "資料2"
    dialog.meeting_combo.setCurrentIndex(1)
    assert dialog.missing_label.isVisible() and "資料3のPDFがありません" in dialog.missing_label.text()
    dialog.add_attachment(_attachment(tmp_path))
    assert dialog.attach_table.item(0, 0).text() == "資料3"  # the first material the agenda lacks
    assert not dialog.missing_label.isVisible()
    dialog.attach_table.item(0, 0).setText("資料４")  # renumbered by hand: 資料3 is missing again
    assert list(dialog._attach) == ["資料4"]
    assert "資料3のPDFがありません" in dialog.missing_label.text()
    dialog.attach_table.item(0, 0).setText("資料1")
    assert "資料1は執行計画です" in dialog.error_label.text() and list(dialog._attach) == ["資料4"]


def test_export_dialog_shows_the_checker_errors_as_information(qtbot, services: Services, tmp_path: Path) -> None:
    errors = sum(1 for f in services.checks.check(2024) if f.severity == ERROR)
    assert errors > 0  # the demo has the pasted-activity errors
    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.show()
    notice = dialog.findChild(type(dialog.check_label), "checkErrorsNotice")
    assert notice.isVisible()
    assert notice.text() == f"チェック結果にエラーが{errors}件あります（このまま書き出せます）"
    dialog.out_edit.setText(str(tmp_path / "handout.pdf"))
    dialog.open_check.setChecked(False)
    dialog.start_export()  # not a block
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.error is None and (tmp_path / "handout.pdf").is_file()


def test_export_dialog_says_when_the_pdf_cannot_be_opened(qtbot, services: Services, tmp_path: Path) -> None:
    window = StubWindow(services)
    qtbot.addWidget(window)
    messages: list[str] = []
    dialog = PdfExportDialog(services, 2024, window)
    dialog.exported.connect(messages.append)
    opened: list[str] = []
    dialog.open_url = lambda url: opened.append(url.toLocalFile()) or False  # no PDF viewer on this desk
    dialog.show()
    out = tmp_path / "handout <1>.pdf"
    dialog.out_edit.setText(str(out))
    assert dialog.open_check.isChecked()
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert opened == [str(out)]
    box = dialog.open_failed_box
    assert box is not None and box.isVisible() and not box.isModal()  # never blocks the window
    assert box.objectName() == "openFailedBox" and box.parent() is window
    assert box.text() == "書き出したPDFを開けませんでした。" and str(out) in box.informativeText()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert not dialog.isVisible() and out.is_file()
    assert "--attach" not in messages[0] and "資料2のPDFがありません" in messages[0]
    assert messages[-1] == f"会議資料PDFは書き出しましたが、開けませんでした: {out}"
    _shot(box, "open_failed")
    box.close()


def test_export_dialog_is_quiet_when_the_pdf_opens(qtbot, services: Services, tmp_path: Path) -> None:
    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.open_url = lambda url: True
    dialog.out_edit.setText(str(tmp_path / "handout.pdf"))
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.open_failed_box is None


# ---- meeting editor: unsaved changes and the 和暦 date


def _editor(qtbot, services: Services, answers: list[str]) -> tuple[MeetingDialog, list[int]]:
    dialog = MeetingDialog(services, 2024)
    qtbot.addWidget(dialog)
    asked: list[int] = []

    def ask() -> str:
        asked.append(1)
        return answers.pop(0)

    dialog.ask_unsaved = ask
    dialog.show()
    return dialog, asked


def test_meeting_dialog_closes_without_asking_when_nothing_changed(qtbot, services: Services) -> None:
    dialog, asked = _editor(qtbot, services, [])
    assert not dialog.is_modified()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [] and not dialog.isVisible() and dialog.result() == MeetingDialog.DialogCode.Rejected


@pytest.mark.parametrize("how", ["escape", "cancel_button", "close"])
def test_meeting_dialog_asks_before_dropping_changes(qtbot, services: Services, how: str) -> None:
    dialog, asked = _editor(qtbot, services, [CANCEL, DISCARD])

    def leave() -> None:
        if how == "escape":
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        elif how == "cancel_button":
            _cancel_button(dialog).click()
        else:
            dialog.close()

    dialog.venue_edit.setText("旭区役所本館")
    leave()
    assert asked == [1] and dialog.isVisible()  # キャンセル: still editing
    assert dialog.venue_edit.text() == "旭区役所本館"
    leave()
    assert asked == [1, 1] and not dialog.isVisible()  # 破棄
    assert services.meetings.meetings(2024)[0].venue == "旭区役所新館２階大会議室"


def _cancel_button(dialog: MeetingDialog):
    from PySide6.QtWidgets import QPushButton

    return next(b for b in dialog.findChildren(QPushButton) if b.text() == "キャンセル")


def test_meeting_dialog_save_from_the_question(qtbot, services: Services) -> None:
    dialog, asked = _editor(qtbot, services, [SAVE, SAVE, DISCARD])
    dialog.agenda.topLevelItem(0).setText(0, "座長あいさつ")
    dialog.title_edit.setText("")  # the save is refused: the dialog stays with the error
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "会議名" in dialog.error_label.text()
    dialog.title_edit.setText("令和６年第２回 会議")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == MeetingDialog.DialogCode.Accepted
    saved = services.meetings.meetings(2024)[0]
    assert saved.title == "令和６年第２回 会議" and saved.agenda[0].title == "座長あいさつ"
    assert len(asked) == 2


def test_meeting_dialog_each_kind_of_change_counts(qtbot, services: Services, tmp_path: Path) -> None:
    dialog, _ = _editor(qtbot, services, [])
    changes = [
        lambda: dialog.date_edit.setDate(QDate(2024, 6, 12)),
        lambda: dialog.has_time.setChecked(False),
        lambda: dialog.time_edit.setTime(QTime(10, 0)),
        lambda: dialog.agenda.topLevelItem(3).child(0).setText(1, "区長"),
        lambda: dialog.add_item("追加"),
        lambda: dialog.add_attachment_file(_attachment(tmp_path)),
    ]
    for change in changes:
        dialog._load_selected()
        assert not dialog.is_modified()
        change()
        assert dialog.is_modified()
    dialog._load_selected()
    dialog.title_edit.setText(dialog.title_edit.text())  # the same text is no change
    assert not dialog.is_modified()


def test_meeting_dialog_switching_meetings_asks_too(qtbot, services: Services) -> None:
    dialog, asked = _editor(qtbot, services, [CANCEL, SAVE])
    new = dialog.meeting_combo.findText(NEW_MEETING)
    dialog.venue_edit.setText("別の会議室")
    dialog.meeting_combo.setCurrentIndex(new)
    assert dialog.meeting_combo.currentIndex() == 0 and dialog.venue_edit.text() == "別の会議室"
    dialog.meeting_combo.setCurrentIndex(new)  # 保存, then the new meeting
    assert dialog.meeting_combo.currentText() == NEW_MEETING and dialog.title_edit.text() == ""
    assert services.meetings.meetings(2024)[0].venue == "別の会議室"
    assert len(services.meetings.meetings(2024)) == 1 and not dialog.is_modified()
    dialog.reject()  # nothing changed since: no question, but the window refreshes for the save
    assert len(asked) == 2 and dialog.result() == MeetingDialog.DialogCode.Accepted


def test_meeting_dialog_real_question_box(qtbot, services: Services) -> None:
    """The real 変更を保存しますか？ box, answered by a timer as a clerk would click."""
    dialog = MeetingDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.venue_edit.setText("第１会議室")
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.objectName())
        seen.append(box.text())
        seen.append("/".join(b.text() for b in box.buttons()))
        next(b for b in box.buttons() if b.text() == "保存").click()

    QTimer.singleShot(0, answer)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert seen[0] == "unsavedChangesBox" and seen[1] == "変更を保存しますか？"
    assert set(seen[2].split("/")) == {"保存", "破棄", "キャンセル"}
    assert not dialog.isVisible() and services.meetings.meetings(2024)[0].venue == "第１会議室"


def test_meeting_dialog_shows_the_date_in_wareki_and_stores_a_date(qtbot, services: Services) -> None:
    dialog, _ = _editor(qtbot, services, [])
    assert dialog.date_edit.text() == "令和6年6月11日（火）"
    assert dialog.meeting_combo.currentText().startswith("令和6年6月11日（火） ")
    _shot(dialog, "meeting_dialog_wareki")
    edit = dialog.date_edit.lineEdit()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    dialog.date_edit.setFocus()
    assert QApplication.focusWidget() is dialog.date_edit
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Tab)  # Tab leaves the field (no Qt sections to walk)
    assert QApplication.focusWidget() is dialog.has_time
    dialog.date_edit.setFocus()
    edit.setCursorPosition(len("令和6年6月1"))  # in the day
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Up)
    assert dialog.date_edit.date() == QDate(2024, 6, 12) and dialog.date_edit.text() == "令和6年6月12日（水）"
    edit.setCursorPosition(len("令和6年"))  # in the month
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Up)
    assert dialog.date_edit.date() == QDate(2024, 7, 12)
    for typed, shown in (("令和6年11月5日", "令和6年11月5日（火）"), ("R6.12.3", "令和6年12月3日（火）"),
                         ("2025/2/30", "令和6年12月3日（火）")):  # no such day: the last good date stays
        dialog.date_edit.setFocus()
        edit.selectAll()
        if typed.isascii():
            qtbot.keyClicks(dialog.date_edit, typed)
        else:
            edit.insert(typed)  # as through the input method (QTest sends only ASCII keys)
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Tab)  # leaving the field takes the date
        assert QApplication.focusWidget() is dialog.has_time and dialog.date_edit.text() == shown, typed
    assert dialog.date_edit.date() == QDate(2024, 12, 3)
    dialog.save()
    assert services.meetings.meetings(2024)[0].date == dt.date(2024, 12, 3)



def test_export_storing_attachments_tells_the_window(qtbot, services: Services, tmp_path: Path) -> None:
    """PDFs added at export are kept on the meeting (a write): the dialog says so, so a demo window asks
    before its temporary copy is thrown away."""
    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    dialog.show()
    stored: list[int] = []
    dialog.attachmentsStored.connect(lambda: stored.append(1))
    dialog.out_edit.setText(str(tmp_path / "handout.pdf"))
    dialog.open_check.setChecked(False)
    dialog.add_attachment(_attachment(tmp_path))
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.error is None and stored == [1]


def test_renumbering_onto_another_added_file_is_refused(qtbot, services: Services, tmp_path: Path) -> None:
    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    first = _attachment(tmp_path)
    second = tmp_path / "other.pdf"
    second.write_bytes(first.read_bytes())
    dialog.add_attachment(first, "資料2")
    dialog.add_attachment(second, "資料3")
    item = next(dialog.attach_table.item(r, 0) for r in range(dialog.attach_table.rowCount())
                if dialog.attach_table.item(r, 0).text() == "資料2")
    item.setText("資料3")
    assert "資料3には別のPDFを加えています" in dialog.error_label.text()
    assert {k: p.name for k, p in dialog._attach.items()} == {"資料2": "coworking.pdf", "資料3": "other.pdf"}  # noqa: SLF001


def test_meeting_dialog_a_typed_date_not_yet_committed_counts(qtbot, services: Services) -> None:
    dialog, asked = _editor(qtbot, services, [CANCEL, DISCARD])  # DISCARD: the teardown's close
    dialog.date_edit.setFocus()
    dialog.date_edit.lineEdit().selectAll()
    qtbot.keyClicks(dialog.date_edit.lineEdit(), "2024/06/18")
    assert dialog.is_modified()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [1] and dialog.isVisible()


def test_export_dialog_review_indicators_checkbox(qtbot, services: Services, tmp_path: Path) -> None:
    import copy

    data = copy.deepcopy(services.budgets.dump_review(2022))
    data["fiscal_year"] = 2024
    data["areas"][0]["initiatives"][0]["rows"][0]["programs"] = ["Ⅰ-1"]
    services.budgets.load_data(data)
    dialog = PdfExportDialog(services, 2024)
    qtbot.addWidget(dialog)
    box = dialog.findChild(type(dialog.review_check), "reviewIndicatorsCheck")
    assert box is not None and not box.isEnabled()  # only with the review added
    dialog.review_check.setChecked(True)
    dialog.review_combo.setCurrentIndex(dialog.review_combo.findData(2024))
    assert box.isEnabled()
    box.setChecked(True)
    dialog.out_edit.setText(str(tmp_path / "h.pdf"))
    dialog.open_check.setChecked(False)
    request = dialog.request()
    assert request.review_year == 2024 and request.review_indicators
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert dialog.error is None, dialog.error
    text = "".join("".join((p.extract_text() or "").split()) for p in PdfReader(tmp_path / "h.pdf").pages)
    assert "達成率" in text and "防災訓練・講習会等の実施回数" in text
