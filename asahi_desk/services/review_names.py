"""The 振り返り's kinds, the fields a clerk edits, and a citation of a program: no store, no SQLAlchemy (the window's
review pieces import them before the database is opened; services/review.py uses them)."""

from __future__ import annotations

from dataclasses import dataclass

from asahi_desk.domain.fiscal import fiscal_year_both

AREA, INITIATIVE, ROW = "area", "initiative", "row"  # store/reviews.py names its tables' kinds the same (a test)
REVIEW = "review"
# the fields a clerk edits, per kind, and how each is named in a message
FIELDS = {
    REVIEW: {"title": "表題", "basic_goal": "基本目標"},
    AREA: {"number": "番号", "name": "分野名"},
    INITIATIVE: {"title": "取組"},
    ROW: {"sections": "担当課", "plan": "事業内容", "results": "振り返り", "programs": "関連事業"},
}


@dataclass(frozen=True)
class Citation:
    """A review row that names a program: where it is, for the program form's reviewLinks."""

    fiscal_year: int
    row_id: int
    area: str
    initiative: str
    sections: tuple[str, ...]

    def describe(self) -> str:
        who = "・".join(self.sections) or "担当課なし"
        return f"{fiscal_year_both(self.fiscal_year)} 振り返り {self.area} / {self.initiative}（{who}）"
