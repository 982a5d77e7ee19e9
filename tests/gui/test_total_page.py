"""The 合計 page (issue 13.7): the printed 総括表 beside the computed one, differences marked."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from asahi_desk.services.tree import TOTAL
from asahi_desk.ui.total_page import COMPARISON_HEADERS, DIFFERS


def _rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _tinted(table) -> set[tuple[int, int]]:
    return {(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())
            if table.item(r, c).background().color() == DIFFERS}


def test_the_printed_and_the_computed_summary_side_by_side(window, demo_db):
    printed = sqlite3.connect(demo_db).execute("select name, current from summary_row order by position").fetchall()
    assert window.select(TOTAL, 0)
    page = window.total_page
    assert window.stack.currentWidget() is page
    table = page.table
    assert table.objectName() == "summaryComparison" and table.columnCount() == len(COMPARISON_HEADERS)
    rows = _rows(table)
    assert [(r[0], int(r[1].replace(",", ""))) for r in rows[:len(printed)]] == printed
    assert rows[0][1:5] == rows[0][5:9] == ["876,702", "849,290", "27,412", "3.2"]
    assert _tinted(table) == set()  # the demo's printed 総括表 adds up
    assert "一致しています" in page.note.text()


def test_an_edit_marks_the_rows_that_now_differ_on_both_sides(window):
    window.services.editing.update_line_item(1, amount=800)  # 防災訓練事業 725 → 800: 自主企画事業費 and the total
    window.browser.reload()
    assert window.select(TOTAL, 0)
    table = window.total_page.table
    rows = _rows(table)
    assert rows[0][5] == "876,777" and rows[0][1] == "876,702"
    tinted = _tinted(table)
    assert {(0, 1), (0, 5), (0, 3), (0, 7), (1, 1), (1, 5)} <= tinted  # 予算額 and 増▲減, printed and computed
    assert all(r in (0, 1) for r, _c in tinted)  # only the total and 自主企画事業費 moved
    assert (0, 2) not in tinted  # 前年度 is the same on both sides
    assert table.item(0, 5).font().bold() and table.item(0, 5).toolTip()
    assert "2行が積み上げと違います" in window.total_page.note.text()
    assert window.total_page.sync_button.isVisibleTo(window.total_page)
    window.total_page.sync_button.click()  # 記載値を積み上げに合わせる: the two sides agree again
    assert window.select(TOTAL, 0)
    assert _tinted(window.total_page.table) == set()
    assert window.total_page.table.item(0, 1).data(Qt.ItemDataRole.DisplayRole) == "876,777"


def test_a_year_without_a_printed_summary_shows_the_computed_side_only(window):
    assert window.create_empty_year(2030, "旭区")
    assert window.select(TOTAL, 0)
    rows = _rows(window.total_page.table)
    assert rows and all(r[1] == "—" for r in rows)
    assert rows[0][5] == "0"
    assert "印刷された総括表の記載値はありません" in window.total_page.note.text()


def test_under_a_filter_the_summary_says_its_computed_side_is_the_whole_year(window, qtbot, tmp_path):
    """The heading says 表示中の事業 while the 総括表's 積み上げ columns are the whole year's (they are compared
    with the printed table): the page says so, in the column headings and in a line above the table."""
    from asahi_desk.ui.total_page import WHOLE_YEAR_HEADERS

    assert window.select(TOTAL, 0)
    page = window.total_page
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    assert headers == list(COMPARISON_HEADERS) and not page.scope.isVisibleTo(page)
    whole = _rows(page.table)
    window.section_filter.setCurrentIndex(window.section_filter.findText("地域振興課"))
    assert window.select(TOTAL, 0)
    assert "表示中の事業" in page.figures.text()
    assert _rows(page.table) == whole  # the whole year, as printed …
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    assert headers == list(WHOLE_YEAR_HEADERS) and all("年度全体" in h for h in headers[5:])  # … and said so
    assert page.scope.isVisibleTo(page) and "絞り込みに関係なく年度全体" in page.scope.text()
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.grab().save(str(tmp_path / "total-filtered.png"))
    window.section_filter.setCurrentIndex(0)
    assert window.select(TOTAL, 0)
    assert not page.scope.isVisibleTo(page)
    assert [page.table.horizontalHeaderItem(c).text() for c in range(9)] == list(COMPARISON_HEADERS)
