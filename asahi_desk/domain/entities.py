"""The clerk's data as frozen dataclasses: what services hand to the UI, reports and importers.

Amounts are int 千円. `id` is the database key (None before the record is stored); `uid` is the
identity a program or line item keeps across fiscal years (rollover and prior-year import find it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from asahi_desk.domain import money

MARKERS = ("新", "拡")


def copied(entity: Any, **changes: Any) -> Any:
    """dataclasses.replace for these plain frozen entities (every field set by __init__, no __post_init__,
    no slots) in a fraction of its time: the copy's fields are set in its __dict__ at once, not by one
    frozen setattr each. For the writes that make thousands at a time (a new year copies every program
    and line item; the Excel import makes 20,000 programs from a sheet, from one template)."""
    copy = object.__new__(type(entity))
    copy.__dict__.update(entity.__dict__, **changes)
    return copy


@dataclass(frozen=True)
class Indicator:
    """事業指標: target and actual as entered (text: "35,000", "80万", "前回調査結果から向上")."""

    name: str
    target: str = ""
    unit: str = ""
    actual: str = ""


@dataclass(frozen=True)
class RelatedBureauProgram:
    name: str
    bureau: str = ""
    amount: int | None = None


@dataclass(frozen=True)
class Photo:
    caption: str
    image: bytes | None = None


@dataclass(frozen=True)
class LineItem:
    number: int
    name: str
    amount: int
    marker: str | None = None
    activities: tuple[str, ...] = ()
    # Only the 統合事業費 items print their own prior amount and sections.
    prior: int | None = None
    sections: tuple[str, ...] | None = None
    id: int | None = None
    uid: str | None = None


@dataclass(frozen=True)
class Program:
    code: str | None
    number: int
    name: str
    current: int
    prior: int
    sections: tuple[str, ...] = ()
    purpose: str = ""
    printed_change: int | None = None  # 増▲減 as printed, checked against current - prior
    line_items: tuple[LineItem, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    related_bureau_programs: tuple[RelatedBureauProgram, ...] = ()
    photos: tuple[Photo, ...] = ()
    notes: tuple[str, ...] = ()
    id: int | None = None
    uid: str | None = None

    @property
    def change(self) -> int:
        return money.change(self.current, self.prior)

    @property
    def rate(self) -> Decimal | None:
        return money.change_rate(self.current, self.prior)

    @property
    def line_items_total(self) -> int:
        return sum(li.amount for li in self.line_items)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


@dataclass(frozen=True)
class Category:
    code: str | None
    name: str
    budget_class: str
    programs: tuple[Program, ...] = ()
    id: int | None = None

    @property
    def current(self) -> int:
        return sum(p.current for p in self.programs)

    @property
    def prior(self) -> int:
        return sum(p.prior for p in self.programs)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


@dataclass(frozen=True)
class BudgetClass:
    """A budget class (自主企画事業費 …) and how the rules treat it."""

    name: str
    in_total: bool = True  # counts toward 個性ある区づくり推進費
    indicators_required: bool = True  # its programs print 事業指標
    id: int | None = None


@dataclass(frozen=True)
class SummaryRow:
    """A row of the printed 総括表, kept as printed so the checker can compare it."""

    name: str
    current: int
    prior: int
    change: int | None = None
    rate: Decimal | None = None


@dataclass(frozen=True)
class AgendaSubItem:
    title: str
    presenter: str | None = None
    material: str | None = None


@dataclass(frozen=True)
class AgendaItem:
    number: int
    title: str
    items: tuple[AgendaSubItem, ...] = ()


@dataclass(frozen=True)
class Meeting:
    title: str
    date: dt.date
    start_time: dt.time | None = None
    venue: str = ""
    agenda: tuple[AgendaItem, ...] = ()
    id: int | None = None

    @property
    def materials(self) -> tuple[str, ...]:
        """Material labels in agenda order (資料1, 資料2 …), each once."""
        seen: list[str] = []
        for item in self.agenda:
            for sub in item.items:
                if sub.material and sub.material not in seen:
                    seen.append(sub.material)
        return tuple(seen)


@dataclass(frozen=True)
class Budget:
    """One fiscal year's budget of one ward, with its meetings and the printed figures."""

    ward: str
    fiscal_year: int
    categories: tuple[Category, ...] = ()
    city: str = ""
    title: str = ""
    unit: str = "千円"
    budget_classes: tuple[BudgetClass, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    summary: tuple[SummaryRow, ...] | None = None
    summary_notes: tuple[str, ...] | None = None
    overview: dict | None = None
    uncertain: tuple[str, ...] | None = None

    @property
    def prior_fiscal_year(self) -> int:
        return self.fiscal_year - 1

    def programs(self) -> list[Program]:
        return [p for c in self.categories for p in c.programs]

    def budget_class(self, name: str) -> BudgetClass:
        for bc in self.budget_classes:
            if bc.name == name:
                return bc
        return BudgetClass(name)


@dataclass(frozen=True)
class ProgramLink:
    """A budget program a review row reports on: its code (or name, for a program without a code) as
    written or as last known, and its identity across years (None until resolved against a budget)."""

    label: str
    uid: str | None = None


@dataclass(frozen=True)
class ReviewRow:
    sections: tuple[str, ...] = ()
    plan: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    programs: tuple[ProgramLink, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class ReviewInitiative:
    title: str
    rows: tuple[ReviewRow, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class ReviewArea:
    number: int
    name: str
    initiatives: tuple[ReviewInitiative, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class Review:
    """The annual 振り返り of the ward's operating policy."""

    ward: str
    fiscal_year: int
    title: str = ""
    basic_goal: str = ""
    areas: tuple[ReviewArea, ...] = ()
    uncertain: tuple[str, ...] | None = None
    id: int | None = None

    def rows(self) -> list[tuple[ReviewArea, ReviewInitiative, ReviewRow]]:
        return [(a, i, r) for a in self.areas for i in a.initiatives for r in i.rows]
