"""The queries of the budget cycle (照会 merge, named versions): rows to lock, version rows, and making a working
year equal to a version field by field inside an operation (so the history says what a restore changed and undo
puts back exactly that)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from asahi_desk.domain import structure
from asahi_desk.domain.entities import Budget, LineItem, Program
from asahi_desk.domain.errors import ConflictError
from asahi_desk.store import repository as repo
from asahi_desk.store.edit_rows import capture_line_items, capture_programs
from asahi_desk.store.models import (
    BudgetClassRow,
    BudgetVersionRow,
    CategoryRow,
    FiscalYear,
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

VERSION_NAME_LIMIT = BudgetVersionRow.name.type.length
# what a restore puts back of an indicator: its 実績 too once the column exists (the 振り返り work, revision 0004)
INDICATOR_FIELDS = ("name", "target", "unit") + (("actual",) if hasattr(IndicatorRow, "actual") else ())


def year_programs_locked(s: Session, fiscal_year_id: int) -> list[ProgramRow]:
    """The year's programs with their line items, indicators and 課, locked until the transaction ends
    (PostgreSQL: FOR UPDATE; SQLite: the operation's BEGIN IMMEDIATE holds the database)."""
    return list(s.scalars(
        select(ProgramRow).where(ProgramRow.fiscal_year_id == fiscal_year_id)
        .options(selectinload(ProgramRow.line_items).selectinload(LineItemRow.section_links),
                 selectinload(ProgramRow.indicators), selectinload(ProgramRow.section_links),
                 selectinload(ProgramRow.related), selectinload(ProgramRow.photos))
        .order_by(ProgramRow.id).with_for_update()))


def capture_line_item(op: Operation, item_id: int) -> None:
    """Record a 細事業 and its 課 links as deleted, before the delete (undo restores both)."""
    capture_line_items(op, [item_id])


# --------------------------------------------------------------------------- versions

def version_row(s: Session, fiscal_year_id: int, name: str) -> BudgetVersionRow | None:
    return s.scalar(select(BudgetVersionRow).where(BudgetVersionRow.fiscal_year_id == fiscal_year_id,
                                                   BudgetVersionRow.name == name))


def version_rows(s: Session, fiscal_year_id: int) -> list[BudgetVersionRow]:
    return list(s.scalars(select(BudgetVersionRow).where(BudgetVersionRow.fiscal_year_id == fiscal_year_id)
                          .order_by(BudgetVersionRow.created_at, BudgetVersionRow.id)))


def version_names(s: Session, fiscal_year_id: int) -> list[str]:
    return list(s.scalars(select(BudgetVersionRow.name).where(BudgetVersionRow.fiscal_year_id == fiscal_year_id)
                          .order_by(BudgetVersionRow.created_at, BudgetVersionRow.id)))


def insert_version(s: Session, fiscal_year_id: int, name: str, clerk: str, data: dict[str, Any]) -> dt.datetime:
    """Store a frozen copy. A plain INSERT, not an ORM object: inside a restore's operation it is not one of the
    changes that undo takes back (the copy of the year as it was stays, whatever happens to the year)."""
    created = dt.datetime.now().replace(microsecond=0)
    try:
        with s.begin_nested():  # a savepoint: a refused name leaves the caller's transaction usable
            s.execute(insert(BudgetVersionRow).values(fiscal_year_id=fiscal_year_id, name=name, created_at=created,
                                                      clerk=clerk, data=data))
    except IntegrityError:  # a colleague saved the same name at the same moment
        raise ConflictError(f"版「{name}」は既にあります（版の名前は年度ごとに一つです）") from None
    return created


# --------------------------------------------------------------------------- restore

def make_year_equal(op: Operation, fy: FiscalYear, budget: Budget) -> None:
    """Write the differences so the year's categories, programs, line items, indicators, 課, related programs and
    photos equal the budget's. Programs and line items are matched by uid, categories by code and name; what
    the budget lacks is deleted (captured first, so undo restores it), what it adds is inserted."""
    s = op.session
    classes = {bc.name: bc for bc in s.scalars(select(BudgetClassRow).where(BudgetClassRow.fiscal_year_id == fy.id))}
    for c in budget.categories:
        if c.budget_class not in classes:
            bc = budget.budget_class(c.budget_class)
            classes[bc.name] = BudgetClassRow(fiscal_year_id=fy.id, position=len(classes), name=bc.name,
                                              in_total=bc.in_total, indicators_required=bc.indicators_required)
            s.add(classes[bc.name])
    names = [x for p in budget.programs() for x in p.sections]
    names += [x for p in budget.programs() for li in p.line_items for x in (li.sections or ())]
    sections = repo.sections_by_name(s, names)
    s.flush()

    categories = list(s.scalars(select(CategoryRow).where(CategoryRow.fiscal_year_id == fy.id).with_for_update()))
    left_categories = {(c.code, c.name): c for c in categories}
    programs = {p.uid: p for p in year_programs_locked(s, fy.id)}
    placed: list[tuple[CategoryRow, int, Program]] = []
    for ci, c in enumerate(budget.categories):
        row = left_categories.pop((c.code, c.name), None)
        if row is None:
            row = CategoryRow(fiscal_year_id=fy.id, code=c.code, name=c.name, position=ci,
                              budget_class_id=classes[c.budget_class].id)
            s.add(row)
        _set(row, position=ci, budget_class_id=classes[c.budget_class].id)
        placed += [(row, pi, p) for pi, p in enumerate(c.programs)]
    s.flush()
    for cat, pi, p in placed:
        row = programs.pop(p.uid, None) if p.uid else None
        if row is None:
            new = repo.program_row(p, fy.id, pi, p.uid or repo.new_uid(), sections)
            new.category_id = cat.id
            s.add(new)
            continue
        printed = p.printed_change
        if row.printed_change is None and printed == p.change:
            printed = None  # a version saved before it kept NULL holds the computed 増▲減: unset stays unset
        _set(row, category_id=cat.id, position=pi, code=p.code, number=p.number, name=p.name, purpose=p.purpose,
             current=p.current, prior=p.prior, printed_change=printed, notes=list(p.notes))
        _program_children(op, row, p, sections)
    s.flush()
    if programs:
        capture_programs(op, ProgramRow.id.in_([p.id for p in programs.values()]))
        for row in programs.values():
            s.delete(row)
        s.flush()
    for cat in left_categories.values():
        capture_deleted(op, CategoryRow.__table__, CategoryRow.id == cat.id)
        s.delete(cat)
    s.flush()


def _set(row: Any, **values: Any) -> None:
    """Assign only what differs (an unchanged row is not written and not in the history)."""
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def _program_children(op: Operation, row: ProgramRow, p: Program, sections: dict[str, Section]) -> None:
    s = op.session
    wanted = list(dict.fromkeys(p.sections))
    if [link.section.name for link in row.section_links] != wanted:
        for link in list(row.section_links):
            row.section_links.remove(link)
            s.delete(link)
        s.flush()
        row.section_links.extend(ProgramSection(section=sections[n], position=i) for i, n in enumerate(wanted))
    fields = INDICATOR_FIELDS
    _replace_list(s, row.indicators, [tuple(getattr(i, f, "") or "" for f in fields) for i in p.indicators],
                  lambda r: tuple(getattr(r, f) or "" for f in fields),
                  lambda i, v: IndicatorRow(program_id=row.id, position=i, **dict(zip(fields, v, strict=True))),
                  fields)
    _replace_list(s, row.related, [(x.name, x.bureau, x.amount) for x in p.related_bureau_programs],
                  lambda r: (r.name, r.bureau, r.amount),
                  lambda i, v: RelatedBureauProgramRow(program_id=row.id, position=i, name=v[0], bureau=v[1],
                                                       amount=v[2]),
                  ("name", "bureau", "amount"))
    _replace_list(s, row.photos, [(x.caption, x.image) for x in p.photos], lambda r: (r.caption, r.image),
                  lambda i, v: PhotoRow(program_id=row.id, position=i, caption=v[0], image=v[1]),
                  ("caption", "image"))
    items = {li.uid: li for li in row.line_items}
    for position, li in enumerate(p.line_items):
        item = items.pop(li.uid, None) if li.uid else None
        if item is None:
            new = repo.line_item_row(li, position, sections)
            new.program_id = row.id
            s.add(new)
            continue
        _set(item, position=position, number=li.number, name=li.name, amount=li.amount, marker=li.marker,
             activities=list(li.activities), prior=li.prior, has_sections=li.sections is not None)
        _item_sections(s, item, li, sections)
    for item in items.values():
        capture_line_items(op, [item.id])
        row.line_items.remove(item)
        s.delete(item)
    structure.reposition(sorted(row.line_items, key=lambda r: r.position))


def _item_sections(s: Session, item: LineItemRow, li: LineItem, sections: dict[str, Section]) -> None:
    wanted = list(dict.fromkeys(li.sections or ()))
    if [link.section.name for link in item.section_links] != wanted:
        for link in list(item.section_links):
            item.section_links.remove(link)
            s.delete(link)
        s.flush()
        item.section_links.extend(LineItemSection(section=sections[n], position=i) for i, n in enumerate(wanted))


def _replace_list(s: Session, rows: list[Any], wanted: Sequence[tuple[Any, ...]], key: Any, make: Any,
                  fields: Sequence[str]) -> None:
    """Child rows in order: the first ones updated in place, the surplus deleted, the missing added."""
    current = sorted(rows, key=lambda r: r.position)
    if [key(r) for r in current] == list(wanted):
        return
    for i, values in enumerate(wanted):
        if i < len(current):
            _set(current[i], position=i, **dict(zip(fields, values, strict=True)))
        else:
            new = make(i, values)
            rows.append(new)
    for r in current[len(wanted):]:
        rows.remove(r)
        s.delete(r)
