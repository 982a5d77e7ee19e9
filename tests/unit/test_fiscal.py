"""Fiscal years and the Japanese era as the documents print them."""

import datetime as dt

import pytest

from asahi_desk.domain import fiscal


@pytest.mark.parametrize(("year", "label"), [
    (2024, "令和6年度"), (2019, "令和元年度"), (2020, "令和2年度"), (2018, "平成30年度"), (1989, "平成元年度"),
])
def test_fiscal_year_label(year: int, label: str) -> None:
    assert fiscal.fiscal_year_label(year) == label


def test_fullwidth_and_both_forms() -> None:
    assert fiscal.fiscal_year_label(2024, fullwidth=True) == "令和６年度"
    assert fiscal.fiscal_year_both(2024) == "令和6年度（2024年度）"
    assert fiscal.short_fiscal_year(2023) == "５年度"


def test_japanese_date_and_document_digits() -> None:
    day = dt.date(2024, 6, 11)
    assert fiscal.japanese_date(day) == "令和6年6月11日（火）"
    assert fiscal.document_digits(fiscal.japanese_date(day)) == "令和６年６月11日（火）"
    assert fiscal.japanese_date(dt.date(2019, 4, 30)) == "平成31年4月30日（火）"
    assert fiscal.japanese_date(dt.date(2019, 5, 1)) == "令和元年5月1日（水）"


def test_fiscal_year_of_starts_in_april() -> None:
    assert fiscal.fiscal_year_of(dt.date(2025, 3, 31)) == 2024
    assert fiscal.fiscal_year_of(dt.date(2024, 4, 1)) == 2024


@pytest.mark.parametrize("bad", [24, 1900, "2024", None, True, 3000])
def test_check_fiscal_year_refuses_implausible_years(bad: object) -> None:
    with pytest.raises(ValueError):
        fiscal.check_fiscal_year(bad)


def test_parse_japanese_date() -> None:
    assert fiscal.parse_japanese_date("令和6年6月11日（火）") == dt.date(2024, 6, 11)
    assert fiscal.parse_japanese_date("令和６年６月１１日") == dt.date(2024, 6, 11)
    assert fiscal.parse_japanese_date("令和元年5月1日") == dt.date(2019, 5, 1)
    assert fiscal.parse_japanese_date("R6.6.11") == dt.date(2024, 6, 11)
    assert fiscal.parse_japanese_date("平成31年4月1日") == dt.date(2019, 4, 1)
    assert fiscal.parse_japanese_date("2024-06-11") == dt.date(2024, 6, 11)
    assert fiscal.parse_japanese_date("令和6年2月30日") is None
    assert fiscal.parse_japanese_date("令和6年6月") is None
