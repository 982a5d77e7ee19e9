"""The 振り返り tied to the budget: links by identity, JSON load rules, review new, checked edits."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from asahi_desk.domain.entities import ProgramLink, ReviewRow
from asahi_desk.domain.errors import ConflictError, InputError, StaleError
from asahi_desk.services.review import ROW

AFTER_2024 = dt.date(2025, 6, 1)  # 令和6年度 has ended
DURING_2024 = dt.date(2024, 10, 1)


def linked_review(review_json: dict, year: int = 2024, links: tuple = (["Ⅰ-1"], ["統合事務費", "Ⅰ-2"])) -> dict:
    """The demo review moved to another year, its first rows naming programs."""
    data = copy.deepcopy(review_json)
    data["fiscal_year"] = year
    rows = [r for a in data["areas"] for i in a["initiatives"] for r in i["rows"]]
    for row, programs in zip(rows, links, strict=False):
        row["programs"] = list(programs)
    return data


def test_links_and_actuals_round_trip_through_the_database(services, review_json: dict, budget_json: dict) -> None:
    budget = copy.deepcopy(budget_json)
    budget["categories"][0]["programs"][0]["indicators"][0]["actual"] = "80"
    services.budgets.load_data(budget, replace=True)
    data = linked_review(review_json)
    services.budgets.load_data(data)
    assert services.budgets.dump_review(2024) == data
    assert services.budgets.dump(2024) == budget
    row = services.review.get(2024).rows()[0][2]
    (link, program), = services.review.linked(2024, row.programs)
    assert link.label == "Ⅰ-1" and program is not None and program.current == 11922
    assert program.indicators[0].actual == "80"


def test_unknown_code_is_refused_with_its_place_when_the_budget_is_here(services, review_json: dict) -> None:
    data = linked_review(review_json, links=(["Ⅰ-1"], ["Ⅰ-99"]))
    with pytest.raises(InputError) as e:
        services.budgets.load_data(data, "r.json")
    assert str(e.value) == ("r.json: areas[0]（安全・安心）.initiatives[0].rows[1].programs[0]: "
                            "令和6年度の予算に事業「Ⅰ-99」がありません")
    assert 2024 not in services.review.years()  # nothing written


def test_links_of_a_year_without_budget_are_kept_as_written(services, review_json: dict) -> None:
    data = linked_review(review_json, year=2022, links=(["Ⅰ-99"],))
    services.budgets.load_data(data, replace=True)
    assert services.budgets.dump_review(2022) == data


def test_review_new_keeps_structure_and_links_through_rollover(services, review_json: dict) -> None:
    services.budgets.load_data(linked_review(review_json))
    services.rollover.new_year(2024)
    services.editing.update_program(services.budgets.get(2025).programs()[0].id, code="Ⅰ-7")
    loaded = services.review.new_from(2025, 2024)
    assert loaded.fiscal_year == 2025
    made = [h for h in services.history.entries(fiscal_year=2025) if h.table.startswith("review")]
    assert made and {h.source for h in made} == {"load"}  # the new review is in the change history
    old, new = services.review.get(2024), services.review.get(2025)
    assert [(r.sections, r.plan) for _a, _i, r in new.rows()] == [(r.sections, r.plan) for _a, _i, r in old.rows()]
    assert all(r.results == () for _a, _i, r in new.rows())
    first = new.rows()[0][2].programs[0]
    assert first.uid == old.rows()[0][2].programs[0].uid and first.label == "Ⅰ-7"  # same program, new code
    with pytest.raises(ConflictError):
        services.review.new_from(2025, 2024)


def test_edits_state_what_they_saw(services, review_json: dict) -> None:
    services.budgets.load_data(linked_review(review_json))
    row = services.review.get(2024).rows()[0][2]
    new_results = (*row.results, "訓練参加者 延べ6,495人")
    done = services.review.set_field(ROW, row.id, "results", row.results, new_results)
    assert done.value == new_results and done.undo is not None
    with pytest.raises(StaleError, match="振り返りの行の振り返りは .* に .*さんが .* に変更しています"):
        services.review.set_field(ROW, row.id, "results", row.results, ())  # stale: refused, naming who
    links = services.review.set_field(ROW, row.id, "programs", row.programs,
                                      (*row.programs, ProgramLink("Ⅱ-8"))).value
    assert [x.label for x in links] == ["Ⅰ-1", "Ⅱ-8"] and all(x.uid for x in links)
    with pytest.raises(InputError, match="事業「Ⅸ-1」がありません"):
        services.review.set_field(ROW, row.id, "programs", links, (ProgramLink("Ⅸ-1"),))


def test_edits_are_operations_with_history_undo_and_redo(services, review_json: dict) -> None:
    services.budgets.load_data(linked_review(review_json))
    row = services.review.get(2024).rows()[0][2]
    done = services.review.set_field(ROW, row.id, "results", row.results, ("一つだけ",))
    lines = [h for h in services.history.entries(fiscal_year=2024) if h.table.startswith("review")]
    assert [(h.table, h.field, h.new) for h in lines] == [("review_row", "results", ["一つだけ"])]
    assert lines[0].field_label == "振り返り" and lines[0].source == "edit"
    undone = services.editing.undo(done.undo)
    assert services.review.node(ROW, row.id).results == row.results
    services.editing.redo(undone.undo)
    assert services.review.node(ROW, row.id).results == ("一つだけ",)
    assert [h.source for h in services.history.entries(fiscal_year=2024) if h.table.startswith("review")][:2] == [
        "redo", "undo"]
    # an undo after a colleague's change is refused, and writes nothing
    services.review.set_field(ROW, row.id, "results", ("一つだけ",), ("同僚の記入",))
    with pytest.raises(StaleError, match="元に戻せません"):
        services.editing.undo(done.undo)
    assert services.review.node(ROW, row.id).results == ("同僚の記入",)


def test_insert_delete_move_and_undo(services, review_json: dict) -> None:
    services.budgets.load_data(linked_review(review_json))
    review = services.review.get(2024)
    ini = review.areas[0].initiatives[0]
    added = services.review.insert(ROW, ini.id, 0, ReviewRow(("総務課",), ("計画",), ()))
    assert services.review.get(2024).areas[0].initiatives[0].rows[0].id == added.value
    assert services.review.move(ROW, added.value, 1).value is True
    assert services.review.move(ROW, added.value, 5).value is False
    first = ini.rows[0]
    gone = services.review.delete(ROW, first.id, first)
    assert first.id not in [r.id for r in services.review.get(2024).areas[0].initiatives[0].rows]
    services.editing.undo(gone.undo)  # the same row, id, bullets and links come back
    rows = services.review.get(2024).areas[0].initiatives[0].rows
    assert rows[0] == first and rows[1].id == added.value
    # a whole area and all it holds
    area = services.review.get(2024).areas[0]
    gone = services.review.delete("area", area.id, area)
    assert len(services.review.get(2024).areas) == len(review.areas) - 1
    services.editing.undo(gone.undo)
    assert services.review.get(2024).areas[0] == area


# ---- checker rules, each positive and negative

def _codes(services, today: dt.date) -> list[str]:
    return [f.code for f in services.checks.check(2024, today=today)]


def test_rule_row_without_results_in_an_ended_year(services, review_json: dict) -> None:
    data = linked_review(review_json)
    services.budgets.load_data(data)
    assert "REVIEW_NO_RESULTS" not in _codes(services, AFTER_2024)
    row = services.review.get(2024).rows()[0][2]
    services.review.set_field(ROW, row.id, "results", row.results, ())
    assert _codes(services, AFTER_2024).count("REVIEW_NO_RESULTS") == 1
    assert "REVIEW_NO_RESULTS" not in _codes(services, DURING_2024)


def test_rule_linked_program_that_no_longer_exists(services, review_json: dict) -> None:
    services.budgets.load_data(linked_review(review_json))
    assert "REVIEW_LINK_MISSING" not in _codes(services, DURING_2024)
    services.editing.delete_program(services.budgets.get(2024).programs()[0].id)
    found = [f for f in services.checks.check(2024, today=DURING_2024) if f.code == "REVIEW_LINK_MISSING"]
    assert len(found) == 1 and "「Ⅰ-1」" in found[0].message and found[0].location.review_row_id is not None


def test_rule_indicator_without_actual_in_an_ended_year(services, budget_json: dict) -> None:
    assert "INDICATOR_NO_ACTUAL" not in _codes(services, DURING_2024)
    assert _codes(services, AFTER_2024).count("INDICATOR_NO_ACTUAL") == 45
    data = copy.deepcopy(budget_json)
    for c in data["categories"]:
        for p in c["programs"]:
            for ind in p["indicators"]:
                ind["actual"] = ind["target"]
    services.budgets.load_data(data, replace=True)
    assert "INDICATOR_NO_ACTUAL" not in _codes(services, AFTER_2024)


def test_rule_achievement_outside_50_to_200(services, budget_json: dict) -> None:
    data = copy.deepcopy(budget_json)
    indicators = data["categories"][0]["programs"][0]["indicators"]
    indicators[0]["actual"] = "168"  # 84回 -> 200.0%: inside
    indicators[1]["actual"] = "5"  # 割合: points, never flagged
    services.budgets.load_data(data, replace=True)
    assert "ACHIEVEMENT_OUTLIER" not in _codes(services, DURING_2024)
    indicators[0]["actual"] = "41"  # 48.8%
    services.budgets.load_data(data, replace=True)
    found = [f for f in services.checks.check(2024, today=DURING_2024) if f.code == "ACHIEVEMENT_OUTLIER"]
    assert len(found) == 1 and "48.8%" in found[0].message


def test_rule_results_copied_from_another_row(services, review_json: dict) -> None:
    services.budgets.load_data(linked_review(review_json))
    assert "REVIEW_DUPLICATE_RESULT" not in _codes(services, DURING_2024)
    rows = services.review.get(2024).rows()
    first, second = rows[0][2], rows[1][2]
    services.review.set_field(ROW, second.id, "results", second.results, (*second.results, first.results[0]))
    assert _codes(services, DURING_2024).count("REVIEW_DUPLICATE_RESULT") == 1
