"""The one way the window performs an operation: run it, push its undo entry, report its change flags, or
show the refusal (Anki's CollectionOp). Undo and redo replay through the service as operations too."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.operations import OpResult, UndoEntry
from asahi_desk.ui.window.telling import Teller

if TYPE_CHECKING:
    from asahi_desk.app import Services

Target = tuple[str | None, int | None]  # (kind, id) of the tree row to show after a step


class OperationCommand(QUndoCommand):
    """One operation on the undo stack. Its first redo is skipped (the operation already ran); undo and redo
    ask the service to apply the recorded changes back or again, each checked against what it expects to
    find, so a colleague's change since is refused, never written over. done(changes, target) reports what
    each step changed; failed(error) a refusal (the step then leaves the history)."""

    def __init__(self, text: str, services: Callable[[], Services], result: OpResult,
                 done: Callable[[OpResult, Target], None], failed: Callable[[AsahiError], None], *,
                 target: Target, undo_target: Target | None = None, own: set[str] | None = None) -> None:
        super().__init__(text)
        assert result.undo is not None
        self._services, self._entry, self._first = services, result.undo, result
        self._own = own if own is not None else set()
        self._done, self._failed = done, failed
        self._target, self._undo_target = target, undo_target or target

    def redo(self) -> None:
        if self._first is not None:
            first, self._first = self._first, None
            self._done(first, self._target)
            return
        result = self._replay(self._services().editing.redo)
        if result is not None:
            self._done(result, self._target)

    def undo(self) -> None:
        result = self._replay(self._services().editing.undo)
        if result is not None:
            self._done(result, self._undo_target)

    def _replay(self, call: Callable[[UndoEntry], OpResult]) -> OpResult | None:
        try:
            result = call(self._entry)
        except AsahiError as e:
            self.setObsolete(True)
            self._failed(e)
            return None
        if result.undo is not None:
            self._entry = result.undo  # what this step wrote now is what the next undo/redo takes back
        if result.operation_id:
            self._own.add(result.operation_id)
        return result


class Operations(QObject):
    """performed(result, kind, id): a step was committed (an operation, its undo or its redo: its OpResult); the
    views refresh by its change flags. refused(error): the database refused it (a StaleError names who changed what)."""

    performed = Signal(object, object, object)
    refused = Signal(object)

    def __init__(self, services: Callable[[], Services], undo_stack: Callable[[], QUndoStack], tell: Teller,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._undo_stack = undo_stack
        self._tell = tell
        self.own: set[str] = set()  # ids of the operations this window committed (the live refresh skips them)

    def perform(self, text: str, call: Callable[[], OpResult], *, target: Target,
                undo_target: Target | None = None,
                targets: Callable[[OpResult], tuple[Target, Target]] | None = None) -> OpResult | None:
        """Run call() (one service operation, one transaction) now. When it wrote anything, push it as one undo
        step named text (the push reports it as performed); a refusal is told and reported, nothing pushed.
        target / undo_target: the rows to show after the step and after its undo; targets(result) names them
        once the value is known (a new record's id)."""
        try:
            result = call()
        except AsahiError as e:
            self._refuse(e)
            return None
        if result.operation_id:
            self.own.add(result.operation_id)
        if result.undo is not None:
            if targets is not None:
                target, undo_target = targets(result)
            self._undo_stack().push(OperationCommand(text, self._services, result, self._report, self._replay_failed,
                                                     target=target, undo_target=undo_target, own=self.own))
        return result

    def _report(self, result: OpResult, target: Target) -> None:
        self.performed.emit(result, target[0], target[1])

    def _refuse(self, error: AsahiError) -> None:
        self._tell.error(str(error))
        self.refused.emit(error)

    def _replay_failed(self, error: AsahiError) -> None:
        """An undo or redo the database refused: say why (who changed what, when), show the rows as they are
        now, and drop this year's history once the stack is done with the step: its other steps may name
        the same records."""
        self._refuse(error)
        QTimer.singleShot(0, self._undo_stack().clear)
