"""The 振り返り written alone (PDF or Excel), and the indicators its rows' linked programs print with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from asahi_desk.domain.entities import Indicator, Review
from asahi_desk.domain.errors import InputError, NotFoundError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both
from asahi_desk.domain.review import program_label
from asahi_desk.services.output_files import write_atomic
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import read_only

RowIndicators = dict[tuple[int, int, int], tuple[tuple[str, Indicator], ...]]


def load_review(session: Any, year: int) -> Review:
    """The year's review with its links labelled as the year's budget names the programs now."""
    row = repo.find_review(session, year)
    if row is None:
        raise NotFoundError(f"{fiscal_year_both(year)}の振り返りがありません")
    programs = repo.year_programs(session, year) or []
    return repo.load_review(row, {uid: program_label(code, name) for uid, code, name in programs})


def row_indicators(session: Any, review: Review) -> RowIndicators:
    """Per row (by position), its linked programs' indicators from the review's year's budget."""
    fy = repo.find_fiscal_year(session, review.fiscal_year)
    if fy is None:
        return {}
    programs = {p.uid: p for c in repo.load_categories(session, fy.id) for p in c.programs}
    out: RowIndicators = {}
    for ai, area in enumerate(review.areas):
        for ii, ini in enumerate(area.initiatives):
            for ri, row in enumerate(ini.rows):
                found = tuple((p.label, ind) for link in row.programs
                              if (p := programs.get(link.uid or "")) is not None for ind in p.indicators)
                if found:
                    out[(ai, ii, ri)] = found
    return out


class ReviewExportService:
    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions

    def build(self, year: int, suffix: str, *, indicators: bool = False) -> bytes:
        year = check_fiscal_year(year)
        with read_only(self._sessions) as s:
            review = load_review(s, year)
            found = row_indicators(s, review) if indicators else None
        if suffix == ".xlsx":
            from asahi_desk.reports.review_excel import review_workbook

            return review_workbook(review)
        from asahi_desk.reports.pdf.document import build_pdf
        from asahi_desk.reports.pdf.review import review_story

        return build_pdf(review_story(review, found), title=review.title or "振り返り")

    def write(self, year: int, out: Path, *, indicators: bool = False) -> None:
        """out: a .pdf or .xlsx file, written whole or not at all."""
        suffix = Path(out).suffix.lower()
        if suffix not in (".pdf", ".xlsx"):
            raise InputError("出力ファイルの拡張子は .pdf か .xlsx にしてください", str(out))
        write_atomic(Path(out), self.build(year, suffix, indicators=indicators))
