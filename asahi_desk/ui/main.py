"""Main window entry points: run() for the desktop, build_main_window() for tests."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from asahi_desk import __version__
from asahi_desk.app import build_services, default_db_path, fresh_demo_copy
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.ui.fonts import install_application_font


def build_main_window(db: str) -> QMainWindow:
    """Build the window on a database path or URL inside an existing QApplication (no event loop)."""
    services = build_services(db)
    window = QMainWindow()
    window.setObjectName("mainWindow")
    window.setWindowTitle(f"asahi-desk {__version__}")
    years = services.budgets.fiscal_years()
    text = "、".join(fiscal_year_both(y) for y in years) or "データがありません"
    label = QLabel(f"年度: {text}")
    window.setCentralWidget(label)
    window.resize(1100, 720)
    window.destroyed.connect(services.close)
    return window


def run(db: str | None = None, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("asahi-desk")
    app.setOrganizationName("asahi-desk")
    install_application_font(app)
    path = str(fresh_demo_copy()) if demo else (db or str(default_db_path()))
    window = build_main_window(path)
    window.show()
    return app.exec()
