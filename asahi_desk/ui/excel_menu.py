"""Menu entries: データ → 前年度Excel取込… (the import wizard) and 出力 → Excel出力… (事業別一覧表 + detail sheets)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWizard

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import fiscal_year_both, fiscal_year_label
from asahi_desk.ui.file_dialogs import ask_save_file
from asahi_desk.ui.plain_text import as_html
from asahi_desk.ui.workers import run_in_thread

# the wizard's module is imported when the menu is used, not when the window starts
if TYPE_CHECKING:
    from asahi_desk.ui.import_wizard import ImportWizard


def install(window: Any) -> None:
    """Add the two actions to the window's データ and 出力 menus (see ui/extensions.py)."""
    imp = QAction("前年度Excel取込…", window)
    imp.setObjectName("actionImportExcel")
    imp.setStatusTip("前年度の Excel ブックから前年度額を取り込みます")
    imp.triggered.connect(lambda: open_import_wizard(window))
    window.menu("データ").addAction(imp)
    exp = QAction("Excel出力…", window)
    exp.setObjectName("actionExportExcel")
    exp.setStatusTip("事業別一覧表と詳細シートを Excel ブックに書き出します")
    exp.triggered.connect(lambda: choose_and_export(window))
    window.menu("出力").addAction(exp)


def open_import_wizard(window: Any) -> ImportWizard:
    """Open the wizard window-modal; refresh the window's views when something was imported."""
    from asahi_desk.ui.import_wizard import ImportWizard

    wizard = ImportWizard(window.services, window.current_fiscal_year(), window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    def finished(code: int) -> None:
        if code == QWizard.DialogCode.Accepted and wizard.result is not None:
            window.refresh()
            _status(window, wizard.result.describe())

    wizard.finished.connect(finished)
    wizard.open()
    return wizard


def choose_and_export(window: Any) -> Path | None:
    year = window.current_fiscal_year()
    if year is None:
        years = window.services.budgets.fiscal_years()
        if not years:
            QMessageBox.information(window, "Excel出力", "書き出す年度のデータがありません。")
            return None
        year = years[-1]
    suggested = f"{fiscal_year_label(year)}_事業別一覧表.xlsx"
    path = ask_save_file(window, "Excel に書き出す", suggested, "Excel ブック (*.xlsx)", "xlsx")
    if not path:
        return None
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    return export_to(window, year, Path(path))


def export_to(window: Any, year: int, path: Path) -> Path | None:
    """Write the workbook off the GUI thread; errors are shown, not raised."""
    try:
        out = run_in_thread(window, "Excel に書き出しています…",
                            lambda _progress: window.services.excel_export.export(year, path), title="書き出し中")
    except AsahiError as e:
        QMessageBox.warning(window, "Excel出力", as_html(str(e)))
        return None
    _status(window, f"{fiscal_year_both(year)}を Excel に書き出しました: {out}")
    return out


def _status(window: Any, text: str) -> None:
    bar = window.statusBar() if hasattr(window, "statusBar") else None
    if bar is not None:
        bar.showMessage(text, 10_000)
