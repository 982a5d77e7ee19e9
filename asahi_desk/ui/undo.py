"""Undo commands: each redo/undo is one EditService call (one committed transaction)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

MERGE_FIELD = 4242


class CallCommand(QUndoCommand):
    """redo = do(), undo = undo(); the first redo is skipped when the write already happened."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object],
                 after: Callable[[], None], *, done: bool = False, merge_key: tuple | None = None) -> None:
        super().__init__(text)
        self._do, self._undo, self._after = do, undo, after
        self._skip = done
        self.merge_key = merge_key

    def redo(self) -> None:
        if self._skip:
            self._skip = False
        else:
            self._do()
        self._after()

    def undo(self) -> None:
        self._undo()
        self._after()

    def id(self) -> int:
        return MERGE_FIELD if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        """Consecutive edits of the same field of the same record are one undo step."""
        if not isinstance(other, CallCommand) or other.merge_key != self.merge_key:
            return False
        self._do = other._do
        return True
