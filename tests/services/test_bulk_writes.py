"""A whole year goes in with one bulk INSERT per table, and comes back exactly as it was given."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from typing import Any

from sqlalchemy import event

from asahi_desk.app import Services
from asahi_desk.domain.entities import (
    Budget,
    BudgetClass,
    Category,
    Indicator,
    LineItem,
    Photo,
    Program,
    RelatedBureauProgram,
)


def rich_budget(year: int = 2030, programs: int = 30) -> Budget:
    """Every kind of row add_budget writes: sections on programs and on some line items, indicators,
    related bureau programs, photos, two budget classes (one named only by its categories)."""
    def program(n: int) -> Program:
        items = tuple(LineItem(k + 1, f"細事業{n}-{k + 1}", 10 * (k + 1), activities=("講座", "広報"),
                               sections=("総務課", "地域振興課") if (n + k) % 4 == 0 else None)
                      for k in range(3))
        return Program(f"A{n}", n + 1, f"事業{n}", sum(li.amount for li in items), 5 * n, ("地域振興課", "総務課"),
                       purpose=f"目的{n}", line_items=items,
                       indicators=(Indicator(f"指標{n}", "10", "回"),),
                       related_bureau_programs=(RelatedBureauProgram(f"局事業{n}", "市民局", n),),
                       photos=(Photo(f"写真{n}", b"\x89PNG" + bytes([n])),), notes=(f"注{n}",))
    half = programs // 2
    cats = (Category("1", "施策1", "自主企画事業費", tuple(program(n) for n in range(half))),
            Category("2", "施策2", "統合事業費", tuple(program(n) for n in range(half, programs))))
    return Budget("旭区", year, cats, city="横浜市", title="テスト",
                  budget_classes=(BudgetClass("自主企画事業費", True, True),))


def without_ids(value: Any) -> Any:
    """The budget with the database's ids and the generated uids taken out, for comparing with what was given."""
    if dataclasses.is_dataclass(value):
        changes = {f.name: without_ids(getattr(value, f.name)) for f in dataclasses.fields(value)}
        changes.update({k: None for k in ("id", "uid") if k in changes})
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(without_ids(v) for v in value)
    return value


def count_statements(services: Services) -> tuple[Counter[str], list[Any]]:
    """INSERT statements by table (one per execute or executemany) as the driver receives them."""
    counts: Counter[str] = Counter()

    def seen(_conn, _cursor, statement: str, _params, _context, _many: bool) -> None:  # noqa: ANN001
        if statement.startswith("INSERT INTO "):
            counts[statement.split()[2]] += 1

    event.listen(services.engine, "before_cursor_execute", seen)
    return counts, [services.engine, "before_cursor_execute", seen]


def test_a_year_is_written_with_one_insert_per_table_and_read_back_the_same(empty_services: Services) -> None:
    budget = rich_budget(programs=40)
    counts, listener = count_statements(empty_services)
    try:
        empty_services.budgets.add_budget(budget)
    finally:
        event.remove(*listener)
    for table in ("program", "line_item", "program_section", "line_item_section", "indicator", "photo",
                  "related_bureau_program", "category"):
        assert counts[table] == 1, counts  # not one per row: 40 programs, 120 line items
    back = empty_services.budgets.get(2030)
    assert [bc.name for bc in back.budget_classes] == ["自主企画事業費", "統合事業費"]
    assert without_ids(back.categories) == without_ids(budget.categories)


def test_new_year_keeps_every_row_and_the_program_identities(empty_services: Services) -> None:
    empty_services.budgets.add_budget(rich_budget(programs=12))
    counts, listener = count_statements(empty_services)
    try:
        assert empty_services.rollover.new_year(2030).value == 2031
    finally:
        event.remove(*listener)
    assert counts["line_item"] == 1 and counts["program"] == 1, counts
    old, new = empty_services.budgets.get(2030), empty_services.budgets.get(2031)
    assert [p.uid for p in new.programs()] == [p.uid for p in old.programs()]
    assert [[li.sections for li in p.line_items] for p in new.programs()] == \
        [[li.sections for li in p.line_items] for p in old.programs()]
    assert [p.current for p in new.programs()] == [p.current for p in old.programs()]


def test_the_driver_path_stores_what_sqlalchemy_would(empty_services: Services) -> None:
    """insert_rows hands SQLite's executemany parameters it built itself: the stored values (JSON lists,
    booleans, None, the defaults of columns left out) are the ones SQLAlchemy's own INSERT stores."""
    from sqlalchemy import insert, text

    from asahi_desk.store import repository as repo
    from asahi_desk.store.models import LineItemRow
    from asahi_desk.store.unit_of_work import unit_of_work

    empty_services.budgets.add_budget(rich_budget(programs=2))
    full = [dict(uid=f"u{i}", position=i, number=i, name=f"細{i}", amount=i, marker=None if i % 2 else "新",
                 activities=[] if i % 2 else ["講座", "広報"], prior=None if i % 3 else i, has_sections=bool(i % 2))
            for i in range(6)]
    short = [dict(uid=f"v{i}", position=10 + i, number=i, name=f"細{i}", amount=i, activities=["x"] * i)
             for i in range(3)]  # marker, prior and has_sections (default False) left out
    with unit_of_work(empty_services.sessions) as s:
        first, second = s.execute(text("SELECT id FROM program ORDER BY id")).scalars().all()[:2]
        for rows in (full, short):
            repo.insert_rows(s, LineItemRow, [{**r, "program_id": first} for r in rows])
            s.execute(insert(LineItemRow.__table__), [{**r, "program_id": second} for r in rows])
    with unit_of_work(empty_services.sessions) as s:
        def stored(program_id: int) -> list[tuple]:
            return [tuple(row) for row in s.execute(text(
                "SELECT uid, position, number, name, amount, marker, activities, prior, has_sections "
                "FROM line_item WHERE program_id = :p AND (uid LIKE 'u%' OR uid LIKE 'v%') ORDER BY position"),
                {"p": program_id})]
        assert stored(first) == stored(second) and len(stored(first)) == 9
        assert stored(first)[0][5:] == ("新", json.dumps(["講座", "広報"]), 0, 0)
        assert stored(first)[-1][5:] == (None, '["x", "x"]', None, 0)


def test_bulk_rows_are_refused_like_flushed_ones() -> None:
    """check_rows looks at a whole column at once, then row by row only where it found something: the
    refusal names the same record and field as before, whichever row of thousands holds the value."""
    import pytest

    from asahi_desk.store import text_guard
    from asahi_desk.store.models import LineItemRow, ProgramRow

    good = [dict(uid=f"u{i}", position=i, number=i, name=f"細事業{i}", amount=i, activities=["講座"]) for i in range(5000)]
    text_guard.check_rows(LineItemRow.__table__, good)  # clean: nothing raised
    cases = [("name", "細事業\x07"), ("name", "長" * 300_000), ("amount", 2 ** 64), ("activities", ["一行目\x00"]),
             ("activities", ["十" * 20_000])]
    for field, value in cases:
        rows = [dict(r) for r in good]
        rows[4321][field] = value
        with pytest.raises(text_guard.StoredValueError) as bulk:
            text_guard.check_rows(LineItemRow.__table__, rows)
        with pytest.raises(text_guard.StoredValueError) as single:
            text_guard.check_rows(LineItemRow.__table__, [rows[4321]])
        assert str(bulk.value) == str(single.value) and "細事業" in str(bulk.value) or field == "name"
    notes = [dict(uid="p", name="事業", notes=["改行\nは備考なら可"], purpose="目的\tタブも可")]
    text_guard.check_rows(ProgramRow.__table__, notes)  # multi-line fields keep their tab and newline


def test_columns_are_refused_like_rows() -> None:
    """check_columns (the bulk inserts' way) refuses what check_rows refuses, with the same line, whether the
    column holds only texts, texts among None, or integers among None."""
    import pytest

    from asahi_desk.store import text_guard
    from asahi_desk.store.models import ProgramRow

    def columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
        return {k: [r[k] for r in rows] for k in rows[0]}

    good = [dict(uid=f"u{i}", name=f"事業{i}", code=None if i % 2 else f"A-{i}", printed_change=None if i % 3 else i,
                 current=i, notes=[] if i % 5 else ["注"]) for i in range(3000)]
    text_guard.check_columns(ProgramRow.__table__, columns(good))  # clean: nothing raised
    for field, value in [("name", "事業\x07"), ("code", "A" * 21), ("code", "A\ud800"), ("printed_change", 2 ** 64),
                         ("current", -(2 ** 64)), ("notes", ["\x00"])]:
        rows = [dict(r) for r in good]
        rows[1234][field] = value
        with pytest.raises(text_guard.StoredValueError) as by_column:
            text_guard.check_columns(ProgramRow.__table__, columns(rows))
        with pytest.raises(text_guard.StoredValueError) as by_row:
            text_guard.check_rows(ProgramRow.__table__, [rows[1234]])
        assert str(by_column.value) == str(by_row.value) and "事業1234" in str(by_row.value) or field == "name"
