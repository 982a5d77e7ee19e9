"""Money: int 千円, Decimal rates with one rounding rule, ▲ for negatives, tolerant parsing."""

from decimal import Decimal

import pytest

from asahi_desk.domain import money


@pytest.mark.parametrize(("current", "prior", "rate"), [
    (585, 885, Decimal("-33.9")),
    (876702, 849290, Decimal("3.2")),
    (102924, 103230, Decimal("-0.3")),
    (1125, 1000, Decimal("12.5")),
    (10005, 10000, Decimal("0.1")),  # 0.05 -> 0.1: half away from zero
    (9995, 10000, Decimal("-0.1")),  # -0.05 -> -0.1, not -0.0
    (100, 100, Decimal("0.0")),
])
def test_change_rate_rounds_half_away_from_zero(current: int, prior: int, rate: Decimal) -> None:
    assert money.change_rate(current, prior) == rate


def test_no_rate_without_prior() -> None:
    assert money.change_rate(500, 0) is None
    assert money.format_rate(None) == "―"


def test_format_amount_and_rate() -> None:
    assert money.format_amount(876702) == "876,702"
    assert money.format_amount(-1575) == "▲1,575"
    assert money.format_amount(-3, negative="△") == "△3"
    assert money.format_amount(0) == "0"
    assert money.format_rate(Decimal("-33.9")) == "▲33.9%"
    assert money.format_rate(Decimal("3.2")) == "3.2%"


def test_check_amount() -> None:
    money.check_amount(0)
    money.check_amount(-5, allow_negative=True)
    for bad in (-1, 10**12, 1.5, "3", True):
        with pytest.raises(ValueError):
            money.check_amount(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "value"), [
    ("1,234", 1234), ("１２３", 123), ("１，２３４", 1234), (" 9,917 ", 9917), ("725千円", 725), ("0", 0),
    ("999999999999", 10**12 - 1),
])
def test_parse_amount_input_accepts_digits_and_commas(text: str, value: int) -> None:
    assert money.parse_amount_input(text) == value


@pytest.mark.parametrize(("text", "why"), [
    ("Infinity", "数字とカンマ以外"), ("NaN", "数字とカンマ以外"), ("1e3", "数字とカンマ以外"),
    ("１e３", "数字とカンマ以外"), ("1_000", "数字とカンマ以外"), ("٣", "数字とカンマ以外"), ("5円", "数字とカンマ以外"),
    ("abc", "数字とカンマ以外"), ("12.5", "小数点"), ("12.0", "小数点"), ("", "空欄"), ("  ", "空欄"),
    ("千円", "数字がありません"), ("-5", "負の値"), ("▲306", "負の値"), ("△3", "負の値"),
    ("1000000000000", "大きすぎます"),
])
def test_parse_amount_input_refuses_and_says_why(text: str, why: str) -> None:
    with pytest.raises(ValueError) as e:
        money.parse_amount_input(text)
    assert str(e.value).startswith(money.AMOUNT_INPUT_MESSAGE)
    assert why in str(e.value)


def test_parse_amount_input_negatives_only_when_allowed() -> None:
    assert money.parse_amount_input("▲306", allow_negative=True) == -306
    assert money.parse_amount_input("△ 3", allow_negative=True) == -3
    assert money.parse_amount_input("－５０", allow_negative=True) == -50
    with pytest.raises(ValueError, match="数字とカンマ以外"):
        money.parse_amount_input("-1e3", allow_negative=True)


@pytest.mark.parametrize("text", ["1,000,00", "12,34", "1,2345", ",123", "123,", "1,,000", "１，０００，００", "1,000,00千円"])
def test_parse_amount_input_commas_group_thousands_only(text: str) -> None:
    """A comma typed in an amount separates thousands: 「1,000,00」 is a typo, not 100000."""
    with pytest.raises(ValueError) as e:
        money.parse_amount_input(text)
    assert str(e.value).startswith(money.AMOUNT_INPUT_MESSAGE)
    assert "カンマは3桁ごと" in str(e.value) or "数字とカンマ以外" in str(e.value)


@pytest.mark.parametrize(("text", "value"), [("12,345,678", 12345678), ("999", 999), ("1,000千円", 1000),
                                             ("１２，３４５", 12345)])
def test_parse_amount_input_accepts_grouped_thousands(text: str, value: int) -> None:
    assert money.parse_amount_input(text) == value
    assert money.parse_amount_input(f"▲{text}", allow_negative=True) == -value
