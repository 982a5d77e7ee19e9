"""The main window on a fresh copy of the demo database, shown offscreen (settings are isolated by the
autouse fixture of tests/conftest.py)."""

from __future__ import annotations

import pytest

from asahi_desk.ui.main import build_main_window


@pytest.fixture
def window(qtbot, demo_db):
    w = build_main_window(str(demo_db))
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def active_window(window, qtbot):
    """The window focused and exposed, for tests that send keys to it."""
    window.activateWindow()
    qtbot.waitExposed(window)
    return window
