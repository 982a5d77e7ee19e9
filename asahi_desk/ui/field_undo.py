"""Ctrl+Z / Ctrl+Y in a form field: the field's own undo while it holds uncommitted typing, else the window's.

A QLineEdit or QPlainTextEdit claims the undo keys (ShortcutOverride) even when it has nothing to undo,
so without this filter Ctrl+Z after a committed edit would do nothing instead of undoing the edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence

# the window's redo action answers Ctrl+Y and Ctrl+Shift+Z whatever the platform's standard key is
_EXTRA_REDO = ("Ctrl+Y", "Ctrl+Shift+Z")


def undo_or_redo(event: QKeyEvent) -> str | None:
    """'undo', 'redo' or None for a key event (key sequences are built here: they need a QGuiApplication)."""
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    pressed = QKeySequence(event.keyCombination())
    if event.matches(QKeySequence.StandardKey.Redo) or any(
            QKeySequence(k).matches(pressed) == QKeySequence.SequenceMatch.ExactMatch for k in _EXTRA_REDO):
        return "redo"
    return None


class FieldUndoFilter(QObject):
    """Install on text fields; is_dirty(field) says whether the field holds typing not yet committed."""

    def __init__(self, is_dirty: Callable[[QObject], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._is_dirty = is_dirty

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(event, QKeyEvent):
            return False
        which = undo_or_redo(event)
        if which is None:
            return False
        if self._is_dirty(watched):
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the field keeps the key: it undoes the typing
            else:
                getattr(watched, which)()  # Ctrl+Y is not every platform's standard redo: do it here
            return True
        if kind == QEvent.Type.ShortcutOverride:
            event.ignore()  # not claimed: the shortcut map gives the key to the window's undo/redo action
        return True  # a key press that reached a clean field: its own undo history is empty anyway


def watch_field_undo(field: QObject, is_dirty: Callable[[QObject], bool]) -> FieldUndoFilter:
    flt = FieldUndoFilter(is_dirty, field)
    field.installEventFilter(flt)
    return flt

