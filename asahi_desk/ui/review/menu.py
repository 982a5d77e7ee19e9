"""データ → 振り返りを前年度から作成… (as `asahi-desk review new`), and review findings that open their row."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.ui.review import shell


def install(window: Any) -> None:
    action = QAction("振り返りを前年度から作成…", window)
    action.setObjectName("actionNewReview")
    action.triggered.connect(lambda _checked=False: new_review(window))
    window.menu("データ").addAction(action)
    if hasattr(window, "open_review_row"):  # the 振り返り tab is attached (ui/review/shell.py)
        shell.connect_findings(window)


def new_review(window: Any, year: int | None = None, from_year: int | None = None) -> bool:
    """Ask for the years (unless given), create the review, show it. False when refused or cancelled."""
    years = window.services.review.years()
    if not years:
        window.tell.explain("振り返りを作成", "元にする振り返りがありません（JSON を読み込んでください）")
        return False
    if from_year is None:
        labels = [fiscal_year_both(y) for y in years]
        label, ok = QInputDialog.getItem(window, "振り返りを作成", "元にする振り返り", labels, len(labels) - 1, False)
        if not ok:
            return False
        from_year = years[labels.index(label)]
    if year is None:
        year, ok = QInputDialog.getInt(window, "振り返りを作成", "作成する年度（西暦）", from_year + 1, 1989, 2200)
        if not ok:
            return False
    try:
        loaded = window.services.review.new_from(year, from_year)
    except AsahiError as e:
        window.tell.error(str(e))
        return False
    window.mark_written()
    view = getattr(window, "review_view", None)
    if view is not None:
        window.review_tabs.setCurrentWidget(view)
        view.load_years(loaded.fiscal_year)
    window.tell(f"{fiscal_year_both(loaded.fiscal_year)}の振り返りを{fiscal_year_both(from_year)}から作成しました"
                "（振り返り欄は空です）")
    return True
