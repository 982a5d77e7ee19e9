"""Undo commands: each redo/undo is one operation of EditService (one committed transaction)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.operations import UndoEntry


class OperationCommand(QUndoCommand):
    """One operation on the undo stack: its first redo is skipped (the operation already ran); undo and redo
    ask the service to apply the recorded changes back or again, each checked against what it expects
    (a colleague's change since is refused, never written over). after()/after_undo() show the result."""

    def __init__(self, text: str, editing: Any, entry: UndoEntry, after: Callable[[], None], *,
                 after_undo: Callable[[], None] | None = None,
                 failed: Callable[[str], None] | None = None) -> None:
        super().__init__(text)
        self._editing, self._entry = editing, entry
        self._after, self._after_undo = after, after_undo or after
        self._failed = failed
        self._skip = True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
        elif not self._replay(self._editing.redo, "やり直せません"):
            return
        self._after()

    def undo(self) -> None:
        if self._replay(self._editing.undo, "元に戻せません"):
            self._after_undo()

    def _replay(self, call: Callable[[UndoEntry], Any], cannot: str) -> bool:
        try:
            result = call(self._entry)
        except AsahiError as e:
            self.setObsolete(True)
            if self._failed is not None:
                message = str(e)
                self._failed(message if "できません" in message else f"「{self.text()}」を{cannot}（{e}）")
            return False
        if result.undo is not None:
            self._entry = result.undo
        return True
