"""Meetings of a fiscal year and their attachments: list, load, save in one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from asahi_desk.domain.attachments import Attachment, normalise_material
from asahi_desk.domain.entities import Meeting
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.operations import EDIT, OpChanges, OpResult, meeting_change, meeting_record
from asahi_desk.services.editing import os_login
from asahi_desk.store import attachments as store
from asahi_desk.store import operations
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import SessionFactory, read_only, unit_of_work

# a meeting written or removed: the meeting lists and the handout's 次第 refresh (no undo in the GUI)
MEETINGS = OpChanges(meetings=True)


class MeetingService:
    """Every write leaves its lines in the 変更履歴 (and, on PostgreSQL, tells the other windows), like an edit."""

    def __init__(self, sessions: SessionFactory, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

    def meetings(self, year: int) -> list[Meeting]:
        with read_only(self._sessions) as s:
            return [repo.meeting_entity(m) for m in store.meeting_rows(s, year)]

    def get(self, meeting_id: int) -> Meeting:
        with read_only(self._sessions) as s:
            return repo.meeting_entity(store.get_meeting_row(s, meeting_id))

    def attachments(self, meeting_id: int, *, with_data: bool = False) -> list[Attachment]:
        with read_only(self._sessions) as s:
            return store.load_attachments(s, meeting_id, with_data=with_data)

    def save(self, year: int, meeting: Meeting, attachments: list[Attachment] | None = None) -> OpResult[int]:
        """Write the meeting, its agenda and (when given) exactly these attachments; its value: the id.
        An attachment with empty data keeps the file already stored for that material."""
        validate_meeting(meeting)
        checked = _checked(attachments or [])
        with unit_of_work(self._sessions) as s:
            before = _record(s, meeting.id) if meeting.id is not None else None
            meeting_id = store.save_meeting(s, year, meeting)
            if attachments is not None:
                store.replace_attachments(s, meeting_id, checked)
            s.flush()
            result = self._journal(s, meeting_id, "会議を保存", before, _record(s, meeting_id), meeting_id)
        return result

    def change(self, meeting_id: int, **fields: object) -> OpResult[Meeting]:
        """Set some fields of a stored meeting (title, date, start_time, venue, agenda), the others kept,
        in one transaction; its value: the meeting as stored (the CLI's `meeting set`)."""
        unknown = set(fields) - {"title", "date", "start_time", "venue", "agenda"}
        if unknown:
            raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
        with unit_of_work(self._sessions) as s:
            row = store.get_meeting_row(s, meeting_id)
            before = _record(s, meeting_id)
            meeting = dataclasses.replace(repo.meeting_entity(row), **fields)  # type: ignore[arg-type]
            validate_meeting(meeting)
            store.save_meeting(s, 0, meeting)  # an update: the year is the row's own
            s.flush()
            value = repo.meeting_entity(store.get_meeting_row(s, meeting_id))
            return self._journal(s, meeting_id, "会議を変更", before, _record(s, meeting_id), value)

    def delete(self, meeting_id: int) -> OpResult[None]:
        with unit_of_work(self._sessions) as s:
            before, year = _record(s, meeting_id), store.meeting_year(s, meeting_id)
            store.delete_meeting(s, meeting_id)
            result = self._journal(s, meeting_id, "会議を削除", before, None, None, year)
        return result

    def _journal(self, s: Any, meeting_id: int, label: str, before: dict[str, Any] | None,
                 after: dict[str, Any] | None, value: Any, year: int | None = None) -> OpResult[Any]:
        """The history lines of the meeting's change, in the same transaction (no undo: the GUI offers none)."""
        change = meeting_change(meeting_id, before, after)
        rows = (change,) if change is not None else ()
        op_id = operations.journal(s, clerk=self._clerk(), source=EDIT, label=label,
                                   fiscal_year=year or store.meeting_year(s, meeting_id), changes=rows)
        return OpResult(value, MEETINGS, rows, None, op_id)


def _record(s: Any, meeting_id: int) -> dict[str, Any]:
    files = [f"{a.material}: {a.filename}" for a in store.load_attachments(s, meeting_id, with_data=False)]
    return meeting_record(repo.meeting_entity(store.get_meeting_row(s, meeting_id)), files)


def validate_meeting(meeting: Meeting) -> None:
    if not meeting.title.strip():
        raise InputError("会議名を入力してください", "会議名")
    for item in meeting.agenda:
        if not item.title.strip():
            raise InputError("項目名を入力してください", f"次第 {item.number}")
        for sub in item.items:
            if sub.material:
                normalise_material(sub.material, f"次第 {item.number} の資料")


def _checked(attachments: list[Attachment]) -> list[Attachment]:
    from asahi_desk.reports.pdf.sanitize import sanitize

    seen: set[str] = set()
    out: list[Attachment] = []
    for a in attachments:
        material = normalise_material(a.material, a.filename or "添付資料")
        if material == "資料1":
            raise InputError("資料1は執行計画です。添付資料には資料2以降を指定してください", a.filename)
        if material in seen:
            raise InputError(f"{material}が2つ指定されています", a.filename)
        seen.add(material)
        data = sanitize(a.data, a.filename)[0] if a.data else a.data  # stored without scripts or files
        out.append(Attachment(material, a.filename, data, a.id))
    return out
