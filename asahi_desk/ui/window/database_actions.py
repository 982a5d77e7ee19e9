"""The ファイル menu's database commands: 開く, 新しいデータベース, 別名で保存 (the demo's way out), 最近使ったファイル."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMenu, QWidget

from asahi_desk.demo_copy import is_demo_copy
from asahi_desk.domain.errors import AsahiError
from asahi_desk.ui.window.telling import Teller

if TYPE_CHECKING:
    from asahi_desk.app import Services

MAX_RECENT = 6
DATABASE_FILES = "データベース (*.db *.sqlite)"
DEMO_CLOSE_QUESTION = "デモの変更は終了すると消えます。別名で保存しますか？"


def recent_files() -> list[str]:
    value = QSettings().value("recentFiles", [])
    return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]


def remember_recent(path: str) -> None:
    files = [p for p in recent_files() if p != path]
    QSettings().setValue("recentFiles", [path, *files][:MAX_RECENT])


def db_label(services: Services) -> str:
    """The open database as the title shows it: the file name, or the URL without its password."""
    path = services.db_path
    if path is not None:
        return path.name
    from asahi_desk.app import display_url

    return display_url(services.url)


def ask_demo_close(parent: QWidget) -> str:
    """Closing a demo copy with edits: SAVE, DISCARD or CANCEL (ui/questions.py)."""
    from asahi_desk.ui.questions import SaveQuestion, ask_save_discard_cancel  # the dialogs load when asked

    return ask_save_discard_cancel(parent, SaveQuestion("デモの変更", DEMO_CLOSE_QUESTION, save="保存…",
                                                        discard="保存しない", object_name="demoCloseQuestion"))


def ask_save_path(parent: QWidget, suggestion: str) -> str:
    from asahi_desk.ui.file_dialogs import ask_save_file

    return ask_save_file(parent, "別名で保存", suggestion, DATABASE_FILES, "db")


class DatabaseActions(QObject):
    """databaseOpened(services, year to show or None): the shell takes the new services over (and closes the old).

    ask_save_path(suggestion) -> path or "" is asked through the callable given, so the window's replaceable
    question is the one used."""

    databaseOpened = Signal(object, object)

    def __init__(self, services: Callable[[], Services], current_year: Callable[[], int | None],
                 is_demo: Callable[[], bool], ask_path: Callable[[str], str], tell: Teller, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self._year = current_year
        self._is_demo = is_demo
        self._ask_path = ask_path
        self._tell = tell
        self._parent = parent

    def save_as(self) -> bool:
        """ファイル → 別名で保存…: a copy of the database. A demo copy's window then works on the saved file,
        so later edits are kept; a real database stays the one open (the copy is a backup)."""
        current = self._services().db_path
        if current is None:
            self._tell.error("別名で保存できるのは SQLite のデータベースファイルだけです")
            return False
        # a name only: the dialog opens in the last folder used, else Documents (never the program's folder)
        suggestion = "asahi-desk-デモ.db" if self._is_demo() else f"{current.stem}-コピー{current.suffix}"
        target = self._ask_path(suggestion)
        return bool(target) and self.save_copy_to(Path(target))

    def save_copy_to(self, target: Path) -> bool:
        try:
            saved = self._services().save_copy(target)
        except AsahiError as e:
            self._tell.error(str(e))
            return False
        if self._is_demo():
            if not self.switch_database(str(saved), select=self._year()):
                return False
            self._tell(f"デモを {saved} に保存しました。これからの編集はこのファイルに保存されます"
                       "（元に戻す履歴はここから始まります）")
        else:
            self._tell(f"コピーを {saved} に保存しました（作業中のデータベースは"
                       f"引き続き {db_label(self._services())} です）")
        return True

    def open_database(self) -> None:
        from asahi_desk.ui.file_dialogs import ask_open_file

        path = ask_open_file(self._parent, "データベースを開く", f"{DATABASE_FILES};;すべてのファイル (*)")
        if path:
            self.switch_database(path)

    def new_database(self) -> None:
        from asahi_desk.ui.file_dialogs import ask_save_file

        path = ask_save_file(self._parent, "新しいデータベース", "asahi-desk.db", DATABASE_FILES, "db")
        if path:
            if Path(path).exists():
                self._tell.error(f"{path}: 既にあります。別の名前を指定してください")
                return
            self.switch_database(path)

    def switch_database(self, path: str, *, select: int | None = None) -> bool:
        from asahi_desk.app import build_services

        try:
            services = build_services(path)
        except AsahiError as e:
            self._tell.error(str(e))
            return False
        self.databaseOpened.emit(services, select)
        if not is_demo_copy(services.db_path):
            remember_recent(path)
        return True

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for path in recent_files():
            action = menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.switch_database(p))
        if menu.isEmpty():
            menu.addAction("（なし）").setEnabled(False)
