"""How a window piece tells the clerk something: a status-bar line, or a box too where there is a screen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from asahi_desk.ui.message_boxes import fit_text
from asahi_desk.ui.plain_text import as_html


class Teller:
    """The one way the window's pieces speak to the clerk (they get this, never the window itself)."""

    def __init__(self, window: QMainWindow) -> None:
        self._window = window

    def __call__(self, text: str) -> None:
        """A line in the status bar."""
        self._window.statusBar().showMessage(text)

    def current(self) -> str:
        """The line the status bar shows now."""
        return self._window.statusBar().currentMessage()

    def error(self, message: str) -> None:
        """Something was refused (nothing written)."""
        self._box("入力エラー", message, QMessageBox.Icon.Warning)

    def explain(self, title: str, message: str) -> None:
        """Why a command did nothing."""
        self._box(title, message, QMessageBox.Icon.Information)

    def _box(self, title: str, message: str, icon: QMessageBox.Icon) -> None:
        """In the status bar, and in a box too where there is a screen (offscreen tests have none)."""
        self(message)
        if QApplication.platformName() != "offscreen":
            box = QMessageBox(icon, title, as_html(message), QMessageBox.StandardButton.Ok, self._window)
            fit_text(box)
            box.exec()
