"""新年度作成: fiscal year YYYY+1 from YYYY, in one transaction, keeping each program's identity."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.domain.entities import Budget, LineItem, Program
from asahi_desk.domain.errors import ConflictError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both, fiscal_year_label
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import once_more_on_conflict, unit_of_work


def next_year_budget(old: Budget) -> Budget:
    """Structure, texts, indicators and sections copied; this year's amounts become the prior amounts.

    The new year's amounts start equal to the old ones (the clerk edits from there), printed
    figures (総括表, 増▲減 as printed, overview) are not carried over, and meetings are not copied.
    """
    def item(li: LineItem) -> LineItem:
        return dataclasses.replace(li, id=None, prior=li.amount if li.prior is not None else None)

    def program(p: Program) -> Program:
        return dataclasses.replace(p, id=None, prior=p.current, printed_change=None,
                                   line_items=tuple(item(li) for li in p.line_items))

    categories = tuple(dataclasses.replace(c, id=None, programs=tuple(program(p) for p in c.programs))
                       for c in old.categories)
    return Budget(ward=old.ward, fiscal_year=old.fiscal_year + 1, categories=categories, city=old.city,
                  title=_retitle(old.title, old.fiscal_year), unit=old.unit,
                  budget_classes=tuple(dataclasses.replace(bc, id=None) for bc in old.budget_classes),
                  summary_notes=old.summary_notes)


def _retitle(title: str, year: int) -> str:
    for fullwidth in (True, False):
        old_label = fiscal_year_label(year, fullwidth=fullwidth)
        if old_label in title:
            return title.replace(old_label, fiscal_year_label(year + 1, fullwidth=fullwidth))
    return title


class RolloverService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def new_year(self, from_year: int) -> int:
        """Create from_year + 1; refused when it exists. Returns the new year."""
        check_fiscal_year(from_year)

        def work() -> None:
            with unit_of_work(self._sessions) as s:
                old = repo.load_budget(s, repo.get_fiscal_year(s, from_year))
                if repo.find_fiscal_year(s, from_year + 1) is not None:
                    raise ConflictError(f"{fiscal_year_both(from_year + 1)}のデータは既にあります")
                repo.add_budget(s, next_year_budget(old), keep_uids=True)

        once_more_on_conflict(work)
        return from_year + 1
