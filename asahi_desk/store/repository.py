"""Queries and ORM <-> domain conversion. Repositories never commit: the service owns the transaction."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Row, Select, delete, func, insert, select
from sqlalchemy.orm import Session

from asahi_desk.domain.collector import paused_collector
from asahi_desk.domain.entities import (
    AgendaItem,
    AgendaSubItem,
    Budget,
    BudgetClass,
    Category,
    Indicator,
    LineItem,
    Meeting,
    Photo,
    Program,
    ProgramLink,
    RelatedBureauProgram,
    Review,
    ReviewArea,
    ReviewInitiative,
    ReviewRow,
    SummaryRow,
)
from asahi_desk.domain.errors import AsahiError, NotFoundError
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.domain.rules import normalise_name
from asahi_desk.store import text_guard
from asahi_desk.store.models import (
    AgendaItemRow,
    AgendaSubItemRow,
    Base,
    BudgetClassRow,
    CategoryRow,
    FiscalYear,
    IndicatorRow,
    LineItemRow,
    LineItemSection,
    MeetingRow,
    PhotoRow,
    ProgramRow,
    ProgramSection,
    RelatedBureauProgramRow,
    ReviewAreaModel,
    ReviewInitiativeModel,
    ReviewModel,
    ReviewRowModel,
    ReviewRowProgram,
    Section,
    SummaryRowRow,
    Ward,
)


def new_uid() -> str:
    """A random 32-hex identity (128 bits, as uuid4().hex had, at a tenth of its cost: a year has 10,000 rows)."""
    return os.urandom(16).hex()


# --------------------------------------------------------------------------- look-ups

def fiscal_years(session: Session) -> list[int]:
    return list(session.scalars(select(FiscalYear.year).distinct().order_by(FiscalYear.year)))


def find_fiscal_year(session: Session, year: int) -> FiscalYear | None:
    rows = list(session.scalars(select(FiscalYear).where(FiscalYear.year == year)))
    if len(rows) > 1:
        raise AsahiError(f"{fiscal_year_both(year)}のデータが複数の区にあります")
    return rows[0] if rows else None


def get_fiscal_year(session: Session, year: int) -> FiscalYear:
    fy = find_fiscal_year(session, year)
    if fy is None:
        raise NotFoundError(f"{fiscal_year_both(year)}のデータがありません（登録済み: {_years_text(session)}）")
    return fy


def _years_text(session: Session) -> str:
    years = fiscal_years(session)
    return "、".join(str(y) for y in years) if years else "なし"


def latest_ward(session: Session) -> tuple[str, str] | None:
    """The ward (name, city) of the newest fiscal year, without loading the year; None when there is none."""
    row = session.execute(select(Ward.name, Ward.city).join(FiscalYear, FiscalYear.ward_id == Ward.id)
                          .order_by(FiscalYear.year.desc(), FiscalYear.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row is not None else None


def get_or_create_ward(session: Session, name: str, city: str = "") -> Ward:
    ward = session.scalar(select(Ward).where(Ward.name == name))
    if ward is None:
        ward = Ward(name=name, city=city)
        session.add(ward)
        session.flush()
    elif city and not ward.city:
        ward.city = city
    return ward


def sections_by_name(session: Session, names: Iterable[str]) -> dict[str, Section]:
    """The section master rows for these names, created when missing."""
    wanted = list(dict.fromkeys(names))
    found = {s.name: s for s in session.scalars(select(Section).where(Section.name.in_(wanted)))} if wanted else {}
    for name in wanted:
        if name not in found:
            found[name] = Section(name=name)
            session.add(found[name])
    if len(found) > 0:
        session.flush()
    return found


def all_sections(session: Session) -> list[str]:
    return list(session.scalars(select(Section.name).order_by(Section.id)))


# --------------------------------------------------------------------------- domain -> ORM

@paused_collector()
def add_budget(session: Session, budget: Budget, *, keep_uids: bool = True) -> FiscalYear:
    """Insert a whole fiscal year. The caller checked that the year does not exist yet.

    The rows go in with one bulk INSERT per table (executemany / insertmanyvalues), not object by
    object: a 1,000-program year took seconds through the unit of work."""
    ward = get_or_create_ward(session, budget.ward, budget.city)
    fy = FiscalYear(ward_id=ward.id, year=budget.fiscal_year, title=budget.title,
                    summary_notes=list(budget.summary_notes) if budget.summary_notes is not None else None,
                    overview=budget.overview,
                    uncertain=list(budget.uncertain) if budget.uncertain is not None else None,
                    has_printed_summary=budget.summary is not None)
    session.add(fy)
    session.flush()
    programs = budget.programs()
    names = [s for p in programs for s in p.sections]
    names += [s for p in programs for li in p.line_items for s in (li.sections or ())]
    section_ids = {name: row.id for name, row in sections_by_name(session, names).items()}
    classes = list(budget.budget_classes)
    for c in budget.categories:
        if c.budget_class not in {bc.name for bc in classes}:
            classes.append(budget.budget_class(c.budget_class))
    insert_rows(session, BudgetClassRow, [
        dict(fiscal_year_id=fy.id, position=i, name=bc.name, in_total=bc.in_total,
             indicators_required=bc.indicators_required) for i, bc in enumerate(classes)])
    class_ids = dict(session.execute(select(BudgetClassRow.name, BudgetClassRow.id)
                                     .where(BudgetClassRow.fiscal_year_id == fy.id)).all())
    insert_rows(session, CategoryRow, [
        dict(fiscal_year_id=fy.id, budget_class_id=class_ids[c.budget_class], position=ci, code=c.code, name=c.name)
        for ci, c in enumerate(budget.categories)])
    by_position = dict(session.execute(select(CategoryRow.position, CategoryRow.id)
                                       .where(CategoryRow.fiscal_year_id == fy.id)).all())
    category_ids = [by_position[ci] for ci in range(len(budget.categories))]
    # only a program without a uid of its own looks for one in the adjacent years (a rollover has them all)
    needs_lookup = keep_uids and (any(not p.uid for p in programs) or len({p.uid for p in programs}) < len(programs))
    inherited = _adjacent_year_uids(session, ward.id, budget.fiscal_year) if needs_lookup else {}
    seen_uids: set[str] = set()
    ordered = programs  # in category order
    uids: list[str] = []
    for p in ordered:
        uid = p.uid if keep_uids and p.uid and p.uid not in seen_uids else None
        if uid is None:
            uid = inherited.get((p.code, normalise_name(p.name))) or inherited.get((None, normalise_name(p.name)))
            uid = uid if uid and uid not in seen_uids else new_uid()
        seen_uids.add(uid)
        uids.append(uid)
    # column by column (lists in C loops, no dict per row): a 20,000-program year is written twice by the
    # Excel import's --create-prior, and the rows' Python cost was larger than SQLite's own
    ids = _next_ids(session, ProgramRow, len(ordered))
    insert_columns(session, ProgramRow, dict(
        **({"id": ids} if ids is not None else {}),
        fiscal_year_id=[fy.id] * len(ordered),
        category_id=[cid for cid, c in zip(category_ids, budget.categories, strict=True) for _p in c.programs],
        uid=uids, position=[pi for c in budget.categories for pi in range(len(c.programs))],
        code=[p.code for p in ordered], number=[p.number for p in ordered], name=[p.name for p in ordered],
        purpose=[p.purpose for p in ordered], current=[p.current for p in ordered], prior=[p.prior for p in ordered],
        printed_change=[p.printed_change for p in ordered], notes=[list(p.notes) for p in ordered]))
    if ids is None:
        by_uid = dict(session.execute(select(ProgramRow.uid, ProgramRow.id)
                                      .where(ProgramRow.fiscal_year_id == fy.id)).all())
        ids = [by_uid[uid] for uid in uids]  # a uid is unique within its year
    program_ids = ids
    insert_program_children(session, list(zip(program_ids, ordered, strict=True)), section_ids)
    insert_rows(session, SummaryRowRow, [
        dict(fiscal_year_id=fy.id, position=si, name=s.name, current=s.current, prior=s.prior, change=s.change,
             rate=str(s.rate) if s.rate is not None else None) for si, s in enumerate(budget.summary or ())])
    for mi, m in enumerate(budget.meetings):
        fy.meetings.append(meeting_row(m, mi))
    session.flush()
    return fy


def _next_ids(session: Session, model: Any, count: int) -> list[int] | None:
    """On SQLite, the ids the next `count` rows of model's table would get (its largest id + 1 …), for
    the INSERT to state, so they need not be read back by another key. The transaction writing them holds
    the write lock (BEGIN IMMEDIATE; a stale read would fail the INSERT, never reuse an id). None on
    databases whose ids come from a sequence: the caller reads them back."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    top = session.scalar(select(func.max(model.id))) or 0
    return list(range(top + 1, top + 1 + count))


def program_row(p: Program, fiscal_year_id: int, position: int, uid: str, sections: dict[str, Section]) -> ProgramRow:
    """One program as ORM rows (with its children), for writes that go through an operation (a version
    restore puts back a program deleted since); whole years are bulk-inserted above."""
    row = ProgramRow(fiscal_year_id=fiscal_year_id, uid=uid, position=position, code=p.code, number=p.number,
                     name=p.name, purpose=p.purpose, current=p.current, prior=p.prior,
                     printed_change=p.printed_change, notes=list(p.notes))
    row.section_links = [ProgramSection(section=sections[s], position=i) for i, s in enumerate(dict.fromkeys(p.sections))]
    row.line_items = [line_item_row(li, i, sections) for i, li in enumerate(p.line_items)]
    row.indicators = [IndicatorRow(position=i, name=x.name, target=x.target, unit=x.unit, actual=x.actual)
                      for i, x in enumerate(p.indicators)]
    row.related = [RelatedBureauProgramRow(position=i, name=x.name, bureau=x.bureau, amount=x.amount)
                   for i, x in enumerate(p.related_bureau_programs)]
    row.photos = [PhotoRow(position=i, caption=x.caption, image=x.image) for i, x in enumerate(p.photos)]
    return row


def line_item_row(li: LineItem, position: int, sections: dict[str, Section]) -> LineItemRow:
    row = LineItemRow(uid=li.uid or new_uid(), position=position, number=li.number, name=li.name, amount=li.amount,
                      marker=li.marker, activities=list(li.activities), prior=li.prior,
                      has_sections=li.sections is not None)
    row.section_links = [LineItemSection(section=sections[s], position=i)
                         for i, s in enumerate(dict.fromkeys(li.sections or ()))]
    return row


def insert_program_children(session: Session, programs: list[tuple[int, Program]], section_ids: dict[str, int]) -> None:
    """The sections, line items (with their sections), indicators, related programs and photos of programs
    just inserted with these ids, one bulk INSERT per table."""
    links = [(pid, section_ids[s], i) for pid, p in programs for i, s in enumerate(
        p.sections if len(p.sections) < 2 else dict.fromkeys(p.sections))]
    insert_columns(session, ProgramSection, dict(program_id=[x[0] for x in links], section_id=[x[1] for x in links],
                                                 position=[x[2] for x in links]))
    items = [(pid, i, li) for pid, p in programs if p.line_items for i, li in enumerate(p.line_items)]
    lis = [li for _pid, _i, li in items]
    insert_columns(session, LineItemRow, dict(
        program_id=[pid for pid, _i, _li in items], uid=[li.uid or new_uid() for li in lis],
        position=[i for _pid, i, _li in items], number=[li.number for li in lis], name=[li.name for li in lis],
        amount=[li.amount for li in lis], marker=[li.marker for li in lis],
        activities=[list(li.activities) for li in lis], prior=[li.prior for li in lis],
        has_sections=[li.sections is not None for li in lis]))
    linked = [(pid, n, li) for pid, n, li in items if li.sections]
    if linked:  # the ids of the items with sections of their own, by (program, position): unique
        parents = sorted({pid for pid, _n, _li in linked})
        ids = {(pid, n): item_id for pid, n, item_id in session.execute(
            select(LineItemRow.program_id, LineItemRow.position, LineItemRow.id)
            .where(LineItemRow.program_id.in_(parents)))}
        insert_rows(session, LineItemSection, [
            dict(line_item_id=ids[(pid, n)], section_id=section_ids[s], position=i)
            for pid, n, li in linked for i, s in enumerate(dict.fromkeys(li.sections or ()))])
    insert_rows(session, IndicatorRow, [dict(program_id=pid, position=i, name=x.name, target=x.target, unit=x.unit,
                                             actual=x.actual)
                                        for pid, p in programs if p.indicators for i, x in enumerate(p.indicators)])
    insert_rows(session, RelatedBureauProgramRow, [
        dict(program_id=pid, position=i, name=x.name, bureau=x.bureau, amount=x.amount)
        for pid, p in programs if p.related_bureau_programs for i, x in enumerate(p.related_bureau_programs)])
    insert_rows(session, PhotoRow, [dict(program_id=pid, position=i, caption=x.caption, image=x.image)
                                    for pid, p in programs if p.photos for i, x in enumerate(p.photos)])


def insert_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """One bulk INSERT of like rows into model's table (executemany; insertmanyvalues batches on PostgreSQL).
    Columns left out get their defaults. No RETURNING: SQLite would then insert row by row to keep the
    order of the ids; the callers look the new ids up by a key unique within the year instead."""
    if not rows:
        return
    keys = list(rows[0])
    keyset = rows[0].keys()
    if any(r.keys() != keyset for r in rows):  # unlike rows: SQLAlchemy builds each one's parameters
        text_guard.check_rows(model.__table__, rows)
        session.execute(insert(model.__table__), rows)
        return
    insert_columns(session, model, {k: [r[k] for r in rows] for k in keys})


def insert_columns(session: Session, model: type[Base], columns: dict[str, list[Any]]) -> None:
    """insert_rows of rows given column by column (every list as long as the others): checked by
    text_guard a column at a time, handed to the driver as tuples zipped in C."""
    count = len(next(iter(columns.values()), []))
    if not count:
        return
    text_guard.check_columns(model.__table__, columns)
    if not _driver_executemany(session, model.__table__, columns, count):
        keys = list(columns)
        session.execute(insert(model.__table__), [dict(zip(keys, values, strict=True))
                                                  for values in zip(*columns.values(), strict=True)])


def _driver_executemany(session: Session, table: Any, columns: dict[str, list[Any]], count: int) -> bool:
    """The same INSERT handed to the driver's executemany with parameters built column by column, for
    a positional driver (SQLite) when the missing columns have plain defaults; False otherwise (then
    SQLAlchemy builds them: insertmanyvalues on PostgreSQL). SQLAlchemy's per-row parameter building
    was most of the time of a 40,000-program write. Each value goes through the column type's bind
    processor as SQLAlchemy would pass it (JSON serialised, booleans as integers)."""
    conn = session.connection()
    dialect = conn.dialect
    if not dialect.positional:
        return False
    plan = _insert_plan(table, tuple(columns), dialect)
    if plan is None:
        return False
    sql, order = plan
    params = []
    for key, default, process, is_json in order:
        values = columns[key] if key in columns else [default] * count
        if process is not None and is_json:
            empty = process([])  # most lists (notes, activities) are empty: serialised once
            params.append([empty if v == [] and type(v) is list else process(v) for v in values])
        else:
            params.append([process(v) for v in values] if process else values)
    conn.exec_driver_sql(sql, list(zip(*params, strict=True)))
    return True


_PLANS: dict[tuple[Any, ...], tuple[str, list[tuple[str, Any, Any, bool]]] | None] = {}


def _insert_plan(table: Any, keys: tuple[str, ...], dialect: Any) -> tuple[str, list[tuple[str, Any, Any, bool]]] | None:
    """The INSERT's SQL for these columns (and the plain defaults of those left out) with, in parameter
    order, each column's default and bind processor; None when a left-out column's default is not plain.
    Compiled once per table, columns and dialect (a year's write makes ten INSERTs, a new year twenty)."""
    # the processors depend on the dialect's kind and its JSON serialiser (an engine option), not on the engine
    cache_key = (table, keys, type(dialect), dialect.paramstyle, getattr(dialect, "_json_serializer", None))
    if cache_key in _PLANS:
        return _PLANS[cache_key]
    defaults: dict[str, Any] = {}
    plan: tuple[str, list[tuple[str, Any, Any, bool]]] | None = None
    for column in table.columns:
        if column.key not in keys and column.default is not None:
            if not column.default.is_scalar:
                _PLANS[cache_key] = None
                return None
            defaults[column.key] = column.default.arg
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys) + list(defaults))
    order = list(compiled.positiontup or ())
    if sorted(order) == sorted(list(keys) + list(defaults)):
        plan = (str(compiled), [(key, defaults.get(key), table.c[key].type.dialect_impl(dialect).bind_processor(dialect),
                                 isinstance(table.c[key].type, JSON)) for key in order])
    _PLANS[cache_key] = plan
    return plan


def _adjacent_year_uids(session: Session, ward_id: int, year: int) -> dict[tuple[str | None, str], str]:
    """Identities of the programs of the years before and after, by (code, name) and by name alone,
    so a year loaded from a file without uids joins the programs it continues."""
    rows = session.execute(
        select(ProgramRow.code, ProgramRow.name, ProgramRow.uid, FiscalYear.year)
        .join(FiscalYear, ProgramRow.fiscal_year_id == FiscalYear.id)
        .where(FiscalYear.ward_id == ward_id, FiscalYear.year.in_((year - 1, year + 1)))
        .order_by(FiscalYear.year.desc())  # the prior year wins over the next one
    ).all()
    found: dict[tuple[str | None, str], str] = {}
    for code, name, uid, _year in rows:
        key = normalise_name(name)
        found[(code, key)] = uid
        found.setdefault((None, key), uid)
    return found


def meeting_row(m: Meeting, position: int) -> MeetingRow:
    row = MeetingRow(position=position, title=m.title, date=m.date, start_time=m.start_time, venue=m.venue)
    for ai, a in enumerate(m.agenda):
        item = AgendaItemRow(position=ai, number=a.number, title=a.title)
        item.sub_items = [AgendaSubItemRow(position=si, title=s.title, presenter=s.presenter, material=s.material)
                          for si, s in enumerate(a.items)]
        row.agenda.append(item)
    return row


def delete_fiscal_year(session: Session, fy: FiscalYear) -> int:
    """The year and everything under it (budget classes, categories, programs, line items, indicators, the
    printed 総括表, meetings); returns how many programs went."""
    programs = session.scalar(select(func.count()).select_from(ProgramRow)
                              .where(ProgramRow.fiscal_year_id == fy.id)) or 0
    # categories first: they hold their budget class with ON DELETE RESTRICT
    session.execute(delete(CategoryRow).where(CategoryRow.fiscal_year_id == fy.id))
    session.delete(fy)
    return int(programs)

# --------------------------------------------------------------------------- ORM -> domain

def load_budget(session: Session, fy: FiscalYear) -> Budget:
    """A frozen snapshot of one fiscal year, loaded in a handful of queries."""
    categories = load_categories(session, fy.id)
    classes = tuple(BudgetClass(b.name, b.in_total, b.indicators_required, b.id) for b in fy.budget_classes)
    summary = None
    if fy.has_printed_summary:
        summary = tuple(SummaryRow(s.name, s.current, s.prior, s.change, Decimal(s.rate) if s.rate is not None else None)
                        for s in fy.summary_rows)
    return Budget(
        ward=fy.ward.name,
        fiscal_year=fy.year,
        city=fy.ward.city,
        title=fy.title,
        categories=categories,
        budget_classes=classes,
        meetings=tuple(meeting_entity(m) for m in fy.meetings),
        summary=summary,
        summary_notes=tuple(fy.summary_notes) if fy.summary_notes is not None else None,
        overview=fy.overview,
        uncertain=tuple(fy.uncertain) if fy.uncertain is not None else None,
    )


def printed_summary_rows(session: Session, fiscal_year_id: int) -> list[SummaryRowRow]:
    """The year's 総括表 as printed, row by row in its printed order (live rows: the caller may set figures)."""
    return list(session.scalars(select(SummaryRowRow).where(SummaryRowRow.fiscal_year_id == fiscal_year_id)
                                .order_by(SummaryRowRow.position)))


def _grouped(session: Session, stmt: Select) -> dict[int, list[Row]]:
    """Rows of stmt (first column: the parent id, ordered by parent and position) grouped by parent."""
    groups: dict[int, list[Row]] = defaultdict(list)
    for row in session.execute(stmt):
        groups[row[0]].append(row)
    return groups


def load_categories(session: Session, fiscal_year_id: int) -> tuple[Category, ...]:
    """The category tree of one year from plain column queries, one per table.

    The checker reloads a year after every edit; building ORM objects for 10,000 line items took
    about ten times as long as these tuples do."""
    in_year = select(ProgramRow.id).where(ProgramRow.fiscal_year_id == fiscal_year_id).scalar_subquery()
    program_sections = _grouped(session, select(ProgramSection.program_id, Section.name)
                                .join(Section).where(ProgramSection.program_id.in_(in_year))
                                .order_by(ProgramSection.program_id, ProgramSection.position))
    indicators = _grouped(session, select(IndicatorRow.program_id, IndicatorRow.name, IndicatorRow.target,
                                          IndicatorRow.unit, IndicatorRow.actual)
                          .where(IndicatorRow.program_id.in_(in_year))
                          .order_by(IndicatorRow.program_id, IndicatorRow.position))
    related = _grouped(session, select(RelatedBureauProgramRow.program_id, RelatedBureauProgramRow.name,
                                       RelatedBureauProgramRow.bureau, RelatedBureauProgramRow.amount)
                       .where(RelatedBureauProgramRow.program_id.in_(in_year))
                       .order_by(RelatedBureauProgramRow.program_id, RelatedBureauProgramRow.position))
    photos = _grouped(session, select(PhotoRow.program_id, PhotoRow.caption, PhotoRow.image)
                      .where(PhotoRow.program_id.in_(in_year))
                      .order_by(PhotoRow.program_id, PhotoRow.position))
    item_ids = (select(LineItemRow.id).join(ProgramRow)
                .where(ProgramRow.fiscal_year_id == fiscal_year_id).scalar_subquery())
    item_sections = _grouped(session, select(LineItemSection.line_item_id, Section.name)
                             .join(Section).where(LineItemSection.line_item_id.in_(item_ids))
                             .order_by(LineItemSection.line_item_id, LineItemSection.position))
    items = _grouped(session, select(
        LineItemRow.program_id, LineItemRow.id, LineItemRow.uid, LineItemRow.number, LineItemRow.name,
        LineItemRow.amount, LineItemRow.marker, LineItemRow.activities, LineItemRow.prior, LineItemRow.has_sections,
    ).join(ProgramRow).where(ProgramRow.fiscal_year_id == fiscal_year_id)
        .order_by(LineItemRow.program_id, LineItemRow.position))
    programs = _grouped(session, select(
        ProgramRow.category_id, ProgramRow.id, ProgramRow.uid, ProgramRow.code, ProgramRow.number, ProgramRow.name,
        ProgramRow.current, ProgramRow.prior, ProgramRow.purpose, ProgramRow.printed_change, ProgramRow.notes,
    ).where(ProgramRow.fiscal_year_id == fiscal_year_id).order_by(ProgramRow.category_id, ProgramRow.position))
    no_rows: list[Row] = []

    def line_item(r: Row) -> LineItem:
        _, li_id, uid, number, name, amount, marker, activities, prior, has_sections = r
        sections = tuple(s[1] for s in item_sections.get(li_id, no_rows)) if has_sections else None
        return LineItem(number=number, name=name, amount=amount, marker=marker, activities=tuple(activities or ()),
                        prior=prior, sections=sections, id=li_id, uid=uid)

    def program(r: Row) -> Program:
        _, p_id, uid, code, number, name, current, prior, purpose, printed_change, notes = r
        return Program(
            code=code, number=number, name=name, current=current, prior=prior,
            sections=tuple(s[1] for s in program_sections.get(p_id, no_rows)),
            purpose=purpose, printed_change=printed_change,
            line_items=tuple(line_item(li) for li in items.get(p_id, no_rows)),
            indicators=tuple(Indicator(i[1], i[2], i[3], i[4]) for i in indicators.get(p_id, no_rows)),
            related_bureau_programs=tuple(RelatedBureauProgram(x[1], x[2], x[3]) for x in related.get(p_id, no_rows)),
            photos=tuple(Photo(ph[1], ph[2]) for ph in photos.get(p_id, no_rows)),
            notes=tuple(notes or ()), id=p_id, uid=uid,
        )

    rows = session.execute(
        select(CategoryRow.id, CategoryRow.code, CategoryRow.name, BudgetClassRow.name)
        .join(BudgetClassRow, CategoryRow.budget_class_id == BudgetClassRow.id)
        .where(CategoryRow.fiscal_year_id == fiscal_year_id).order_by(CategoryRow.position))
    return tuple(Category(code, name, class_name, tuple(program(p) for p in programs.get(c_id, no_rows)), c_id)
                 for c_id, code, name, class_name in rows)


def meeting_entity(m: MeetingRow) -> Meeting:
    return Meeting(m.title, m.date, m.start_time, m.venue, tuple(
        AgendaItem(a.number, a.title, tuple(AgendaSubItem(s.title, s.presenter, s.material) for s in a.sub_items))
        for a in m.agenda), m.id)


# --------------------------------------------------------------------------- reviews

def find_review(session: Session, year: int) -> ReviewModel | None:
    return session.scalar(select(ReviewModel).where(ReviewModel.fiscal_year == year))


def review_years(session: Session) -> list[int]:
    return list(session.scalars(select(ReviewModel.fiscal_year).order_by(ReviewModel.fiscal_year)))


def add_review(session: Session, review: Review) -> ReviewModel:
    """Store a review as given; links keep their uid (None when not resolved) and label."""
    ward = get_or_create_ward(session, review.ward)
    row = ReviewModel(ward_id=ward.id, fiscal_year=review.fiscal_year, title=review.title,
                      basic_goal=review.basic_goal,
                      uncertain=list(review.uncertain) if review.uncertain is not None else None)
    for ai, a in enumerate(review.areas):
        area = ReviewAreaModel(position=ai, number=a.number, name=a.name)
        for ii, ini in enumerate(a.initiatives):
            init = ReviewInitiativeModel(position=ii, title=ini.title)
            init.rows = [review_row_model(r, ri) for ri, r in enumerate(ini.rows)]
            area.initiatives.append(init)
        row.areas.append(area)
    session.add(row)
    session.flush()
    return row


def review_row_model(r: ReviewRow, position: int) -> ReviewRowModel:
    row = ReviewRowModel(position=position, sections=list(r.sections), plan=list(r.plan), results=list(r.results))
    row.program_links = link_models(r.programs)
    return row


def link_models(links: tuple[ProgramLink, ...] | list[ProgramLink]) -> list[ReviewRowProgram]:
    return [ReviewRowProgram(position=i, program_uid=x.uid, label=x.label) for i, x in enumerate(links)]


def year_programs(session: Session, year: int) -> list[tuple[str, str | None, str]] | None:
    """(uid, code, name) of the year's programs in print order, or None when the year has no budget."""
    fy = find_fiscal_year(session, year)
    if fy is None:
        return None
    return [tuple(r) for r in session.execute(  # type: ignore[misc]
        select(ProgramRow.uid, ProgramRow.code, ProgramRow.name).join(CategoryRow)
        .where(ProgramRow.fiscal_year_id == fy.id).order_by(CategoryRow.position, ProgramRow.position))]


def load_review(row: ReviewModel, labels: dict[str, str] | None = None) -> Review:
    """labels: uid -> the program's label in the review's year (its code, or name), so a link shows the
    program as it is now; a link whose program is not there keeps its stored label."""
    labels = labels or {}

    def link(x: ReviewRowProgram) -> ProgramLink:
        return ProgramLink(labels.get(x.program_uid, x.label) if x.program_uid else x.label, x.program_uid)

    return Review(
        ward=row.ward.name, fiscal_year=row.fiscal_year, title=row.title, basic_goal=row.basic_goal,
        areas=tuple(ReviewArea(a.number, a.name, tuple(
            ReviewInitiative(i.title, tuple(
                ReviewRow(tuple(r.sections), tuple(r.plan), tuple(r.results),
                          tuple(link(x) for x in r.program_links), r.id) for r in i.rows), i.id)
            for i in a.initiatives), a.id) for a in row.areas),
        uncertain=tuple(row.uncertain) if row.uncertain is not None else None,
        id=row.id,
    )
