"""The checker's worker thread: coalesced requests, stale results dropped, the window never shows old years."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from asahi_desk.app import build_services
from asahi_desk.domain.checks import ERROR, Finding, Location
from asahi_desk.ui.check_runner import CheckRunner
from asahi_desk.ui.main import build_main_window


class GatedCheck:
    """A check function the test releases by hand, to hold a run open while requests pile up."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()
        self.calls: list[int] = []

    def __call__(self, year: int) -> list[Finding]:
        self.calls.append(year)
        self.started.set()
        assert self.gate.wait(10)
        return [Finding(ERROR, "test", f"year {year}", Location(year))]


def test_requests_during_a_run_coalesce_into_one_follow_up(qtbot):
    check = GatedCheck()
    runner = CheckRunner(check)
    results: list[tuple[int, list[Finding]]] = []
    runner.finished.connect(lambda year, findings: results.append((year, findings)))
    runner.request(2023)
    assert check.started.wait(5)
    for year in (2024, 2025, 2026):
        runner.request(year)
    assert runner.is_busy()
    check.gate.set()
    qtbot.waitUntil(lambda: bool(results) and not runner.is_busy(), timeout=5000)
    runner.wait()
    assert check.calls == [2023, 2026]  # the three requests made meanwhile became one run of the latest
    assert [year for year, _ in results] == [2026]  # the superseded 2023 result was never shown
    assert results[0][1][0].message == "year 2026"


def test_a_new_data_source_drops_the_old_result(qtbot):
    old, new = GatedCheck(), GatedCheck()
    new.gate.set()
    runner = CheckRunner(old)
    results: list[int] = []
    runner.finished.connect(lambda year, _f: results.append(year))
    runner.request(2024)
    assert old.started.wait(5)
    old.gate.set()
    runner.set_check(new)  # waits for the old run; its result must not reach the panel
    qtbot.wait(100)
    assert results == []
    runner.request(2024)
    qtbot.waitUntil(lambda: results == [2024], timeout=5000)
    assert new.calls == [2024]


def test_errors_reach_the_panel_as_text(qtbot):
    def broken(_year: int) -> list[Finding]:
        raise RuntimeError("disk gone")

    runner = CheckRunner(broken)
    failures: list[str] = []
    runner.failed.connect(lambda _y, message: failures.append(message))
    runner.request(2024)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert "チェックを実行できませんでした" in failures[0]


def test_switching_years_shows_only_the_selected_years_findings(qtbot, demo_db):
    services = build_services(demo_db)
    services.rollover.new_year(2024)
    services.close()
    window = build_main_window(str(demo_db))
    qtbot.addWidget(window)
    window.show()
    combo = window.year_combo
    assert combo.count() >= 2
    for _ in range(3):  # flip back and forth faster than a check completes
        combo.setCurrentIndex(0)
        combo.setCurrentIndex(1)
    shown = window.current_fiscal_year()
    qtbot.waitUntil(lambda: "確認中" not in window.findings_dock.windowTitle() and window.findings.count() > 0,
                    timeout=10000)
    qtbot.wait(300)  # any result still queued for another year must be dropped, not shown
    years = {window.findings.item(i).data(Qt.ItemDataRole.UserRole).location.fiscal_year for i in range(window.findings.count())
             if window.findings.item(i).data(Qt.ItemDataRole.UserRole) is not None}
    assert years == {shown}
    window.close()


def test_the_gui_thread_is_not_blocked_by_a_check(qtbot, demo_db):
    window = build_main_window(str(demo_db))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findings.count() > 0, timeout=10000)
    gate = GatedCheck()
    window.findings_panel.runner.set_check(gate)  # hold the next check open
    window.findings_panel.run_checks()
    assert gate.started.wait(5)
    assert "確認中" in window.findings_dock.windowTitle()
    before = window.findings.count()
    window.search_box.setText("防災")  # the window keeps working while the check runs
    qtbot.wait(50)
    assert window.findings.count() == before  # previous findings stay until the new ones arrive
    gate.gate.set()
    qtbot.waitUntil(lambda: window.findings.count() == 1, timeout=5000)
    window.close()
