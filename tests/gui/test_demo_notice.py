"""The demo says what it is (issue 13.8): once, on its first start, dismissable, remembered in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from asahi_desk.app import build_services, fresh_demo_copy
from asahi_desk.domain.checks import ERROR
from asahi_desk.ui.main import build_main_window
from asahi_desk.ui.window.demo_notice import DEMO_ERRORS, SHOWN_KEY


def _demo_window(qtbot):
    w = build_main_window(str(fresh_demo_copy()))
    qtbot.addWidget(w)
    w.ask_demo_close = lambda: "discard"
    w.show()
    return w


def test_the_first_demo_start_says_once_what_the_demo_is(qtbot):
    first = _demo_window(qtbot)
    notice = first.demo_notice
    assert notice.isVisible()
    assert "令和6年度（2024年度）" in notice.text.text() and f"{DEMO_ERRORS} 件" in notice.text.text()
    assert QSettings().value(SHOWN_KEY, False, type=bool)
    notice.close_button.click()
    assert not notice.isVisible()
    first.close()
    second = _demo_window(qtbot)
    assert not second.demo_notice.isVisible()  # said once


def test_a_normal_database_never_shows_it(qtbot, demo_db):
    w = build_main_window(str(demo_db))
    qtbot.addWidget(w)
    w.show()
    assert not w.demo_notice.isVisible()
    assert not QSettings().value(SHOWN_KEY, False, type=bool)  # the demo's first start is still to come


def test_the_notice_counts_the_errors_the_checker_finds_in_the_demo(demo_db):
    services = build_services(demo_db)
    try:
        errors = [f for f in services.checks.check(2024) if f.severity == ERROR]
    finally:
        services.close()
    assert len(errors) == DEMO_ERRORS
