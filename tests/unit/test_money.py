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


@pytest.mark.parametrize(("text", "value"), [
    ("1,234", 1234), ("▲306", -306), ("△ 3", -3), ("-50", -50), ("－５０", -50), ("１２３", 123),
    (" 9,917 ", 9917), ("725千円", 725), (42, 42), (42.0, 42), ("1.000", 1),
])
def test_parse_amount_accepts_what_clerks_type(text: object, value: int) -> None:
    assert money.parse_amount(text) == value


@pytest.mark.parametrize("text", ["abc", "", "12.5", 3.7, True, "1,2a"])
def test_parse_amount_refuses_non_whole_numbers(text: object) -> None:
    with pytest.raises(ValueError) as e:
        money.parse_amount(text)
    assert "金額" in str(e.value)


def test_yen_to_thousands_rounds_half_up() -> None:
    assert money.yen_to_thousands(1_500) == 2
    assert money.yen_to_thousands(1_499) == 1
    assert money.yen_to_thousands(725_000) == 725
    assert money.yen_to_thousands(-1_500) == -2


def test_check_amount() -> None:
    money.check_amount(0)
    money.check_amount(-5, allow_negative=True)
    for bad in (-1, 10**12, 1.5, "3", True):
        with pytest.raises(ValueError):
            money.check_amount(bad)  # type: ignore[arg-type]
