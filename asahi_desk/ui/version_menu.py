"""版 (named versions) in the window: データ → 版 → 版を保存…／版を復元… (an undo step), 出力 → 査定状況・新旧対照表…,
and the 比較 selector (objectName compareVersionCombo) that adds the version's amount and the difference to the tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QInputDialog, QLabel, QMessageBox, QToolBar

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.money import format_amount
from asahi_desk.services.constants import TYPICAL_NAMES
from asahi_desk.ui.first_services import pending
from asahi_desk.ui.plain_text import as_html
from asahi_desk.ui.workers import run_in_thread

NO_COMPARISON = "（比較しない）"


class CompareVersionCombo(QComboBox):
    """The 比較 selector: a version of the year shown; its amounts and the difference become tree columns."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.setObjectName("compareVersionCombo")
        self.setMinimumWidth(160)
        self.setToolTip("選んだ版の金額と、現在との差を一覧に加えます")
        self.window = window
        self._year: int | None = None
        self.currentIndexChanged.connect(lambda _i: self._apply())

    def reload(self) -> None:
        """The versions of the year shown (keeping the choice when it still exists)."""
        year = self.window.current_fiscal_year()
        keep = self.currentText() if year == self._year else NO_COMPARISON
        self._year = year
        loading = pending(self.window.services)  # the start's first read: reloaded once the services are loaded
        names = self.window.services.versions.names(year) if year is not None and not loading else []
        self.blockSignals(True)
        self.clear()
        self.addItem(NO_COMPARISON)
        self.addItems(names)
        self.setCurrentIndex(max(self.findText(keep), 0))
        self.blockSignals(False)
        self._apply()

    def _apply(self) -> None:
        model = self.window.model
        name = self.currentText()
        if self.currentIndex() <= 0 or self._year is None:
            model.set_extra_columns([])
            return
        try:
            amounts = self.window.services.versions.amounts_by_node(self._year, name)
        except AsahiError as e:
            QMessageBox.warning(self.window, "比較", as_html(str(e)))
            model.set_extra_columns([])
            return

        def version_amount(d: Any) -> str:
            value = amounts.get((d.kind, d.id))
            return "（なし）" if value is None else format_amount(value)

        def difference(d: Any) -> str:
            value = amounts.get((d.kind, d.id))
            if value is None:
                return "新"
            return "" if d.current is None else format_amount(d.current - value)

        model.set_extra_columns([(f"{name}（千円）", version_amount), (f"{name}との差", difference)])
        tree = getattr(self.window, "tree", None)
        if tree is not None:
            for col in (model.columnCount() - 2, model.columnCount() - 1):
                tree.setColumnWidth(col, 104)


def install(window: Any) -> None:
    menu = window.menu("データ").addMenu("版")
    menu.setObjectName("versionMenu")
    save = menu.addAction("版を保存…")
    save.setObjectName("actionVersionSave")
    save.triggered.connect(lambda: ask_and_save(window))
    restore = menu.addAction("版を復元…")
    restore.setObjectName("actionVersionRestore")
    restore.triggered.connect(lambda: ask_and_restore(window))
    compare = window.menu("出力").addAction("査定状況・新旧対照表…")
    compare.setObjectName("actionCompareExport")
    compare.triggered.connect(lambda: ask_and_compare(window))

    bar = QToolBar("比較")
    bar.setObjectName("compareToolBar")
    bar.addWidget(QLabel(" 比較 "))
    window.compare_combo = CompareVersionCombo(window)
    bar.addWidget(window.compare_combo)
    window.addToolBar(bar)
    year_combo = getattr(window, "year_combo", None)
    if year_combo is not None:
        year_combo.currentIndexChanged.connect(lambda _i: window.compare_combo.reload())
    window.compare_combo.reload()


def save_version(window: Any, name: str) -> bool:
    year = window.current_fiscal_year()
    try:
        info = window.services.versions.save(year, name)
    except AsahiError as e:
        QMessageBox.warning(window, "版を保存", as_html(str(e)))
        return False
    window.compare_combo.reload()
    window.statusBar().showMessage(f"版「{info.name}」を保存しました（{info.total:,} 千円）", 10_000)
    return True


def ask_and_save(window: Any) -> bool:
    if window.current_fiscal_year() is None:
        return False
    name, ok = QInputDialog.getItem(window, "版を保存", "版の名前（年度ごとに一つ）:", list(TYPICAL_NAMES), 0, True)
    return save_version(window, name) if ok else False


def restore_version(window: Any, name: str) -> bool:
    """Restore as one operation through the window's one way of performing operations: one undo step (Ctrl+Z takes
    back exactly what it changed, refused where a colleague has changed a row since), views refreshed by its
    change flags, a refusal told."""
    year = window.current_fiscal_year()
    done: dict[str, Any] = {}

    def restore() -> Any:
        restored = window.services.versions.restore(year, name)
        done["before"] = restored.before_name
        return restored.operation

    result = window.editing.operations.perform(f"版「{name}」を復元", restore, target=(None, None))
    window.compare_combo.reload()  # the copy of the year as it was is a version now
    if result is None:
        return False
    window.statusBar().showMessage(f"版「{name}」を復元しました（元に戻す: Ctrl+Z）。戻す前の状態は版「"
                                   f"{done['before']}」にも保存しました", 10_000)
    return True


def ask_and_restore(window: Any) -> bool:
    year = window.current_fiscal_year()
    names = window.services.versions.names(year) if year is not None else []
    if not names:
        QMessageBox.information(window, "版を復元", "この年度には保存した版がありません。")
        return False
    name, ok = QInputDialog.getItem(window, "版を復元", "今の年度をこの版と同じにします:", names, len(names) - 1, False)
    return restore_version(window, name) if ok else False


def ask_and_compare(window: Any) -> Path | None:
    year = window.current_fiscal_year()
    names = window.services.versions.names(year) if year is not None else []
    if not names:
        QMessageBox.information(window, "査定状況・新旧対照表", "この年度には保存した版がありません。")
        return None
    old, ok = QInputDialog.getItem(window, "査定状況・新旧対照表", "比べる元の版:", names, 0, False)
    if not ok:
        return None
    new, ok = QInputDialog.getItem(window, "査定状況・新旧対照表", "比べる先:", ["現在", *names], 0, False)
    if not ok:
        return None
    path, _ = QFileDialog.getSaveFileName(window, "書き出す", f"査定状況_{old}.pdf",
                                          "PDF (*.pdf);;Excel ブック (*.xlsx);;CSV (*.csv)")
    if not path:
        return None
    return export_comparison(window, year, old, None if new == "現在" else new, Path(path))


def export_comparison(window: Any, year: int, old: str, new: str | None, path: Path) -> Path | None:
    try:
        out = run_in_thread(window, "書き出しています…",
                            lambda _p: window.services.comparison.export(year, old, new, path))
    except AsahiError as e:
        QMessageBox.warning(window, "査定状況・新旧対照表", as_html(str(e)))
        return None
    window.statusBar().showMessage(f"書き出しました: {out}", 10_000)
    return out
