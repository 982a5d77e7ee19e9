"""Edit use cases of the main window: one transaction per call, validated, frozen results."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, String, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.domain.entities import Indicator
from asahi_desk.domain.errors import ConflictError, InputError, NotFoundError
from asahi_desk.domain.money import AMOUNT_INPUT_MESSAGE, check_amount
from asahi_desk.services.tree import CATEGORY, LINE_ITEM, PROGRAM, TOTAL
from asahi_desk.store import repository as repo
from asahi_desk.store.models import (
    Base,
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
    SummaryRowRow,
)
from asahi_desk.store.unit_of_work import read_only, unit_of_work


@dataclass(frozen=True)
class ProgramFields:
    id: int
    category_id: int
    code: str | None
    number: int
    name: str
    purpose: str
    current: int
    prior: int
    sections: tuple[str, ...]
    related: tuple[tuple[str, str, int | None], ...]  # name, bureau, amount
    photo_captions: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    line_items: int = 0  # how many; with any, `current` is their sum and not edited on the program itself


@dataclass(frozen=True)
class LineItemFields:
    id: int
    program_id: int
    number: int
    name: str
    amount: int
    marker: str | None
    activities: tuple[str, ...]


@dataclass(frozen=True)
class CategoryFields:
    id: int
    code: str | None
    name: str
    position: int


CURRENT_IS_SUM_MESSAGE = "細事業のある事業の今年度予算額は細事業の合計です。細事業の金額を編集してください"
Values = tuple[tuple[str, Any], ...]  # (column, value) pairs of one row


@dataclass(frozen=True)
class Snapshot:
    """What a delete removed, for restore(): the rows of the subtree with all their columns (original ids,
    positions, uids, activities, images), parents first, and the columns of the rows around it that the
    delete renumbered or re-totalled (siblings' positions, numbers and codes; the program's amount)."""

    kind: str  # category, program or line_item
    id: int
    rows: tuple[tuple[str, tuple[Values, ...]], ...]  # (table name, rows) in insert order
    around: tuple[tuple[str, tuple[Values, ...]], ...]  # (table name, rows keyed by id) to write back


@dataclass(frozen=True)
class RowState:
    """The rows an edit may touch, every column, as they were at capture(); put_back() writes them again.

    parts: (table name, key column, key values, rows). Keyed by "id" the rows are updated in place (the same
    rows exist before and after the edit); keyed by a parent's id (program_id) the table's rows of those
    parents are replaced, since the edit may add or remove some (indicators, photos, 担当課)."""

    parts: tuple[tuple[str, str, tuple[int, ...], tuple[Values, ...]], ...]


# Text columns have no length in the schema: the limit the service holds them to
TEXT_LIMITS = {"name": 200, "caption": 200}
ACTIVITY_LIMIT = 500  # one entry of a line item's 主な活動 (a JSON list)
# what an edit of a program's field may add or remove besides the program row: these tables' rows of it
_PROGRAM_CHILDREN = {"sections": "program_section", "indicators": "indicator", "related": "related_bureau_program",
                     "photo_captions": "photo"}


def _column_limit(column: Column[Any]) -> int | None:
    if isinstance(column.type, String) and column.type.length:
        return column.type.length
    return TEXT_LIMITS.get(column.key)


def _fits(column: Any, text: str, label: str, where: str) -> str:
    """text unless it is longer than the column holds (String(n), or TEXT_LIMITS for a Text name); column may
    be a mapped attribute, a table's column or a limit (int)."""
    limit = column if isinstance(column, int) else _column_limit(column.expression)
    if limit is not None and len(text) > limit:
        raise InputError(f"{label}は{limit}文字以内で入力してください（{len(text)}文字あります）", where)
    return text


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _capture(s: Session, table: Table, where: Any, columns: Sequence[str] | None = None) -> tuple[Values, ...]:
    cols = [table.c[name] for name in columns] if columns else list(table.c)
    return tuple(tuple((k, _frozen(v)) for k, v in row.items())
                 for row in s.execute(select(*cols).where(where)).mappings())


def _amount(value: object, where: str) -> int:
    try:
        check_amount(value)  # type: ignore[arg-type]
    except ValueError:
        raise InputError(AMOUNT_INPUT_MESSAGE, where) from None
    return value  # type: ignore[return-value]


def _text(value: object, where: str, *, required: bool = True, column: Any = None, label: str = "") -> str:
    """Stripped text; required: not blank; column: no longer than it holds (label names it in the message)."""
    text = str(value).strip()
    if required and not text:
        raise InputError("入力してください", where)
    if column is not None:
        _fits(column, text, label or "入力", where)
    return text


def _get(s: Session, model: type, row_id: int, label: str):  # noqa: ANN202 - any ORM row
    row = s.get(model, row_id)
    if row is None:
        raise NotFoundError(f"{label}が見つかりません（id {row_id}）")
    return row


def _program_fields(p: ProgramRow) -> ProgramFields:
    return ProgramFields(
        p.id, p.category_id, p.code, p.number, p.name, p.purpose, p.current, p.prior,
        tuple(link.section.name for link in p.section_links),
        tuple((r.name, r.bureau, r.amount) for r in p.related),
        tuple(ph.caption for ph in p.photos),
        tuple(Indicator(i.name, i.target, i.unit, i.actual) for i in p.indicators),
        len(p.line_items))


def _line_item_fields(li: LineItemRow) -> LineItemFields:
    return LineItemFields(li.id, li.program_id, li.number, li.name, li.amount, li.marker, tuple(li.activities))


def _category_fields(c: CategoryRow) -> CategoryFields:
    return CategoryFields(c.id, c.code, c.name, c.position)


def _serial_code(code: str | None, category_code: str | None) -> bool:
    """True for a program code of the category's series, f"{category_code}-{n}" (「Ⅰ-3」 under 「Ⅰ」)."""
    return bool(code and category_code and re.fullmatch(re.escape(category_code) + r"-[0-9]+", code))


def _renumber_programs(cat: CategoryRow, old_code: str | None = None) -> None:
    """Positions 0.., numbers 1..n within the category, and codes of the series in step: 「Ⅰ-3」 is the
    category's code and the program's place among the programs of the series (統合事務費 has no code, so
    統合事業費 is 「Ⅴ-1」 though it is number 2, as printed). A code outside the series (typed by hand, such as
    「Ⅰ-1-A」) is left as it is. old_code: the category's code before a change, whose series is renamed."""
    series = old_code if old_code is not None else cat.code
    coded = 0
    for i, p in enumerate(sorted(cat.programs, key=lambda r: r.position)):
        p.position = i
        p.number = i + 1
        if cat.code and _serial_code(p.code, series):
            coded += 1
            p.code = f"{cat.code}-{coded}"


def _sum_line_items(prog: ProgramRow) -> None:
    """A program with line items costs their sum (one without keeps the amount it carries itself)."""
    if prog.line_items:
        total = sum(li.amount for li in prog.line_items)
        if total != prog.current:
            prog.current = total
            prog.printed_change = None  # the printed 増▲減 no longer describes the figures


def _renumber_items(prog: ProgramRow) -> None:
    for i, li in enumerate(sorted(prog.line_items, key=lambda r: r.position)):
        li.position = i
        li.number = i + 1


class EditService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # ---- reads of one record (the forms show these) ----
    def program(self, program_id: int) -> ProgramFields:
        with read_only(self._sessions) as s:
            return _program_fields(_get(s, ProgramRow, program_id, "事業"))

    def line_item(self, line_item_id: int) -> LineItemFields:
        with read_only(self._sessions) as s:
            return _line_item_fields(_get(s, LineItemRow, line_item_id, "細事業"))

    def category(self, category_id: int) -> CategoryFields:
        with read_only(self._sessions) as s:
            return _category_fields(_get(s, CategoryRow, category_id, "施策"))

    # ---- updates ----
    def update_program(self, program_id: int, **fields: object) -> ProgramFields:
        """Fields: code, number, name, purpose, current, prior, sections, related, photo_captions."""
        with unit_of_work(self._sessions) as s:
            p: ProgramRow = _get(s, ProgramRow, program_id, "事業")
            for key, value in fields.items():
                if key in ("current", "prior"):
                    label = "今年度予算額" if key == "current" else "前年度予算額"
                    where = f"事業 {p.number} {p.name} [{label}]"
                    if key == "current" and p.line_items:
                        raise InputError(CURRENT_IS_SUM_MESSAGE, where)
                    setattr(p, key, _amount(value, where))
                    p.printed_change = None  # the printed 増▲減 no longer describes the figures
                elif key == "name":
                    p.name = _text(value, f"事業 {p.number} [事業名]", column=ProgramRow.name, label="事業名")
                elif key == "number":  # the number is the place: typing 3 moves the program to third
                    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                        raise InputError("番号は1以上の整数で入力してください", f"事業 {p.name} [番号]")
                    _place_program(p, value - 1 - p.position)
                elif key == "code":
                    p.code = _text(value, f"事業 {p.number} {p.name} [コード]", required=False,
                                   column=ProgramRow.code, label="コード") or None
                elif key == "purpose":
                    p.purpose = str(value)
                elif key == "sections":
                    names = [_text(n, f"事業 {p.number} {p.name} [担当課]") for n in value]  # type: ignore[attr-defined]
                    # only names of the master: a typo must not create a new 担当課
                    found = {sec.name: sec for sec in s.scalars(select(Section).where(Section.name.in_(names)))}
                    missing = [n for n in names if n not in found]
                    if missing:
                        raise InputError(f"担当課「{missing[0]}」は登録されていません", f"事業 {p.number} {p.name}")
                    p.section_links = [ProgramSection(section=found[n], position=i) for i, n in enumerate(names)]
                elif key == "related":
                    rows = []
                    for i, (name, bureau, amount) in enumerate(value):  # type: ignore[misc]
                        where = f"事業 {p.number} {p.name} [関連する局事業 {i + 1}]"
                        rows.append(RelatedBureauProgramRow(
                            position=i, name=_text(name, where, column=RelatedBureauProgramRow.name, label="事業名"),
                            bureau=_fits(RelatedBureauProgramRow.bureau, str(bureau), "局", where),
                            amount=None if amount is None else _amount(amount, where)))
                    p.related = rows
                elif key == "photo_captions":
                    captions = [_fits(PhotoRow.caption, str(c), "写真の説明", f"事業 {p.number} {p.name} [写真の説明 {i + 1}]")
                                for i, c in enumerate(value)]  # type: ignore[arg-type]
                    _set_photo_captions(p, captions)
                else:
                    raise InputError(f"不明な項目です: {key}", "事業")
            s.flush()
            return _program_fields(p)

    def update_line_item(self, line_item_id: int, **fields: object) -> LineItemFields:
        """Fields: number, name, amount, marker, activities."""
        with unit_of_work(self._sessions) as s:
            li: LineItemRow = _get(s, LineItemRow, line_item_id, "細事業")
            where = f"細事業 {li.number} {li.name}"
            for key, value in fields.items():
                if key == "amount":
                    li.amount = _amount(value, f"{where} [金額]")
                elif key == "name":
                    li.name = _text(value, f"{where} [細事業名]", column=LineItemRow.name, label="細事業名")
                elif key == "number":  # the number is the place among the program's line items
                    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                        raise InputError("番号は1以上の整数で入力してください", f"{where} [番号]")
                    _place_line_item(li, value - 1 - li.position)
                elif key == "marker":
                    li.marker = _fits(LineItemRow.marker, str(value or "").strip(), "記号", f"{where} [記号]") or None
                elif key == "activities":
                    li.activities = [str(a) for a in value if str(a).strip()]  # type: ignore[attr-defined]
                    for i, a in enumerate(li.activities):
                        _fits(ACTIVITY_LIMIT, a, "主な活動", f"{where} [主な活動 {i + 1}]")
                else:
                    raise InputError(f"不明な項目です: {key}", "細事業")
            _sum_line_items(li.program)
            s.flush()
            return _line_item_fields(li)

    def update_category(self, category_id: int, **fields: object) -> CategoryFields:
        with unit_of_work(self._sessions) as s:
            c: CategoryRow = _get(s, CategoryRow, category_id, "施策")
            for key, value in fields.items():
                if key == "name":
                    c.name = _text(value, f"施策 {c.code or ''} [施策名]", column=CategoryRow.name, label="施策名")
                elif key == "code":
                    old = c.code
                    c.code = _text(value, f"施策 {c.name} [コード]", required=False,
                                   column=CategoryRow.code, label="コード") or None
                    _renumber_programs(c, old or "")  # the programs' codes of the series follow the category's
                elif key == "order":
                    self._move_category(s, c, int(value) - c.position)  # type: ignore[call-overload]
                else:
                    raise InputError(f"不明な項目です: {key}", "施策")
            s.flush()
            return _category_fields(c)

    def set_indicators(self, program_id: int, indicators: Sequence[Indicator]) -> ProgramFields:
        with unit_of_work(self._sessions) as s:
            p: ProgramRow = _get(s, ProgramRow, program_id, "事業")
            rows = []
            for i, ind in enumerate(indicators):
                where = f"事業 {p.number} {p.name} [事業指標 {i + 1}行目]"
                name = _text(ind.name, where, column=IndicatorRow.name, label="指標名")
                rows.append(IndicatorRow(position=i, name=name,
                                         target=_text(ind.target, where, required=False, column=IndicatorRow.target,
                                                      label="目標"),
                                         unit=_text(ind.unit, where, required=False, column=IndicatorRow.unit,
                                                    label="単位"),
                                         actual=_text(ind.actual, where, required=False, column=IndicatorRow.actual,
                                                      label="実績")))
            p.indicators = rows
            s.flush()
            return _program_fields(p)

    # ---- structure ----
    def add_category(self, year: int, name: str, code: str | None = None, *, budget_class_id: int | None = None) -> int:
        """A new category at the end of the year, in the given budget class (default: the first one)."""
        with unit_of_work(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            query = select(BudgetClassRow).where(BudgetClassRow.fiscal_year_id == fy.id)
            if budget_class_id is not None:
                query = query.where(BudgetClassRow.id == budget_class_id)
            cls = s.scalars(query.order_by(BudgetClassRow.position)).first()
            if cls is None:
                raise InputError("予算区分が登録されていません", f"{year}年度")
            row = CategoryRow(fiscal_year_id=fy.id, budget_class_id=cls.id, position=len(fy.categories),
                              code=_text(code or "", "施策 [コード]", required=False, column=CategoryRow.code,
                                         label="コード") or None,
                              name=_text(name, "施策 [施策名]", column=CategoryRow.name, label="施策名"))
            s.add(row)
            s.flush()
            return row.id

    def add_program(self, category_id: int, name: str, *, number: int | None = None) -> int:
        """A new program at the end of its category: the next number there, and the next code when the
        category has one."""
        with unit_of_work(self._sessions) as s:
            c: CategoryRow = _get(s, CategoryRow, category_id, "施策")
            code = None
            if c.code:
                code = f"{c.code}-{sum(1 for p in c.programs if _serial_code(p.code, c.code)) + 1}"
            row = ProgramRow(fiscal_year_id=c.fiscal_year_id, category_id=c.id, uid=repo.new_uid(),
                             position=len(c.programs), code=code,
                             number=number or (max((p.number for p in c.programs), default=0) + 1),
                             name=_text(name, "事業 [事業名]", column=ProgramRow.name, label="事業名"), purpose="", current=0, prior=0, notes=[])
            s.add(row)
            s.flush()
            return row.id

    def add_line_item(self, program_id: int, name: str, amount: int | None = None) -> int:
        """A new line item at the end; the program's amount becomes the sum of its items. The first item of a
        program that had none takes over the program's amount (unless one is given), so no total jumps."""
        with unit_of_work(self._sessions) as s:
            p: ProgramRow = _get(s, ProgramRow, program_id, "事業")
            if amount is None:
                amount = 0 if p.line_items else p.current
            row = LineItemRow(program_id=p.id, uid=repo.new_uid(), position=len(p.line_items),
                              number=len(p.line_items) + 1,
                              name=_text(name, "細事業 [細事業名]", column=LineItemRow.name, label="細事業名"),
                              amount=_amount(amount, "細事業 [金額]"), activities=[])
            p.line_items.append(row)
            _sum_line_items(p)
            s.flush()
            return row.id

    # A delete returns a Snapshot of what it removed; restore(snapshot) puts it back exactly (the undo).
    def delete_category(self, category_id: int) -> Snapshot:
        with unit_of_work(self._sessions) as s:
            c: CategoryRow = _get(s, CategoryRow, category_id, "施策")
            fy_id = c.fiscal_year_id
            cats = CategoryRow.__table__
            snapshot = Snapshot(CATEGORY, c.id, (("category", _capture(s, cats, cats.c.id == c.id)),
                                                      *_program_rows(s, ProgramRow.category_id == c.id)),
                                (("category", _capture(s, cats, cats.c.fiscal_year_id == fy_id, ("id", "fiscal_year_id", "position"))),))
            s.delete(c)
            s.flush()
            rest = s.scalars(select(CategoryRow).where(CategoryRow.fiscal_year_id == fy_id)
                             .order_by(CategoryRow.position)).all()
            for i, row in enumerate(rest):
                row.position = i
            return snapshot

    def delete_program(self, program_id: int) -> Snapshot:
        with unit_of_work(self._sessions) as s:
            p: ProgramRow = _get(s, ProgramRow, program_id, "事業")
            cat = p.category
            progs = ProgramRow.__table__
            snapshot = Snapshot(PROGRAM, p.id, _program_rows(s, ProgramRow.id == p.id),
                                (("program", _capture(s, progs, progs.c.category_id == cat.id,
                                                      ("id", "uid", "fiscal_year_id", "position", "number", "code"))),))
            cat.programs.remove(p)
            s.delete(p)
            _renumber_programs(cat)
            return snapshot

    def delete_line_item(self, line_item_id: int) -> Snapshot:
        with unit_of_work(self._sessions) as s:
            li: LineItemRow = _get(s, LineItemRow, line_item_id, "細事業")
            prog = li.program
            items, progs = LineItemRow.__table__, ProgramRow.__table__
            snapshot = Snapshot(LINE_ITEM, li.id, _line_item_rows(s, LineItemRow.id == li.id), (
                ("line_item", _capture(s, items, items.c.program_id == prog.id, ("id", "uid", "position", "number"))),
                ("program", _capture(s, progs, progs.c.id == prog.id,
                                     ("id", "uid", "fiscal_year_id", "current", "printed_change")))))
            prog.line_items.remove(li)
            s.delete(li)
            _renumber_items(prog)
            _sum_line_items(prog)
            return snapshot

    def restore(self, snapshot: Snapshot) -> int:
        """Put back what a delete removed: the same ids, positions, numbers, amounts and texts. Returns the id."""
        tables = Base.metadata.tables
        with unit_of_work(self._sessions) as s:
            for name, rows in snapshot.rows:
                ids = [values["id"] for values in map(dict, rows) if "id" in values]
                if ids and s.execute(select(tables[name].c.id).where(tables[name].c.id.in_(ids))).first():
                    # SQLite hands out a freed id again: a record added since (in another year's history)
                    # now holds it, and what refers to that record must not be rewired.
                    raise ConflictError("その後に追加された項目が同じ番号を使っています")
                if rows:
                    try:
                        s.execute(insert(tables[name]), [dict(r) for r in rows])
                    except IntegrityError:  # e.g. its category was deleted since: nothing to hang it on
                        raise ConflictError(STALE_STEP) from None
            for name, rows in snapshot.around:
                table = tables[name]
                around = [dict(r) for r in rows]
                _check_same_records(s, table, around)
                for values in around:
                    s.execute(update(table).where(table.c.id == values.pop("id")).values(**values))
        return snapshot.id

    # A move returns whether the record moved (False at the first or last place: nothing written).
    def move_category(self, category_id: int, delta: int) -> bool:
        with unit_of_work(self._sessions) as s:
            return self._move_category(s, _get(s, CategoryRow, category_id, "施策"), delta)

    @staticmethod
    def _move_category(s: Session, c: CategoryRow, delta: int) -> bool:
        rows = list(s.scalars(select(CategoryRow).where(CategoryRow.fiscal_year_id == c.fiscal_year_id)
                              .order_by(CategoryRow.position)))
        if not _move(rows, c, delta):
            return False
        for i, row in enumerate(rows):
            row.position = i
        return True

    def move_program(self, program_id: int, delta: int) -> bool:
        """Move among the programs of its category, renumbering them (and the codes of the series) 1, 2, 3 …"""
        with unit_of_work(self._sessions) as s:
            return _place_program(_get(s, ProgramRow, program_id, "事業"), delta)

    def move_line_item(self, line_item_id: int, delta: int) -> bool:
        """Move among its siblings and renumber them 1, 2, 3 …"""
        with unit_of_work(self._sessions) as s:
            return _place_line_item(_get(s, LineItemRow, line_item_id, "細事業"), delta)

    # ---- exact undo of an edit or a move: capture() before and after, put_back() either ----
    def capture(self, kind: str, node_id: int, field: str | None = None) -> RowState:
        """Every row (all columns) an edit or a move of this record may change:
        - category: the categories of its year (表示順) and the programs of the category (codes follow its code);
        - program: the programs of its category (moves renumber them; its own columns), and for the field
          sections / indicators / related / photo_captions that table's rows of the program;
        - line item: the items of its program (moves renumber them) and the program (amount, printed 増▲減);
        - total (node_id: the fiscal year): the rows of the printed 総括表."""
        with read_only(self._sessions) as s:
            parts: list[tuple[str, str, tuple[int, ...]]] = []
            if kind == CATEGORY:
                c: CategoryRow = _get(s, CategoryRow, node_id, "施策")
                ids = s.scalars(select(CategoryRow.id).where(CategoryRow.fiscal_year_id == c.fiscal_year_id)).all()
                parts += [("category", "id", tuple(ids)), ("program", "id", tuple(p.id for p in c.programs))]
            elif kind == PROGRAM:
                p: ProgramRow = _get(s, ProgramRow, node_id, "事業")
                parts.append(("program", "id", tuple(q.id for q in p.category.programs)))
                if field in _PROGRAM_CHILDREN:
                    parts.append((_PROGRAM_CHILDREN[field], "program_id", (p.id,)))
            elif kind == TOTAL:  # node_id: the fiscal year; the printed 総括表 rows hang on the total
                fy = repo.get_fiscal_year(s, node_id)
                ids = s.scalars(select(SummaryRowRow.id).where(SummaryRowRow.fiscal_year_id == fy.id)).all()
                parts.append(("summary_row", "id", tuple(ids)))
            elif kind == LINE_ITEM:
                li: LineItemRow = _get(s, LineItemRow, node_id, "細事業")
                parts += [("line_item", "id", tuple(i.id for i in li.program.line_items)),
                          ("program", "id", (li.program_id,))]
            else:
                raise InputError(f"不明な種類です: {kind}", "編集")
            tables = Base.metadata.tables
            return RowState(tuple((name, key, ids, _capture(s, tables[name], tables[name].c[key].in_(ids)))
                                  for name, key, ids in parts))

    def put_back(self, state: RowState) -> None:
        """Write the captured rows again, every column as captured (undo and redo of an edit or a move)."""
        tables = Base.metadata.tables
        with unit_of_work(self._sessions) as s:
            for name, key, ids, rows in state.parts:
                table = tables[name]
                if key == "id":
                    captured = [dict(r) for r in rows]
                    _check_same_records(s, table, captured)
                    for values in captured:
                        s.execute(update(table).where(table.c.id == values.pop("id")).values(**values))
                else:
                    s.execute(delete(table).where(table.c[key].in_(ids)))
                    for group in _free_ids(s, table, [dict(r) for r in rows]):
                        s.execute(insert(table), group)

    def add_section(self, name: str) -> str:
        with unit_of_work(self._sessions) as s:
            text = _text(name, "担当課 [名称]", column=Section.name, label="担当課名")
            if s.scalars(select(Section).where(Section.name == text)).first() is None:
                s.add(Section(name=text))
            return text


STALE_STEP = "対象の項目がその後に削除されたか、別の項目に置き換わっています"


def _check_same_records(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """The rows about to be written back are still the records they were (same id, same year and identity):
    an id freed by a delete and handed to a record of another year must never be overwritten."""
    identity = [c for c in ("uid", "fiscal_year_id") if c in table.c and all(c in row for row in rows)]
    now = {r.id: r for r in s.execute(select(table.c.id, *(table.c[c] for c in identity))
                                      .where(table.c.id.in_([r["id"] for r in rows])))}
    for row in rows:
        current = now.get(row["id"])
        if current is None or any(getattr(current, c) != row[c] for c in identity):
            raise ConflictError(STALE_STEP)


def _free_ids(s: Session, table: Table, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows to insert again with their own ids, except an id taken meanwhile by another row (an edit in another
    year's history): those rows get new ids (nothing refers to these child rows by id). Two groups, for two
    inserts of like rows."""
    if not rows or "id" not in table.c:
        return [rows] if rows else []
    taken = set(s.scalars(select(table.c.id).where(table.c.id.in_([r["id"] for r in rows]))))
    kept = [r for r in rows if r["id"] not in taken]
    renewed = [{k: v for k, v in r.items() if k != "id"} for r in rows if r["id"] in taken]
    return [group for group in (kept, renewed) if group]


def _set_photo_captions(p: ProgramRow, captions: list[str]) -> None:
    """Captions edited as a list, photos kept with their own caption: a caption that moved takes its
    image along, an edited caption keeps the image at its place, a removed caption removes its photo."""
    remaining = sorted(p.photos, key=lambda r: r.position)
    chosen: list[PhotoRow | None] = []
    for caption in captions:
        same = next((ph for ph in remaining if ph.caption == caption), None)
        if same is not None:
            remaining.remove(same)
        chosen.append(same)
    for i, photo in enumerate(chosen):
        if photo is None and remaining:
            chosen[i] = remaining.pop(0)
    for photo in remaining:
        p.photos.remove(photo)
    for i, (photo, caption) in enumerate(zip(chosen, captions, strict=True)):
        if photo is None:
            photo = PhotoRow(position=i, caption=caption)
            p.photos.append(photo)
        photo.position, photo.caption = i, caption


def _line_item_rows(s: Session, which: Any) -> tuple[tuple[str, tuple[Values, ...]], ...]:
    items = select(LineItemRow.id).where(which).scalar_subquery()
    return (("line_item", _capture(s, LineItemRow.__table__, LineItemRow.id.in_(items))),
            ("line_item_section", _capture(s, LineItemSection.__table__, LineItemSection.line_item_id.in_(items))))


def _program_rows(s: Session, which: Any) -> tuple[tuple[str, tuple[Values, ...]], ...]:
    """The rows of the programs matching `which` and everything hanging from them, parents first."""
    ids = select(ProgramRow.id).where(which).scalar_subquery()
    children = tuple((model.__tablename__, _capture(s, model.__table__, model.program_id.in_(ids)))
                     for model in (ProgramSection, IndicatorRow, RelatedBureauProgramRow, PhotoRow))
    return (("program", _capture(s, ProgramRow.__table__, ProgramRow.id.in_(ids))), *children,
            *_line_item_rows(s, LineItemRow.program_id.in_(ids)))


def _place_program(p: ProgramRow, delta: int) -> bool:
    """Move a program by delta among its category's programs (clamped) and renumber them with their codes;
    False when it stays where it is (nothing changed)."""
    rows = sorted(p.category.programs, key=lambda r: r.position)
    if not _move(rows, p, delta):
        return False
    for i, row in enumerate(rows):
        row.position = i
    _renumber_programs(p.category)
    return True


def _place_line_item(li: LineItemRow, delta: int) -> bool:
    """The same for a line item among its program's items (numbered 1, 2, 3 …)."""
    rows = sorted(li.program.line_items, key=lambda r: r.position)
    if not _move(rows, li, delta):
        return False
    for i, row in enumerate(rows):
        row.position, row.number = i, i + 1
    return True


def _move(rows: list, row: object, delta: int) -> bool:
    """Move row by delta within rows (clamped); False when it stays where it is."""
    index = rows.index(row)
    target = max(0, min(len(rows) - 1, index + delta))
    rows.insert(target, rows.pop(index))
    return target != index
