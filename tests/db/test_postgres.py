"""The same services on PostgreSQL (a URL instead of a file). scripts/test.sh starts a throwaway
server and sets ASAHI_DESK_TEST_PG_URL; without it these tests are skipped."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from asahi_desk.app import Services, build_services
from asahi_desk.domain.errors import ConflictError, InputError
from asahi_desk.store.migrate import HEAD_REVISION, current_revision
from asahi_desk.store.models import Base

PG_URL = os.environ.get("ASAHI_DESK_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="ASAHI_DESK_TEST_PG_URL not set (scripts/test.sh sets it)")


@pytest.fixture
def pg() -> Iterator[Services]:
    assert PG_URL
    engine = create_engine(PG_URL)
    with engine.begin() as conn:  # each test starts from an empty database
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    services = build_services(PG_URL)
    yield services
    services.close()


def test_migrations_create_the_schema(pg: Services) -> None:
    assert pg.engine.dialect.name == "postgresql"
    assert current_revision(pg.engine) == HEAD_REVISION
    assert pg.backup is None


def test_demo_round_trip_check_and_rollover(pg: Services, budget_json: dict, review_json: dict) -> None:
    pg.budgets.load_demo()
    assert pg.budgets.dump(2024) == budget_json
    assert pg.budgets.dump_review(2022) == review_json
    assert [f.code for f in pg.checks.check(2024) if f.severity == "error"] == ["DUPLICATE_TEXT"] * 4
    assert pg.rollover.new_year(2024).value == 2025
    with pytest.raises(ConflictError):
        pg.rollover.new_year(2024)
    assert [f for f in pg.checks.check(2025) if f.code == "PRIOR_MISMATCH"] == []


def test_a_refused_load_writes_nothing(pg: Services, budget_json: dict) -> None:
    pg.budgets.load_data(budget_json)
    before = pg.budgets.dump(2024)
    data = copy.deepcopy(budget_json)
    data["categories"][3]["programs"][0]["line_items"][0]["amount"] = -1
    with pytest.raises(InputError):
        pg.budgets.load_data(data, replace=True)
    assert pg.budgets.dump(2024) == before


def test_edits_deletes_and_restores_on_postgresql(pg: Services) -> None:
    """Undo of a delete re-inserts rows with their old ids; later inserts must still get fresh ids."""
    pg.budgets.load_demo()
    cat = pg.tree.categories(2024)[0]
    program = pg.tree.programs(cat.id)[0]
    item = pg.tree.line_items(program.id)[0]
    pg.editing.update_line_item(item.id, amount=(item.current or 0) + 500)
    assert pg.editing.program(program.id).current == program.current + 500
    before = pg.budgets.dump(2024, with_ids=True)
    snapshot = pg.editing.delete_program(program.id)
    assert program.id not in [p.id for p in pg.tree.programs(cat.id)]
    assert pg.editing.restore(snapshot).value == program.id
    assert pg.budgets.dump(2024, with_ids=True) == before
    added = pg.editing.add_line_item(program.id, "新しい細事業", 10).value
    assert added in {li.id for li in pg.tree.line_items(program.id)} and added > max(snapshot_ids(snapshot))
    assert pg.editing.program(program.id).current == program.current + 510


def snapshot_ids(deleted) -> list[int]:  # noqa: ANN001 - the OpResult of a delete
    return [c.row_id for c in deleted.rows if c.table == "line_item"]


def test_review_links_edits_and_undo_on_postgresql(pg: Services, review_json: dict) -> None:
    from asahi_desk.domain.entities import ProgramLink

    pg.budgets.load_demo()
    data = copy.deepcopy(review_json)
    data["fiscal_year"] = 2024
    data["areas"][0]["initiatives"][0]["rows"][0]["programs"] = ["Ⅰ-1", "統合事務費"]
    pg.budgets.load_data(data)
    assert pg.budgets.dump_review(2024) == data
    row = pg.review.get(2024).rows()[0][2]
    done = pg.review.set_field("row", row.id, "programs", row.programs, (ProgramLink("Ⅱ-8"),))
    assert [x.label for x in pg.review.node("row", row.id).programs] == ["Ⅱ-8"]
    pg.editing.undo(done.undo)
    assert pg.review.node("row", row.id).programs == row.programs
    gone = pg.review.delete("row", row.id, pg.review.node("row", row.id))
    pg.editing.undo(gone.undo)  # the same ids come back; a later insert still gets a fresh id
    assert pg.review.node("row", row.id) == row
    new_id = pg.review.insert("row", pg.review.get(2024).areas[0].initiatives[0].id, 0,
                              pg.review.node("row", row.id)).value
    assert new_id != row.id


def test_inquiry_round_trip_versions_and_compare_on_postgresql(pg: Services, budget_json: dict, tmp_path) -> None:  # noqa: ANN001
    import openpyxl

    from asahi_desk.domain import inquiry as iq

    pg.budgets.load_data(budget_json)
    pg.versions.save(2024, "照会前")
    book = pg.inquiry.export_section(2024, "総務課", tmp_path / "soumu.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb[iq.ITEMS_SHEET]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == "防災訓練事業")
    ws.cell(row, 5).value = 800
    wb.save(book)

    def amount(name: str) -> int:
        return next(li.amount for p in pg.budgets.get(2024).programs() for li in p.line_items if li.name == name)

    other = next(li for p in pg.budgets.get(2024).programs() for li in p.line_items if li.name == "防災活動事業")
    pg.editing.update_line_item(other.id, amount=9000)  # a central change after the export is kept
    result = pg.inquiry.import_answers([book])
    assert result.written and [c.line() for c in result.changes] == [
        "災害に強い区づくり事業 ／ 防災訓練事業 の金額: 725 → 800"]
    assert amount("防災訓練事業") == 800 and amount("防災活動事業") == 9000
    program = next(p for p in pg.budgets.get(2024).programs() if p.name == "災害に強い区づくり事業")
    assert program.current == sum(li.amount for li in program.line_items)

    restored = pg.versions.restore(2024, "照会前")
    assert amount("防災訓練事業") == 725
    pg.editing.undo(restored.operation.undo)
    assert amount("防災訓練事業") == 800
    rows = {r.label: r for r in pg.comparison.compare(2024, "照会前").rows}
    assert (rows["防災訓練事業"].old, rows["防災訓練事業"].new, rows["防災訓練事業"].difference) == (725, 800, 75)


def test_bulk_written_year_reads_back_and_rolls_over_on_postgresql(pg: Services) -> None:
    from tests.services.test_bulk_writes import rich_budget, without_ids

    budget = rich_budget(programs=20)
    pg.budgets.add_budget(budget)
    assert without_ids(pg.budgets.get(2030).categories) == without_ids(budget.categories)
    assert pg.rollover.new_year(2030).value == 2031
    assert [p.uid for p in pg.budgets.get(2031).programs()] == [p.uid for p in pg.budgets.get(2030).programs()]
