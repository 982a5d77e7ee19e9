"""Search as a Japanese clerk types (issue 13.4): kana and width folded, words that must all match, hits marked."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QColor

from asahi_desk.services.tree import LINE_ITEM, PROGRAM
from asahi_desk.ui.highlight import HIT_COLOUR
from asahi_desk.ui.tree_model import HIGHLIGHT_ROLE


def _listed(window, parent: QModelIndex | None = None) -> list[tuple[str, str, QModelIndex]]:
    """(kind, label, index) of every loaded row under parent."""
    model = window.model
    parent = parent or QModelIndex()
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        data = model.node(index).data
        out.append((data.kind, data.label, index))
        out.extend(_listed(window, index))
    return out


def _programs(window) -> list[str]:
    return [label for kind, label, _i in _listed(window) if kind == PROGRAM]


def test_hiragana_and_half_width_find_the_katakana_program(window):
    for query in ("はち", "ﾊﾁ", "ハチ", "ﾊﾁの駆除"):
        window.search_box.setText(query)
        assert any(label.endswith("ハチの駆除サポート事業") for _k, label, _i in _listed(window)), query
    window.search_box.setText("ﾊﾁ")
    [hit] = [(label, index) for kind, label, index in _listed(window) if label.endswith("ハチの駆除サポート事業")]
    label, index = hit
    start = label.index("ハチ")
    assert window.model.data(index, HIGHLIGHT_ROLE) == [(start, start + 2)]


def test_words_separated_by_a_full_width_space_must_all_match(window):
    window.search_box.setText("防災　訓練")
    programs = _programs(window)
    assert any(p.endswith("防災訓練事業") or "災害に強い" in p for p in programs)
    labels = [label for _k, label, _i in _listed(window)]
    assert any(label.endswith("防災訓練事業") for label in labels)
    assert not any(label.endswith("防災講演会") for label in labels)  # it says 防災 but nowhere 訓練
    window.search_box.setText("防災 訓練")  # a half-width space splits the same way
    assert [label for _k, label, _i in _listed(window)] == labels
    window.search_box.setText("防災　存在しない語")
    assert window.model.rowCount() == 0


def test_purposes_indicators_and_sections_are_searched(window, services):
    program = services.editing.program(1)
    indicator = program.indicators[0].name
    for query in (indicator[:6], program.purpose[10:18], "地域振興課"):
        window.search_box.setText(query)
        assert _programs(window), query
    window.search_box.setText(indicator[:6])
    assert any(label.endswith(program.name) for label in _programs(window))


def test_a_line_item_hit_is_listed_under_its_program_and_marked(window, qtbot):
    window.search_box.setText("講演会")
    items = [(label, index) for kind, label, index in _listed(window) if kind == LINE_ITEM]
    items = [(label, index) for label, index in items if label.endswith("防災講演会")]
    assert [label for label, _i in items] == ["3 防災講演会"]
    assert window.model.data(items[0][1], HIGHLIGHT_ROLE) == [(4, 7)]
    window.tree.scrollTo(items[0][1])
    qtbot.wait(50)
    rect = window.tree.visualRect(items[0][1])
    image = window.tree.viewport().grab(rect).toImage()
    colours = {QColor(image.pixel(x, y)).name() for x in range(image.width()) for y in range(image.height())}
    assert HIT_COLOUR.name() in colours  # the delegate painted the marker behind 講演会
    window.search_box.clear()
    assert all(window.model.data(i, HIGHLIGHT_ROLE) == [] for _k, _l, i in _listed(window))
