"""The window's budget-cycle parts: データ → 照会 (export, review page, apply), 版 save/restore with undo, and the
比較 selector's tree columns."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from asahi_desk.domain import inquiry as iq
from asahi_desk.services.tree import LINE_ITEM, TOTAL
from asahi_desk.ui import inquiry_menu, version_menu


def amount_of(window, item: str) -> int:  # noqa: ANN001 - the main window
    return next(li.amount for p in window.services.budgets.get(2024).programs() for li in p.line_items
                if li.name == item)


def find_row(model, kind: str, label_end: str):  # noqa: ANN001, ANN201 - the tree model and an index
    """Walk the loaded tree (fetching as needed) for the first row of kind whose label ends with label_end."""
    from PySide6.QtCore import QModelIndex

    pending = [QModelIndex()]
    while pending:
        parent = pending.pop(0)
        if model.canFetchMore(parent):
            model.fetchMore(parent)
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            node = model.node(index).data
            if node.kind == kind and node.label.endswith(label_end):
                return index
            pending.append(index)
    raise AssertionError(label_end)


def test_menus_and_compare_selector_exist(window) -> None:  # noqa: ANN001
    names = {a.objectName() for a in window.findChildren(type(window.menu("データ").menuAction()))}
    assert {"actionInquiryExport", "actionInquiryImport", "actionVersionSave", "actionVersionRestore",
            "actionCompareExport"} <= names
    assert window.findChild(version_menu.CompareVersionCombo, "compareVersionCombo") is not None


def test_compare_selector_adds_version_amount_and_difference(window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    assert version_menu.save_version(window, "要求")
    li = next(li for p in window.services.budgets.get(2024).programs() for li in p.line_items
              if li.name == "防災訓練事業")
    window.services.editing.update_line_item(li.id, amount=800)
    window.refresh()
    combo = window.findChild(version_menu.CompareVersionCombo, "compareVersionCombo")
    assert combo.findText("要求") > 0
    assert window.model.columnCount() == 4
    combo.setCurrentIndex(combo.findText("要求"))
    model = window.model
    assert model.columnCount() == 6
    assert model.headerData(4, Qt.Orientation.Horizontal) == "要求（千円）"
    row = find_row(model, LINE_ITEM, "防災訓練事業")
    assert model.index(row.row(), 4, row.parent()).data() == "725"
    assert model.index(row.row(), 5, row.parent()).data() == "75"
    total = find_row(model, TOTAL, "合計")
    assert model.index(total.row(), 5, total.parent()).data() == "75"
    window.tree.expandAll()
    window.grab().save(str(tmp_path / "compare.png"))
    combo.setCurrentIndex(0)
    assert model.columnCount() == 4


def test_restore_is_one_undo_step(window) -> None:  # noqa: ANN001
    version_menu.save_version(window, "照会前")
    li = next(li for p in window.services.budgets.get(2024).programs() for li in p.line_items
              if li.name == "防災訓練事業")
    window.services.editing.update_line_item(li.id, amount=801)
    window.refresh()
    assert version_menu.restore_version(window, "照会前")
    assert amount_of(window, "防災訓練事業") == 725
    assert window.undo_stack.undoText() == "版「照会前」を復元"
    window.undo_stack.undo()
    assert amount_of(window, "防災訓練事業") == 801
    window.undo_stack.redo()
    assert amount_of(window, "防災訓練事業") == 725


def test_inquiry_export_then_review_page_then_apply(window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    paths = inquiry_menu.export_to(window, 2024, tmp_path / "books")
    assert paths and len(paths) == 8
    book = next(p for p in paths if p.name.endswith("総務課.xlsx"))
    wb = openpyxl.load_workbook(book)
    ws = wb[iq.ITEMS_SHEET]
    r = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == "防災訓練事業")
    ws.cell(r, 5).value = 900
    wb.save(book)
    li = next(li for p in window.services.budgets.get(2024).programs() for li in p.line_items
              if li.name == "防災訓練事業")
    window.services.editing.update_line_item(li.id, amount=850)  # changed centrally too: a conflict

    seen: dict[str, object] = {}

    def decide(dialog) -> int:  # noqa: ANN001 - the review dialog
        seen["rows"] = dialog.tree.topLevelItemCount()
        program = dialog.tree.topLevelItem(0).child(0)
        seen["line"] = [program.child(0).text(c) for c in range(5)]
        apply = dialog.findChild(QPushButton, "applyInquiryButton")
        seen["enabled_before"] = apply.isEnabled()
        dialog.conflict_choice.setCurrentIndex(dialog.conflict_choice.findData(iq.PREFER_ANSWER))
        seen["enabled_after"] = apply.isEnabled()
        dialog.grab().save(str(tmp_path / "review.png"))
        return QDialog.DialogCode.Accepted

    result = inquiry_menu.review_and_import(window, [book], exec_dialog=decide)
    assert result is not None and result.written
    assert seen["enabled_before"] is False and seen["enabled_after"] is True  # a conflict must be decided first
    assert seen["rows"] == 1 and seen["line"] == ["防災訓練事業 ／ 金額", "725", "850", "900", "競合"]
    assert amount_of(window, "防災訓練事業") == 900
    assert window.undo_stack.undoText() == "照会回答の取込（総務課）"
    window.undo_stack.undo()  # the import is one undo step
    assert amount_of(window, "防災訓練事業") == 850


def test_a_change_made_while_the_review_page_is_open_is_reviewed_again(window, tmp_path: Path) -> None:  # noqa: ANN001
    """Two clerks: the review page shows 725 → 900; meanwhile a colleague stores 850 in the same field. Apply finds
    the conflict inside its own transaction and shows the review again instead of writing over 850."""
    paths = inquiry_menu.export_to(window, 2024, tmp_path / "books")
    book = next(p for p in paths if p.name.endswith("総務課.xlsx"))
    wb = openpyxl.load_workbook(book)
    ws = wb[iq.ITEMS_SHEET]
    r = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == "防災訓練事業")
    ws.cell(r, 5).value = 900
    wb.save(book)
    li = next(li for p in window.services.budgets.get(2024).programs() for li in p.line_items
              if li.name == "防災訓練事業")
    reviews: list[list[str]] = []

    def decide(dialog) -> int:  # noqa: ANN001 - the review dialog
        row = dialog.tree.topLevelItem(0).child(0).child(0)
        reviews.append([row.text(c) for c in range(5)])
        assert (dialog.findChild(QLabel, "inquiryReviewNote") is not None) == (len(reviews) == 2)
        if len(reviews) == 1:
            window.services.editing.update_line_item(li.id, amount=850)  # the colleague, during the review
            return QDialog.DialogCode.Accepted
        dialog.conflict_choice.setCurrentIndex(dialog.conflict_choice.findData(iq.PREFER_DATABASE))
        return QDialog.DialogCode.Accepted

    result = inquiry_menu.review_and_import(window, [book], exec_dialog=decide)
    assert reviews[0][1:] == ["", "725", "900", "反映"]
    assert reviews[1][1:] == ["725", "850", "900", "競合"]
    assert result is not None and result.written
    assert amount_of(window, "防災訓練事業") == 850  # the colleague's value, kept as decided
