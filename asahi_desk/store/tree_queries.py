"""The budget tree's queries: children with their sums, and the rows of the search index (plain tuples)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, func, select, type_coerce
from sqlalchemy.orm import Session

from asahi_desk.store.models import (
    BudgetClassRow,
    CategoryRow,
    IndicatorRow,
    LineItemRow,
    LineItemSection,
    ProgramRow,
    ProgramSection,
    Section,
)

Sums = dict[int, tuple[int, int]]  # id -> (current, prior)


def class_sums(s: Session, fiscal_year_id: int) -> Sums:
    return {cls: (int(cur or 0), int(pri or 0)) for cls, cur, pri in s.execute(
        select(CategoryRow.budget_class_id, func.sum(ProgramRow.current), func.sum(ProgramRow.prior))
        .join(ProgramRow, ProgramRow.category_id == CategoryRow.id)
        .where(CategoryRow.fiscal_year_id == fiscal_year_id).group_by(CategoryRow.budget_class_id))}


def class_first_use(s: Session, fiscal_year_id: int) -> dict[int, int]:
    """The position of each budget class's first category."""
    return {cls: pos for cls, pos in s.execute(
        select(CategoryRow.budget_class_id, func.min(CategoryRow.position))
        .where(CategoryRow.fiscal_year_id == fiscal_year_id).group_by(CategoryRow.budget_class_id))}


def budget_classes(s: Session, fiscal_year_id: int) -> list[tuple[int, str, bool]]:
    """(id, name, in_total) in their declared order."""
    return [tuple(r) for r in s.execute(  # type: ignore[misc]
        select(BudgetClassRow.id, BudgetClassRow.name, BudgetClassRow.in_total)
        .where(BudgetClassRow.fiscal_year_id == fiscal_year_id).order_by(BudgetClassRow.position))]


def category_sums(s: Session, fiscal_year_id: int) -> Sums:
    return {cid: (int(cur or 0), int(pri or 0)) for cid, cur, pri in s.execute(
        select(ProgramRow.category_id, func.sum(ProgramRow.current), func.sum(ProgramRow.prior))
        .where(ProgramRow.fiscal_year_id == fiscal_year_id).group_by(ProgramRow.category_id))}


def categories(s: Session, fiscal_year_id: int, budget_class_id: int | None) -> list[tuple[int, str | None, str]]:
    """(id, code, name) of the year's categories in order (of one budget class when given)."""
    query = select(CategoryRow.id, CategoryRow.code, CategoryRow.name).where(CategoryRow.fiscal_year_id == fiscal_year_id)
    if budget_class_id is not None:
        query = query.where(CategoryRow.budget_class_id == budget_class_id)
    return [tuple(r) for r in s.execute(query.order_by(CategoryRow.position))]  # type: ignore[misc]


def class_of_category(s: Session, category_id: int) -> int | None:
    return s.scalar(select(CategoryRow.budget_class_id).where(CategoryRow.id == category_id))


def programs(s: Session, category_id: int) -> list[tuple[Any, ...]]:
    """(id, number, name, current, prior, has line items) of a category's programs in order."""
    has_items = select(LineItemRow.id).where(LineItemRow.program_id == ProgramRow.id).exists()
    return [tuple(r) for r in s.execute(
        select(ProgramRow.id, ProgramRow.number, ProgramRow.name, ProgramRow.current, ProgramRow.prior, has_items)
        .where(ProgramRow.category_id == category_id).order_by(ProgramRow.position))]


def line_items(s: Session, program_id: int) -> list[tuple[Any, ...]]:
    """(id, number, name, amount, prior) of a program's line items in order."""
    return [tuple(r) for r in s.execute(
        select(LineItemRow.id, LineItemRow.number, LineItemRow.name, LineItemRow.amount, LineItemRow.prior)
        .where(LineItemRow.program_id == program_id).order_by(LineItemRow.position))]


def program_sections(s: Session, fiscal_year_id: int) -> list[tuple[int, str]]:
    return [tuple(r) for r in s.execute(  # type: ignore[misc]
        select(ProgramSection.program_id, Section.name).join(Section)
        .join(ProgramRow, ProgramRow.id == ProgramSection.program_id)
        .where(ProgramRow.fiscal_year_id == fiscal_year_id))]


def line_item_sections(s: Session, fiscal_year_id: int) -> list[tuple[int, str]]:
    return [tuple(r) for r in s.execute(  # type: ignore[misc]
        select(LineItemSection.line_item_id, Section.name).join(Section)
        .join(LineItemRow, LineItemRow.id == LineItemSection.line_item_id)
        .join(ProgramRow, ProgramRow.id == LineItemRow.program_id)
        .where(ProgramRow.fiscal_year_id == fiscal_year_id))]


def program_indicators(s: Session, fiscal_year_id: int) -> list[tuple[int, str]]:
    """(program id, indicator name) of the year's programs, in order."""
    return [tuple(r) for r in s.execute(  # type: ignore[misc]
        select(IndicatorRow.program_id, IndicatorRow.name)
        .join(ProgramRow, ProgramRow.id == IndicatorRow.program_id)
        .where(ProgramRow.fiscal_year_id == fiscal_year_id).order_by(IndicatorRow.program_id, IndicatorRow.position))]


def program_figures(s: Session, fiscal_year_id: int) -> list[tuple[Any, ...]]:
    """(program id, category id, class id, class in total, current, prior) of the year's programs."""
    return [tuple(r) for r in s.execute(
        select(ProgramRow.id, ProgramRow.category_id, CategoryRow.budget_class_id, BudgetClassRow.in_total,
               ProgramRow.current, ProgramRow.prior)
        .join(CategoryRow, CategoryRow.id == ProgramRow.category_id)
        .join(BudgetClassRow, BudgetClassRow.id == CategoryRow.budget_class_id)
        .where(ProgramRow.fiscal_year_id == fiscal_year_id))]


def category_classes(s: Session, fiscal_year_id: int) -> dict[int, int]:
    return dict(s.execute(select(CategoryRow.id, CategoryRow.budget_class_id)  # type: ignore[arg-type]
                          .where(CategoryRow.fiscal_year_id == fiscal_year_id)).all())


def program_texts(s: Session, fiscal_year_id: int) -> list[tuple[Any, ...]]:
    """(category id, program id, number, name, purpose, code) of the year's programs."""
    return [tuple(r) for r in s.execute(
        select(ProgramRow.category_id, ProgramRow.id, ProgramRow.number, ProgramRow.name,
               ProgramRow.purpose, ProgramRow.code).where(ProgramRow.fiscal_year_id == fiscal_year_id))]


def line_item_texts(s: Session, fiscal_year_id: int) -> list[tuple[Any, ...]]:
    """(category id, program id, line item id, name, activities as raw JSON text) of the year's line items."""
    return [tuple(r) for r in s.execute(
        select(ProgramRow.category_id, ProgramRow.id, LineItemRow.id, LineItemRow.name,
               type_coerce(LineItemRow.activities, Text)).join(ProgramRow, ProgramRow.id == LineItemRow.program_id)
        .where(ProgramRow.fiscal_year_id == fiscal_year_id))]
