"""Menu entries: ヘルプ → バージョン情報… and データフォルダを開く (see ui/extensions.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices

if TYPE_CHECKING:  # imported when the menu is used, not when the window starts
    from asahi_desk.ui.about_dialog import AboutDialog


def _data_folder() -> Path:
    from asahi_desk.ui.startup import data_folder  # startup imports the main window, which loads this module

    return data_folder()


def install(window: Any) -> None:
    menu = window.menu("ヘルプ")
    folder = QAction("データフォルダを開く", window)
    folder.setObjectName("actionOpenDataFolder")
    folder.setStatusTip("既定のデータベースとログのあるフォルダを開きます")
    folder.triggered.connect(lambda: open_data_folder(window))
    menu.addAction(folder)
    about = QAction("バージョン情報…", window)
    about.setObjectName("actionAbout")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: show_about(window))
    menu.addAction(about)


def show_about(window: Any) -> AboutDialog:
    from asahi_desk.ui.about_dialog import AboutDialog

    db_path = window.services.db_path
    dialog = AboutDialog(_data_folder(), str(db_path) if db_path is not None else None, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog


def open_data_folder(window: Any, opener: Callable[[QUrl], bool] = QDesktopServices.openUrl) -> QUrl:
    """Open the folder in the file manager (created first, so a fresh install has something to show)."""
    folder = _data_folder()
    folder.mkdir(parents=True, exist_ok=True)
    url = QUrl.fromLocalFile(str(folder))
    if not opener(url) and hasattr(window, "statusBar"):
        window.statusBar().showMessage(f"フォルダを開けませんでした: {folder}", 10_000)
    return url
