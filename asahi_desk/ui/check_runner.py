"""Runs the consistency checker on a worker (ui/workers.py), so an edit never waits for it.

The checker reloads two whole fiscal years (0.3 s for 1,000 programs). Requests made while a run is
under way are coalesced into one follow-up run, and a result is delivered only when no newer request
has been made since it started, so the findings panel never shows a stale list over a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from asahi_desk.ui.workers import Worker

if TYPE_CHECKING:  # the checker's module is imported with the services, after the first paint
    from asahi_desk.domain.checks import Finding

CheckFn = Callable[[int], "list[Finding]"]


class CheckRunner(QObject):
    """request(year) → later, on the GUI thread: finished(year, findings) or failed(year, message)."""

    finished = Signal(int, object)  # fiscal year, list[Finding]
    failed = Signal(int, str)  # fiscal year, message

    def __init__(self, check: CheckFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._check = check
        # one check at a time; SQLite readers do not block the writer (WAL)
        self._worker = Worker(self, unexpected="チェックを実行できませんでした")
        self._worker.finished.connect(lambda findings: self._done(findings, None))
        self._worker.failed.connect(lambda message: self._done(None, message))
        self._generation = 0
        self._running: tuple[int, int] | None = None  # (generation, year) of the run under way
        self._pending: int | None = None

    def set_check(self, check: CheckFn) -> None:
        """A new data source (another database): wait for the running check on the old one, drop its result."""
        self.wait()
        self._generation += 1
        self._pending = None
        self._check = check

    def request(self, year: int) -> None:
        self._generation += 1
        if self._running is not None:
            self._pending = year
            return
        self._start(year)

    def is_busy(self) -> bool:
        return self._running is not None or self._pending is not None

    def wait(self) -> None:
        """Block until the worker is idle (before closing the database it reads)."""
        self._worker.wait()

    def _start(self, year: int) -> None:
        self._running = (self._generation, year)
        check = self._check
        self._worker.start(lambda _progress: check(year))

    def _done(self, findings: list[Finding] | None, message: str | None) -> None:
        assert self._running is not None
        (generation, year), self._running = self._running, None
        if self._pending is not None:
            year, self._pending = self._pending, None
            self._start(year)
            return
        if generation != self._generation:
            return  # a newer request was made and then withdrawn (set_check); this result is stale
        if message is not None:
            self.failed.emit(year, message)
        else:
            self.finished.emit(year, findings)
