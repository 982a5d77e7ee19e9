"""Budget arithmetic: roll-ups per category, class and total, and the 総括表 figures."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from asahi_desk.domain import money
from asahi_desk.domain.budget_names import GRAND_TOTAL_NAME
from asahi_desk.domain.entities import Budget, BudgetClass, Category

# What the ward's documents say about each class; a class not listed counts toward the total
# and needs indicators (the safe default for a new 自主企画 style class).
DEFAULT_CLASSES: dict[str, BudgetClass] = {
    "自主企画事業費": BudgetClass("自主企画事業費", in_total=True, indicators_required=True),
    "統合事務事業費": BudgetClass("統合事務事業費", in_total=True, indicators_required=False),
    "区庁舎・区民利用施設管理費": BudgetClass("区庁舎・区民利用施設管理費", in_total=True, indicators_required=False),
    "区配事業": BudgetClass("区配事業", in_total=False, indicators_required=True),
}


def default_class(name: str) -> BudgetClass:
    return DEFAULT_CLASSES.get(name, BudgetClass(name))


@dataclass(frozen=True)
class Figure:
    """One computed row of the 総括表: kind is total, class, category or program."""

    kind: str
    name: str
    current: int
    prior: int
    level: int = 0
    in_total: bool = True

    @property
    def change(self) -> int:
        return money.change(self.current, self.prior)

    @property
    def rate(self) -> Decimal | None:
        return money.change_rate(self.current, self.prior)


def categories_of_class(budget: Budget, class_name: str) -> list[Category]:
    return [c for c in budget.categories if c.budget_class == class_name]


def class_names(budget: Budget) -> list[str]:
    """Class names in the order the categories first use them (then declared, unused ones)."""
    names: list[str] = []
    for c in budget.categories:
        if c.budget_class not in names:
            names.append(c.budget_class)
    for bc in budget.budget_classes:
        if bc.name not in names:
            names.append(bc.name)
    return names


def class_totals(budget: Budget, class_name: str) -> tuple[int, int]:
    cats = categories_of_class(budget, class_name)
    return sum(c.current for c in cats), sum(c.prior for c in cats)


def grand_total(budget: Budget) -> tuple[int, int]:
    cur = pri = 0
    for name in class_names(budget):
        if budget.budget_class(name).in_total:
            c, p = class_totals(budget, name)
            cur, pri = cur + c, pri + p
    return cur, pri


def summary_figures(budget: Budget) -> list[Figure]:
    """The 総括表 as the app computes it: total, its classes (with the programs of a class that is
    one category of several lump programs), then the classes outside the total by category."""
    figures: list[Figure] = []
    cur, pri = grand_total(budget)
    figures.append(Figure("total", GRAND_TOTAL_NAME, cur, pri))
    outside: list[Figure] = []
    for name in class_names(budget):
        bc = budget.budget_class(name)
        cats = categories_of_class(budget, name)
        c_cur, c_pri = class_totals(budget, name)
        if not bc.in_total:
            outside.extend(Figure("category", c.name, c.current, c.prior, 0, False) for c in cats)
            continue
        figures.append(Figure("class", name, c_cur, c_pri, 1))
        if len(cats) == 1 and len(cats[0].programs) > 1:
            figures.extend(Figure("program", p.name, p.current, p.prior, 2) for p in cats[0].programs)
    return figures + outside


def normalise_name(name: str) -> str:
    """For matching printed labels: NFKC, no spaces, no trailing （…） or ※ notes."""
    s = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    if "※" in s:
        s = _NOTE_MARK.sub("", s)
    return _TRAILING_NOTE.sub("", s) if s.endswith(")") else s


_SPACES = re.compile(r"\s+")
_NOTE_MARK = re.compile(r"※\d*")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


def match_figure(printed_name: str, figures: list[Figure]) -> Figure | None:
    key = normalise_name(printed_name)
    for f in figures:
        if normalise_name(f.name) == key:
            return f
    return None
