"""新年度作成 and the checker over stored years (prior-year identity included)."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from sqlalchemy import text

from asahi_desk.app import Services
from asahi_desk.domain.errors import ConflictError, NotFoundError


def test_new_year_copies_structure_and_moves_amounts_to_prior(services: Services) -> None:
    old = services.budgets.get(2024)
    result = services.rollover.new_year(2024)
    assert result.value == 2025 and result.changes.years and result.changes.structure and result.undo is None
    new = services.budgets.get(2025)
    assert new.title == "令和７年度 旭区個性ある区づくり推進費の執行計画"
    assert [c.label for c in new.categories] == [c.label for c in old.categories]
    for p_old, p_new in zip(old.programs(), new.programs(), strict=True):
        assert p_new.uid == p_old.uid and p_new.id != p_old.id
        assert (p_new.prior, p_new.current, p_new.printed_change) == (p_old.current, p_old.current, None)
        assert (p_new.sections, p_new.indicators, p_new.purpose) == (p_old.sections, p_old.indicators, p_old.purpose)
        assert [li.activities for li in p_new.line_items] == [li.activities for li in p_old.line_items]
        assert [li.prior for li in p_new.line_items] == [
            li.amount if li.prior is not None else None for li in p_old.line_items]
    assert new.summary is None
    # the year's meeting is the new year's template: agenda kept (its 令和N年 moved on), date a year later
    (template,) = new.meetings
    meeting = old.meetings[0]
    assert template.title == "令和７年第２回 区づくり推進横浜市会議員会議" and template.id != meeting.id
    assert (template.date.isoformat(), template.start_time, template.venue) == ("2025-06-11", meeting.start_time,
                                                                                 meeting.venue)
    assert [a.title for a in template.agenda] == [a.title for a in meeting.agenda]
    assert template.agenda[3].items[0].title == "令和７年度 旭区個性ある区づくり推進費の執行計画について"
    assert template.materials == meeting.materials
    assert services.meetings.attachments(int(template.id)) == []  # the old meeting's PDFs are its own
    assert services.budgets.get(2024) == old  # the source year is untouched


def test_new_year_carries_indicator_targets_but_not_last_years_actuals(services: Services) -> None:
    program = next(p for p in services.budgets.get(2024).programs() if p.indicators)
    services.editing.set_indicators(program.id, [replace(i, actual="78") for i in program.indicators])
    assert all(i.actual == "78" for i in services.editing.program(program.id).indicators)
    services.rollover.new_year(2024)
    copied = next(p for p in services.budgets.get(2025).programs() if p.uid == program.uid)
    assert [(i.name, i.target, i.unit) for i in copied.indicators] == [
        (i.name, i.target, i.unit) for i in program.indicators]
    assert [i.actual for i in copied.indicators] == [""] * len(program.indicators)


def test_new_year_is_refused_when_it_exists_and_writes_nothing(services: Services) -> None:
    services.rollover.new_year(2024)
    with services.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM program")).scalar()
    with pytest.raises(ConflictError, match="令和7年度"):
        services.rollover.new_year(2024)
    with pytest.raises(NotFoundError):
        services.rollover.new_year(2019)
    with services.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM program")).scalar() == before


def test_check_finds_the_printed_errors_of_the_demo(services: Services) -> None:
    findings = services.checks.check(2024)
    assert [f.code for f in findings if f.severity == "error"] == ["DUPLICATE_TEXT"] * 4
    assert all(f.location.program_id is not None for f in findings)
    assert all(f.location.line_item_id is not None for f in findings if f.code == "DUPLICATE_TEXT")


def test_check_compares_prior_amounts_with_the_stored_prior_year(services: Services) -> None:
    services.rollover.new_year(2024)
    assert [f.code for f in services.checks.check(2025) if f.code == "PRIOR_MISMATCH"] == []
    with services.engine.begin() as conn:  # last year's figure corrected after the rollover
        conn.execute(text("UPDATE program SET current = current + 7 WHERE code = 'Ⅰ-2' AND fiscal_year_id = "
                          "(SELECT id FROM fiscal_year WHERE year = 2024)"))
    mismatches = [f for f in services.checks.check(2025) if f.code == "PRIOR_MISMATCH"]
    assert [f.location.program for f in mismatches] == ["Ⅰ-2 地域安全安心普及推進事業"]
    assert len({f.location.fiscal_year for f in services.checks.check()}) == 2


def test_a_year_loaded_from_json_joins_the_programs_it_continues(services: Services, budget_json: dict) -> None:
    """Identity: 2025 loaded from a file without uids takes the uids of 2024's programs."""
    data = copy.deepcopy(budget_json) | {"fiscal_year": 2025, "prior_fiscal_year": 2024}
    renamed = data["categories"][0]["programs"][1]
    data["categories"][0] = dict(data["categories"][0], programs=[
        data["categories"][0]["programs"][0], dict(renamed, code="Ⅰ-9"), *data["categories"][0]["programs"][2:]])
    services.budgets.load_data(data)
    old = {p.name: p.uid for p in services.budgets.get(2024).programs()}
    new = {p.name: p.uid for p in services.budgets.get(2025).programs()}
    assert new == old  # by code and name, and by name alone when the code changed
    assert len(set(new.values())) == len(new)


def test_meeting_template_moves_every_era_year_once() -> None:
    """A meeting of fiscal 2023 held on 29 Feb 2024: its 令和６年 (calendar) and 令和５年度 (fiscal) each
    move by one year, never twice; the date lands on 28 Feb."""
    import datetime as dt

    from asahi_desk.domain.entities import AgendaItem, AgendaSubItem, Meeting
    from asahi_desk.services.rollover import next_year_meeting

    old = Meeting("令和６年第４回 推進会議", dt.date(2024, 2, 29), dt.time(15, 0), "大会議室", (
        AgendaItem(1, "議題", (AgendaSubItem("令和５年度の執行状況と令和6年度予算案について", "副区長", "資料1"),)),))
    new = next_year_meeting(old, 2023)
    assert (new.title, new.date, new.start_time, new.venue, new.id) == (
        "令和７年第４回 推進会議", dt.date(2025, 2, 28), dt.time(15, 0), "大会議室", None)
    assert new.agenda[0].items[0] == AgendaSubItem("令和６年度の執行状況と令和7年度予算案について", "副区長", "資料1")
