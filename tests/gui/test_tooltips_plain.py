"""Tooltips carry names as the clerk typed them: a name that looks like markup is shown literally."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from asahi_desk.services.tree import PROGRAM


def _shown(tooltip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def test_a_program_named_like_markup_shows_its_tags_in_the_tooltip(window) -> None:  # noqa: ANN001
    model = window.model
    pid = window.services.budgets.get(2024).programs()[0].id
    window.services.editing.update_program(pid, name="<b>防災</b>事業")
    window.refresh()
    assert window.select(PROGRAM, pid, window.browser.path_of(PROGRAM, pid))
    tip = model.data(model.loaded(PROGRAM, pid), Qt.ItemDataRole.ToolTipRole)
    total = model.index(0, 0)
    assert _shown(tip).endswith("<b>防災</b>事業")  # as typed: the tags are text, not bold
    assert _shown(model.data(total, Qt.ItemDataRole.ToolTipRole)) == model.data(total, Qt.ItemDataRole.DisplayRole)
