"""The one way the GUI runs background work: the checker, the PDF export, the Excel reads and writes.

A job runs fn(progress) on a pool thread and only records its progress and outcome under a lock; a timer on
the GUI thread polls them and delivers signals. No Qt object is touched from the worker: emitting Python
signals from a worker at a high rate crashed PySide6 6.12 here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from asahi_desk.domain.error_text import file_problem
from asahi_desk.domain.errors import AsahiError

T = TypeVar("T")
POLL_MS = 20
CANCELLED = "中止しました"


class Cancelled(Exception):
    """The clerk pressed 中止 in the progress dialog (raised inside the job by its next progress call)."""


class Progress:
    """Handed to the job: progress(done, total=0, text="") records where it is; raises Cancelled once asked to stop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[int, int, str] = (0, 0, "")
        self.cancelled = False

    def __call__(self, done: int, total: int = 0, text: str = "") -> None:
        if self.cancelled:
            raise Cancelled
        with self._lock:
            self._state = (done, total, text)

    def state(self) -> tuple[int, int, str]:
        with self._lock:
            return self._state


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self.progress = Progress()
        self._lock = threading.Lock()
        self._outcome: tuple[bool, Any, BaseException | None] = (False, None, None)

    def run(self) -> None:
        value: Any = None
        error: BaseException | None = None
        try:
            value = self._fn(self.progress)
        except BaseException as e:  # noqa: BLE001 - handed to the GUI thread, which reports or re-raises it
            error = e
        with self._lock:
            self._outcome = (True, value, error)

    def outcome(self) -> tuple[bool, Any, BaseException | None]:
        with self._lock:
            return self._outcome


def describe_failure(error: BaseException, unexpected: str = "予期しない内部エラーです") -> str:
    """One Japanese line for the clerk: the message of an AsahiError, else what broke."""
    if isinstance(error, AsahiError):
        return str(error)
    if isinstance(error, Cancelled):
        return CANCELLED
    if isinstance(error, OSError) and file_problem(error) is not None:  # a chosen path the system refuses
        return str(file_problem(error))
    return f"{unexpected}（{type(error).__name__}: {error}）"


class Worker(QObject):
    """Runs one job at a time on its own thread; progressed / finished / failed arrive on the GUI thread.

    failed carries one Japanese line (describe_failure with the worker's `unexpected` wording)."""

    progressed = Signal(int, int, str)  # done, total (0: unknown), what
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, unexpected: str = "予期しない内部エラーです") -> None:
        super().__init__(parent)
        self._unexpected = unexpected
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._job: _Job | None = None
        self._shown: tuple[int, int, str] = (0, 0, "")
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        """A job was started and its outcome not delivered yet."""
        return self._job is not None

    def start(self, fn: Callable[[Progress], Any]) -> None:
        if self._job is not None:
            raise RuntimeError("Worker.start while a job is running")
        self._job = _Job(fn)
        self._shown = (0, 0, "")
        self._pool.start(self._job)
        self._timer.start()

    def cancel(self) -> None:
        """Ask the running job to stop at its next progress call."""
        if self._job is not None:
            self._job.progress.cancelled = True

    def wait(self) -> None:
        """Block until the thread is idle (the outcome is still delivered by the next poll)."""
        self._pool.waitForDone()

    def _poll(self) -> None:
        job = self._job
        if job is None:
            self._timer.stop()
            return
        state = job.progress.state()
        if state != self._shown:
            self._shown = state
            self.progressed.emit(*state)
        done, value, error = job.outcome()
        if not done:
            return
        self._timer.stop()
        self._job = None
        if error is None:
            self.finished.emit(value)
        else:
            self.failed.emit(describe_failure(error, self._unexpected))


def run_in_thread(parent: QWidget, label: str, fn: Callable[[Callable[[int], None]], T], *,
                      title: str = "読み込み中", object_name: str = "excelProgressDialog") -> T:
    """Run fn(progress) off the GUI thread and wait for it, a QProgressDialog showing the rows done and offering
    中止 (then Cancelled is raised here). The job's exception, if any, is raised here, on the GUI thread."""
    job = _Job(lambda progress: fn(lambda rows: progress(rows)))
    dialog = QProgressDialog(label, "中止", 0, 0, parent)
    dialog.setObjectName(object_name)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.canceled.connect(lambda: setattr(job.progress, "cancelled", True))
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(50)
    shown = 0

    def poll() -> None:
        nonlocal shown
        if dialog.wasCanceled():
            job.progress.cancelled = True
        rows = job.progress.state()[0]
        if rows != shown:
            shown = rows
            dialog.setLabelText(f"{label}\n{rows:,} 行を読みました")
        if job.outcome()[0]:
            loop.quit()

    timer.timeout.connect(poll)
    pool.start(job)
    timer.start()
    loop.exec()
    timer.stop()
    pool.waitForDone()
    dialog.reset()
    dialog.deleteLater()
    _done, value, error = job.outcome()
    if error is not None:
        raise error
    return value
