"""The consistency checker as a use case: load the year (and the year before) and run the rules."""

from __future__ import annotations

import datetime as dt

from asahi_desk.domain.checks import Finding, check_budget
from asahi_desk.domain.review_checks import check_review
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import SessionFactory, read_only


class CheckService:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    def check(self, year: int | None = None, *, today: dt.date | None = None) -> list[Finding]:
        """Findings of one fiscal year (its budget and its 振り返り), or of every year (oldest first) when
        year is None. today: the day the results rules judge an ended year by (default: today)."""
        today = today or dt.date.today()
        with read_only(self._sessions) as s:
            budget_years = repo.fiscal_years(s)
            review_years = repo.review_years(s)
            years = [year] if year is not None else sorted(set(budget_years) | set(review_years))
            findings: list[Finding] = []
            for y in years:
                budget = None
                if y in budget_years or y not in review_years:  # a year with neither: NotFoundError as before
                    budget = repo.load_budget(s, repo.get_fiscal_year(s, y))
                    prior_row = repo.find_fiscal_year(s, y - 1)
                    prior = repo.load_budget(s, prior_row) if prior_row is not None else None
                    findings.extend(check_budget(budget, prior, today))
                review_row = repo.find_review(s, y)
                if review_row is not None:
                    findings.extend(check_review(repo.load_review(review_row), budget, today))
            return findings
