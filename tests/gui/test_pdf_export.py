"""The PDF export dialog and the meeting editor standalone (with Services), and install() on a small real window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

from asahi_desk.app import Services
from asahi_desk.ui import pdf_export
from asahi_desk.ui.fonts import install_application_font
from asahi_desk.ui.meeting_dialog import NEW_MEETING, MeetingDialog
from asahi_desk.ui.pdf_export import PdfExportDialog

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
    assert dialog.meeting_combo.count() == 1 and "2024-06-11" in dialog.meeting_combo.currentText()
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
