"""Money is an int of 千円; rates are Decimal with one rule for rounding, written down here once.

Rounding rule (増▲減率): rate = (current - prior) / prior × 100, rounded to one decimal place
half away from zero (Decimal ROUND_HALF_UP), e.g. 585 vs 885 -> ▲33.9%. No rate when prior is 0.
Yen to 千円 on import: round half up to the nearest 千円 (1,500円 -> 2千円).
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

RATE_QUANTUM = Decimal("0.1")
MAX_AMOUNT = 10**12  # 千円: a sanity bound far above any ward budget (1京円)
NEGATIVE_MARKS = ("▲", "△", "-", "−", "－", "ー")


def change(current: int, prior: int) -> int:
    """増▲減 in 千円."""
    return current - prior


def change_rate(current: int, prior: int) -> Decimal | None:
    """増▲減率 in percent, one decimal, half away from zero; None when the prior amount is 0."""
    if prior == 0:
        return None
    return (Decimal(current - prior) * 100 / Decimal(prior)).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def format_amount(value: int | None, negative: str = "▲") -> str:
    """1234 -> '1,234'; -306 -> '▲306'; None -> ''."""
    if value is None:
        return ""
    if value < 0:
        return f"{negative}{-value:,}"
    return f"{value:,}"


def format_rate(rate: Decimal | None, negative: str = "▲") -> str:
    """Decimal('-0.3') -> '▲0.3%'; None -> '―'."""
    if rate is None:
        return "―"
    if rate < 0:
        return f"{negative}{-rate}%"
    return f"{rate}%"


def parse_amount(text: object) -> int:
    """Read an amount as clerks type it: '1,234', '▲306', '△ 3', '－５０', ' 1２3 '.

    Raises ValueError with a Japanese message on anything that is not a whole number.
    """
    if isinstance(text, bool):
        raise ValueError("金額が数値ではありません")
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if text != int(text):
            raise ValueError(f"金額が整数ではありません（{text}）")
        return int(text)
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").replace(" ", "")
    s = s.removesuffix("千円").removesuffix("円")
    negative = False
    for mark in NEGATIVE_MARKS:
        norm = unicodedata.normalize("NFKC", mark)
        if s.startswith(norm):
            negative, s = True, s[len(norm):]
            break
    if not s:
        raise ValueError("金額が空です")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"金額が数値ではありません（「{text}」）") from None
    if d != d.to_integral_value():
        raise ValueError(f"金額が整数ではありません（「{text}」）")
    value = int(d)
    return -value if negative else value


def yen_to_thousands(yen: int) -> int:
    """円 -> 千円, half up (away from zero)."""
    q = (Decimal(yen) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(q)


def check_amount(value: int, *, allow_negative: bool = False) -> None:
    """Raise ValueError (Japanese) unless value is a sane whole number of 千円."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("金額は千円単位の整数で入力してください")
    if not allow_negative and value < 0:
        raise ValueError("金額に負の値は入力できません")
    if abs(value) >= MAX_AMOUNT:
        raise ValueError("金額が大きすぎます")
