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
    result = services.editing.update_program(prog.id, current=12000, name="災害に強い区づくり事業（改）")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.current = 1  # type: ignore[misc]
    other = build_services(str(demo_db))
    try:
        p = next(p for c in other.budgets.get(2024).categories for p in c.programs if p.id == prog.id)
        assert (p.current, p.name, p.printed_change) == (12000, "災害に強い区づくり事業（改）", None)
    finally:
        other.close()


@pytest.mark.parametrize("bad", [-1, 1.5, "12", True, 10**15])
def test_invalid_amount_is_refused_and_nothing_written(services, bad):
    _cat, prog = _first(services)
    with pytest.raises(InputError, match="金額は0以上の整数（千円）で入力してください"):
        services.editing.update_program(prog.id, name="変更されない", current=bad)
    assert services.editing.program(prog.id).name == "災害に強い区づくり事業"


def test_line_item_fields_and_marker_limit(services):
    _cat, prog = _first(services)
    item = services.tree.line_items(prog.id)[0]
    got = services.editing.update_line_item(item.id, amount=800, marker="新", activities=["a", " ", "b"])
    assert (got.amount, got.marker, got.activities) == (800, "新", ("a", "b"))
    with pytest.raises(InputError, match="記号は4文字以内"):
        services.editing.update_line_item(item.id, marker="あいうえお")
    with pytest.raises(InputError, match="細事業名"):
        services.editing.update_line_item(item.id, name="  ")


def test_indicators_sections_and_unknown_section(services):
    _cat, prog = _first(services)
    got = services.editing.set_indicators(prog.id, [Indicator("回数", "3", "回")])
    assert got.indicators == (Indicator("回数", "3", "回"),)
    with pytest.raises(InputError, match="指標"):
        services.editing.set_indicators(prog.id, [Indicator("")])
    with pytest.raises(InputError, match="登録されていません"):
        services.editing.update_program(prog.id, sections=["存在しない課"])
    services.editing.add_section("新設課")
    assert services.editing.update_program(prog.id, sections=["新設課"]).sections == ("新設課",)


def test_add_move_delete_renumber_line_items(services):
    _cat, prog = _first(services)
    new_id = services.editing.add_line_item(prog.id, "追加した細事業", 10)
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
    cid = services.editing.add_category(2024, "新しい施策", "Ⅶ")
    assert services.tree.categories(2024)[-1].id == cid
    services.editing.move_category(cid, -100)
    assert services.tree.categories(2024)[0].id == cid
    pid = services.editing.add_program(cid, "新しい事業")
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
