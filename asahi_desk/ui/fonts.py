"""Register the bundled Japanese fonts with Qt so the window reads the same on a PC without CJK fonts."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from asahi_desk.paths import fonts_dir

UI_FONT_FILE = "ipaexg.ttf"  # Gothic for the screen; Mincho is for printed body text


def install_application_font(app: QApplication, point_size: int = 10) -> str | None:
    """Add the bundled Gothic face and make it the application font; returns its family name."""
    font_id = QFontDatabase.addApplicationFont(str(fonts_dir() / UI_FONT_FILE))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    font = QFont(families[0], point_size)
    app.setFont(font)
    return families[0]
