"""The データ menu's year commands: 新年度作成, 空の年度を作成, 年度を削除, 担当課を追加, and the import shortcut."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.ui.no_year import NO_YEAR, NO_YEAR_HINT
from asahi_desk.ui.plain_text import as_html
from asahi_desk.ui.window.telling import Teller

if TYPE_CHECKING:
    from asahi_desk.app import Services


class YearActions(QObject):
    """Speaks back through signals: written() after any write, yearsChanged(year to show or None) when the list
    of years changed, yearDeleted(year) so its undo history goes, sectionAdded(name, tick for the program)."""

    written = Signal()
    yearsChanged = Signal(object)
    yearDeleted = Signal(int)
    sectionAdded = Signal(str, bool)

    def __init__(self, services: Callable[[], Services], current_year: Callable[[], int | None], tell: Teller,
                 saved_note: Callable[[], str], parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self._year = current_year
        self._tell = tell
        self._saved_note = saved_note
        self._parent = parent

    def new_year(self) -> None:
        year = self._year()
        if year is None:
            self._tell.explain("新年度作成", f"新年度作成は表示中の年度を写して翌年度を作ります。{NO_YEAR_HINT}")
            return
        answer = QMessageBox.question(
            self._parent, "新年度作成", f"{fiscal_year_both(year)}を写して{fiscal_year_both(year + 1)}を作成しますか？\n"
            "今年度の予算額が新年度の前年度予算額になります。\n"
            "会議は次第ごと写します（会議名と日付は 出力 → 会議の編集… で設定してください）。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            new = self._services().rollover.new_year(year).value
        except AsahiError as e:
            self._tell.error(str(e))
            return
        self.written.emit()
        self.yearsChanged.emit(new)
        self._tell(f"{fiscal_year_both(new)}を作成しました{self._saved_note()}")

    def add_section(self, *, tick: bool = False) -> None:
        """A new 課 in the master; from the program form's button it is also ticked for that program."""
        name, ok = QInputDialog.getText(self._parent, "担当課を追加", "担当課名")
        if not ok:
            return
        try:
            name = self._services().editing.add_section(name).value
        except AsahiError as e:
            self._tell.error(str(e))
            return
        self.written.emit()
        self.sectionAdded.emit(name, tick)
        self._tell(f"担当課「{name}」を追加しました{self._saved_note()}")

    def ask_empty_year(self) -> None:
        budgets = self._services().budgets
        years = budgets.fiscal_years()
        from asahi_desk.ui.empty_database import EmptyYearDialog  # the dialog loads when asked for

        dialog = EmptyYearDialog(self._parent, ward=budgets.ward())
        if years and dialog.year.value() in years:
            dialog.year.setValue(max(years) + 1)
        if dialog.exec() != EmptyYearDialog.DialogCode.Accepted:
            return
        self.create_empty_year(*dialog.values())

    def create_empty_year(self, year: int, ward: str) -> bool:
        """A year with the budget classes and no categories; shown afterwards."""
        try:
            self._services().budgets.create_empty_year(year, ward)
        except AsahiError as e:
            self._tell.error(str(e))
            return False
        self.written.emit()
        self.yearsChanged.emit(year)
        self._tell(f"{fiscal_year_both(year)}（{ward.strip()}）を作成しました{self._saved_note()}"
                   "。編集 → 施策を追加 で施策を加えてください")
        return True

    def ask_delete_year(self) -> None:
        year = self._year()
        if year is None:
            self._tell.explain("年度を削除", NO_YEAR)
            return
        answer = QMessageBox.question(
            self._parent, "年度を削除", as_html(f"{fiscal_year_both(year)}を削除しますか？\n"
                                               "この年度の施策・事業・細事業・指標・会議がすべて消えます。"
                                               "この操作は元に戻せません。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_year(year)

    def delete_year(self, year: int) -> bool:
        """Delete the year for good; its undo history goes with it and the next year (else the previous) is shown."""
        budgets = self._services().budgets
        try:
            programs = budgets.delete_year(year).value
        except AsahiError as e:
            self._tell.error(str(e))
            return False
        self.written.emit()
        self.yearDeleted.emit(year)
        years = budgets.fiscal_years()
        later = [y for y in years if y > year]
        self.yearsChanged.emit(later[0] if later else (years[-1] if years else None))
        self._tell(f"{fiscal_year_both(year)}を削除しました（事業 {programs} 件）{self._saved_note()}")
        return True

    def start_import(self) -> None:
        action = self._parent.findChild(QAction, "actionImportExcel")
        if action is not None:
            action.trigger()
        else:
            self._tell.explain("前年度Excel取込", "データ → 前年度Excel取込… から取り込んでください")
