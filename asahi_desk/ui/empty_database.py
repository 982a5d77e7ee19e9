"""A database without a fiscal year: the page that says how to start, and the 空の年度を作成 dialog."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain.fiscal import MAX_YEAR, MIN_YEAR, fiscal_year_both, fiscal_year_of
from asahi_desk.services.constants import DEFAULT_WARD
from asahi_desk.ui.no_year import NO_YEAR, NO_YEAR_HINT

# the texts live in ui/no_year.py (the window shows them from its start, without this module)
__all__ = ["NO_YEAR", "NO_YEAR_HINT", "EmptyYearDialog", "NoYearPage"]


class NoYearPage(QWidget):
    """What to do in an empty database, with buttons for the three ways to start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noYearPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        self.text = QLabel(self)
        self.text.setObjectName("noYearText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        self.import_button = self._button("前年度のExcelを取り込む…", "noYearImportButton", layout)
        self.create_button = self._button("空の年度を作成…", "noYearCreateButton", layout)
        self.open_button = self._button("別のデータベースを開く…", "noYearOpenButton", layout)
        layout.addStretch(1)

    def _button(self, text: str, name: str, layout: QVBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setMinimumHeight(34)
        layout.addWidget(button)
        return button

    def show_database(self, database: str) -> None:
        self.text.setText(
            f"<p><b>{escape(NO_YEAR)}</b></p>"
            f"<p>データベース: {escape(database)}</p>"
            "<p>始め方は次のどれかです。</p><ul>"
            "<li><b>データ → 前年度Excel取込…</b>: 前年度の執行計画の Excel から始めます（ふつうはこれです）。</li>"
            "<li><b>データ → 空の年度を作成…</b>: 予算区分だけの年度を作り、施策・事業を一から入力します。</li>"
            "<li><b>ファイル → データベースを開く…</b>: 予算の入った別のデータベースで作業します。</li></ul>")


class EmptyYearDialog(QDialog):
    """The fiscal year (default: the current one) and the ward (default: the database's, else 旭区) of a new,
    empty year."""

    def __init__(self, parent: QWidget | None = None, *, year: int | None = None, ward: str = DEFAULT_WARD) -> None:
        super().__init__(parent)
        self.setObjectName("emptyYearDialog")
        self.setWindowTitle("空の年度を作成")
        layout = QVBoxLayout(self)
        note = QLabel("予算区分だけの年度を作ります。施策は 編集 → 施策を追加 で加えます。", self)
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.year = QSpinBox(self)
        self.year.setObjectName("emptyYearSpin")
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setGroupSeparatorShown(False)
        self.year.setValue(year if year is not None else fiscal_year_of(dt.date.today()))
        self.year_label = QLabel(self)
        self.year_label.setObjectName("emptyYearLabel")
        self.year.valueChanged.connect(self._show_label)
        self._show_label(self.year.value())
        self.ward = QLineEdit(ward, self)
        self.ward.setObjectName("emptyYearWard")
        form.addRow("年度（西暦）", self.year)
        form.addRow("", self.year_label)
        form.addRow("区名", self.ward)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("作成")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def _show_label(self, year: int) -> None:
        self.year_label.setText(fiscal_year_both(year))

    def values(self) -> tuple[int, str]:
        return self.year.value(), self.ward.text()
