"""Cell normalisation: amounts as clerks type them, year labels, units, category labels."""

from __future__ import annotations

import pytest

from asahi_desk.domain import money
from asahi_desk.importers.excel.cells import (
    category_label,
    column_letter,
    is_total_label,
    parse_cell_amount,
    place,
    unit_of_text,
    year_of_label,
)


@pytest.mark.parametrize(("value", "expected"), [
    (11922, 11922), (11922.0, 11922), ("11,922", 11922), ("▲ 399", -399), ("△3", -3), ("-1,050", -1050),
    ("１２，３２１", 12321), ("▲１，５８９", -1589), ("―", 0), ("－", 0), (" 906 ", 906), ("725千円", 725),
    ("+12", 12), ("1234.0", 1234),
])
def test_amounts(value: object, expected: int) -> None:
    assert parse_cell_amount(value) == expected


@pytest.mark.parametrize("mark", money.NEGATIVE_MARKS)
def test_every_negative_mark_of_money_reads_negative(mark: str) -> None:
    """One set of negative signs (domain.money) for amounts typed and amounts imported."""
    assert parse_cell_amount(f"{mark}1,050") == -1050
    assert money.parse_amount_input(f"{mark}1,050", allow_negative=True) == -1050


@pytest.mark.parametrize(("value", "expected"), [(1_500, 2), (1_499, 1), (12_321_000, 12321), ("▲1,500", -2),
                                                 (2500.0, 3)])
def test_yen_to_thousands_half_up(value: object, expected: int) -> None:
    assert parse_cell_amount(value, unit="円") == expected


@pytest.mark.parametrize("value", ["abc", "12.5", "1,2x", True])
def test_bad_amounts_say_why(value: object) -> None:
    with pytest.raises(ValueError, match="金額"):
        parse_cell_amount(value)


@pytest.mark.parametrize(("label", "year"), [
    ("令和６年度予算", 2024), ("R6", 2024), ("R5予算額", 2023), ("６年度予算", 2024), ("５年度", 2023), ("2024", 2024),
    ("2023年度", 2023), ("平成30年度", 2018), ("H30", 2018), ("令和元年度", 2019), ("事業名", None), ("増▲減", None),
])
def test_year_labels(label: str, year: int | None) -> None:
    assert year_of_label(label) == year


def test_units() -> None:
    assert unit_of_text("（単位：千円）") == "千円"
    assert unit_of_text("(単位:円)") == "円"
    assert unit_of_text("金額（円）") == "円"
    assert unit_of_text("事業名") is None


def test_category_labels() -> None:
    assert category_label("Ⅰ\n安全・安心") == category_label("Ⅰ 安全・安心")
    assert category_label("Ⅰ 安全・安心").code == "Ⅰ"  # type: ignore[union-attr]
    assert category_label("II 地域の力").code == "Ⅱ"  # type: ignore[union-attr]
    assert category_label("Ⅵ").name == ""  # type: ignore[union-attr]
    assert category_label("IT推進事業") is None
    assert category_label("災害に強い区づくり事業") is None
    assert is_total_label("合　計") and is_total_label("自主企画事業費 合計") and not is_total_label("合計特殊出生率向上事業の推進と評価")


def test_place_names_sheet_row_column() -> None:
    assert column_letter(3) == "C" and column_letter(28) == "AB"
    assert place("事業別一覧表", 12, 3) == "「事業別一覧表」シート 12行 C列"


@pytest.mark.parametrize("text", ["（小計）", "自主企画事業費　計", "Ⅰ　計", "合計（自主企画事業）", "小計(Ⅰ)", "【合計】",
                                  "合　計", "計", "Ⅰ計", "総計", "II 計"])
def test_subtotal_labels_as_wards_write_them(text: str) -> None:
    assert is_total_label(text)


@pytest.mark.parametrize("text", ["区庁舎設計事業", "公会計事業", "地域の計画づくり事業", "統合事業費", "生計支援　計画"])
def test_names_with_kei_are_not_totals(text: str) -> None:
    assert not is_total_label(text)


def test_exact_thousands_sum_before_rounding() -> None:
    from decimal import Decimal

    from asahi_desk.importers.excel.cells import exact_thousands, round_thousands

    items = [725_499, 8_966_499, 451_499]
    assert sum(parse_cell_amount(v, unit="円") for v in items) == 10_142  # rounded per line
    assert round_thousands(sum((exact_thousands(v, unit="円") for v in items), Decimal(0))) == 10_143


def test_cells_keep_reading_loose_commas() -> None:
    """A spreadsheet's text is read as it comes (「1,000,00」 is 100000); only a clerk's typing is held to
    groups of three (money.parse_amount_input)."""
    assert parse_cell_amount("1,000,00") == 100000
