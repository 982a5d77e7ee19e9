"""The demo's first-start note: what the demo data is, and why the checker greets it with 4 errors."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

SHOWN_KEY = "demo/noticeShown"
DEMO_ERRORS = 4  # the errors of the printed 2024 handout the demo keeps on purpose (tests/gui/test_demo_notice.py)
DEMO_NOTICE = (f"このデモは令和6年度（2024年度）の説明資料を印刷されたとおりに収めたものです。印刷物にあった実際の誤り"
               f" {DEMO_ERRORS} 件もそのまま入れてあるので、下のチェック結果に {DEMO_ERRORS} 件のエラーが出ます"
               "（チェッカーが見つける実例です）。自由に編集して試せます。変更は終了すると消えます。")


class DemoNotice(QFrame):
    """A band above the tree, shown on the demo's first start only (remembered in QSettings); 閉じる hides it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#demoNotice { background: #fff8d6; border: 1px solid #e0c060; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.text = QLabel(DEMO_NOTICE)
        self.text.setObjectName("demoNoticeText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.close_button = QPushButton("閉じる")
        self.close_button.setObjectName("demoNoticeClose")
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_once(self) -> bool:
        """Show the note if the demo has never been started with it; True when shown now."""
        settings = QSettings()
        if settings.value(SHOWN_KEY, False, type=bool):
            return False
        settings.setValue(SHOWN_KEY, True)
        self.show()
        return True
