"""データ → 照会 → 照会票を作成… (every 課 into a folder) and 回答を取り込む… (several files, a review page, then apply)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.domain.operations import OpResult
from asahi_desk.ui.plain_text import as_html
from asahi_desk.ui.workers import run_in_thread


def install(window: Any) -> None:
    menu = window.menu("データ").addMenu("照会")
    menu.setObjectName("inquiryMenu")
    export = menu.addAction("照会票を作成…")
    export.setObjectName("actionInquiryExport")
    export.setStatusTip("課ごとの照会票（Excel）をフォルダに書き出します")
    export.triggered.connect(lambda: choose_and_export(window))
    imp = menu.addAction("回答を取り込む…")
    imp.setObjectName("actionInquiryImport")
    imp.setStatusTip("課から戻った照会票を確かめてから取り込みます")
    imp.triggered.connect(lambda: choose_and_import(window))


def choose_and_export(window: Any) -> list[Path] | None:
    year = window.current_fiscal_year()
    if year is None:
        QMessageBox.information(window, "照会票を作成", "年度を選んでください。")
        return None
    folder = QFileDialog.getExistingDirectory(window, "照会票を書き出すフォルダ")
    return export_to(window, year, Path(folder)) if folder else None


def export_to(window: Any, year: int, folder: Path) -> list[Path] | None:
    try:
        paths = run_in_thread(window, "照会票を書き出しています…",
                              lambda _p: window.services.inquiry.export_all(year, folder))
    except AsahiError as e:
        QMessageBox.warning(window, "照会票を作成", as_html(str(e)))
        return None
    window.statusBar().showMessage(f"{fiscal_year_both(year)}の照会票を {len(paths)} 件書き出しました: {folder}", 10_000)
    return paths


def choose_and_import(window: Any) -> Any:
    files, _ = QFileDialog.getOpenFileNames(window, "回答済みの照会票", "", "Excel ブック (*.xlsx)")
    return review_and_import(window, [Path(f) for f in files]) if files else None


def review_and_import(window: Any, files: list[Path], *, exec_dialog: Any = None, note: str = "") -> Any:
    """Read and dry-run off the GUI thread, show the review page, then apply what the clerk decided.
    exec_dialog (tests): called with the dialog instead of exec(); returns the dialog's result code."""
    service = window.services.inquiry
    try:
        books = run_in_thread(window, "照会票を読んでいます…", lambda _p: service.read(files))
        preview = run_in_thread(window, "照会票を照合しています…",
                                lambda _p: service.import_answers(files, books=books, dry_run=True,
                                                                  skip_deletions=True))
    except AsahiError as e:
        lines = getattr(e, "lines", ())
        QMessageBox.warning(window, "回答を取り込む", as_html("\n".join([str(e), *lines[:30]])))
        return None
    from asahi_desk.ui.inquiry_review import (
        InquiryReviewDialog,  # the menu is installed at start, the dialog later
    )

    dialog = InquiryReviewDialog(preview, window, note=note)
    code = exec_dialog(dialog) if exec_dialog is not None else dialog.exec()
    if code != QDialog.DialogCode.Accepted:
        return None
    outcome: dict[str, Any] = {}

    def apply() -> OpResult:
        result = service.import_answers(files, books=books, prefer=dialog.prefer,
                                        accept_deletions=dialog.accept_deletions,
                                        skip_deletions=not dialog.accept_deletions)
        outcome["result"] = result
        return result.operation or OpResult(None)

    # one operation through the window's one way of performing them: one undo step, views refreshed by its flags
    window.editing.operations.perform(f"照会回答の取込（{'・'.join(dict.fromkeys(b.section for b in books))}）",
                                      apply, target=(None, None))
    result = outcome.get("result")
    if result is None:  # refused (told by the window)
        return None
    if result.needs_decision:  # someone changed the same fields meanwhile: show it again
        return review_and_import(window, files, exec_dialog=exec_dialog,
                                 note="確認のあいだにほかの担当者が変更した項目があります。もう一度確かめてください。")
    window.statusBar().showMessage(result.summary(), 10_000)
    return result
