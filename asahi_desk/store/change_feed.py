"""Noticing commits made by other connections: SQLite's PRAGMA data_version, PostgreSQL's LISTEN/NOTIFY.

A ChangeFeed holds one connection of its own. poll() is cheap (one PRAGMA on SQLite; on PostgreSQL it
reads notifications already received, without a round trip) and says whether anything was committed by
another connection since the last poll; the window calls it on a timer.
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import Engine

from asahi_desk.store.operations import NOTIFY_CHANNEL


class ChangeFeed:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._raw: Any = None
        self._version: int | None = None
        self._kind = engine.dialect.name
        self._open()

    def _open(self) -> None:
        if self._kind == "sqlite":
            self._raw = self._engine.raw_connection()
            self._version = self._data_version()
        elif self._kind == "postgresql":
            import psycopg  # the driver the URL names; only PostgreSQL needs it

            url = self._engine.url.set(drivername="postgresql")
            self._raw = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
            self._raw.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def _data_version(self) -> int:
        cur = self._raw.driver_connection.execute("PRAGMA data_version")
        return int(cur.fetchone()[0])

    def poll(self) -> bool:
        """Whether another connection committed since the last poll (this process's other connections
        count as others: the caller tells its own operations apart by their ids in the history)."""
        if self._raw is None:
            return False
        if self._kind == "sqlite":
            version = self._data_version()
            changed, self._version = version != self._version, version
            return changed
        return sum(1 for _ in self._raw.notifies(timeout=0, stop_after=1000)) > 0  # drained: one refresh

    def close(self) -> None:
        if self._raw is not None:
            with contextlib.suppress(Exception):
                self._raw.close()
            self._raw = None
