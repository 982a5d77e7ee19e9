"""The status bar at 1280×720 on the demo with 担当課=地域振興課: the demo's message and the filter sums
(filterSummary) side by side, neither cut by the other; narrower, the sums end in … with the whole in the tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from asahi_desk.ui.main import build_main_window


@pytest.fixture
def demo_window(qtbot):  # noqa: ANN001, ANN201
    from asahi_desk.app import fresh_demo_copy

    w = build_main_window(str(fresh_demo_copy()))
    qtbot.addWidget(w)
    w.ask_demo_close = lambda: "discard"
    return w


def _filtered_at(window, width: int, qtbot) -> tuple:  # noqa: ANN001
    window.resize(width, 720)
    window.show()
    qtbot.waitExposed(window)
    combo = window.browser.section_filter
    combo.setCurrentIndex(combo.findData("地域振興課"))
    QApplication.processEvents()
    bar, label = window.statusBar(), window.browser.filter_summary
    qtbot.waitUntil(lambda: label.isVisible() and bar.layout().geometry().width() > 0)
    QApplication.processEvents()
    message_end = bar.fontMetrics().horizontalAdvance(bar.currentMessage()) + bar.layout().contentsMargins().left()
    return bar, label, message_end


def test_demo_message_and_filter_sums_both_fit_at_1280(demo_window, qtbot, tmp_path) -> None:  # noqa: ANN001
    bar, label, message_end = _filtered_at(demo_window, 1280, qtbot)
    assert "残すには ファイル → 別名で保存" in bar.currentMessage()
    assert message_end < label.geometry().x(), (message_end, label.geometry())  # the message is not cut
    assert label.shown_text() == label.text() and label.text().startswith("地域振興課: 事業 ")  # nor the sums
    assert label.geometry().right() <= bar.width()
    demo_window.grab().save(str(tmp_path / "status-1280.png"))


def test_narrower_the_sums_give_way_with_the_whole_in_the_tooltip(demo_window, qtbot) -> None:  # noqa: ANN001
    bar, label, message_end = _filtered_at(demo_window, 1024, qtbot)
    assert message_end < label.geometry().x(), (message_end, label.geometry())
    assert label.shown_text().endswith("…") and label.toolTip() == label.text()
