"""Paints the search hits of a tree label on a marker-yellow background (the spans come from HIGHLIGHT_ROLE)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyledItemDelegate

from asahi_desk.ui.tree_model import HIGHLIGHT_ROLE

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

HIT_COLOUR = QColor("#ffd54f")
HIT_TEXT = QColor("#000000")


class HighlightDelegate(QStyledItemDelegate):
    """The ordinary item, with the matched characters of column 0 marked; rows without a hit paint as usual."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        spans = index.data(HIGHLIGHT_ROLE)
        if not spans:
            super().paint(painter, option, index)
            return
        # imported on the first hit painted: QStyle's enums alone take longer than the rest of this module
        from PySide6.QtGui import QPalette
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(2, 0, -2, 0)  # the text margin the style leaves
        metrics = opt.fontMetrics
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setFont(opt.font)
        painter.setClipRect(rect)
        normal = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        x = rect.left()
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for start, end, hit in _pieces(len(shown), spans):
            piece = shown[start:end]
            width = metrics.horizontalAdvance(piece)
            box = QRect(x, rect.top(), width, rect.height())
            if hit:
                painter.fillRect(box.adjusted(0, 2, 0, -2), HIT_COLOUR)
            painter.setPen(HIT_TEXT if hit else normal)
            painter.drawText(box, int(flags), piece)
            x += width
        painter.restore()


def _pieces(length: int, spans: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """The label cut into (start, end, is_hit) runs, spans clipped to what is shown."""
    out: list[tuple[int, int, bool]] = []
    pos = 0
    for start, end in spans:
        start, end = min(start, length), min(end, length)
        if start > pos:
            out.append((pos, start, False))
        if end > start:
            out.append((start, end, True))
        pos = max(pos, end)
    if pos < length:
        out.append((pos, length, False))
    return out
