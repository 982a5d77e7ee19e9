"""The 年度 combo of the budget browser and the 振り返り view: one way to fill it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox

from asahi_desk.domain.fiscal import fiscal_year_both


def fill_year_combo(combo: QComboBox, years: Sequence[int], select: object = None) -> None:
    """The years as 令和N年度（20XX年度）, `select` chosen when listed, else the latest; no signal emitted."""
    combo.blockSignals(True)
    combo.clear()
    for y in years:
        combo.addItem(fiscal_year_both(y), y)
    if years:
        combo.setCurrentIndex(list(years).index(select) if select in years else len(years) - 1)
    combo.blockSignals(False)
