"""The Qt binding itself: calls into Qt must not eat references to Python objects (a clerk's session makes
millions of them). PySide6 6.12.0 dropped a reference to None on every void call; pyproject.toml keeps it out."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_keep_none_alive(qapp):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("令和6年度")
        label.update()
        qapp.processEvents()
    assert abs(sys.getrefcount(None) - before) < 50
