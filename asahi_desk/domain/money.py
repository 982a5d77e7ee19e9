"""Money is an int of 千円; rates are Decimal with one rule for rounding, written down here once.

Rounding rule (増▲減率): rate = (current - prior) / prior × 100, rounded to one decimal place
half away from zero (Decimal ROUND_HALF_UP), e.g. 585 vs 885 -> ▲33.9%. No rate when prior is 0.
Amounts read from a workbook in another unit (円, 万円, 百万円): the rule is stated with UNIT_FACTORS in
asahi_desk/importers/excel/cells.py, where the conversion happens.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

RATE_QUANTUM = Decimal("0.1")
MAX_AMOUNT = 10**12  # 千円: a sanity bound far above any ward budget (1京円)
# Signs of a negative amount as typed or pasted from other systems (the Excel import reads the same set);
# ‐ (hyphen) and – (en dash) arrive from word processors.
NEGATIVE_MARKS = ("▲", "△", "-", "−", "－", "ー", "‐", "–")
AMOUNT_INPUT_MESSAGE = "金額は0以上の整数（千円）で入力してください"
# digits only (ASCII after NFKC, so full-width ０-９ pass and Arabic-Indic or other Unicode digits do not):
# no exponent ('1e3'), no 'Infinity'/'NaN', no '_' grouping, no sign, which Decimal() would all accept
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_DIGITS_WITH_FRACTION = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)  # only to say "no decimal point"
# commas typed in an amount group thousands: 1,234 and 12,345,678, never 1,000,00 or 12,34
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+", re.ASCII)


def change(current: int, prior: int) -> int:
    """増▲減 in 千円."""
    return current - prior


def change_rate(current: int, prior: int) -> Decimal | None:
    """増▲減率 in percent, one decimal, half away from zero; None when the prior amount is 0."""
    if prior == 0:
        return None
    return round_rate(Decimal(current - prior) * 100 / Decimal(prior))


def round_rate(value: Decimal) -> Decimal:
    """The one rounding rule of every printed rate: one decimal place, half away from zero."""
    return value.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


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


def _split_sign(s: str) -> tuple[bool, str]:
    for mark in NEGATIVE_MARKS:
        norm = unicodedata.normalize("NFKC", mark)
        if s.startswith(norm):
            return True, s[len(norm):]
    return False, s


def parse_amount_input(text: str, *, allow_negative: bool = False) -> int:
    """Read an amount a clerk types into a 千円 field: digits, thousands commas, full-width digits,
    an optional 千円 unit; ▲/△/- only with allow_negative. No decimal point, exponent or 円 amounts.

    Raises ValueError whose message starts with AMOUNT_INPUT_MESSAGE and says what is wrong.
    """
    raw = str(text).strip()
    grouped = unicodedata.normalize("NFKC", raw).replace(" ", "").removesuffix("千円")
    s = grouped.replace(",", "")

    def refuse(why: str) -> ValueError:
        return ValueError(f"{AMOUNT_INPUT_MESSAGE}（{why}）")

    negative, digits = _split_sign(s)
    if not digits:
        raise refuse("空欄です" if not raw else f"「{raw}」: 数字がありません")
    if negative and not allow_negative:
        raise refuse("負の値は入力できません")
    if _DIGITS_WITH_FRACTION.fullmatch(digits) and not _DIGITS.fullmatch(digits):
        raise refuse("小数点は使えません")
    if not _DIGITS.fullmatch(digits):
        raise refuse(f"「{raw}」: 数字とカンマ以外は使えません")
    if "," in grouped and not _THOUSANDS.fullmatch(_split_sign(grouped)[1]):
        raise refuse(f"「{raw}」: カンマは3桁ごとに入れてください")
    value = -int(digits) if negative else int(digits)
    if abs(value) >= MAX_AMOUNT:
        raise refuse("大きすぎます")
    return value



def check_amount(value: int, *, allow_negative: bool = False) -> None:
    """Raise ValueError (Japanese) unless value is a sane whole number of 千円."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("金額は千円単位の整数で入力してください")
    if not allow_negative and value < 0:
        raise ValueError("金額に負の値は入力できません")
    if abs(value) >= MAX_AMOUNT:
        raise ValueError("金額が大きすぎます")
