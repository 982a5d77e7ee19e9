"""The 総括表 as printed, kept beside the figures the app computes: how far they have drifted apart after the
clerk's edits, and bringing the printed figures in line (the row names, with their printed glosses, stay)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asahi_desk.domain import rules
from asahi_desk.domain.fiscal import check_fiscal_year
from asahi_desk.domain.operations import EDIT, OpResult
from asahi_desk.services.editing import os_login
from asahi_desk.services.summary_lines import Drift, Figures, SummaryLine
from asahi_desk.store import repository as repo
from asahi_desk.store.models import SummaryRowRow
from asahi_desk.store.operations import operation, result
from asahi_desk.store.unit_of_work import SessionFactory, read_only

__all__ = ["Drift", "Figures", "PrintedSummaryService", "SummaryLine"]


class PrintedSummaryService:
    def __init__(self, sessions: SessionFactory, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

    def drift(self, year: int) -> Drift:
        with read_only(self._sessions) as s:
            pairs = _pairs(s, year)
            return Drift(len(pairs), sum(1 for row, figure in pairs if figure and _figures(figure) != _printed(row)))

    def comparison(self, year: int) -> list[SummaryLine]:
        """The printed 総括表 row by row beside the computed figures, then the computed rows nothing printed names
        (all of them when no 総括表 was printed for the year)."""
        with read_only(self._sessions) as s:
            fy = repo.get_fiscal_year(s, check_fiscal_year(year))
            rows = repo.printed_summary_rows(s, fy.id)
            figures = rules.summary_figures(repo.load_budget(s, fy))
            lines: list[SummaryLine] = []
            named: set[int] = set()
            for row in rows:
                figure = rules.match_figure(row.name, figures)
                if figure is not None:
                    named.add(id(figure))
                lines.append(SummaryLine(row.name, _printed(row), None if figure is None else _figures(figure)))
            lines.extend(SummaryLine(f.name, None, _figures(f)) for f in figures if id(f) not in named)
            return lines

    def match_computed(self, year: int) -> OpResult[int]:
        """Set each printed row that names a computed figure to that figure (予算額, 前年度額, 増▲減, 率); one
        operation whose value is how many rows changed. Rows that name nothing computed are left for the
        checker to report."""
        with operation(self._sessions, clerk=self._clerk(), source=EDIT, label="総括表の記載値を積み上げに合わせる",
                       fiscal_year=year) as op:
            changed = 0
            for row, figure in _pairs(op.session, year):
                if figure is not None and _figures(figure) != _printed(row):
                    for name, value in zip(("current", "prior", "change", "rate"), _figures(figure), strict=True):
                        if getattr(row, name) != value:
                            setattr(row, name, value)
                    changed += 1
        return result(op, changed)


def _pairs(s: Any, year: int) -> list[tuple[SummaryRowRow, rules.Figure | None]]:
    fy = repo.get_fiscal_year(s, check_fiscal_year(year))
    rows = repo.printed_summary_rows(s, fy.id)
    if not rows:
        return []
    figures = rules.summary_figures(repo.load_budget(s, fy))
    return [(row, rules.match_figure(row.name, figures)) for row in rows]


def _figures(f: rules.Figure) -> tuple[int, int, int, str | None]:
    return f.current, f.prior, f.change, None if f.rate is None else str(f.rate)


def _printed(row: SummaryRowRow) -> tuple[int, int, int | None, str | None]:
    return row.current, row.prior, row.change, row.rate

