"""EditService: one committed transaction per call, validation in the service, renumbering, frozen results."""

from __future__ import annotations

import dataclasses

import pytest

from asahi_desk.app import build_services
from asahi_desk.domain.entities import Indicator
from asahi_desk.domain.errors import InputError


def _first(services):
    cat = services.tree.categories(2024)[0]
    prog = services.tree.programs(cat.id)[0]
    return cat, prog


def test_update_program_amount_clears_printed_change_and_persists(services, demo_db):
    _cat, prog = _first(services)
    result = services.editing.update_program(prog.id, prior=12000, name="災害に強い区づくり事業（改）").value
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.current = 1  # type: ignore[misc]
    other = build_services(str(demo_db))
    try:
        p = next(p for c in other.budgets.get(2024).categories for p in c.programs if p.id == prog.id)
        assert (p.prior, p.name, p.printed_change) == (12000, "災害に強い区づくり事業（改）", None)
    finally:
        other.close()


@pytest.mark.parametrize("bad", [-1, 1.5, "12", True, 10**15])
def test_invalid_amount_is_refused_and_nothing_written(services, bad):
    _cat, prog = _first(services)
    with pytest.raises(InputError, match="金額は0以上の整数（千円）で入力してください"):
        services.editing.update_program(prog.id, name="変更されない", prior=bad)
    assert services.editing.program(prog.id).name == "災害に強い区づくり事業"


def test_line_item_fields_and_marker_limit(services):
    _cat, prog = _first(services)
    item = services.tree.line_items(prog.id)[0]
    got = services.editing.update_line_item(item.id, amount=800, marker="新", activities=["a", " ", "b"]).value
    assert (got.amount, got.marker, got.activities) == (800, "新", ("a", "b"))
    with pytest.raises(InputError, match="記号は4文字以内"):
        services.editing.update_line_item(item.id, marker="あいうえお")
    with pytest.raises(InputError, match="細事業名"):
        services.editing.update_line_item(item.id, name="  ")


def test_indicators_sections_and_unknown_section(services):
    _cat, prog = _first(services)
    got = services.editing.set_indicators(prog.id, [Indicator("回数", "3", "回")]).value
    assert got.indicators == (Indicator("回数", "3", "回"),)
    with pytest.raises(InputError, match="指標"):
        services.editing.set_indicators(prog.id, [Indicator("")])
    with pytest.raises(InputError, match="登録されていません"):
        services.editing.update_program(prog.id, sections=["存在しない課"])
    added = services.editing.add_section("新設課")
    assert added.value == "新設課" and added.changes.sections and added.undo is None
    assert added.operation_id is not None and [r.table for r in added.rows] == ["section"]
    again = services.editing.add_section(" 新設課 ")
    assert again.value == "新設課" and not again.rows and again.operation_id is None
    assert services.editing.update_program(prog.id, sections=["新設課"]).value.sections == ("新設課",)


def test_add_move_delete_renumber_line_items(services):
    _cat, prog = _first(services)
    new_id = services.editing.add_line_item(prog.id, "追加した細事業", 10).value
    items = services.tree.line_items(prog.id)
    assert items[-1].id == new_id and items[-1].label == f"{len(items)} 追加した細事業"
    services.editing.move_line_item(new_id, -1)
    items = services.tree.line_items(prog.id)
    assert items[-2].id == new_id and items[-2].label.startswith(f"{len(items) - 1} ")
    first = items[0].id
    services.editing.delete_line_item(first)
    labels = [n.label.split(" ")[0] for n in services.tree.line_items(prog.id)]
    assert labels == [str(i + 1) for i in range(len(labels))]


def test_add_move_delete_categories_and_programs(services):
    cats = services.tree.categories(2024)
    cid = services.editing.add_category(2024, "新しい施策", "Ⅶ").value
    assert services.tree.categories(2024)[-1].id == cid
    services.editing.move_category(cid, -100)
    assert services.tree.categories(2024)[0].id == cid
    pid = services.editing.add_program(cid, "新しい事業").value
    assert [n.id for n in services.tree.programs(cid)] == [pid]
    services.editing.update_category(cid, order=len(cats))
    assert services.tree.categories(2024)[-1].id == cid
    services.editing.delete_category(cid)
    assert [c.id for c in services.tree.categories(2024)] == [c.id for c in cats]


def test_search_returns_ancestors(services):
    m = services.tree.search(2024, "防災訓練")
    cat, prog = _first(services)
    assert cat.id in m.categories and prog.id in m.programs and m.line_items
    assert services.tree.search(2024, "ｘｙｚ存在しない").programs == frozenset()


def _numbers_and_codes(services, cat_id):
    return [(services.editing.program(n.id).number, services.editing.program(n.id).code)
            for n in services.tree.programs(cat_id)]


def test_line_item_changes_keep_the_program_the_sum_of_its_items(services):
    _cat, prog = _first(services)
    items = services.tree.line_items(prog.id)
    services.editing.update_line_item(items[0].id, amount=1225)
    assert services.editing.program(prog.id).current == 11922 + 500
    new_id = services.editing.add_line_item(prog.id, "追加", 78).value
    assert services.editing.program(prog.id).current == 12422 + 78
    snapshot = services.editing.delete_line_item(new_id)
    assert services.editing.program(prog.id).current == 12422
    services.editing.restore(snapshot)
    assert services.editing.program(prog.id).current == 12500


def test_first_line_item_takes_over_the_programs_amount(services):
    lump = next(p for c in services.tree.categories(2024) for p in services.tree.programs(c.id)
                if p.label.endswith("統合事務費"))
    assert services.tree.line_items(lump.id) == []
    lid = services.editing.add_line_item(lump.id, "内訳").value
    assert services.editing.line_item(lid).amount == services.editing.program(lump.id).current == 24195
    services.editing.delete_line_item(lid)  # without items the program keeps the amount it carries
    assert services.editing.program(lump.id).current == 24195


def test_program_numbers_and_codes_per_category(services):
    cats = services.tree.categories(2024)
    first, fifth = cats[0], cats[4]  # Ⅰ 安全・安心 (4 programs), Ⅴ 統合事務事業費 (統合事務費 has no code)
    pid = services.editing.add_program(first.id, "新しい事業").value
    assert (services.editing.program(pid).number, services.editing.program(pid).code) == (5, "Ⅰ-5")
    second = services.tree.programs(first.id)[1].id
    services.editing.delete_program(second)
    assert _numbers_and_codes(services, first.id) == [(1, "Ⅰ-1"), (2, "Ⅰ-2"), (3, "Ⅰ-3"), (4, "Ⅰ-4")]
    services.editing.move_program(pid, -10)
    assert services.tree.programs(first.id)[0].id == pid
    assert _numbers_and_codes(services, first.id) == [(1, "Ⅰ-1"), (2, "Ⅰ-2"), (3, "Ⅰ-3"), (4, "Ⅰ-4")]
    assert services.editing.program(pid).code == "Ⅰ-1"
    assert _numbers_and_codes(services, fifth.id) == [(1, None), (2, "Ⅴ-1")]
    services.editing.move_program(services.tree.programs(fifth.id)[1].id, -1)
    assert _numbers_and_codes(services, fifth.id) == [(1, "Ⅴ-1"), (2, None)]
    other = services.editing.add_program(fifth.id, "新しい統合事業").value
    assert (services.editing.program(other).number, services.editing.program(other).code) == (3, "Ⅴ-2")
    services.editing.update_category(first.id, code="Ⅰ'")
    assert [c for _n, c in _numbers_and_codes(services, first.id)] == ["Ⅰ'-1", "Ⅰ'-2", "Ⅰ'-3", "Ⅰ'-4"]


def _table_dump(demo_db) -> dict[str, list[tuple]]:
    import sqlite3

    with sqlite3.connect(demo_db) as con:  # every column but the row's version (each write raises it)
        def columns(t: str) -> str:
            return ", ".join(r[1] for r in con.execute(f"pragma table_info({t})") if r[1] != "version")
        return {t: con.execute(f"select {columns(t)} from {t} order by 1, 2").fetchall()
                for t in ("category", "program", "program_section", "line_item", "line_item_section", "indicator",
                          "related_bureau_program", "photo")}


def test_delete_returns_a_frozen_snapshot_and_restore_puts_back_exactly(services, demo_db):
    before = _table_dump(demo_db)
    cat, prog = _first(services)
    item = services.tree.line_items(prog.id)[2]
    snap_item = services.editing.delete_line_item(item.id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap_item.id = 1  # type: ignore[misc]
    snap_prog = services.editing.delete_program(prog.id)
    snap_cat = services.editing.delete_category(services.tree.categories(2024)[1].id)  # Ⅱ: 15 programs
    assert snap_prog.rows[0].table == "program" and snap_prog.rows[0].row_id == prog.id
    assert len(services.tree.categories(2024)) == 6
    for snapshot in (snap_cat, snap_prog, snap_item):  # the undo order
        services.editing.restore(snapshot)
    assert _table_dump(demo_db) == before
    assert services.tree.categories(2024)[0].id == cat.id


def test_photo_captions_keep_their_images_when_moved_edited_or_removed(services, demo_db):
    import sqlite3

    _cat, prog = _first(services)
    services.editing.update_program(prog.id, photo_captions=("訓練の様子", "講演会", "配布物"))
    with sqlite3.connect(demo_db) as con:
        for caption, image in (("訓練の様子", b"A"), ("講演会", b"B"), ("配布物", b"C")):
            con.execute("update photo set image = ? where program_id = ? and caption = ?", (image, prog.id, caption))

    def images() -> list[tuple[str, bytes]]:
        with sqlite3.connect(demo_db) as con:
            return con.execute("select caption, image from photo where program_id = ? order by position",
                               (prog.id,)).fetchall()

    services.editing.update_program(prog.id, photo_captions=("講演会", "訓練の様子", "配布物"))
    assert images() == [("講演会", b"B"), ("訓練の様子", b"A"), ("配布物", b"C")]
    services.editing.update_program(prog.id, photo_captions=("講演会（２月）", "訓練の様子", "配布物"))
    assert images() == [("講演会（２月）", b"B"), ("訓練の様子", b"A"), ("配布物", b"C")]
    services.editing.update_program(prog.id, photo_captions=("講演会（２月）", "配布物"))
    assert images() == [("講演会（２月）", b"B"), ("配布物", b"C")]
    services.editing.update_program(prog.id, photo_captions=("講演会（２月）", "配布物", "新しい写真"))
    assert images() == [("講演会（２月）", b"B"), ("配布物", b"C"), ("新しい写真", None)]


def _no_items_program(services):
    """統合事務費: a program without line items, printed 増▲減 ▲1,330."""
    return next(p for c in services.tree.categories(2024) for p in services.tree.programs(c.id) if not p.has_children)


def test_program_with_line_items_refuses_its_own_current_amount(services, demo_db):
    _cat, prog = _first(services)
    before = _table_dump(demo_db)
    assert services.editing.program(prog.id).line_items == 7
    with pytest.raises(InputError, match="細事業の合計") as e:
        services.editing.update_program(prog.id, current=100000)
    assert "今年度予算額" in e.value.where
    assert _table_dump(demo_db) == before
    leaf = _no_items_program(services)
    assert services.editing.program(leaf.id).line_items == 0
    assert services.editing.update_program(leaf.id, current=25000).value.current == 25000


@pytest.mark.parametrize(("call", "message"), [
    (lambda ed, c, p, li: ed.update_program(p, code="Ⅰ-1-" + "X" * 20), "コードは20文字以内"),
    (lambda ed, c, p, li: ed.update_program(p, name="い" * 201), "事業名は200文字以内"),
    (lambda ed, c, p, li: ed.update_program(p, photo_captions=["写" * 201]), "写真の説明は200文字以内"),
    (lambda ed, c, p, li: ed.update_program(p, related=[("局事業", "局" * 201, None)]), "局は200文字以内"),
    (lambda ed, c, p, li: ed.update_category(c, name="い" * 201), "施策名は200文字以内"),
    (lambda ed, c, p, li: ed.update_category(c, code="C" * 21), "コードは20文字以内"),
    (lambda ed, c, p, li: ed.update_line_item(li, name="い" * 5000), "細事業名は200文字以内"),
    (lambda ed, c, p, li: ed.update_line_item(li, marker="あいうえお"), "記号は4文字以内"),
    (lambda ed, c, p, li: ed.update_line_item(li, activities=["活" * 501]), "主な活動は500文字以内"),
    (lambda ed, c, p, li: ed.set_indicators(p, [Indicator("回数", "3", "単" * 51)]), "単位は50文字以内"),
    (lambda ed, c, p, li: ed.add_section("課" * 101), "担当課名は100文字以内"),
    (lambda ed, c, p, li: ed.add_program(c, "い" * 201), "事業名は200文字以内"),
])
def test_text_longer_than_its_column_is_refused_and_nothing_written(services, demo_db, call, message):
    """Limits come from the columns (String(n)); Text names are held to 200. On PostgreSQL a longer text would
    be a DataError, on SQLite a 5,000-character name: both refused here, in Japanese, naming field and limit."""
    cat, prog = _first(services)
    item = services.tree.line_items(prog.id)[0]
    before = _table_dump(demo_db)
    with pytest.raises(InputError, match=message):
        call(services.editing, cat.id, prog.id, item.id)
    assert _table_dump(demo_db) == before
    # the limit itself is accepted
    assert services.editing.update_program(prog.id, code="C" * 20, name="い" * 200).value.name == "い" * 200


def test_undo_and_redo_restore_every_column(services, demo_db):
    """An amount edit clears the printed 増▲減 of the program; its undo brings it back, its redo takes it again."""
    leaf = _no_items_program(services)
    before = _table_dump(demo_db)
    edit = services.editing.update_program(leaf.id, current=1, name="改")
    edited = _table_dump(demo_db)
    assert edited != before
    undone = services.editing.undo(edit.undo)
    assert _table_dump(demo_db) == before
    services.editing.redo(undone.undo)
    assert _table_dump(demo_db) == edited
    # a line item's edit re-totals the program: both rows come back
    _cat, prog = _first(services)
    item = services.tree.line_items(prog.id)[0]
    before = _table_dump(demo_db)
    services.editing.undo(services.editing.update_line_item(item.id, amount=1).undo)
    assert _table_dump(demo_db) == before
    # indicators: the undo gives the same rows back
    services.editing.undo(services.editing.set_indicators(prog.id, [Indicator("新")]).undo)
    assert _table_dump(demo_db) == before


def test_moves_say_whether_anything_moved(services, demo_db):
    cat, prog = _first(services)
    before = _table_dump(demo_db)
    assert services.editing.move_program(prog.id, -1).value is False
    assert services.editing.move_category(cat.id, -1).value is False
    first_item = services.tree.line_items(prog.id)[0]
    assert services.editing.move_line_item(first_item.id, -1).value is False
    assert _table_dump(demo_db) == before
    assert services.editing.move_program(prog.id, 1).value is True


def test_renumbering_keeps_hand_typed_codes(services):
    """Only codes of the category's series (「Ⅰ-3」 under 「Ⅰ」) are renumbered; 「Ⅰ-1-A」 stays as typed."""
    cat, prog = _first(services)
    services.editing.update_program(prog.id, code="Ⅰ-1-A")
    assert _numbers_and_codes(services, cat.id) == [(1, "Ⅰ-1-A"), (2, "Ⅰ-2"), (3, "Ⅰ-3"), (4, "Ⅰ-4")]
    services.editing.move_program(prog.id, 1)
    assert _numbers_and_codes(services, cat.id) == [(1, "Ⅰ-1"), (2, "Ⅰ-1-A"), (3, "Ⅰ-2"), (4, "Ⅰ-3")]
    pid = services.editing.add_program(cat.id, "新しい事業").value
    assert services.editing.program(pid).code == "Ⅰ-4"
    services.editing.update_category(cat.id, code="Ⅸ")
    assert [c for _n, c in _numbers_and_codes(services, cat.id)] == ["Ⅸ-1", "Ⅰ-1-A", "Ⅸ-2", "Ⅸ-3", "Ⅸ-4"]


def test_undo_refuses_a_record_deleted_since(services):
    """Undo of an edit changes only the fields it changed, on the row it changed: a row gone since is refused."""
    from asahi_desk.domain.errors import ConflictError

    cat, _prog = _first(services)
    pid = services.editing.add_program(cat.id, "一時の事業").value
    renamed = services.editing.update_program(pid, name="改名")
    services.editing.delete_program(pid)
    with pytest.raises(ConflictError, match="削除しています"):
        services.editing.undo(renamed.undo)


def test_a_typed_number_moves_the_record_to_that_place(services):
    """Numbers are places (1..n, as printed): typing 3 moves the program to third and renumbers the others;
    a number past the end puts it last."""
    cat, prog = _first(services)
    names = [p.label for p in services.tree.programs(cat.id)]
    services.editing.update_program(prog.id, number=3)
    after = services.tree.programs(cat.id)
    assert [p.id for p in after].index(prog.id) == 2
    assert [services.editing.program(p.id).number for p in after] == list(range(1, len(after) + 1))
    assert services.editing.program(prog.id).code == "Ⅰ-3"
    services.editing.update_program(prog.id, number=99)
    assert services.tree.programs(cat.id)[-1].id == prog.id
    assert len(names) == len(services.tree.programs(cat.id))
    items = services.tree.line_items(prog.id)
    services.editing.update_line_item(items[0].id, number=2)
    moved = services.tree.line_items(prog.id)
    assert [i.id for i in moved[:2]] == [items[1].id, items[0].id]
    assert [services.editing.line_item(i.id).number for i in moved] == list(range(1, len(moved) + 1))


def test_restore_refuses_when_the_rows_around_are_gone(services):
    """Undo of a line item's delete writes its program's amount back: when that program went meanwhile
    (another year's history, another clerk), the restore is refused whole."""
    from asahi_desk.domain.errors import ConflictError

    cat, prog = _first(services)
    item = services.tree.line_items(prog.id)[0]
    snapshot = services.editing.delete_line_item(item.id)
    services.editing.delete_program(prog.id)
    with pytest.raises(ConflictError):
        services.editing.restore(snapshot)
    assert prog.id not in [p.id for p in services.tree.programs(cat.id)]
