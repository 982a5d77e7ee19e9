"""The review page of 回答を取り込む…: per 課, per program, each field old → new; conflicts and deletions to decide."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asahi_desk.domain import inquiry as iq
from asahi_desk.domain.text import shown
from asahi_desk.ui.plain_text import as_html

STATE_LABELS = {iq.APPLY: "反映", iq.CONFLICT: "競合", "add": "追加", "delete": "削除",
                iq.KEEP: "削除のまま（照会後に削除済み・回答は変更なし）"}
COLUMNS = ("課／事業／項目", "照会時", "現在", "回答", "扱い")


class InquiryReviewDialog(QDialog):
    """Shows a dry run's result; `prefer` and `accept_deletions` say what the clerk decided."""

    def __init__(self, result: Any, parent: QWidget | None = None, *, note: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("inquiryReviewDialog")
        self.setWindowTitle("回答の取り込み — 確認")
        self.resize(980, 620)
        layout = QVBoxLayout(self)
        summary = QLabel(shown(result.summary().split("。")[0]) + "。内容を確かめてから「取り込む」を押してください。")
        summary.setTextFormat(Qt.TextFormat.PlainText)  # 課 and file names are user text
        summary.setObjectName("inquirySummary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        if note:  # why the page is shown again
            again = QLabel(note)
            again.setObjectName("inquiryReviewNote")
            again.setWordWrap(True)
            again.setStyleSheet("color: #b00000;")
            layout.addWidget(again)
        for note in result.notes:
            label = QLabel(shown(f"注意: {note}"))
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.tree = QTreeWidget()
        self.tree.setObjectName("inquiryReviewTree")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setColumnWidth(0, 360)
        for col in (1, 2, 3):
            self.tree.setColumnWidth(col, 150)
        layout.addWidget(self.tree, 1)
        self._fill(result)

        decisions = QHBoxLayout()
        self.conflict_choice = QComboBox()
        self.conflict_choice.setObjectName("conflictChoice")
        self.conflict_choice.addItem("決めていない", None)
        self.conflict_choice.addItem("回答を採用する", iq.PREFER_ANSWER)
        self.conflict_choice.addItem("データベースの値を残す", iq.PREFER_DATABASE)
        self.conflict_choice.setEnabled(bool(result.conflicts))
        self.conflict_choice.currentIndexChanged.connect(lambda _i: self._update())
        decisions.addWidget(QLabel(f"競合 {len(result.conflicts)} 件:"))
        decisions.addWidget(self.conflict_choice)
        decisions.addSpacing(20)
        self.delete_box = QCheckBox(f"回答で消された {len(result.deletions)} 行を削除する（外すと残します）")
        self.delete_box.setObjectName("acceptDeletions")
        self.delete_box.setEnabled(bool(result.deletions))
        decisions.addWidget(self.delete_box)
        decisions.addStretch(1)
        layout.addLayout(decisions)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("取り込む")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("applyInquiryButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._has_conflicts = bool(result.conflicts)
        self._update()

    @property
    def prefer(self) -> str | None:
        return self.conflict_choice.currentData()

    @property
    def accept_deletions(self) -> bool:
        return self.delete_box.isChecked()

    def _update(self) -> None:
        ok = not self._has_conflicts or self.prefer is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _fill(self, result: Any) -> None:
        sections: dict[str, QTreeWidgetItem] = {}
        programs: dict[tuple[str, str], QTreeWidgetItem] = {}
        changes = [*result.changes, *result.additions, *result.deletions, *result.kept, *result.conflicts]
        for c in changes:
            top = sections.get(c.section)
            if top is None:
                top = sections[c.section] = QTreeWidgetItem(self.tree, [shown(c.section)])
                top.setExpanded(True)
            parent = programs.get((c.section, c.program))
            if parent is None:
                parent = programs[(c.section, c.program)] = QTreeWidgetItem(top, [shown(c.program)])
                parent.setExpanded(True)
            name = shown(f"{c.item} ／ {c.field}" if c.item else c.field)
            base = iq.show(c.base) if c.state == iq.CONFLICT else ""
            row = QTreeWidgetItem(parent, [name, base, iq.show(c.old), iq.show(c.new), STATE_LABELS.get(c.state, "")])
            for col in range(len(COLUMNS)):
                row.setToolTip(col, as_html(row.text(col)))  # answer cells: shown as typed
