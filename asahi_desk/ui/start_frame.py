"""The window frame shown at once on start, while the database opens and the main window is built behind it.

It has the main window's title, menu titles, place and size (the saved geometry), so the clerk sees the
program there at once; the main window takes its place when it is ready. Only Qt is imported here, and not its
Qt namespace (importing it creates all of its enums: a tenth of the bare window's whole start).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

# the main window's menus (ui.main.MENU_TITLES; a test keeps the two the same)
MENU_TITLES = ("ファイル", "編集", "表示", "データ", "出力", "ヘルプ")
LOADING = "読み込んでいます…"


class StartFrame(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("startFrame")
        self.setWindowTitle("asahi-desk")
        for title in MENU_TITLES:
            self.menuBar().addMenu(title).setEnabled(False)
        label = QLabel(f'<p align="center">{LOADING}</p>')  # centred without Qt.AlignmentFlag (see above)
        label.setObjectName("startLoading")
        self.loading = label  # its first paint is the frame's
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(LOADING)
        self.resize(1280, 800)  # the main window's first size; its saved geometry replaces it
        geometry = QSettings().value("mainWindow/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            watched.removeEventFilter(self)
            callback()  # during the paint: whatever it schedules runs on a later turn of the event loop
        return False


def on_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call callback once, when widget is first painted."""
    _FirstPaint(widget, callback)
