"""A status-bar label that gives way to the bar's message: elided with … where room is short, whole in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

GAP = 16  # px between the message's end and the label (the bar's margins and spacing)


class StatusLabel(QLabel):
    """One line of plain text for QStatusBar.addPermanentWidget. It takes the room the bar's message leaves
    (at least eight characters), so the message is never cut by it (1280×720: the demo's message ran into the
    filter sums); what does not fit ends in …, and the tooltip then has the whole text. text() is the whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._bar: QStatusBar | None = None

    def follow(self, bar: QStatusBar) -> None:
        """Re-measure when the bar's message or width changes (call after addPermanentWidget)."""
        self._bar = bar
        bar.messageChanged.connect(lambda _text: self.updateGeometry())
        bar.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._bar and event.type() == QEvent.Type.Resize:
            self.updateGeometry()
        return False

    def setText(self, text: str) -> None:
        super().setText(text)
        self._tip()
        self.updateGeometry()

    def _room(self, wanted: int) -> int:
        bar = self._bar
        if bar is None:
            return wanted
        message = bar.currentMessage()
        used = bar.fontMetrics().horizontalAdvance(message) + GAP if message else 0
        return min(wanted, max(self.minimumSizeHint().width(), bar.width() - used - GAP))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self._room(hint.width()), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(super().sizeHint().width(), 8 * self.fontMetrics().horizontalAdvance("あ")),
                     super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """What the label paints at its present width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._tip()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.shown_text())

    def _tip(self) -> None:
        self.setToolTip(self.text() if self.shown_text() != self.text() else "")
