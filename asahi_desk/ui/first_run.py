"""The first-start question on an empty database: open the demo, import last year's Excel, or start empty."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

DEMO = "demo"
IMPORT = "import"
EMPTY = "empty"


class FirstRunDialog(QDialog):
    """Three large buttons; `choice` is DEMO, IMPORT or EMPTY (EMPTY also when the dialog is closed)."""

    def __init__(self, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle("asahi-desk へようこそ")
        self.choice = EMPTY
        layout = QVBoxLayout(self)
        text = QLabel(
            "<p><b>データベースにまだ予算がありません。</b></p>"
            f"<p>データベース: {escape(str(db_path))}</p>"
            "<p>初めての方はデモデータで操作を試せます（デモは一時コピーで、このデータベースは変わりません。終了するとデモの変更は消えます。残すには ファイル → 別名で保存…）。"
            "実際の作業は前年度の Excel を取り込んで始めます。</p>", self)
        text.setObjectName("firstRunText")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        for name, label, choice in (("firstRunDemoButton", "デモデータを開く", DEMO),
                                    ("firstRunImportButton", "前年度のExcelを取り込む", IMPORT),
                                    ("firstRunEmptyButton", "空のまま始める", EMPTY)):
            button = QPushButton(label, self)
            button.setObjectName(name)
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            layout.addWidget(button)
        self.findChild(QPushButton, "firstRunDemoButton").setDefault(True)
        self.setMinimumWidth(460)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask_first_run(db_path: Path | str, parent: QWidget | None = None) -> str:
    """Show the dialog modally and return the clerk's choice."""
    dialog = FirstRunDialog(db_path, parent)
    dialog.exec()
    return dialog.choice
