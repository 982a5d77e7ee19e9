"""Qt's own texts (Yes/No buttons, the file dialog, shortcut names) in Japanese, from the translations
that ship with PySide6."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

_installed: list[QTranslator] = []  # a translator must outlive its installation


def install_japanese_translation(app: QApplication) -> bool:
    """Load qtbase_ja once per process; False when the file is not there (the English texts stay)."""
    if _installed:
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    return True
