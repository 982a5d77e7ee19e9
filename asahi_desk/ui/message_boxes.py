"""Message boxes that show their whole text: the label is made as wide as its longest line (up to a limit, then
it wraps), instead of the fixed minimum width that cut 「…別名で保存しま」 off the demo's quit question."""

from __future__ import annotations

from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox

MAX_LINE_WIDTH = 520  # px; a longer line wraps (Japanese breaks between characters)
LABELS = ("qt_msgbox_label", "qt_msgbox_informativelabel")


def plain_text(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (label.textFormat() == Qt.TextFormat.AutoText
                                                        and Qt.mightBeRichText(text)):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def fit_text(box: QMessageBox, max_width: int = MAX_LINE_WIDTH) -> None:
    """Size the box's text labels to their longest line before the box is shown."""
    box.ensurePolished()
    for name in LABELS:
        label = box.findChild(QLabel, name)
        if label is None or not label.text():
            continue
        label.ensurePolished()
        metrics = label.fontMetrics()
        longest = max((metrics.horizontalAdvance(line) for line in plain_text(label).splitlines()), default=0)
        label.setWordWrap(True)
        label.setMinimumWidth(min(longest + 8, max_width))
