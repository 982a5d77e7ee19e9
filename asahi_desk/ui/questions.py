"""The save / discard / cancel question a closing window asks about changes that would be lost."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

from asahi_desk.ui.message_boxes import fit_text

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


@dataclass(frozen=True)
class SaveQuestion:
    title: str
    text: str
    save: str = "保存"
    discard: str = "破棄"
    informative: str = ""
    object_name: str = "unsavedChangesBox"


def ask_save_discard_cancel(parent: QWidget, q: SaveQuestion) -> str:
    """SAVE, DISCARD or CANCEL (also Escape and closing the box). The buttons carry objectNames saveButton,
    discardButton and cancelButton, so tests and accessibility tools find them whatever their labels."""
    box = QMessageBox(QMessageBox.Icon.Question, q.title, q.text, parent=parent)
    box.setObjectName(q.object_name)
    if q.informative:
        box.setInformativeText(q.informative)
    save = box.addButton(q.save, QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(q.discard, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("キャンセル", QMessageBox.ButtonRole.RejectRole)
    for button, name in ((save, "saveButton"), (discard, "discardButton"), (cancel, "cancelButton")):
        button.setObjectName(name)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    fit_text(box)  # the question whole, on one line where it fits
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL
