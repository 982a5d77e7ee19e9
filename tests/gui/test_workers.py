"""ui/workers.py: jobs run off the GUI thread; progress, results and failures arrive on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from asahi_desk.domain.errors import AsahiError
from asahi_desk.ui.workers import CANCELLED, Worker


def test_a_job_runs_off_the_gui_thread_and_reports_on_it(qtbot) -> None:
    worker = Worker()
    seen: dict[str, object] = {}
    progress: list[tuple[int, int, str]] = []
    worker.progressed.connect(lambda d, t, w: progress.append((d, t, w)))
    worker.finished.connect(lambda value: seen.update(value=value, on=QThread.currentThread()))
    release = threading.Event()

    def job(report) -> int:  # type: ignore[no-untyped-def]
        seen["thread"] = threading.current_thread()
        report(1, 2, "資料1")
        assert release.wait(5)
        return 42

    worker.start(job)
    assert worker.busy
    qtbot.waitUntil(lambda: progress == [(1, 2, "資料1")], timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=5000)
    assert seen["value"] == 42
    assert seen["thread"] is not threading.main_thread()
    assert seen["on"] is QThread.currentThread()  # delivered on the GUI thread


def test_failures_arrive_as_one_japanese_line(qtbot) -> None:
    worker = Worker(unexpected="チェックを実行できませんでした")
    failures: list[str] = []
    worker.failed.connect(failures.append)

    def refused(_p) -> None:  # type: ignore[no-untyped-def]
        raise AsahiError("会議がありません")

    worker.start(refused)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    worker.start(lambda _p: 1 / 0)
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=5000)
    assert failures[0] == "会議がありません"
    assert failures[1].startswith("チェックを実行できませんでした（ZeroDivisionError")


def test_a_cancelled_job_stops_at_its_next_progress_call(qtbot) -> None:
    worker = Worker()
    failures: list[str] = []
    worker.failed.connect(failures.append)
    reached: list[int] = []

    def slow(report) -> None:  # type: ignore[no-untyped-def]
        for n in range(1000):
            report(n)
            reached.append(n)
            time.sleep(0.005)

    worker.start(slow)
    qtbot.waitUntil(lambda: len(reached) > 3, timeout=5000)
    worker.cancel()
    qtbot.waitUntil(lambda: not worker.busy, timeout=5000)
    assert len(reached) < 1000
    assert failures == [CANCELLED]
