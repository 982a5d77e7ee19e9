"""The right pane for the total row: the year's figures and the printed 総括表 beside the computed one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.money import format_amount
from asahi_desk.services.summary_lines import Drift, Figures, SummaryLine
from asahi_desk.ui.plain_text import as_html
from asahi_desk.ui.tree_model import LISTED_TOTAL_LABEL

COMPARISON_HEADERS = ("項目", "印刷\n予算額", "印刷\n前年度", "印刷\n増▲減", "印刷\n率%", "積み上げ\n予算額",
                      "積み上げ\n前年度", "積み上げ\n増▲減", "積み上げ\n率%")
# under a search or 担当課 filter the computed side stays the whole year (it is compared with the printed
# table, which is the whole year), while the figures above are the listed programs': the headings say so
WHOLE_YEAR_HEADERS = (*COMPARISON_HEADERS[:5], *(h.replace("積み上げ\n", "積み上げ\n年度全体\n") for h in COMPARISON_HEADERS[5:]))
WHOLE_YEAR_NOTE = ("絞り込み中です。上の金額は表示中の事業の合計ですが、下の総括表の積み上げは絞り込みに関係なく"
                   "年度全体の数字です（印刷された総括表と比べるため）。")
DIFFERS = QColor("#ffd0d0")  # a figure that is not the same in the printed and the computed table
DIFFERS_TIP = "印刷された総括表と積み上げが違います"
PRINTED_SIDE = QColor("#f4f4f4")


def figures_text(data: Any) -> str:
    """A total or budget-class row's figures as the right pane shows them (they are sums, not edited)."""
    return (f"{data.label}\n予算額 {format_amount(data.current)}千円・前年度 {format_amount(data.prior)}千円"
            f"・増▲減 {format_amount(data.current - data.prior)}千円\n"
            "金額は配下の事業の積み上げです。施策・事業・細事業を選ぶと編集できます。")


def drift_of(lines: list[SummaryLine]) -> Drift:
    """How many rows were printed, and how many of those differ from the computed figures."""
    printed = [line for line in lines if line.printed is not None]
    return Drift(len(printed), sum(1 for line in printed if line.computed is not None and any(line.differs())))


def _cells(figures: Figures | None) -> list[str]:
    if figures is None:
        return ["—", "", "", ""]
    current, prior, change, rate = figures
    return [format_amount(current), format_amount(prior), "" if change is None else format_amount(change),
            "" if rate is None else rate.replace("-", "▲")]


def _plain_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class TotalPage(QWidget):
    """予算額・前年度・増▲減 of the whole, and the printed 総括表 beside the computed one (`summaryComparison`:
    differing figures tinted on both sides), what became of it: nothing printed, in step with the programs, or
    drifted after edits (then a button sets the printed figures to the computed ones)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalPage")
        layout = QVBoxLayout(self)
        heading = QLabel("合計と総括表")
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout.addWidget(heading)
        self.figures = _plain_label("totalSummary")
        self.note = _plain_label("printedSummaryNote")
        self.scope = _plain_label("summaryScope")
        self.scope.setText(WHOLE_YEAR_NOTE)
        self.scope.hide()
        self.sync_button = QPushButton("総括表の記載値を積み上げに合わせる")
        self.sync_button.setObjectName("syncSummaryButton")
        self.table = QTableWidget(0, len(COMPARISON_HEADERS))
        self.table.setObjectName("summaryComparison")
        self.table.setHorizontalHeaderLabels(list(COMPARISON_HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)  # long printed names (統合事業費（各種委員の…）) wrap in the 項目 column
        small = self.table.font()
        small.setPointSizeF(max(small.pointSizeF() - 1, 8))
        self.table.setFont(small)
        self.table.horizontalHeader().setFont(small)
        self.table.setStyleSheet("QTableWidget::item { padding: 0 3px; }")
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COMPARISON_HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the whole 総括表 shows (the page scrolls, not the table); wrapped names follow the column width
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        header.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        for w in (self.figures, self.scope, self.table, self.note, self.sync_button):
            layout.addWidget(w)
        layout.addStretch(1)

    def show_total(self, data: Any, lines: list[SummaryLine]) -> None:
        self.figures.setText(figures_text(data))
        filtered = getattr(data, "label", "") == LISTED_TOTAL_LABEL
        self.scope.setVisible(filtered)
        self.table.setHorizontalHeaderLabels(list(WHOLE_YEAR_HEADERS if filtered else COMPARISON_HEADERS))
        self._fill(lines)
        drift = drift_of(lines)
        if drift.rows == 0:
            self.note.setText("印刷された総括表の記載値はありません（上の表は積み上げだけです）。"
                              "会議資料の総括表は積み上げから作ります。")
        elif drift.differing == 0:
            self.note.setText(f"総括表の記載値（{drift.rows}行）は積み上げと一致しています。")
        else:
            self.note.setText(
                f"総括表の記載値（印刷時の数字、{drift.rows}行）のうち{drift.differing}行が積み上げと違います"
                "（表で色の付いた数字）。"
                "金額を編集したあとなら、記載値を積み上げに合わせてください（元に戻せます）。"
                "印刷物の誤りを確かめるときは、そのままにしてチェック結果を見てください。")
        self.sync_button.setVisible(drift.differing > 0)

    def _fill(self, lines: list[SummaryLine]) -> None:
        table = self.table
        table.setRowCount(len(lines))
        bold = QFont()
        bold.setBold(True)
        for row, line in enumerate(lines):
            name = QTableWidgetItem(line.name)
            name.setToolTip(as_html(line.name))
            if line.computed is None and line.printed is not None:
                name.setToolTip(as_html(f"{line.name}\n積み上げに同じ名前の行がありません"))
            table.setItem(row, 0, name)
            differs = line.differs()
            for side, (figures, first) in enumerate(((line.printed, 1), (line.computed, 5))):
                for col, text in enumerate(_cells(figures)):
                    item = QTableWidgetItem(text)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if side == 0:
                        item.setBackground(QBrush(PRINTED_SIDE))
                    if differs[col]:
                        item.setBackground(QBrush(DIFFERS))
                        item.setFont(bold)
                        item.setToolTip(DIFFERS_TIP)
                    table.setItem(row, first + col, item)
        table.resizeRowsToContents()
