"""Fiscal years (年度, April-March) and the Japanese era (和暦) used in every document."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# (first Gregorian year of the era, first day, name)
_ERAS = (
    (2019, dt.date(2019, 5, 1), "令和"),
    (1989, dt.date(1989, 1, 8), "平成"),
    (1926, dt.date(1926, 12, 25), "昭和"),
)
# era name and its one-letter abbreviation -> the Gregorian year before the era's first year (令和6 = 2018 + 6)
ERA_OFFSETS = {name: first_year - 1 for first_year, _day, name in _ERAS} | {"R": 2018, "H": 1988, "S": 1925}
_WEEKDAYS = "月火水木金土日"
_ERA_DATE = re.compile(r"^(令和|平成|昭和|R|H|S)(元|\d{1,2})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?(?:[（(].[)）])?$")
_WESTERN_DATE = re.compile(r"^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?(?:[（(].[)）])?$")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
MIN_YEAR, MAX_YEAR = 1989, 2200


def to_fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


def document_digits(text: str) -> str:
    """The print convention of the ward's documents: a lone digit is full-width, longer numbers
    stay half-width ('令和6年6月11日' -> '令和６年６月11日')."""
    return re.sub(r"(?<![0-9])[0-9](?![0-9])", lambda m: to_fullwidth(m.group()), text)


def era_of_fiscal_year(year: int) -> tuple[str, int]:
    """Fiscal year 2019 is 令和元年度 (the era name in force for most of the year)."""
    for first_year, _day, name in _ERAS:
        if year >= first_year:
            return name, year - first_year + 1
    raise ValueError(f"{year}年度は扱えません")


def _era_number(n: int) -> str:
    return "元" if n == 1 else str(n)


def fiscal_year_label(year: int, *, fullwidth: bool = False) -> str:
    """2024 -> '令和6年度' (or '令和６年度')."""
    era, n = era_of_fiscal_year(year)
    label = f"{era}{_era_number(n)}年度"
    return to_fullwidth(label) if fullwidth else label


def relabel_fiscal_year(text: str, old: int, new: int) -> str:
    """A title that names fiscal year `old` (令和6年度 or 令和６年度) made to name `new`; other text unchanged."""
    for fullwidth in (True, False):
        label = fiscal_year_label(old, fullwidth=fullwidth)
        if label in text:
            return text.replace(label, fiscal_year_label(new, fullwidth=fullwidth))
    return text


def fiscal_year_both(year: int) -> str:
    """2024 -> '令和6年度（2024年度）'."""
    return f"{fiscal_year_label(year)}（{year}年度）"


def short_fiscal_year(year: int, *, fullwidth: bool = True) -> str:
    """2024 -> '６年度' as in the 事業別一覧表 header."""
    _era, n = era_of_fiscal_year(year)
    label = f"{_era_number(n)}年度"
    return to_fullwidth(label) if fullwidth else label


def japanese_date(day: dt.date, *, fullwidth_small: bool = False) -> str:
    """2024-06-11 -> '令和6年6月11日（火）'."""
    for _first_year, first_day, name in _ERAS:
        if day >= first_day:
            n = day.year - first_day.year + 1
            text = f"{name}{_era_number(n)}年{day.month}月{day.day}日（{_WEEKDAYS[day.weekday()]}）"
            return to_fullwidth(text) if fullwidth_small else text
    raise ValueError(f"{day.isoformat()} は扱えません")


def parse_japanese_date(text: str) -> dt.date | None:
    """'令和6年6月11日（火）', 'R6.6.11', '2024-06-11', '2024/6/11' (full-width digits too) -> a date, else None.
    The weekday in brackets is ignored (the date decides it)."""
    text = unicodedata.normalize("NFKC", text).replace(" ", "").upper()
    m = _ERA_DATE.match(text)
    if m:
        era, n, month, day = m.groups()
        year = ERA_OFFSETS[era] + (1 if n == "元" else int(n))
    else:
        m = _WESTERN_DATE.match(text)
        if not m:
            return None
        year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, int(month), int(day))
    except ValueError:
        return None


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year a date falls in (April starts the year)."""
    return day.year if day.month >= 4 else day.year - 1


def check_fiscal_year(year: object) -> int:
    """Raise ValueError (Japanese) unless year is a plausible Western fiscal year."""
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"年度が正しくありません（{year!r}）: 西暦4桁で指定してください")
    return year
