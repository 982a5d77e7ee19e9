"""MeetingService's writes return an operation result: the value as before and the meetings flag."""

from __future__ import annotations

import datetime as dt

import pytest

from asahi_desk.app import Services
from asahi_desk.domain.entities import Meeting
from asahi_desk.domain.errors import InputError, NotFoundError


def test_save_change_delete_return_their_values_and_the_meetings_flag(services: Services) -> None:
    before = [m.id for m in services.meetings.meetings(2024)]
    saved = services.meetings.save(2024, Meeting("臨時会議", dt.date(2024, 9, 1), venue="旭区役所"))
    assert saved.value not in before and saved.changes.meetings and saved.undo is None
    assert not saved.changes.structure and not saved.changes.years
    changed = services.meetings.change(saved.value, title="臨時会議（改）")
    assert changed.value.title == "臨時会議（改）" and changed.value.venue == "旭区役所"
    assert changed.changes.meetings
    assert services.meetings.get(saved.value).title == "臨時会議（改）"
    deleted = services.meetings.delete(saved.value)
    assert deleted.value is None and deleted.changes.meetings
    assert [m.id for m in services.meetings.meetings(2024)] == before
    with pytest.raises(NotFoundError):
        services.meetings.get(saved.value)


def test_a_refused_save_writes_nothing(services: Services) -> None:
    before = services.meetings.meetings(2024)
    with pytest.raises(InputError, match="会議名を入力してください"):
        services.meetings.save(2024, Meeting("  ", dt.date(2024, 9, 1)))
    assert services.meetings.meetings(2024) == before
