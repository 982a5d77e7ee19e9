"""Others' commits show up: poll the database's change feed on a timer (SQLite PRAGMA data_version,
PostgreSQL LISTEN/NOTIFY) and report the operations other clerks committed, within a poll interval."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from asahi_desk.app import Services


POLL_MS = 500  # well inside the 2 s the clerk may wait; one PRAGMA (or a look at received NOTIFYs) each


class LiveRefresh(QObject):
    """changedElsewhere(clerks): another connection committed; clerks: who, as the history names them
    (empty when the change left no history, e.g. a year loaded). The window's own operations (their ids
    in `own`) are not reported."""

    changedElsewhere = Signal(list)

    def __init__(self, services: Callable[[], Services], own: set[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._own = own
        self._feed: Any = None  # services.watch()'s ChangeFeed
        self._mark = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self, since: int | None = None) -> None:
        """Watch the database open now (again after another database was opened). since: the history line the
        window's data was read at (the start's first read): the operations others committed after it are reported
        at once."""
        self.stop()
        services = self._services()
        try:
            self._feed = services.watch()
            self._mark = services.history.latest_id() if since is None else since
        except Exception:  # noqa: BLE001 - no feed (the driver lacks LISTEN): the window works without
            self._feed = None
            return
        self._timer.start()
        if since is not None:
            QTimer.singleShot(0, self, lambda: self._report(changed_without_history=False))

    def stop(self) -> None:
        self._timer.stop()
        if self._feed is not None:
            with contextlib.suppress(Exception):
                self._feed.close()
            self._feed = None

    def poll(self) -> None:
        if self._feed is None:
            return
        try:
            if not self._feed.poll():
                return
        except Exception:  # noqa: BLE001 - the database is busy or gone for a moment: next poll
            return
        self._report(changed_without_history=True)

    def _report(self, *, changed_without_history: bool) -> None:
        """Report the operations others committed after the mark (and, when the feed saw a commit that left no
        history line, that something changed)."""
        if self._feed is None:
            return
        try:
            services = self._services()
            history = services.history
            operations = history.operations_after(self._mark)
            self._mark = history.latest_id()
        except Exception:  # noqa: BLE001 - the database is busy or gone for a moment: next poll
            return
        # the window's own: what it performed, and whatever else its services wrote (a new year, a meeting …)
        mine = self._own | services.own_operations
        others = [(op, clerk) for op, clerk, _year in operations if op not in mine]
        if others or (changed_without_history and not operations):
            self.changedElsewhere.emit(list(dict.fromkeys(clerk for _op, clerk in others)))
