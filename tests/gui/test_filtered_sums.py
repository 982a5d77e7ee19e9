"""Filtered figures are honest (issue 13.5): under a filter the 施策, class and 合計 rows add up what is listed, and a
合計外 class (区配事業) never adds into the 個性ある区づくり推進費 合計."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from asahi_desk.domain.money import format_amount
from asahi_desk.services.tree import BUDGET_CLASS, CATEGORY, OUTSIDE_TOTAL, PROGRAM, TOTAL
from asahi_desk.ui.tree_model import LISTED_TIP, LISTED_TOTAL_LABEL


def _children(model, parent: QModelIndex) -> list[QModelIndex]:
    if model.canFetchMore(parent):
        model.fetchMore(parent)
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def _check_sums(window) -> tuple[int, int]:
    """Every 施策 row sums its listed programs, every class its 施策, the 合計 its in-total classes; returns
    the 合計's (current, prior)."""
    model = window.model
    inside = [0, 0]
    total = None
    for cls in _children(model, QModelIndex()):
        data = model.node(cls).data
        if data.kind == TOTAL:
            total = data
            continue
        assert data.kind == BUDGET_CLASS
        sums = [0, 0]
        for cat in _children(model, cls):
            cdata = model.node(cat).data
            assert cdata.kind == CATEGORY
            programs = [model.node(p).data for p in _children(model, cat)]
            assert programs and all(p.kind == PROGRAM for p in programs)
            assert (cdata.current, cdata.prior) == (sum(p.current for p in programs), sum(p.prior for p in programs))
            sums = [sums[0] + cdata.current, sums[1] + cdata.prior]
        assert [data.current, data.prior] == sums, data.label
        if not data.label.endswith(OUTSIDE_TOTAL):
            inside = [inside[0] + data.current, inside[1] + data.prior]
    assert total is not None and total.label == LISTED_TOTAL_LABEL
    assert [total.current, total.prior] == inside
    return total.current, total.prior


def test_a_section_filter_sums_what_is_listed_and_leaves_the_outside_class_out(window):
    unfiltered = window.model.node(window.model.index(0, 0)).data
    window.section_filter.setCurrentIndex(window.section_filter.findText("地域振興課"))
    labels = [window.model.node(i).data.label for i in _children(window.model, QModelIndex())]
    assert any(label.endswith(OUTSIDE_TOTAL) for label in labels)  # 区配事業 is listed …
    current, prior = _check_sums(window)  # … but not added into the 合計
    assert current < unfiltered.current
    status = window.browser.filter_summary.text()
    assert f"予算額 {format_amount(current)}千円・前年度 {format_amount(prior)}千円（ほかに合計外" in status
    cls = window.model.index(0, 0)
    assert LISTED_TIP in window.model.data(cls.siblingAtColumn(1), Qt.ItemDataRole.ToolTipRole)
    assert window.model.data(cls, Qt.ItemDataRole.FontRole).italic()


def test_a_search_sums_what_is_listed_and_clearing_it_brings_the_whole_back(window):
    whole = window.model.node(window.model.index(0, 0)).data
    window.search_box.setText("防災")
    _check_sums(window)
    window.search_box.clear()
    again = window.model.node(window.model.index(0, 0)).data
    assert again == whole and again.label != LISTED_TOTAL_LABEL
    assert not window.model.data(window.model.index(1, 0), Qt.ItemDataRole.FontRole).italic()
