"""The queries of the edit operations: rows to lock, look up or capture, column limits (services stay SQL-free)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from asahi_desk.store.models import (
    BudgetClassRow,
    CategoryRow,
    IndicatorRow,
    LineItemRow,
    LineItemSection,
    PhotoRow,
    ProgramRow,
    ProgramSection,
    RelatedBureauProgramRow,
    Section,
)
from asahi_desk.store.operations import Operation, capture_deleted

# Text columns have no length in the schema: the limit the service holds them to
TEXT_LIMITS = {"name": 200, "caption": 200}


def column_limit(attribute: Any) -> int | None:
    """The longest text a mapped attribute's column holds (String(n), or TEXT_LIMITS for a Text name)."""
    column = attribute.expression
    if isinstance(column.type, String) and column.type.length:
        return column.type.length
    return TEXT_LIMITS.get(column.key)


def existing_sections(s: Session, names: Sequence[str]) -> dict[str, Section]:
    """The 担当課 master rows of these names (missing names are not created)."""
    return {sec.name: sec for sec in s.scalars(select(Section).where(Section.name.in_(list(names))))}


def section_exists(s: Session, name: str) -> bool:
    return s.scalars(select(Section).where(Section.name == name)).first() is not None


def categories_of_year(s: Session, fiscal_year_id: int) -> list[CategoryRow]:
    return list(s.scalars(select(CategoryRow).where(CategoryRow.fiscal_year_id == fiscal_year_id)
                          .order_by(CategoryRow.position).with_for_update()))


def budget_class(s: Session, fiscal_year_id: int, budget_class_id: int | None) -> BudgetClassRow | None:
    """The given budget class of the year, or its first one."""
    query = select(BudgetClassRow).where(BudgetClassRow.fiscal_year_id == fiscal_year_id)
    if budget_class_id is not None:
        query = query.where(BudgetClassRow.id == budget_class_id)
    return s.scalars(query.order_by(BudgetClassRow.position)).first()


def capture_line_items(op: Operation, item_ids: Any) -> None:
    """Record these 細事業 (ids or a subquery) and their 担当課 links as deleted, before the delete."""
    capture_deleted(op, LineItemRow.__table__, LineItemRow.id.in_(item_ids))
    capture_deleted(op, LineItemSection.__table__, LineItemSection.line_item_id.in_(item_ids))


def capture_programs(op: Operation, which: Any) -> None:
    """Record the programs matching `which` and everything hanging from them as deleted, parents first."""
    ids = select(ProgramRow.id).where(which).scalar_subquery()
    capture_deleted(op, ProgramRow.__table__, ProgramRow.id.in_(ids))
    for model in (ProgramSection, IndicatorRow, RelatedBureauProgramRow, PhotoRow):
        capture_deleted(op, model.__table__, model.program_id.in_(ids))
    capture_line_items(op, select(LineItemRow.id).where(LineItemRow.program_id.in_(ids)).scalar_subquery())


def capture_category(op: Operation, category_id: int) -> None:
    capture_deleted(op, CategoryRow.__table__, CategoryRow.id == category_id)
    capture_programs(op, ProgramRow.category_id == category_id)
