"""The one import decision (services/excel_import_plan.py) on year labels alone: no workbook, no database."""

from __future__ import annotations

import re

import pytest

from asahi_desk.domain.errors import InputError
from asahi_desk.services.excel_import_plan import PRIOR_AMOUNTS, RESTORE, WorkbookYears, decide, default_year

EXPORT_2024 = WorkbookYears(frozenset({2024, 2023}), 2024, True)  # export-excel of 2024: ６年度予算, ５年度予算
LAST_YEARS_LIST = WorkbookYears(frozenset({2024, 2023}), None, True)
NO_LABELS = WorkbookYears(frozenset(), None, True)  # 事業名 | 金額


@pytest.mark.parametrize(("wy", "existing", "expected"), [
    (EXPORT_2024, [], 2025),  # the workbook's labels, never the clock
    (EXPORT_2024, [2024], 2024),  # 2025 is not there: the year whose prior column the workbook has
    (EXPORT_2024, [2024, 2025], 2025),
    (LAST_YEARS_LIST, [2030], 2025),  # nothing fits: still the labels' year (the refusal then says why)
    (NO_LABELS, [2024], None),
    (WorkbookYears(frozenset(), 2022, False), [], 2023),  # detail sheets only
])
def test_default_year_comes_from_the_labels(wy: WorkbookYears, existing: list[int], expected: int | None) -> None:
    assert default_year(wy, existing) == expected


def test_existing_year_fills_prior_amounts_and_restore_only_when_asked() -> None:
    assert decide(EXPORT_2024, 2024, [2024]).kind == PRIOR_AMOUNTS
    with pytest.raises(InputError, match="既にあります（復元は、その年度がないときだけできます）。令和6年度の前年度額を"):
        decide(EXPORT_2024, 2024, [2024], restore=True)
    plan = decide(EXPORT_2024, 2024, [], restore=True)
    assert (plan.kind, plan.restore_year, plan.roll_over, plan.created_years([])) == (RESTORE, 2024, False, [2024])
    plan = decide(EXPORT_2024, 2025, [], restore=True)
    assert (plan.restore_year, plan.roll_over, plan.created_years([])) == (2024, True, [2024, 2025])
    with pytest.raises(InputError, match="--fiscal-year 2025 --restore"):
        decide(EXPORT_2024, 2026, [], restore=True)
    with pytest.raises(InputError, match="--sheet と一緒には"):
        decide(EXPORT_2024, 2024, [], restore=True, sheet="事業別一覧表")
    with pytest.raises(InputError, match="詳細シート"):
        decide(LAST_YEARS_LIST, 2024, [], restore=True)


@pytest.mark.parametrize(("wy", "year", "existing"), [
    (EXPORT_2024, 2024, []), (EXPORT_2024, 2025, []), (EXPORT_2024, 2026, []), (EXPORT_2024, 2023, [2024]),
    (EXPORT_2024, 2025, [2024]), (LAST_YEARS_LIST, 2025, []), (LAST_YEARS_LIST, 2027, [2024]),
    (NO_LABELS, 2026, []),
])
def test_every_refusal_suggests_only_what_decide_accepts(wy: WorkbookYears, year: int, existing: list[int]) -> None:
    with pytest.raises(InputError) as refused:
        decide(wy, year, existing)
    text = str(refused.value)
    if "（--create-prior）" in text:
        assert decide(wy, year, existing, create_prior=True).create_prior
    if "（--restore）" in text:
        assert decide(wy, year, existing, restore=True).kind == RESTORE
    for other, flag in re.findall(r"--fiscal-year (\d{4})( --create-prior)?）", text):
        decide(wy, int(other), existing, create_prior=bool(flag))
    if "new-year --from" in text:
        assert year - 1 in existing and decide(wy, year, [*existing, year]).kind == PRIOR_AMOUNTS
    assert "（--" in text or "new-year" in text or "金額の列の年度" in text, text
