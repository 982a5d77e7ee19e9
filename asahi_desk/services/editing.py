"""Edit use cases of the main window: each mutating call is one operation (one transaction) returning an
OpResult: the value, the exact rows and fields it changed, change flags and the undo entry. Undo and redo are
operations too. Writes state the version they saw; a stale one is refused naming who changed what."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from asahi_desk.domain import structure
from asahi_desk.domain.entities import Indicator
from asahi_desk.domain.errors import InputError, NotFoundError, StaleError
from asahi_desk.domain.money import AMOUNT_INPUT_MESSAGE, check_amount
from asahi_desk.domain.operations import (
    EDIT,
    REDO,
    TABLE_LABELS,
    UNDO,
    OpResult,
    UndoEntry,
    field_label,
    invert,
    stale_message,
)
from asahi_desk.services.edit_fields import (
    CURRENT_IS_SUM_MESSAGE,
    CategoryFields,
    LineItemFields,
    ProgramFields,
    os_login,
)
from asahi_desk.store import edit_rows
from asahi_desk.store import operations as ops
from asahi_desk.store import repository as repo
from asahi_desk.store.models import (
    CategoryRow,
    IndicatorRow,
    LineItemRow,
    PhotoRow,
    ProgramRow,
    ProgramSection,
    RelatedBureauProgramRow,
    Section,
)
from asahi_desk.store.unit_of_work import SessionFactory, read_only

ACTIVITY_LIMIT = 500  # one entry of a line item's 主な活動 (a JSON list)
_FIELD_TABLES = {"category": "category", "program": "program", "line_item": "line_item"}


def _fits(column: Any, text: str, label: str, where: str) -> str:
    """text unless it is longer than the column holds; column may be a mapped attribute or a limit (int)."""
    limit = column if isinstance(column, int) else edit_rows.column_limit(column)
    if limit is not None and len(text) > limit:
        raise InputError(f"{label}は{limit}文字以内で入力してください（{len(text)}文字あります）", where)
    return text


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


def _get(s: Any, model: type, row_id: int, label: str, *, locked: bool = False):  # noqa: ANN202 - any ORM row
    row = ops.lock(s, model, row_id) if locked else s.get(model, row_id)
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
        len(p.line_items), p.version)


def _line_item_fields(li: LineItemRow) -> LineItemFields:
    return LineItemFields(li.id, li.program_id, li.number, li.name, li.amount, li.marker, tuple(li.activities),
                          li.version)


def _category_fields(c: CategoryRow) -> CategoryFields:
    return CategoryFields(c.id, c.code, c.name, c.position, c.version)


def _label(table: str, fields: Sequence[str], verb: str = "変更") -> str:
    """「細事業の金額を変更」: the operation as the 編集 menu and the history name it."""
    what = "・".join(field_label(table, f) for f in fields) if fields else ""
    return f"{TABLE_LABELS.get(table, table)}の{what}を{verb}" if what else f"{TABLE_LABELS.get(table, table)}を{verb}"


class EditService:
    def __init__(self, sessions: SessionFactory, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

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

    # ---- the operation frame ----
    @contextmanager
    def _operation(self, label: str, *, source: str = EDIT, fiscal_year: int | None = None) -> Iterator[ops.Operation]:
        with ops.operation(self._sessions, clerk=self._clerk(), source=source, label=label,
                           fiscal_year=fiscal_year) as op:
            yield op

    @staticmethod
    def _result(op: ops.Operation, value: Any) -> OpResult:
        return ops.result(op, value)

    @staticmethod
    def _subject(op: ops.Operation, table: str, row: Any, label: str, version: int | None,
                 fields: Sequence[str]) -> None:
        """Name the row being edited (a refusal names it) and check the version the caller saw."""
        op.subject = (table, row.id, label)
        op.fiscal_year = op.fiscal_year or ops.fiscal_year_of(op.session, table, row.id)
        op.label = _label(table, list(fields)) if fields else op.label
        if version is not None and row.version != version:
            entry = ops.last_change(op.session, table, row.id, list(fields))
            raise StaleError(stale_message(label, entry), table, row.id)

    # ---- updates ----
    def update_program(self, program_id: int, *, version: int | None = None, **fields: object) -> OpResult[ProgramFields]:
        """Fields: code, number, name, purpose, current, prior, sections, related, photo_captions.
        version: the version the clerk's form showed (None: not checked, e.g. the CLI)."""
        with self._operation("事業を変更") as op:
            s = op.session
            p: ProgramRow = _get(s, ProgramRow, program_id, "事業", locked=True)
            columns = {"sections": "section_id", "photo_captions": "caption", "related": "name"}
            self._subject(op, "program", p, p.name, version, [columns.get(k, k) for k in fields])
            for key, value in fields.items():
                if key in ("current", "prior"):
                    label = "今年度予算額" if key == "current" else "前年度予算額"
                    where = f"事業 {p.number} {p.name} [{label}]"
                    if key == "current" and p.line_items:
                        raise InputError(CURRENT_IS_SUM_MESSAGE, where)
                    amount = _amount(value, where)
                    if getattr(p, key) != amount:
                        setattr(p, key, amount)
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
                    found = edit_rows.existing_sections(s, names)
                    missing = [n for n in names if n not in found]
                    if missing:
                        raise InputError(f"担当課「{missing[0]}」は登録されていません", f"事業 {p.number} {p.name}")
                    if [link.section.name for link in p.section_links] != names:
                        # kept links keep their row (a new place is an update), so undo sees what changed
                        links = {link.section.name: link for link in p.section_links}
                        _drop(s, [link for name, link in links.items() if name not in names])
                        p.section_links = [links.get(n) or ProgramSection(section=found[n], position=i)
                                           for i, n in enumerate(names)]
                        structure.reposition(p.section_links)
                elif key == "related":
                    rows = []
                    for i, (name, bureau, amount) in enumerate(value):  # type: ignore[misc]
                        where = f"事業 {p.number} {p.name} [関連する局事業 {i + 1}]"
                        rows.append((_text(name, where, column=RelatedBureauProgramRow.name, label="事業名"),
                                     _fits(RelatedBureauProgramRow.bureau, str(bureau), "局", where),
                                     None if amount is None else _amount(amount, where)))
                    if [(r.name, r.bureau, r.amount) for r in p.related] != rows:
                        _drop(s, p.related)
                        p.related = [RelatedBureauProgramRow(position=i, name=n, bureau=b, amount=a)
                                     for i, (n, b, a) in enumerate(rows)]
                elif key == "photo_captions":
                    captions = [_fits(PhotoRow.caption, str(c), "写真の説明", f"事業 {p.number} {p.name} [写真の説明 {i + 1}]")
                                for i, c in enumerate(value)]  # type: ignore[arg-type]
                    kept, removed = structure.place_photo_captions(
                        p.photos, captions, lambda i, c: PhotoRow(position=i, caption=c))
                    _drop(s, removed)
                    for photo in removed:
                        p.photos.remove(photo)
                    for photo in kept:
                        if photo not in p.photos:
                            p.photos.append(photo)
                else:
                    raise InputError(f"不明な項目です: {key}", "事業")
            s.flush()
            value_ = _program_fields(p)
        return self._result(op, value_)

    def update_line_item(self, line_item_id: int, *, version: int | None = None,
                         **fields: object) -> OpResult[LineItemFields]:
        """Fields: number, name, amount, marker, activities. The program's amount becomes the sum of its items,
        read under the program's lock. version: the version the clerk's form showed."""
        with self._operation("細事業を変更") as op:
            s = op.session
            li: LineItemRow = _get(s, LineItemRow, line_item_id, "細事業")
            prog: ProgramRow = _get(s, ProgramRow, li.program_id, "事業", locked=True)
            li = _get(s, LineItemRow, line_item_id, "細事業", locked=True)
            self._subject(op, "line_item", li, li.name, version, list(fields))
            where = f"細事業 {li.number} {li.name}"
            for key, value in fields.items():
                if key == "amount":
                    amount = _amount(value, f"{where} [金額]")
                    if li.amount != amount:
                        li.amount = amount
                elif key == "name":
                    li.name = _text(value, f"{where} [細事業名]", column=LineItemRow.name, label="細事業名")
                elif key == "number":  # the number is the place among the program's line items
                    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                        raise InputError("番号は1以上の整数で入力してください", f"{where} [番号]")
                    _place_line_item(li, value - 1 - li.position)
                elif key == "marker":
                    li.marker = _fits(LineItemRow.marker, str(value or "").strip(), "記号", f"{where} [記号]") or None
                elif key == "activities":
                    activities = [str(a) for a in value if str(a).strip()]  # type: ignore[attr-defined]
                    for i, a in enumerate(activities):
                        _fits(ACTIVITY_LIMIT, a, "主な活動", f"{where} [主な活動 {i + 1}]")
                    if list(li.activities) != activities:
                        li.activities = activities
                else:
                    raise InputError(f"不明な項目です: {key}", "細事業")
            ops.recompute_program(s, prog)
            s.flush()
            value_ = _line_item_fields(li)
        return self._result(op, value_)

    def update_category(self, category_id: int, *, version: int | None = None,
                        **fields: object) -> OpResult[CategoryFields]:
        with self._operation("施策を変更") as op:
            s = op.session
            c: CategoryRow = _get(s, CategoryRow, category_id, "施策", locked=True)
            self._subject(op, "category", c, c.name, version, ["position" if k == "order" else k for k in fields])
            for key, value in fields.items():
                if key == "name":
                    c.name = _text(value, f"施策 {c.code or ''} [施策名]", column=CategoryRow.name, label="施策名")
                elif key == "code":
                    old = c.code
                    c.code = _text(value, f"施策 {c.name} [コード]", required=False,
                                   column=CategoryRow.code, label="コード") or None
                    # the programs' codes of the series follow the category's
                    structure.renumber_programs(c.programs, c.code, old or "")
                elif key == "order":
                    _move_category(s, c, int(value) - c.position)  # type: ignore[call-overload]
                else:
                    raise InputError(f"不明な項目です: {key}", "施策")
            s.flush()
            value_ = _category_fields(c)
        return self._result(op, value_)

    def set_indicators(self, program_id: int, indicators: Sequence[Indicator], *,
                       version: int | None = None) -> OpResult[ProgramFields]:
        with self._operation("事業指標を変更") as op:
            s = op.session
            p: ProgramRow = _get(s, ProgramRow, program_id, "事業", locked=True)
            self._subject(op, "program", p, p.name, version, [])
            rows = []
            for i, ind in enumerate(indicators):
                where = f"事業 {p.number} {p.name} [事業指標 {i + 1}行目]"
                name = _text(ind.name, where, column=IndicatorRow.name, label="指標名")
                rows.append((name, _text(ind.target, where, required=False, column=IndicatorRow.target, label="目標"),
                             _text(ind.unit, where, required=False, column=IndicatorRow.unit, label="単位"),
                             _text(ind.actual, where, required=False, column=IndicatorRow.actual, label="実績")))
            if [(x.name, x.target, x.unit, x.actual) for x in p.indicators] != rows:
                # edit rows in place where they stay, so the history says which indicator changed how
                for i, (name, target, unit, actual) in enumerate(rows):
                    if i < len(p.indicators):
                        row = p.indicators[i]
                        for attr, v in (("position", i), ("name", name), ("target", target), ("unit", unit),
                                        ("actual", actual)):
                            if getattr(row, attr) != v:
                                setattr(row, attr, v)
                    else:
                        p.indicators.append(IndicatorRow(position=i, name=name, target=target, unit=unit,
                                                         actual=actual))
                _drop(s, p.indicators[len(rows):])
                del p.indicators[len(rows):]
            s.flush()
            value_ = _program_fields(p)
        return self._result(op, value_)

    # ---- structure ----
    def add_category(self, year: int, name: str, code: str | None = None, *,
                     budget_class_id: int | None = None) -> OpResult[int]:
        """A new category at the end of the year, in the given budget class (default: the first one)."""
        with self._operation("施策を追加", fiscal_year=year) as op:
            s = op.session
            fy = repo.get_fiscal_year(s, year)
            cls = edit_rows.budget_class(s, fy.id, budget_class_id)
            if cls is None:
                raise InputError("予算区分が登録されていません", f"{year}年度")
            row = CategoryRow(fiscal_year_id=fy.id, budget_class_id=cls.id,
                              position=len(edit_rows.categories_of_year(s, fy.id)),
                              code=_text(code or "", "施策 [コード]", required=False, column=CategoryRow.code,
                                         label="コード") or None,
                              name=_text(name, "施策 [施策名]", column=CategoryRow.name, label="施策名"))
            s.add(row)
            s.flush()
            new_id = row.id
        return self._result(op, new_id)

    def add_program(self, category_id: int, name: str, *, number: int | None = None) -> OpResult[int]:
        """A new program at the end of its category: the next number there, and the next code when the
        category has one."""
        with self._operation("事業を追加") as op:
            s = op.session
            c: CategoryRow = _get(s, CategoryRow, category_id, "施策", locked=True)
            op.fiscal_year = ops.fiscal_year_of(s, "category", c.id)
            row = ProgramRow(fiscal_year_id=c.fiscal_year_id, category_id=c.id, uid=repo.new_uid(),
                             position=len(c.programs), code=structure.next_program_code(c.code, c.programs),
                             number=number or (max((p.number for p in c.programs), default=0) + 1),
                             name=_text(name, "事業 [事業名]", column=ProgramRow.name, label="事業名"), purpose="",
                             current=0, prior=0, notes=[])
            s.add(row)
            s.flush()
            new_id = row.id
        return self._result(op, new_id)

    def add_line_item(self, program_id: int, name: str, amount: int | None = None) -> OpResult[int]:
        """A new line item at the end; the program's amount becomes the sum of its items (under its lock). The
        first item of a program that had none takes over the program's amount (unless one is given), so no
        total jumps."""
        with self._operation("細事業を追加") as op:
            s = op.session
            p: ProgramRow = _get(s, ProgramRow, program_id, "事業", locked=True)
            op.subject = ("program", p.id, p.name)
            op.fiscal_year = ops.fiscal_year_of(s, "program", p.id)
            count, _total = ops.program_sum(s, p.id)
            if amount is None:
                amount = 0 if count else p.current
            row = LineItemRow(program_id=p.id, uid=repo.new_uid(), position=count, number=count + 1,
                              name=_text(name, "細事業 [細事業名]", column=LineItemRow.name, label="細事業名"),
                              amount=_amount(amount, "細事業 [金額]"), activities=[])
            s.add(row)
            s.flush()
            ops.recompute_program(s, p)
            s.flush()
            new_id = row.id
        return self._result(op, new_id)

    # A delete's result holds every row it removed (the subtree, all columns); undo puts them back exactly.
    def delete_category(self, category_id: int) -> OpResult[int]:
        with self._operation("施策を削除") as op:
            s = op.session
            c: CategoryRow = _get(s, CategoryRow, category_id, "施策", locked=True)
            op.subject = ("category", c.id, c.name)
            op.fiscal_year = ops.fiscal_year_of(s, "category", c.id)
            fy_id = c.fiscal_year_id
            edit_rows.capture_category(op, c.id)
            s.delete(c)
            s.flush()
            structure.reposition(edit_rows.categories_of_year(s, fy_id))
            s.flush()
        return self._result(op, category_id)

    def delete_program(self, program_id: int) -> OpResult[int]:
        with self._operation("事業を削除") as op:
            s = op.session
            p: ProgramRow = _get(s, ProgramRow, program_id, "事業", locked=True)
            op.subject = ("program", p.id, p.name)
            op.fiscal_year = ops.fiscal_year_of(s, "program", p.id)
            cat = _get(s, CategoryRow, p.category_id, "施策", locked=True)
            edit_rows.capture_programs(op, ProgramRow.id == p.id)
            cat.programs.remove(p)
            s.delete(p)
            structure.renumber_programs(cat.programs, cat.code)
            s.flush()
        return self._result(op, program_id)

    def delete_line_item(self, line_item_id: int) -> OpResult[int]:
        with self._operation("細事業を削除") as op:
            s = op.session
            li: LineItemRow = _get(s, LineItemRow, line_item_id, "細事業")
            prog: ProgramRow = _get(s, ProgramRow, li.program_id, "事業", locked=True)
            li = _get(s, LineItemRow, line_item_id, "細事業", locked=True)
            op.subject = ("line_item", li.id, li.name)
            op.fiscal_year = ops.fiscal_year_of(s, "line_item", li.id)
            edit_rows.capture_line_items(op, [li.id])
            prog.line_items.remove(li)
            s.delete(li)
            structure.renumber_items(prog.line_items)
            ops.recompute_program(s, prog)
            s.flush()
        return self._result(op, line_item_id)

    def restore(self, deleted: OpResult) -> OpResult:
        """Put back what a delete removed (its undo): the same ids, positions, numbers, amounts and texts."""
        if deleted.undo is None:
            raise InputError("元に戻す内容がありません", "元に戻す")
        result = self.undo(deleted.undo)
        return OpResult(deleted.value, result.changes, result.rows, result.undo, result.operation_id)

    # A move returns whether the record moved (False at the first or last place: nothing written).
    def move_category(self, category_id: int, delta: int) -> OpResult[bool]:
        with self._operation("施策の表示順を変更") as op:
            s = op.session
            c = _get(s, CategoryRow, category_id, "施策", locked=True)
            op.subject = ("category", c.id, c.name)
            op.fiscal_year = ops.fiscal_year_of(s, "category", c.id)
            moved = _move_category(s, c, delta)
            s.flush()
        return self._result(op, moved)

    def move_program(self, program_id: int, delta: int) -> OpResult[bool]:
        """Move among the programs of its category, renumbering them (and the codes of the series) 1, 2, 3 …"""
        with self._operation("事業の番号を変更") as op:
            s = op.session
            p = _get(s, ProgramRow, program_id, "事業", locked=True)
            op.subject = ("program", p.id, p.name)
            op.fiscal_year = ops.fiscal_year_of(s, "program", p.id)
            moved = _place_program(p, delta)
            s.flush()
        return self._result(op, moved)

    def move_line_item(self, line_item_id: int, delta: int) -> OpResult[bool]:
        """Move among its siblings and renumber them 1, 2, 3 …"""
        with self._operation("細事業の番号を変更") as op:
            s = op.session
            li = _get(s, LineItemRow, line_item_id, "細事業")
            _get(s, ProgramRow, li.program_id, "事業", locked=True)
            op.subject = ("line_item", li.id, li.name)
            op.fiscal_year = ops.fiscal_year_of(s, "line_item", li.id)
            moved = _place_line_item(li, delta)
            s.flush()
        return self._result(op, moved)

    # ---- undo and redo: operations that apply the inverse (or the original) of recorded changes ----
    def undo(self, entry: UndoEntry) -> OpResult[None]:
        """Take back what an operation changed, field by field, each row checked to still hold what the
        operation wrote; a colleague's change since is never written over (StaleError naming them). The
        result's undo entry describes what this undo wrote: redo() takes it."""
        with self._operation(entry.label, source=UNDO, fiscal_year=entry.fiscal_year) as op:
            ops.apply(op, invert(entry.changes), f"「{entry.label}」を元に戻せません")
        return self._result(op, None)

    def redo(self, entry: UndoEntry) -> OpResult[None]:
        """Do again what an undo (whose result's undo entry this is) took back, checked the same way."""
        with self._operation(entry.label, source=REDO, fiscal_year=entry.fiscal_year) as op:
            ops.apply(op, invert(entry.changes), f"「{entry.label}」をやり直せません")
        return self._result(op, None)

    def add_section(self, name: str) -> OpResult[str]:
        """A 課 in the master (kept when it is there already); its value: the name as stored. No undo:
        the GUI offers none for it (a 課 nobody uses does no harm)."""
        with self._operation("担当課を追加") as op:
            text = _text(name, "担当課 [名称]", column=Section.name, label="担当課名")
            if not edit_rows.section_exists(op.session, text):
                op.session.add(Section(name=text))
        return replace(self._result(op, text), undo=None)


def _drop(s: Any, rows: Sequence[Any]) -> None:
    """Delete child rows explicitly (not as orphans at flush time), so the operation records them."""
    for row in list(rows):
        s.delete(row)


def _move_category(s: Any, c: CategoryRow, delta: int) -> bool:
    rows = edit_rows.categories_of_year(s, c.fiscal_year_id)
    if not structure.move(rows, c, delta):
        return False
    structure.reposition(rows)
    return True


def _place_program(p: ProgramRow, delta: int) -> bool:
    """Move a program by delta among its category's programs (clamped) and renumber them with their codes;
    False when it stays where it is (nothing changed)."""
    rows = sorted(p.category.programs, key=lambda r: r.position)
    if not structure.move(rows, p, delta):
        return False
    structure.reposition(rows)
    structure.renumber_programs(p.category.programs, p.category.code)
    return True


def _place_line_item(li: LineItemRow, delta: int) -> bool:
    """The same for a line item among its program's items (numbered 1, 2, 3 …)."""
    rows = sorted(li.program.line_items, key=lambda r: r.position)
    if not structure.move(rows, li, delta):
        return False
    structure.reposition(rows)
    structure.renumber_items(rows)
    return True
