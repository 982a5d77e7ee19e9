"""ヘルプ menu: バージョン情報… (version, data folder, licence notices) and データフォルダを開く."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QTextBrowser

from asahi_desk import __version__
from asahi_desk.ui import help_menu
from asahi_desk.ui.about_dialog import AboutDialog, library_version
from asahi_desk.ui.main import build_main_window
from asahi_desk.ui.startup import DATA_DIR_ENV


@pytest.fixture
def window(qtbot, demo_db, tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data <b>&"))
    w = build_main_window(str(demo_db))
    qtbot.addWidget(w)
    w.show()
    return w


def test_help_menu_has_both_actions(window):
    names = [a.objectName() for a in window.menu("ヘルプ").actions()]
    assert "actionAbout" in names and "actionOpenDataFolder" in names
    assert window.findChild(QAction, "actionAbout").text() == "バージョン情報…"


def test_about_dialog_shows_version_folder_and_licences(window, qtbot, tmp_path, demo_db):
    window.findChild(QAction, "actionAbout").trigger()
    dialog = window.findChild(AboutDialog, "aboutDialog")
    qtbot.waitUntil(dialog.isVisible)
    assert f"asahi-desk {__version__}" in dialog.findChild(QLabel, "aboutVersion").text()
    assert str(demo_db) in dialog.findChild(QLabel, "aboutDatabase").text()
    text = dialog.findChild(QTextBrowser, "aboutNotices").toPlainText()
    assert str(tmp_path / "data <b>&") in text  # escaped, so shown literally
    assert "IPAフォントライセンスv1.0" in text and "LGPLv3" in text
    for name in ("SQLAlchemy", "openpyxl", "reportlab", "pypdf", "budoux"):
        assert f"{name} {library_version(name)}" in text
        assert library_version(name) != "—"
    dialog.grab().save(str(tmp_path / "about.png"))
    dialog.close()


def test_open_data_folder_creates_it_and_opens_its_url(window, tmp_path):
    opened = []
    url = help_menu.open_data_folder(window, opener=lambda u: opened.append(u) or True)
    folder = tmp_path / "data <b>&"
    assert folder.is_dir()
    assert opened == [url] and url.toLocalFile() == str(folder)


def test_folder_that_cannot_be_opened_says_so(window):
    help_menu.open_data_folder(window, opener=lambda u: False)
    assert "フォルダを開けませんでした" in window.statusBar().currentMessage()
