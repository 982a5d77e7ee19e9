"""Keyboard: every shortcut is bound once, and Insert on the tree adds a child where the clerk is."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


def test_no_two_actions_share_a_shortcut_or_a_chord_prefix(window):
    keys: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for seq in action.shortcuts():
            text = seq.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in keys, f"{text}: {keys.get(text)} と {action.text()}"
            keys[text] = action.text()
    for text in keys:  # a chord ("Ctrl+N, Ctrl+A") would make its first key ("Ctrl+N") ambiguous
        first = text.split(", ")[0]
        assert first == text or first not in keys, text


def test_insert_on_a_program_adds_a_line_item(window, qtbot, demo_db):
    cls = window.model.index(1, 0)  # row 0 is the total, then the budget classes
    window.tree.expand(cls)
    cat = window.model.index(0, 0, cls)
    window.tree.expand(cat)
    index = window.model.index(0, 0, cat)
    window.tree.setCurrentIndex(index)
    program_id = window.model.node(index).data.id

    def count() -> int:
        with sqlite3.connect(demo_db) as con:
            return con.execute("select count(*) from line_item where program_id = ?", (program_id,)).fetchone()[0]

    before = count()
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Insert)
    assert count() == before + 1
    assert window.undo_stack.undoText() == "細事業を追加"
