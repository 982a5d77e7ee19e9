"""Desktop start: crash dialog naming the log, first-run question on an empty database, default database, smoke quit."""

from __future__ import annotations

import logging
import shutil
import sys

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWizard

from asahi_desk.app import DEFAULT_DB_NAME, build_services
from asahi_desk.logging_setup import LOG_FILE_NAME, close_logging, configure_logging
from asahi_desk.ui import startup
from asahi_desk.ui.first_run import DEMO, EMPTY, IMPORT, FirstRunDialog


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.delenv(startup.SMOKE_QUIT_ENV, raising=False)
    monkeypatch.delenv(startup.SMOKE_SCREENSHOT_ENV, raising=False)
    level = logging.getLogger().level
    yield
    close_logging()
    logging.getLogger().setLevel(level)


def _close_modal_later(seen: list[str]) -> None:
    def close() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, close)
            return
        seen.append(box.objectName())
        if isinstance(box, QMessageBox):
            seen.append(box.text() + "\n" + box.informativeText())
        box.close()

    QTimer.singleShot(0, close)


def test_uncaught_exception_shows_the_log_path(qtbot, tmp_path):
    log_file = configure_logging(tmp_path)
    hook = startup.install_excepthook(log_file)
    assert sys.excepthook is hook
    seen: list[str] = []
    _close_modal_later(seen)
    try:
        raise ValueError("想定外の値 <b>")
    except ValueError as e:
        hook(type(e), e, e.__traceback__)
    assert seen[0] == "crashDialog"
    assert str(log_file) in seen[1] and "ValueError: 想定外の値 <b>" in seen[1]
    text = log_file.read_text(encoding="utf-8")
    assert "uncaught exception" in text and "Traceback" in text and "想定外の値" in text


def test_a_failing_dialog_still_leaves_the_traceback(tmp_path, capsys):
    log_file = configure_logging(tmp_path)

    def broken(message, path):
        raise RuntimeError("no display")

    hook = startup.install_excepthook(log_file, show=broken)
    try:
        raise KeyError("x")
    except KeyError as e:
        hook(type(e), e, e.__traceback__)
    assert "KeyError" in capsys.readouterr().err
    assert "crash dialog failed" in log_file.read_text(encoding="utf-8")


def test_first_run_dialog_buttons(qtbot, tmp_path):
    dialog = FirstRunDialog(tmp_path / "a<b>.db")
    qtbot.addWidget(dialog)
    labels = {b.objectName(): b.text() for b in dialog.findChildren(QPushButton)}
    assert labels == {"firstRunDemoButton": "デモデータを開く", "firstRunImportButton": "前年度のExcelを取り込む",
                      "firstRunEmptyButton": "空のまま始める"}
    dialog.show()
    assert "a&lt;b&gt;.db" in dialog.findChild(QLabel, "firstRunText").text()  # the path is escaped
    dialog.grab().save(str(tmp_path / "first_run.png"))
    qtbot.mouseClick(dialog.findChild(QPushButton, "firstRunDemoButton"), Qt.MouseButton.LeftButton)
    assert dialog.choice == DEMO and dialog.result() == FirstRunDialog.DialogCode.Accepted


def test_empty_default_database_offers_the_demo_and_opening_it_loads_data(qtbot, tmp_path):
    asked: list[str] = []
    window, choice = startup.start_window(None, False, tmp_path / "data", ask=lambda p: asked.append(p) or DEMO)
    qtbot.addWidget(window)
    default = tmp_path / "data" / DEFAULT_DB_NAME
    assert asked == [str(default)] and choice == DEMO
    assert window.services.budgets.fiscal_years() == [2024]
    assert window.current_fiscal_year() == 2024
    assert window.services.db_path != default
    # the demo is a temporary copy, and the window says so (edits are not kept unless saved under a name)
    assert window.windowTitle() == "asahi-desk — デモ（一時コピー）"
    assert "終了すると消えます" in window.statusBar().currentMessage()
    empty = build_services(default)  # the clerk's own database stays empty: the demo is a copy
    try:
        assert empty.budgets.fiscal_years() == []
    finally:
        empty.close()


def test_starting_empty_keeps_the_default_database(qtbot, tmp_path):
    window, choice = startup.start_window(None, False, tmp_path / "data", ask=lambda p: EMPTY)
    qtbot.addWidget(window)
    assert choice == EMPTY and window.services.db_path == tmp_path / "data" / DEFAULT_DB_NAME
    # not a blank tree: the page says how to start
    assert window.stack.currentWidget().objectName() == "noYearPage"
    assert "空の年度を作成" in window.statusBar().currentMessage()
    assert window.current_fiscal_year() is None


def test_a_database_with_data_asks_nothing(qtbot, demo_db):
    window, choice = startup.start_window(str(demo_db), False, demo_db.parent, ask=pytest.fail)
    qtbot.addWidget(window)
    assert choice == EMPTY and window.services.db_path == demo_db
    assert not window.windowIcon().isNull()


def test_import_choice_opens_the_wizard(qtbot, tmp_path):
    window, choice = startup.start_window(str(tmp_path / "new.db"), False, tmp_path, ask=lambda p: IMPORT)
    qtbot.addWidget(window)
    window.show()
    assert choice == IMPORT
    wizard = startup.open_import(window)
    assert isinstance(wizard, QWizard) and wizard.objectName() == "excelImportWizard"
    qtbot.waitUntil(wizard.isVisible)
    wizard.reject()


def test_import_without_a_wizard_points_at_the_menu(qtbot, tmp_path, monkeypatch):
    window, _ = startup.start_window(str(tmp_path / "new.db"), False, tmp_path, ask=lambda p: EMPTY)
    qtbot.addWidget(window)
    monkeypatch.setattr(startup, "IMPORT_WIZARD_MODULE", "asahi_desk.ui.no_such_wizard")
    seen: list[str] = []
    _close_modal_later(seen)
    assert startup.open_import(window) is None
    assert "データ → 前年度Excel取込…" in seen[1]


def test_data_folder_follows_xdg_and_the_override(monkeypatch, tmp_path):
    monkeypatch.delenv(startup.DATA_DIR_ENV, raising=False)
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert startup.data_folder() == tmp_path / "xdg" / "asahi-desk"
    monkeypatch.setenv(startup.DATA_DIR_ENV, str(tmp_path / "portable"))
    assert startup.data_folder() == tmp_path / "portable"


def test_run_logs_shows_and_quits_by_itself(qtbot, tmp_path, monkeypatch, demo_db):
    monkeypatch.setenv(startup.SMOKE_QUIT_ENV, "200")
    monkeypatch.setenv(startup.SMOKE_SCREENSHOT_ENV, str(tmp_path / "shot.png"))
    shutil.copy2(demo_db, tmp_path / "copy.db")
    assert startup.run(db=str(tmp_path / "copy.db"), data_dir=tmp_path / "data") == 0
    assert QImage(str(tmp_path / "shot.png")).width() >= 800
    log = (tmp_path / "data" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "starting" in log and f"{startup.WINDOW_SHOWN}: asahi-desk" in log and "exiting (0)" in log
    assert "application font: IPAex" in log
    assert isinstance(sys.excepthook, type(startup.install_excepthook)) and sys.excepthook is not sys.__excepthook__
    for w in QApplication.topLevelWidgets():
        if w.objectName() == "mainWindow":
            qtbot.addWidget(w)


def test_bad_database_is_one_message_not_a_crash(qtbot, tmp_path):
    folder = tmp_path / "adir.db"
    folder.mkdir()
    seen: list[str] = []
    _close_modal_later(seen)
    assert startup.run(db=str(folder), data_dir=tmp_path / "data") == 2
    assert len(seen) > 1 and "フォルダ" in seen[1], seen


def test_settings_folder_override_keeps_settings_in_an_ini_there(qapp, tmp_path):
    """What the frozen smoke test relies on, on Windows too: settings go to a given folder, not the registry."""
    folder = tmp_path / "smoke-settings"
    startup.use_settings_folder(str(folder))
    settings = QSettings()
    settings.setValue("probe", 42)
    settings.sync()
    assert settings.format() == QSettings.Format.IniFormat
    assert settings.fileName().startswith(str(folder))
    assert list(folder.rglob("*.ini"))


def test_qt_dialog_texts_are_japanese(qapp):
    from PySide6.QtCore import QCoreApplication

    from asahi_desk.ui.translations import install_japanese_translation

    assert install_japanese_translation(qapp)
    # The standard buttons of a question box come from qtbase's translation.
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") not in ("&Yes", "")
    box = QMessageBox(QMessageBox.Icon.Question, "t", "q", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    texts = [b.text() for b in box.buttons()]
    assert not any(t.replace("&", "") in ("Yes", "No") for t in texts), texts
