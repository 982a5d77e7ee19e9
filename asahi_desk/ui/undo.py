"""Undo commands: each redo/undo is one EditService call (one committed transaction)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand


class CallCommand(QUndoCommand):
    """redo = do(), undo = undo(); the first redo is skipped when the write already happened.

    after() shows the result (after_undo, when given, after an undo). There is no merging: each command is one
    step the clerk made (a text field reports once per finished edit, so typing in it is already one step)."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object],
                 after: Callable[[], None], *, done: bool = False,
                 after_undo: Callable[[], None] | None = None) -> None:
        super().__init__(text)
        self._do, self._undo = do, undo
        self._after, self._after_undo = after, after_undo or after
        self._skip = done

    def redo(self) -> None:
        if self._skip:
            self._skip = False
        else:
            self._do()
        self._after()

    def undo(self) -> None:
        self._undo()
        self._after_undo()
