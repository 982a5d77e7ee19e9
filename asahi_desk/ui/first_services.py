"""The window's services before SQLAlchemy is loaded: the first read answers what the first paint shows, the
rest waits for the real services (asahi_desk.app.Services), loaded once, right after the window is painted.

The main window is built on FirstServices when the start could read the database with sqlite3 alone
(store/first_read.py): the years, the 課 master, the top of the newest year's tree. Anything else asked of it
(a form's record, a search, a check, an edit) loads the real services first, then answers from them: the
clerk's first action waits for the load once, and nothing is lost. Once loaded, the window swaps them in
(on_loaded) and this object only forwards."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.tree_rows import NodeData
from asahi_desk.services.edit_fields import os_login
from asahi_desk.store.first_read import FirstRead

if TYPE_CHECKING:
    from asahi_desk.app import Services


def pending(services: object) -> bool:
    """Whether services are a FirstServices whose real services are not loaded yet (the checks, the history,
    the live refresh wait for them instead of loading them before the first paint)."""
    return bool(getattr(services, "pending", False))


class FirstServices:
    def __init__(self, first: FirstRead) -> None:
        self.first = first
        self.url = f"sqlite:///{first.path}"
        self._clerk = os_login()
        self._real: Services | None = None
        self._loaded: list[Callable[[Services], None]] = []
        self.budgets = _FirstBudgets(self)
        self.tree = _FirstTree(self)

    @property
    def pending(self) -> bool:
        return self._real is None

    @property
    def db_path(self) -> Path:
        return self.first.path

    @property
    def clerk(self) -> str:
        return self._real.clerk if self._real is not None else self._clerk

    @clerk.setter
    def clerk(self, name: str) -> None:
        self._clerk = name
        if self._real is not None:
            self._real.clerk = name

    def on_loaded(self, callback: Callable[[Services], None]) -> None:
        """callback(services) once the real services are loaded (at once when they are)."""
        if self._real is not None:
            callback(self._real)
        else:
            self._loaded.append(callback)

    def load(self) -> Services:
        """The real services: opened now (SQLAlchemy, the schema check) unless they already are."""
        if self._real is None:
            from asahi_desk.app import build_services

            real = build_services(self.first.path)
            real.clerk = self._clerk
            self._real = real
            callbacks, self._loaded = self._loaded, []
            for callback in callbacks:
                callback(real)
        return self._real

    def close(self) -> None:
        if self._real is not None:
            self._real.close()

    def __getattr__(self, name: str) -> Any:  # anything the first read does not answer
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.load(), name)


# what a clerk does: the first of these, before the services are loaded, loads them (on the GUI thread) before it
# is handled, so no action, dialog or worker thread started by it ever meets the first read
INPUT_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.KeyPress,
                QEvent.Type.ShortcutOverride, QEvent.Type.ContextMenu, QEvent.Type.Drop)


class LoadOnInput(QObject):
    """Loads the real services on the clerk's first input (an event filter on watched: by default the application,
    so anywhere in it), then removes itself; also once they are loaded otherwise (after the first paint)."""

    def __init__(self, services: FirstServices, window: QObject, watched: QObject | None = None) -> None:
        super().__init__(window)  # deleted with the window, which takes it off the application's filters
        self._services = services
        self._watched = watched if watched is not None else QCoreApplication.instance()
        if self._watched is not None:
            self._watched.installEventFilter(self)
        services.on_loaded(lambda _real: self._done())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in INPUT_EVENTS and self._services.pending:
            try:
                self._services.load()
            except (AsahiError, OSError):  # the action itself meets the error and says so, as on any database
                self._done()
        return False

    def _done(self) -> None:
        if self._watched is not None:
            with contextlib.suppress(RuntimeError):  # the watched window is gone already
                self._watched.removeEventFilter(self)


class _FirstBudgets:
    def __init__(self, owner: FirstServices) -> None:
        self._owner = owner

    def fiscal_years(self) -> list[int]:
        if self._owner.pending:
            return list(self._owner.first.years)
        return self._owner.load().budgets.fiscal_years()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._owner.load().budgets, name)


class _FirstTree:
    """TreeService's top(), categories() and sections() of the first read's year; the rest from TreeService."""

    def __init__(self, owner: FirstServices) -> None:
        self._owner = owner

    def _first(self, year: int | None) -> FirstRead | None:
        first = self._owner.first
        return first if self._owner.pending and year == first.year else None

    def top(self, year: int) -> list[NodeData]:
        first = self._first(year)
        return list(first.top) if first is not None else self._owner.load().tree.top(year)

    def categories(self, year: int, budget_class_id: int | None = None) -> list[NodeData]:
        first = self._first(year)
        if first is not None:
            return first.class_categories(budget_class_id)
        return self._owner.load().tree.categories(year, budget_class_id)

    def sections(self) -> list[str]:
        if self._owner.pending:
            return list(self._owner.first.sections)
        return self._owner.load().tree.sections()

    def invalidate(self) -> None:
        if not self._owner.pending:
            self._owner.load().tree.invalidate()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._owner.load().tree, name)
