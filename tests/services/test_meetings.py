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


def _lines(services: Services, op_id: str | None) -> list[tuple]:
    return [(h.table, h.field_label, h.old, h.new, h.label, h.fiscal_year, h.source)
            for h in services.history.entries() if h.operation_id == op_id]


def test_meeting_writes_are_in_the_history_field_by_field(services: Services) -> None:
    services.clerk = "佐藤"
    saved = services.meetings.save(2024, Meeting("臨時会議", dt.date(2024, 9, 1), venue="旭区役所"))
    assert _lines(services, saved.operation_id) == [
        ("meeting", "会議", None, "臨時会議", "会議を保存", 2024, "edit")]
    changed = services.meetings.change(saved.value, venue="旭区民会館", date=dt.date(2024, 9, 2))
    assert sorted(_lines(services, changed.operation_id)) == [
        ("meeting", "会場", "旭区役所", "旭区民会館", "会議を変更", 2024, "edit"),
        ("meeting", "開催日", "2024-09-01", "2024-09-02", "会議を変更", 2024, "edit")]
    assert services.meetings.change(saved.value, venue="旭区民会館").operation_id is None  # nothing changed
    deleted = services.meetings.delete(saved.value)
    assert _lines(services, deleted.operation_id) == [
        ("meeting", "会議", "臨時会議", None, "会議を削除", 2024, "edit")]
    assert {h.clerk for h in services.history.entries() if h.table == "meeting"} == {"佐藤"}


def test_a_deleted_year_leaves_one_history_line(services: Services) -> None:
    services.budgets.create_empty_year(2030)
    gone = services.budgets.delete_year(2030)
    lines = [(h.table, h.old, h.new, h.label, h.fiscal_year) for h in services.history.entries()
             if h.operation_id == gone.operation_id]
    assert len(lines) == 1 and lines[0][0] == "fiscal_year" and lines[0][3] == "年度を削除"
    assert lines[0][1].startswith("2030年度") and lines[0][2] is None and lines[0][4] == 2030
    assert 2030 not in services.budgets.fiscal_years()


def test_a_new_year_leaves_one_history_line(services: Services) -> None:
    services.clerk = "佐藤"
    made = services.rollover.new_year(2024)
    lines = [(h.table, h.new, h.label, h.fiscal_year, h.source, h.clerk) for h in services.history.entries()
             if h.operation_id == made.operation_id]
    assert lines == [("fiscal_year", "2025年度 新年度作成（令和6年度から）", "新年度作成（令和6年度から）", 2025, "load", "佐藤")]
