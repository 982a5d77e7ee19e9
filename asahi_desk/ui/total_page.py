"""The right pane for the total row: the year's figures and the printed 総括表 beside them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from asahi_desk.domain.money import format_amount
from asahi_desk.services.printed_summary import Drift


def figures_text(data: Any) -> str:
    """A total or budget-class row's figures as the right pane shows them (they are sums, not edited)."""
    return (f"{data.label}\n予算額 {format_amount(data.current)}千円・前年度 {format_amount(data.prior)}千円"
            f"・増▲減 {format_amount(data.current - data.prior)}千円\n"
            "金額は配下の事業の積み上げです。施策・事業・細事業を選ぶと編集できます。")


def _plain_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class TotalPage(QWidget):
    """予算額・前年度・増▲減 of the whole, and what became of the printed 総括表: nothing printed, in step with
    the programs, or drifted after edits (then a button sets the printed figures to the computed ones)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalPage")
        layout = QVBoxLayout(self)
        heading = QLabel("合計と総括表")
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout.addWidget(heading)
        self.figures = _plain_label("totalSummary")
        self.note = _plain_label("printedSummaryNote")
        self.sync_button = QPushButton("総括表の記載値を積み上げに合わせる")
        self.sync_button.setObjectName("syncSummaryButton")
        for w in (self.figures, self.note, self.sync_button):
            layout.addWidget(w)
        layout.addStretch(1)

    def show_total(self, data: Any, drift: Drift | None) -> None:
        self.figures.setText(figures_text(data))
        if drift is None or drift.rows == 0:
            self.note.setText("印刷された総括表の記載値はありません。会議資料の総括表は積み上げから作ります。")
        elif drift.differing == 0:
            self.note.setText(f"総括表の記載値（{drift.rows}行）は積み上げと一致しています。")
        else:
            self.note.setText(
                f"総括表の記載値（印刷時の数字、{drift.rows}行）のうち{drift.differing}行が積み上げと違います。"
                "金額を編集したあとなら、記載値を積み上げに合わせてください（元に戻せます）。"
                "印刷物の誤りを確かめるときは、そのままにしてチェック結果を見てください。")
        self.sync_button.setVisible(drift is not None and drift.differing > 0)
