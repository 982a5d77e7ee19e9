"""Edit operations as data: the rows and fields one operation changed, its change flags, undo as the inverse.

An operation (an edit, a move, an add, a delete, an import …) runs in one transaction and returns an OpResult:
its value, the exact before/after of every row and field it wrote (RowChange), and OpChanges, the flags a view
asks to decide what to refresh. Undo and redo are operations too: they apply `invert(changes)` / `changes`,
each change checked against the value it expects to find, so nobody's later edit is written over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from asahi_desk.domain.money import format_amount

if TYPE_CHECKING:  # the ready window imports this module, not the entities
    from asahi_desk.domain.entities import Meeting

T = TypeVar("T")

# where a change came from (the history's `source` column)
EDIT, UNDO, REDO, IMPORT, LOAD, RESTORE = "edit", "undo", "redo", "import", "load", "restore"
SOURCES = (EDIT, UNDO, REDO, IMPORT, LOAD, RESTORE)
# (an answered 照会票's import names its 課 as the source: shown as it is)
SOURCE_LABELS = {EDIT: "編集", UNDO: "元に戻す", REDO: "やり直し", IMPORT: "取込", LOAD: "読込", RESTORE: "版の復元"}
UPDATE, INSERT, DELETE = "update", "insert", "delete"

Values = tuple[tuple[str, Any], ...]  # (column, value) pairs

# Fields derived from others: undo/redo write them back only when still as the operation left them (a
# colleague's edit of a sibling 細事業 changed the program's sum meanwhile) and then recompute them.
DERIVED_FIELDS = {("program", "current"), ("program", "printed_change")}
AMOUNT_FIELDS = {("line_item", "amount"), ("program", "current"), ("program", "prior"),
                 ("program", "printed_change"), ("related_bureau_program", "amount"), ("summary_row", "current"),
                 ("summary_row", "prior"), ("summary_row", "change"), ("summary_row", "rate"),
                 ("line_item", "prior")}
STRUCTURE_FIELDS = {"position", "number", "code", "category_id", "program_id", "budget_class_id"}
STRUCTURE_TABLES = {"category", "program", "line_item"}
SECTION_TABLES = {"program_section", "line_item_section", "section"}
TEXT_FIELDS = {"name", "purpose", "activities", "caption", "marker", "bureau", "title", "notes"}

# The clerk's names of the fields (refusals and the history say these)
FIELD_LABELS = {
    ("line_item", "amount"): "金額", ("line_item", "name"): "細事業名", ("line_item", "number"): "番号",
    ("line_item", "marker"): "記号", ("line_item", "activities"): "主な活動", ("line_item", "position"): "並び順",
    ("program", "current"): "今年度予算額", ("program", "prior"): "前年度予算額", ("program", "name"): "事業名",
    ("program", "number"): "番号", ("program", "code"): "コード", ("program", "purpose"): "事業目的",
    ("program", "position"): "並び順", ("program", "printed_change"): "増▲減（記載値）",
    ("meeting", "title"): "会議名", ("meeting", "date"): "開催日", ("meeting", "start_time"): "開始時刻",
    ("meeting", "venue"): "会場", ("meeting", "agenda"): "次第", ("meeting", "attachments"): "添付資料",
    ("category", "name"): "施策名", ("category", "code"): "コード", ("category", "position"): "表示順",
    ("indicator", "name"): "事業指標", ("indicator", "target"): "目標", ("indicator", "unit"): "単位",
    ("photo", "caption"): "写真の説明", ("related_bureau_program", "name"): "関連する局事業",
    ("program_section", "section_id"): "担当課", ("summary_row", "current"): "総括表の今年度",
    ("summary_row", "prior"): "総括表の前年度", ("summary_row", "change"): "総括表の増▲減",
    ("indicator", "actual"): "実績", ("review", "basic_goal"): "基本目標", ("review", "title"): "表題",
    ("review_area", "name"): "分野名", ("review_area", "number"): "番号", ("review_initiative", "title"): "取組",
    ("review_row", "sections"): "担当課", ("review_row", "plan"): "事業内容", ("review_row", "results"): "振り返り",
    ("review_row_program", "label"): "関連事業",
}
TABLE_LABELS = {"meeting": "会議", "line_item": "細事業", "program": "事業", "category": "施策", "indicator": "事業指標",
                "photo": "写真", "related_bureau_program": "関連する局事業", "program_section": "担当課",
                "line_item_section": "担当課", "summary_row": "総括表", "fiscal_year": "年度",
                "review": "振り返り", "review_area": "振り返りの分野", "review_initiative": "振り返りの取組",
                "review_row": "振り返りの行", "review_row_program": "振り返りの関連事業"}


def field_label(table: str, name: str) -> str:
    return FIELD_LABELS.get((table, name), name)


@dataclass(frozen=True)
class RowChange:
    """One row one operation wrote. update: `before`/`after` hold only the fields that changed; insert: `after`
    the whole new row; delete: `before` the whole removed row. `key` is the primary key (id, or the columns
    of a link table). version_before/version_after: the row's version either side (None for link rows).
    parent: (table, id) of the row it hangs under (a 細事業's program …), for refreshing one branch.
    names: the program's and the 細事業's names as they were, for the history and refusals."""

    table: str
    key: Values
    kind: str  # update, insert, delete
    before: Values = ()
    after: Values = ()
    version_before: int | None = None
    version_after: int | None = None
    parent: tuple[str, int] | None = None
    program_name: str | None = None
    item_name: str | None = None

    @property
    def row_id(self) -> int | None:
        d = dict(self.key)
        return d.get("id")

    def fields(self) -> list[str]:
        names = [k for k, _ in (self.after if self.kind == INSERT else self.before)]
        return names if self.kind != UPDATE else [k for k, _ in self.after]

    @property
    def label(self) -> str:
        """The row as the clerk knows it: the 細事業's name, else the program's, else the table's label."""
        if self.table == "line_item" and self.item_name:
            return self.item_name
        if self.table in ("program", "indicator", "photo", "related_bureau_program", "program_section") \
                and self.program_name:
            return self.program_name
        name = dict(self.after or self.before).get("name")
        return str(name) if name else TABLE_LABELS.get(self.table, self.table)


def invert(changes: Sequence[RowChange]) -> tuple[RowChange, ...]:
    """The changes that take the rows back: in reverse order, inserts become deletes and the other way round,
    before and after swapped (so each inverse change expects to find what the original wrote)."""
    flip = {UPDATE: UPDATE, INSERT: DELETE, DELETE: INSERT}
    return tuple(RowChange(c.table, c.key, flip[c.kind], c.after, c.before, c.version_after, c.version_before,
                           c.parent, c.program_name, c.item_name) for c in reversed(changes))


@dataclass(frozen=True)
class OpChanges:
    """What an operation changed, for the views to decide what to refresh (Anki's OpChanges).
    amounts: figures on the path 細事業 → 事業 → 施策 → class → 合計 (amount_rows: those rows as (table, id));
    structure: rows added, removed or renumbered (branches: the parents whose children changed);
    texts: names, purposes, activities (the search index); sections, indicators, printed_summary."""

    amounts: bool = False
    amount_rows: tuple[tuple[str, int], ...] = ()
    structure: bool = False
    branches: tuple[tuple[str, int], ...] = ()
    texts: bool = False
    sections: bool = False
    indicators: bool = False
    printed_summary: bool = False
    years: bool = False  # a fiscal year added or removed, or a whole year (re)loaded
    meetings: bool = False  # a meeting (次第, attachments) saved, changed or removed
    reviews: bool = False  # a whole 振り返り loaded

    @property
    def any(self) -> bool:
        return any((self.amounts, self.structure, self.texts, self.sections, self.indicators,
                    self.printed_summary, self.years, self.meetings, self.reviews))

    def merged(self, other: OpChanges) -> OpChanges:
        return OpChanges(
            self.amounts or other.amounts, tuple(dict.fromkeys(self.amount_rows + other.amount_rows)),
            self.structure or other.structure, tuple(dict.fromkeys(self.branches + other.branches)),
            self.texts or other.texts, self.sections or other.sections, self.indicators or other.indicators,
            self.printed_summary or other.printed_summary, self.years or other.years,
            self.meetings or other.meetings, self.reviews or other.reviews)


EVERYTHING = OpChanges(amounts=True, structure=True, texts=True, sections=True, indicators=True,
                       printed_summary=True, years=True, meetings=True, reviews=True)

# A whole year written or removed (a load, a new year, an import's year): its structure, figures, texts,
# sections, indicators, 総括表 and meetings all change, and so does the year list.
WHOLE_YEAR = OpChanges(amounts=True, structure=True, texts=True, sections=True, indicators=True,
                       printed_summary=True, years=True, meetings=True)


def changes_of(rows: Iterable[RowChange]) -> OpChanges:
    """The flags these row changes raise."""
    amounts = structure = texts = sections = indicators = printed = years = False
    amount_rows: list[tuple[str, int]] = []
    branches: list[tuple[str, int]] = []
    for c in rows:
        names = {k for k, _ in c.before} | {k for k, _ in c.after}
        rid = c.row_id
        if c.table in SECTION_TABLES:
            sections = True
        elif c.table == "indicator":
            indicators = True
        elif c.table == "summary_row":
            printed = True
        elif c.table == "fiscal_year":
            years = True
        if c.table in STRUCTURE_TABLES and (c.kind != UPDATE or names & STRUCTURE_FIELDS):
            structure = True
            if c.parent is not None:
                branches.append(c.parent)
            if c.kind != UPDATE:
                amounts = True  # an added or removed row changes its parents' sums
                texts = True
        if any((c.table, n) in AMOUNT_FIELDS for n in names):
            amounts = True
            if rid is not None:
                amount_rows.append((c.table, rid))
        if names & TEXT_FIELDS:
            texts = True
    return OpChanges(amounts, tuple(dict.fromkeys(amount_rows)), structure, tuple(dict.fromkeys(branches)),
                     texts, sections, indicators, printed, years)


@dataclass(frozen=True)
class UndoEntry:
    """What undo needs: the operation's label (編集 menu: 元に戻す「…」), its year, and the row changes it made.
    Undo applies invert(changes); redo applies the changes the undo's own inverse describes."""

    label: str
    fiscal_year: int | None
    changes: tuple[RowChange, ...]


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """The outcome of one operation: value (what the method returns: the record's fields, a new id, moved or
    not …), changes (flags), rows (exact before/after), undo (None when nothing was written), and the
    operation's id in the history."""

    value: T
    changes: OpChanges = field(default_factory=OpChanges)
    rows: tuple[RowChange, ...] = ()
    undo: UndoEntry | None = None
    operation_id: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the 変更履歴: one field of one row changed by one operation."""

    id: int
    at: dt.datetime  # local time
    clerk: str
    fiscal_year: int | None
    source: str
    operation_id: str
    label: str  # the operation ("細事業の金額を変更")
    table: str
    row_id: int | None
    program_name: str | None
    item_name: str | None
    field: str  # column name; "" for a whole row added or removed
    old: Any
    new: Any

    @property
    def row_name(self) -> str:
        """The row under the program the line is about: a 細事業's name, or 「指標: name」 for an indicator."""
        if self.item_name is None:
            return ""
        return f"指標: {self.item_name}" if self.table == "indicator" else self.item_name

    @property
    def field_label(self) -> str:
        if not self.field:
            return TABLE_LABELS.get(self.table, self.table)
        return field_label(self.table, self.field)


def value_text(table: str, name: str, value: Any) -> str:
    """A value as the clerk reads it: amounts with thousands separators and ▲, lists joined, None as 「（なし）」."""
    if value is None:
        return "（なし）"
    if (table, name) in AMOUNT_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return format_amount(value)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def stale_message(row_label: str, entry: HistoryEntry | None, *, deleted: bool = False) -> str:
    """The refusal of a write or an undo based on a version that is no longer current, naming who changed
    what and when: 「防災講演会の金額は 9:41 に 山田さんが 500 に変更しています。表示を更新しました」."""
    if entry is None:
        if deleted:
            return f"{row_label}はほかの担当者が削除しています。表示を更新しました"
        return f"{row_label}はほかの担当者が変更しています。表示を更新しました"
    when = f"{entry.at.hour}:{entry.at.minute:02d}"
    if not entry.field:
        did = "削除" if entry.new is None else "追加"
        return f"{row_label}は {when} に {entry.clerk}さんが{did}しています。表示を更新しました"
    return (f"{row_label}の{entry.field_label}は {when} に {entry.clerk}さんが "
            f"{value_text(entry.table, entry.field, entry.new)} に変更しています。表示を更新しました")


def meeting_record(meeting: Meeting, attachments: Sequence[str] = ()) -> dict[str, Any]:
    """A meeting as its history lines compare it: the fields a clerk edits, the 次第 as its printed lines,
    the attached files as 「資料2: file.pdf」."""
    agenda = []
    for item in meeting.agenda:
        agenda.append(f"{item.number} {item.title}")
        agenda += [f"{item.number}-{i} {sub.title}" + (f"（{sub.material}）" if sub.material else "")
                   for i, sub in enumerate(item.items, 1)]
    return {"title": meeting.title, "date": meeting.date.isoformat(),
            "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else None,
            "venue": meeting.venue, "agenda": agenda, "attachments": list(attachments)}


def meeting_change(meeting_id: int, before: dict[str, Any] | None, after: dict[str, Any] | None) -> RowChange | None:
    """The history's change of a meeting saved (before None: added), edited or deleted (after None); None when
    a save changed nothing."""
    key = (("id", meeting_id),)
    if before is None and after is not None:
        return RowChange("meeting", key, INSERT, (), (("title", after["title"]),))
    if after is None and before is not None:
        return RowChange("meeting", key, DELETE, (("title", before["title"]),), ())
    assert before is not None and after is not None
    changed = [k for k in after if before.get(k) != after[k]]
    if not changed:
        return None
    return RowChange("meeting", key, UPDATE, tuple((k, before.get(k)) for k in changed),
                     tuple((k, after[k]) for k in changed))

