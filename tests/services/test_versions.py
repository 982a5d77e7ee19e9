"""Named versions: save freezes the year, list shows them, restore makes the working year equal (and undoes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from asahi_desk.app import Services
from asahi_desk.domain.entities import Indicator
from asahi_desk.domain.errors import AsahiError, ConflictError, InputError, NotFoundError
from asahi_desk.importers import json_format
from asahi_desk.launcher import main


def find(services: Services, program: str, item: str | None = None):  # noqa: ANN201 - Program or LineItem
    p = next(p for p in services.budgets.get(2024).programs() if p.name == program)
    return p if item is None else next(li for li in p.line_items if li.name == item)


def tree(services: Services) -> list:
    """The year's categories as the interchange form, without meetings and the printed summary."""
    return json_format.dump_budget(services.budgets.get(2024), with_ids=True)["categories"]


def test_save_freezes_the_year_and_list_shows_it(services: Services) -> None:
    info = services.versions.save(2024, "要求")
    assert info.name == "要求" and info.programs == 27
    li = find(services, "災害に強い区づくり事業", "防災訓練事業")
    services.editing.update_line_item(li.id, amount=800)
    frozen = services.versions.budget(2024, "要求")
    assert next(x for p in frozen.programs() for x in p.line_items if x.uid == li.uid).amount == 725
    assert [v.name for v in services.versions.list(2024)] == ["要求"]
    with pytest.raises(ConflictError, match="既にあります"):
        services.versions.save(2024, "要求")
    with pytest.raises(InputError):
        services.versions.save(2024, "  ")


def test_restore_brings_back_amounts_texts_indicators_items_and_undoes(services: Services) -> None:
    original = tree(services)
    services.versions.save(2024, "照会前")
    p = find(services, "災害に強い区づくり事業")
    li = find(services, "災害に強い区づくり事業", "防災訓練事業")
    services.editing.update_line_item(li.id, amount=800, activities=["変更後"])
    services.editing.update_program(p.id, purpose="変えた目的")
    services.editing.set_indicators(p.id, [Indicator("新しい指標", "10", "回")])
    services.editing.add_line_item(p.id, "足した細事業", 5)
    edited = tree(services)
    assert edited != original

    restored = services.versions.restore(2024, "照会前")
    assert tree(services) == original
    assert restored.before_name in services.versions.names(2024)
    services.editing.undo(restored.operation.undo)  # undo: exactly what the restore changed, taken back
    assert tree(services) == edited
    services.versions.restore(2024, restored.before_name)  # or by name, from the command line
    assert tree(services) == edited


def test_unknown_version_names_the_known_ones(services: Services) -> None:
    services.versions.save(2024, "確定")
    with pytest.raises(NotFoundError, match="確定"):
        services.versions.restore(2024, "要求")


def test_cli_save_list_restore(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_db)
    assert main(["version", "save", "--db", db, "--fiscal-year", "2024", "--name", "課長査定"]) == 0
    assert main(["version", "save", "--db", db, "--fiscal-year", "2024", "--name", "課長査定"]) == 2
    capsys.readouterr()
    assert main(["version", "list", "--db", db, "--fiscal-year", "2024"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("課長査定\t") and "876,702 千円" in out  # the 合計 row's figure: 合計外 (877,287 - 585) left out
    assert main(["version", "restore", "--db", db, "--fiscal-year", "2024", "--name", "課長査定"]) == 0
    assert "を復元する前" in capsys.readouterr().err


def test_restore_is_in_the_history_and_its_undo_respects_a_colleagues_change(services: Services) -> None:
    services.versions.save(2024, "要求")
    li = find(services, "災害に強い区づくり事業", "防災訓練事業")
    services.editing.update_line_item(li.id, amount=800)
    restored = services.versions.restore(2024, "要求")
    lines = [h for h in services.history.entries(fiscal_year=2024) if h.operation_id == restored.operation.operation_id]
    assert {(h.source, h.item_name, h.field, h.old, h.new) for h in lines if h.field == "amount"} == {
        ("restore", "防災訓練事業", "amount", 800, 725)}
    assert all(h.label == "版「要求」を復元" for h in lines)
    # a colleague changes the same 細事業 after the restore: undoing the restore must not write over it
    services.editing.update_line_item(li.id, amount=730)
    with pytest.raises(AsahiError, match="防災訓練事業"):
        services.editing.undo(restored.operation.undo)
    assert find(services, "災害に強い区づくり事業", "防災訓練事業").amount == 730


def test_cli_list_without_a_year_shows_every_year_grouped(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_db)
    assert main(["version", "list", "--db", db]) == 0
    assert "版はまだありません" in capsys.readouterr().err
    assert main(["new-year", "--db", db, "--from", "2024"]) == 0  # a second year: 2025
    years = [2024, 2025]
    for y in years:
        assert main(["version", "save", "--db", db, "--fiscal-year", str(y), "--name", f"要求{y}"]) == 0
    capsys.readouterr()
    assert main(["version", "list", "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    heads = [line for line in out if not line.startswith("  ")]
    assert heads == [f"令和{y - 2018}年度（{y}年度）" for y in years]
    for y in years:
        at = out.index(f"令和{y - 2018}年度（{y}年度）")
        assert out[at + 1].startswith(f"  要求{y}\t")



@pytest.mark.parametrize("printed_change", ["as shipped", "unset"])
def test_save_then_restore_writes_nothing(printed_change: str, demo_db: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    if printed_change == "unset":  # 増▲減 not printed (NULL), as after an amount edit or a load without it
        with sqlite3.connect(demo_db) as con:
            con.execute("UPDATE program SET printed_change = NULL")
        con.close()
    db = str(demo_db)

    def table() -> list[tuple]:
        with sqlite3.connect(demo_db) as con:
            rows = con.execute("SELECT uid, printed_change, current, prior, purpose FROM program ORDER BY uid").fetchall()
        con.close()
        return rows

    before = table()
    assert main(["history", "--db", db]) == 0
    history_before = capsys.readouterr().out
    assert main(["version", "save", "--db", db, "--fiscal-year", "2024", "--name", "A"]) == 0
    assert main(["version", "restore", "--db", db, "--fiscal-year", "2024", "--name", "A"]) == 0
    capsys.readouterr()
    assert table() == before  # NULL stays NULL
    assert main(["history", "--db", db]) == 0
    assert capsys.readouterr().out == history_before  # no history lines: nothing differed


def test_version_name_with_a_control_character_is_refused_and_escaped(demo_db: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["version", "save", "--db", str(demo_db), "--fiscal-year", "2024", "--name", "要求\u202e逆"])
    err = capsys.readouterr().err
    assert code == 2 and "版の名前に制御文字（\\u202e）は使えません" in err and "\u202e" not in err


def test_version_list_line_escapes_its_user_text_and_keeps_its_tabs() -> None:
    import datetime as dt

    from asahi_desk.services.versions import VersionInfo

    line = VersionInfo(2024, "要求", dt.datetime(2026, 1, 2, 3, 4), "clerk\u202egod", 27, 876702).line()
    assert line == "要求\t2026-01-02 03:04\tclerk\\u202egod\t事業 27 件\t876,702 千円"
