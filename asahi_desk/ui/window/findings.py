"""The findings dock: the checker's results for the year shown, run off the GUI thread after each burst of edits."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QMainWindow

from asahi_desk.domain.errors import AsahiError
from asahi_desk.ui.check_runner import CheckRunner
from asahi_desk.ui.first_services import pending

if TYPE_CHECKING:
    from asahi_desk.app import Services
    from asahi_desk.domain.checks import Finding


class FindingsPanel(QObject):
    """`dock` holds the list; schedule() re-checks once the edits pause; findingChosen(Finding) on a click."""

    findingChosen = Signal(object)

    def __init__(self, services: Callable[[], Services], current_year: Callable[[], int | None],
                 window: QMainWindow) -> None:
        super().__init__(window)
        self._services = services
        self._year = current_year
        self._shown: tuple[int, list[Finding]] | None = None  # the findings listed (year, findings)
        self.list = QListWidget()
        self.list.setObjectName("findingsPanel")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self.choose)
        self.list.itemClicked.connect(self.choose)
        self.dock = QDockWidget("チェック結果", window)
        self.dock.setObjectName("findingsDock")
        self.dock.setWidget(self.list)
        # the checker loads two whole years: run it after the window is painted, once per burst of edits
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._idle_work)
        # on the start's first read, the checker is set when the real services are loaded (use_services)
        self.runner = CheckRunner(services().checks.check if not pending(services()) else _not_loaded, self)
        self.runner.finished.connect(self._show_findings)
        self.runner.failed.connect(self._show_check_failure)

    def schedule(self) -> None:
        if not pending(self._services()):  # else the window schedules it once the services are loaded
            self._timer.start()

    def use_services(self, services: Services) -> None:
        """Another database: waits for a check still reading the old one."""
        self.runner.set_check(services.checks.check)

    def stop(self) -> None:
        """Before the database closes: no new check, and the running one finished."""
        self._timer.stop()
        self.runner.wait()

    def _idle_work(self) -> None:
        self.run_checks()
        year = self._year()
        if year is not None:
            # builds the search index now, so the first filter is quick; the year may have gone meanwhile (another
            # clerk deleted it on a shared database): the check says so, the index waits for the next filter
            with contextlib.suppress(AsahiError):
                self._services().tree.search(year)

    def run_checks(self) -> None:
        """Re-check on the worker thread; the list keeps the previous findings until the new ones arrive."""
        year = self._year()
        if year is None:
            self._shown = None
            self.list.clear()
            return
        services = self._services()
        if pending(services):  # asked for before the services behind the first read are open: open them now
            try:
                services.load()  # type: ignore[attr-defined]
            except AsahiError as e:
                self._show_check_failure(year, str(e))
                return
        self.dock.setWindowTitle(f"チェック結果（{self.list.count()}件・確認中…）")
        self.runner.request(year)

    def _show_check_failure(self, year: int, message: str) -> None:
        if year != self._year():
            return
        self._shown = None
        self.list.clear()
        self.list.addItem(message)
        self.dock.setWindowTitle("チェック結果")

    def _show_findings(self, year: int, findings: list[Finding]) -> None:
        if year != self._year():
            return  # the clerk switched years meanwhile; that year's own check is on its way
        if self._shown == (year, findings) and self.list.count() == len(findings):
            # most edits change no finding: refilling thousands of rows would block the window for nothing
            self.dock.setWindowTitle(f"チェック結果（{len(findings)}件）")
            return
        from asahi_desk.domain.checks import ERROR  # loaded with the services by now

        self._shown = (year, list(findings))
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        for f in findings:
            item = QListWidgetItem(f"{'エラー' if f.severity == ERROR else '警告'}  {f.location.describe()}  {f.message}")
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setForeground(Qt.GlobalColor.darkRed if f.severity == ERROR else Qt.GlobalColor.darkYellow)
            self.list.addItem(item)
        self.list.setUpdatesEnabled(True)
        self.dock.setWindowTitle(f"チェック結果（{len(findings)}件）")

    def choose(self, item: QListWidgetItem) -> None:
        """A click on a finding (a failure message carries none)."""
        f: Finding | None = item.data(Qt.ItemDataRole.UserRole)
        if f is not None:
            self.findingChosen.emit(f)


def _not_loaded(_year: int) -> list[Finding]:
    raise AsahiError("データベースを開いてからチェックします。もう一度実行してください")
