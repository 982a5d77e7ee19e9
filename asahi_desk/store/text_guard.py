"""Every text and number written by any path (JSON, Excel, forms, new-year) checked against the schema.

SQLite ignores VARCHAR lengths and stores 20 million characters in a 100-character column that
PostgreSQL refuses; control characters stored today break an export tomorrow; an integer beyond 64 bits
is an OverflowError deep in the driver. Checked before each flush, so every backend refuses the same
input with the same Japanese line (InputError names the record and the field) and nothing is written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer, String, event
from sqlalchemy.orm import Session

from asahi_desk.domain.errors import InputError
from asahi_desk.domain.text import all_clean, shown, text_problem

# Text columns without a declared length (names, titles, prose) still have one: far above any real
# entry, low enough that a hostile file cannot fill the database with one field. docs/limits.md.
MAX_TEXT = 10_000
MAX_INTEGER = 2**63 - 1
# Fields written as paragraphs (forms with a multi-line editor, lists of sentences): tab and newline allowed.
MULTILINE = {"program.purpose", "program.notes", "line_item.activities", "review.basic_goal",
             "review_row.plan", "review_row.results", "fiscal_year.summary_notes", "fiscal_year.uncertain",
             "fiscal_year.overview", "review.uncertain"}
TABLE_NAMES = {"ward": "区", "fiscal_year": "年度", "budget_class": "予算区分", "category": "施策",
               "section": "担当課", "program": "事業", "line_item": "細事業", "indicator": "指標",
               "related_bureau_program": "関連局事業", "photo": "写真", "summary_row": "総括表の行",
               "meeting": "会議", "agenda_item": "次第", "agenda_sub_item": "次第の項目", "review": "振り返り",
               "review_area": "振り返りの分野", "review_initiative": "振り返りの取組",
               "review_row": "振り返りの行", "attachment": "添付資料", "import_mapping": "取込設定"}
FIELD_NAMES = {"name": "名称", "title": "表題", "purpose": "目的", "code": "コード", "venue": "会場",
               "caption": "説明", "target": "目標", "unit": "単位", "bureau": "所管局", "filename": "ファイル名",
               "presenter": "説明者", "activities": "活動内容", "notes": "備考", "city": "市名", "material": "資料",
               "marker": "区分", "basic_goal": "基本目標", "plan": "計画", "results": "実績", "sections": "担当課",
               "summary_notes": "総括表の注記", "uncertain": "未確定の項目", "overview": "概要", "rate": "増▲減率"}


class StoredValueError(InputError):
    """A value the schema does not take; `where` names the record and the field (callers add the file)."""


def install(session_class: type[Session] = Session) -> None:
    if not event.contains(session_class, "before_flush", _check_flush):
        event.listen(session_class, "before_flush", _check_flush)


def _check_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        for column in table.columns:
            value = getattr(obj, column.key, None) if column.key in obj.__dict__ else None
            if value is None:
                continue
            # tables this module does not know (history, review results … added later) may copy the
            # text of multi-line fields: tab and newline pass there, everything else is checked alike
            multiline = f"{table.name}.{column.name}" in MULTILINE or table.name not in TABLE_NAMES
            problem = _problem(column, value, multiline)
            if problem:
                raise StoredValueError(problem, _where(obj, table.name, column.name))


def check_rows(table: Any, rows: list[dict[str, Any]]) -> None:
    """The same checks for rows written by a Core INSERT (bulk writes bypass the session's flush).

    Column by column first, in C loops (one search over the column's texts joined, their longest
    length, the extreme integers): 40,000 programs checked value by value took longer than their
    INSERT. Only a column that fails is checked row by row, for the same message naming the record."""
    keys = {k for row in rows for k in row}
    if not _suspect(table, {column.key: [row.get(column.key) for row in rows]
                            for column in table.columns if column.key in keys}):
        return
    _check_each(table, rows)


def check_columns(table: Any, columns: dict[str, list[Any]]) -> None:
    """check_rows of rows given column by column (the bulk inserts build them so)."""
    if _suspect(table, columns):
        keys = list(columns)
        _check_each(table, [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)])


def _check_each(table: Any, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for column in table.columns:
            value = row.get(column.key)
            if value is None:
                continue
            multiline = f"{table.name}.{column.name}" in MULTILINE or table.name not in TABLE_NAMES
            problem = _problem(column, value, multiline)
            if problem:
                raise StoredValueError(problem, _where(row, table.name, column.name))


def _suspect(table: Any, columns: dict[str, list[Any]]) -> bool:
    """Whether any value of these columns might fail _problem (False: all pass; True: check row by row).
    A column of texts only (or of integers only) is looked at whole; one holding None or other types
    is filtered first."""
    for column in table.columns:
        values = columns.get(column.key)
        if not values:
            continue
        kind = column.type
        if isinstance(kind, String):
            try:
                texts, clean = values, all_clean(values)  # join refuses anything but str: filtered below
            except TypeError:
                texts = [v for v in values if isinstance(v, str)]
                clean = all_clean(texts)
            if texts and (not clean or max(map(len, texts)) > (kind.length or MAX_TEXT)):
                return True
        elif isinstance(kind, Integer):
            try:
                beyond = max(values) > MAX_INTEGER or min(values) < -MAX_INTEGER
            except TypeError:  # None (or another type) among them
                ints = [v for v in values if isinstance(v, int)]
                beyond = bool(ints) and (max(ints) > MAX_INTEGER or min(ints) < -MAX_INTEGER)
            if beyond:
                return True
        elif isinstance(kind, JSON):
            texts = [s for v in values if v for s in _strings(v)]
            if texts and (not all_clean(texts) or max(map(len, texts)) > MAX_TEXT):
                return True
    return False


def _problem(column: Any, value: Any, multiline: bool) -> str | None:
    kind = column.type
    if isinstance(kind, String) and isinstance(value, str):
        return text_problem(value, limit=kind.length or MAX_TEXT, multiline=multiline)
    if isinstance(kind, Integer) and isinstance(value, int) and not isinstance(value, bool) \
            and abs(value) > MAX_INTEGER:
        return f"数が大きすぎます（{len(str(abs(value))):,}桁）"
    if isinstance(kind, JSON):
        for text in _strings(value):
            problem = text_problem(text, limit=MAX_TEXT, multiline=multiline)
            if problem:
                return problem
    return None


def _strings(value: Any, depth: int = 0) -> list[str]:
    if depth > 64:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*_strings(k, depth + 1), *_strings(v, depth + 1)]]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v, depth + 1)]
    return []


def _where(obj: Any, table: str, column_name: str) -> str:
    label = TABLE_NAMES.get(table, table)
    column = FIELD_NAMES.get(column_name, column_name)
    fields = obj if isinstance(obj, dict) else vars(obj)
    name = fields.get("name") or fields.get("title")
    if isinstance(name, str) and column_name not in ("name", "title"):
        shown_name = shown(name[:30]) + ("…" if len(name) > 30 else "")
        return f"{label}「{shown_name}」の{column}"
    return f"{label}の{column}"
