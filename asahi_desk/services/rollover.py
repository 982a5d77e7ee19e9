"""新年度作成: fiscal year YYYY+1 from YYYY, in one transaction, keeping each program's identity."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable

from asahi_desk.domain.collector import paused_collector
from asahi_desk.domain.entities import AgendaItem, Budget, LineItem, Meeting, Program, copied
from asahi_desk.domain.errors import ConflictError
from asahi_desk.domain.fiscal import (
    ERA_OFFSETS,
    check_fiscal_year,
    fiscal_year_both,
    fiscal_year_label,
    relabel_fiscal_year,
)
from asahi_desk.domain.operations import LOAD, WHOLE_YEAR, OpResult, RowChange
from asahi_desk.services.editing import os_login
from asahi_desk.store import operations
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import SessionFactory, once_more_on_conflict, unit_of_work


def next_year_budget(old: Budget) -> Budget:
    """Structure, texts, indicators and sections copied; this year's amounts become the prior amounts.

    The new year's amounts start equal to the old ones (the clerk edits from there), printed
    figures (総括表, 増▲減 as printed, overview) are not carried over, and the year's (first) meeting
    becomes the new year's template (next_year_meeting), so its handout can be made at once.
    """
    def item(li: LineItem) -> LineItem:
        return copied(li, id=None, prior=li.amount if li.prior is not None else None)

    def program(p: Program) -> Program:
        # targets carry over; a 実績 is the result of the year it was entered for
        return copied(p, id=None, prior=p.current, printed_change=None,
                       indicators=tuple(copied(i, actual="") for i in p.indicators) if p.indicators else (),
                       line_items=tuple(item(li) for li in p.line_items) if p.line_items else ())

    categories = tuple(dataclasses.replace(c, id=None, programs=tuple(program(p) for p in c.programs))
                       for c in old.categories)
    return Budget(ward=old.ward, fiscal_year=old.fiscal_year + 1, categories=categories, city=old.city,
                  title=relabel_fiscal_year(old.title, old.fiscal_year, old.fiscal_year + 1), unit=old.unit,
                  budget_classes=tuple(dataclasses.replace(bc, id=None) for bc in old.budget_classes),
                  summary_notes=old.summary_notes,
                  meetings=(next_year_meeting(old.meetings[0], old.fiscal_year),) if old.meetings else ())


def next_year_meeting(m: Meeting, year: int) -> Meeting:
    """The meeting of fiscal year `year` as the template of the next year's: the agenda kept, every
    令和N年(度) of the fiscal year or of the meeting's calendar year moved on by one in the title and the
    agenda, the date a year later (Feb 29 -> Feb 28), time and venue kept. Title and date are the clerk's
    to set (asahi-desk meeting set, 出力 → 会議の編集…); the old meeting's attachments are not copied."""
    years = {year, m.date.year}

    def moved(text: str) -> str:
        return _era_years_moved(text, years)

    try:
        date = m.date.replace(year=m.date.year + 1)
    except ValueError:  # 29 February
        date = m.date.replace(year=m.date.year + 1, day=28)
    agenda = tuple(AgendaItem(a.number, moved(a.title), tuple(dataclasses.replace(sub, title=moved(sub.title))
                                                               for sub in a.items)) for a in m.agenda)
    return Meeting(moved(m.title), date, m.start_time, m.venue, agenda)


_ERA_YEAR = re.compile(r"(令和|平成)(元|[0-9０-９]{1,2})年")


def _era_years_moved(text: str, years: set[int]) -> str:
    """令和６年第２回 -> 令和７年第２回, 令和６年度 -> 令和７年度, in one pass (never moved twice), for the
    Western years given; the digits keep their width."""
    def move(match: re.Match[str]) -> str:
        era, digits = match.group(1), match.group(2)
        western = ERA_OFFSETS[era] + (1 if digits == "元" else int(unicodedata.normalize("NFKC", digits)))
        if western not in years:
            return match.group(0)
        fullwidth = digits != "元" and not digits.isascii()
        return fiscal_year_label(western + 1, fullwidth=fullwidth).removesuffix("度")

    return _ERA_YEAR.sub(move, text)


class RolloverService:
    def __init__(self, sessions: SessionFactory, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

    @paused_collector()
    def new_year(self, from_year: int) -> OpResult[int]:
        """Create from_year + 1; refused when it exists. Its value: the new year (a whole year written, no
        undo: the clerk deletes the year instead)."""
        check_fiscal_year(from_year)

        label = f"新年度作成（{fiscal_year_label(from_year)}から）"

        def work() -> tuple[tuple[RowChange, ...], str | None]:
            with unit_of_work(self._sessions) as s:
                old = repo.load_budget(s, repo.get_fiscal_year(s, from_year))  # meetings included (the template)
                if repo.find_fiscal_year(s, from_year + 1) is not None:
                    raise ConflictError(f"{fiscal_year_both(from_year + 1)}のデータは既にあります")
                repo.add_budget(s, next_year_budget(old), keep_uids=True)
                # one history line for the year written whole, as a load leaves (source: load)
                change = operations.year_loaded(s, from_year + 1, label)
                op_id = operations.journal(s, clerk=self._clerk(), source=LOAD, label=label,
                                           fiscal_year=from_year + 1, changes=[change])
                return (change,), op_id

        rows, op_id = once_more_on_conflict(work)
        return OpResult(from_year + 1, WHOLE_YEAR, rows, None, op_id)
