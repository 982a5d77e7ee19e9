"""Roll-ups and the computed 総括表 agree with what the ward printed."""

from asahi_desk.domain.rules import class_totals, grand_total, match_figure, normalise_name, summary_figures
from asahi_desk.importers.json_format import parse_budget


def test_summary_figures_match_printed_summary(budget_json: dict) -> None:
    budget = parse_budget(budget_json)
    figures = summary_figures(budget)
    assert budget.summary is not None
    for row in budget.summary:
        fig = match_figure(row.name, figures)
        assert fig is not None, row.name
        assert (fig.current, fig.prior, fig.change, fig.rate) == (row.current, row.prior, row.change, row.rate)
    names = [f.name for f in figures]
    assert names[0] == "個性ある区づくり推進費"
    assert names.index("統合事務費") > names.index("統合事務事業費")


def test_totals(budget_json: dict) -> None:
    budget = parse_budget(budget_json)
    assert grand_total(budget) == (876702, 849290)
    assert class_totals(budget, "自主企画事業費") == (102924, 103230)
    assert class_totals(budget, "区配事業") == (585, 885)


def test_normalise_name_strips_notes_and_spaces() -> None:
    assert normalise_name("旭区で企画する主な区配事業※１") == "旭区で企画する主な区配事業"
    assert normalise_name("統合事業費（各種委員の任命・委嘱に関する経費など）") == "統合事業費"
    assert normalise_name("広報よこはま　あさひ区版発行事業") == "広報よこはまあさひ区版発行事業"
