"""The printed 総括表 beside the computed one: drift after an edit, brought in line on request."""

from __future__ import annotations

from asahi_desk.services.printed_summary import Drift


def test_drift_and_match(services):
    assert services.printed_summary.drift(2024) == Drift(rows=7, differing=0)
    cat = services.tree.categories(2024)[0]
    program = services.tree.programs(cat.id)[0]
    item = services.tree.line_items(program.id)[0]
    services.editing.update_line_item(item.id, amount=(item.current or 0) + 100)
    assert services.printed_summary.drift(2024) == Drift(rows=7, differing=2)  # the total and 自主企画事業費
    assert services.printed_summary.match_computed(2024).value == 2
    assert services.printed_summary.drift(2024) == Drift(rows=7, differing=0)
    printed = services.budgets.get(2024).summary
    assert printed is not None and printed[0].current == 876702 + 100 and str(printed[0].rate) == "3.2"
    assert printed[2].name == "統合事務事業費" and printed[4].name.endswith("（各種委員の任命・委嘱に関する経費など）")
    assert [f.code for f in services.checks.check(2024) if f.code.startswith("SUMMARY")] == []


def test_a_year_without_a_printed_summary(empty_services, budget_json):
    data = dict(budget_json)
    data.pop("summary")
    empty_services.budgets.load_data(data)
    assert empty_services.printed_summary.drift(2024) == Drift(rows=0, differing=0)
    assert empty_services.printed_summary.match_computed(2024).value == 0
