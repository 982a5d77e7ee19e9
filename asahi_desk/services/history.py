"""The 変更履歴: read the history lines the operations wrote (the CLI `history` and the window's 履歴 dock)."""

from __future__ import annotations

import datetime as dt

from asahi_desk.domain.operations import HistoryEntry
from asahi_desk.store import operations as ops
from asahi_desk.store.unit_of_work import SessionFactory, read_only


class HistoryService:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    def entries(self, *, fiscal_year: int | None = None, since: dt.datetime | dt.date | None = None,
                clerk: str | None = None, program_id: int | None = None, row: tuple[str, int] | None = None,
                limit: int | None = None) -> list[HistoryEntry]:
        """History lines, newest first. since: a local date (from its midnight) or time; row: (table, id)."""
        if isinstance(since, dt.date) and not isinstance(since, dt.datetime):
            since = dt.datetime.combine(since, dt.time())
        with read_only(self._sessions) as s:
            return ops.history(s, fiscal_year=fiscal_year, since=since, clerk=clerk, program_id=program_id,
                               row=row, limit=limit)

    def clerks(self, fiscal_year: int | None = None) -> list[str]:
        """The clerks named in the history (of the year), for the dock's filter."""
        with read_only(self._sessions) as s:
            return ops.clerks(s, fiscal_year)

    def latest_id(self) -> int:
        """The newest history line's id (0 when there is none): a mark to ask operations_after() from."""
        with read_only(self._sessions) as s:
            return ops.latest_id(s)

    def operations_after(self, history_id: int) -> list[tuple[str, str, int | None]]:
        """(operation id, clerk, fiscal year) of the operations committed after the mark, oldest first."""
        with read_only(self._sessions) as s:
            return ops.operations_after(s, history_id)
