"""Undo commands: each redo/undo is one EditService call (one committed transaction)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from asahi_desk.domain.errors import AsahiError


class CallCommand(QUndoCommand):
    """redo = do(), undo = undo(); the first redo is skipped when the write already happened.

    after() shows the result (after_undo, when given, after an undo). There is no merging: each command is one
    step the clerk made (a text field reports once per finished edit, so typing in it is already one step).
    A step the service refuses to replay (failed(message) is told; nothing was written) is dropped from the
    history, and the window then clears the rest of that history, which may name the same records."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object],
                 after: Callable[[], None], *, done: bool = False,
                 after_undo: Callable[[], None] | None = None,
                 failed: Callable[[str], None] | None = None) -> None:
        super().__init__(text)
        self._do, self._undo = do, undo
        self._after, self._after_undo = after, after_undo or after
        self._failed = failed
        self._skip = done

    def redo(self) -> None:
        if self._skip:
            self._skip = False
        elif not self._replay(self._do, "やり直せません"):
            return
        self._after()

    def undo(self) -> None:
        if self._replay(self._undo, "元に戻せません"):
            self._after_undo()

    def _replay(self, call: Callable[[], object], cannot: str) -> bool:
        try:
            call()
        except AsahiError as e:
            self.setObsolete(True)
            if self._failed is not None:
                self._failed(f"「{self.text()}」を{cannot}（{e}）")
            return False
        return True
