"""The consistency checker as a use case: load the year (and the year before) and run the rules."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.domain.checks import Finding, check_budget
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import read_only


class CheckService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def check(self, year: int | None = None) -> list[Finding]:
        """Findings of one fiscal year, or of every year (oldest first) when year is None."""
        with read_only(self._sessions) as s:
            years = [year] if year is not None else repo.fiscal_years(s)
            findings: list[Finding] = []
            for y in years:
                budget = repo.load_budget(s, repo.get_fiscal_year(s, y))
                prior_row = repo.find_fiscal_year(s, y - 1)
                prior = repo.load_budget(s, prior_row) if prior_row is not None else None
                findings.extend(check_budget(budget, prior))
            return findings
