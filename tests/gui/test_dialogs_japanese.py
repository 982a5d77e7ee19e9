"""Qt dialogs fully Japanese (issue 13.6): file dialogs with Japanese labels, columns and 2026/11/27 dates, opening in
the last folder used, else Documents; message boxes show their whole text."""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTreeView,
    QWidget,
)

from asahi_desk.ui import file_dialogs
from asahi_desk.ui.file_dialogs import LAST_FOLDER_KEY, documents_folder, make_dialog, start_folder
from asahi_desk.ui.fonts import install_application_font
from asahi_desk.ui.translations import install_japanese_translation
from asahi_desk.ui.window.database_actions import DEMO_CLOSE_QUESTION, ask_demo_close

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _japanese_app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_application_font(app)
    install_japanese_translation(app)
    return app


def _when_shown(kind: type, act, seen: dict) -> None:
    """Run act(widget) on the modal dialog of that kind once it is shown (inside its exec loop), again every 0.2 s
    while it stays open; after 10 s it is rejected, so a test fails instead of hanging."""
    deadline = time.monotonic() + 10

    def poll() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible() and w.isModal()]
        if "widget" in seen:  # only ever the dialog first seen: a later test's dialog is not this poll's
            shown = [w for w in shown if w is seen["widget"]]
        if not shown:
            if "widget" not in seen:
                QTimer.singleShot(20, poll)
            return
        if time.monotonic() > deadline:
            shown[-1].reject()
            return
        seen["widget"] = shown[-1]
        act(shown[-1])
        QTimer.singleShot(200, poll)

    QTimer.singleShot(20, poll)


def test_the_file_dialog_speaks_japanese_and_writes_dates_the_japanese_way(qtbot, tmp_path):
    _japanese_app()
    (tmp_path / "sub").mkdir()
    (tmp_path / "台帳.db").write_bytes(b"x" * 3000)
    dialog = make_dialog(None, "データベースを開く", mode="open", filters="データベース (*.db)",
                         suggested=str(tmp_path / "x.db"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert Path(dialog.directory().absolutePath()) == tmp_path
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisible() and w.text()]
    texts += [w.toolTip() for w in dialog.findChildren(QAbstractButton) if w.isVisible() and w.toolTip()]
    assert {"場所:", "ファイル名:", "ファイルの種類:", "開く", "キャンセル"} <= set(texts)
    assert not [t for t in texts if ENGLISH_WORD.search(t)]
    view = dialog.findChild(QTreeView, "treeView")
    model = view.model()
    headers = [model.headerData(c, view.header().orientation()) for c in range(4)]
    assert not [h for h in headers if ENGLISH_WORD.search(str(h))]
    root = view.rootIndex()
    qtbot.waitUntil(lambda: model.rowCount(root) == 2, timeout=5000)  # the folder and the .db (filtered)
    rows = {model.index(r, 0, root).data(): [model.index(r, c, root).data() for c in (1, 2, 3)]
            for r in range(model.rowCount(root))}
    size, kind, date = rows["台帳.db"]
    assert (size, kind) == ("3 KB", "DB ファイル")
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", date)
    assert rows["sub"][1] == "フォルダ"


def test_dialogs_open_in_documents_then_in_the_last_folder_used(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    _japanese_app()
    QSettings().remove(LAST_FOLDER_KEY)
    docs = documents_folder()
    assert start_folder() == (docs if docs.is_dir() else Path.home())
    folder = tmp_path / "予算"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.4")
    seen: dict = {}

    def choose(dialog: QFileDialog) -> None:
        """As a clerk may: type the file's whole path into ファイル名 and press 開く."""
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(folder / "a.pdf"))
        dialog.accept()

    _when_shown(QFileDialog, choose, seen)
    assert file_dialogs.ask_open_file(None, "添付するPDF", "PDF (*.pdf)") == str(folder / "a.pdf")
    assert start_folder() == folder
    again = make_dialog(None, "Excel に書き出す", mode="save", filters="Excel ブック (*.xlsx)", suggested="x.xlsx")
    qtbot.addWidget(again)
    assert Path(again.directory().absolutePath()) == folder
    assert again.labelText(QFileDialog.DialogLabel.Accept) == "保存"
    (folder.rename(tmp_path / "消えた"))
    assert start_folder() == (docs if docs.is_dir() else Path.home())  # a folder gone: Documents again


def test_save_as_opens_in_the_last_folder_not_the_programs(window, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    folder = tmp_path / "控え"
    folder.mkdir()
    QSettings().setValue(LAST_FOLDER_KEY, str(folder))
    seen: dict = {}

    def save(dialog: QFileDialog) -> None:
        seen["dir"] = Path(dialog.directory().absolutePath())
        seen["name"] = dialog.findChild(QWidget, "fileNameEdit").text()
        dialog.accept()

    _when_shown(QFileDialog, save, seen)
    window.findChild(QAction, "actionSaveAs").trigger()
    assert seen["dir"] == folder and seen["name"] == "demo-コピー.db"
    assert (folder / "demo-コピー.db").exists()


def test_the_demo_quit_question_is_shown_whole(qtbot, tmp_path):
    _japanese_app()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: dict = {}

    def look(box: QMessageBox) -> None:
        QApplication.processEvents()
        label = box.findChild(QLabel, "qt_msgbox_label")
        box.grab().save(str(tmp_path / "quit.png"))
        metrics = QFontMetrics(label.font())
        needed = metrics.boundingRect(0, 0, label.width(), 10_000, int(label.alignment()) | 0x1000, label.text())
        seen["fits"] = needed.width() <= label.width() and needed.height() <= label.height()
        seen["one_line"] = metrics.horizontalAdvance(label.text()) <= label.width()
        seen["text"] = label.text()
        box.reject()

    _when_shown(QMessageBox, look, seen)
    assert ask_demo_close(parent) == "cancel"
    assert seen["text"] == DEMO_CLOSE_QUESTION
    assert seen["fits"] and seen["one_line"]  # 「…別名で保存しますか？」 whole, on one line
