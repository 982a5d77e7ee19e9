"""Cell values as people type them: text, amounts (▲, full-width, commas, 円), year labels, places."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from asahi_desk.domain import money

# A lone dash in an amount column means "none" in the ward's tables.
_ZERO_MARKS = {"-", "−", "－", "―", "ー", "‐", "—"}
_ZERO_SQUEEZED = frozenset(unicodedata.normalize("NFKC", m) for m in _ZERO_MARKS)
# Roman numerals as the ward writes category codes (Ⅰ …) and their ASCII look-alikes after NFKC.
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_ROMAN_RE = re.compile(rf"^\s*([{_ROMAN}]|(?:X{{0,1}}(?:IX|IV|V?I{{0,3}})))(?=[\s　.．、:：]|$)(.*)$", re.S)
_ERA_BASE = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA (no openpyxl needed for messages)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def place(sheet: str, row: int, col: int | None = None) -> str:
    """「事業別一覧表」シート 12行 C列."""
    text = f"「{sheet}」シート {row}行"
    return f"{text} {column_letter(col)}列" if col else text


def text_of(value: object) -> str:
    """A cell as trimmed text; numbers without a trailing .0; None -> ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def squeeze(text: str) -> str:
    """NFKC and no whitespace at all: how labels are compared ('課　　名' == '課名')."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def looks_numeric(value: object) -> bool:
    """True for a number or text that parses as an amount (used to tell program rows from notes)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return True
    s = squeeze(str(value))
    if s in _ZERO_SQUEEZED:
        return True
    try:
        money.parse_amount(s)
    except ValueError:
        return False
    return True


def parse_cell_amount(value: object, *, yen: bool = False) -> int:
    """An amount cell in 千円 (or 円 converted to 千円, half up). Raises ValueError (Japanese)."""
    if isinstance(value, int) and not isinstance(value, bool) and not yen:
        return _bounded(value, value)
    if isinstance(value, str) and squeeze(value) in _ZERO_SQUEEZED:
        return 0
    if isinstance(value, float) and yen:
        if not value.is_integer():
            raise ValueError(f"金額が整数ではありません（{value}）")
        value = int(value)
    amount = money.parse_amount(value)
    if yen:
        amount = money.yen_to_thousands(amount)
    return _bounded(amount, value)


def _bounded(amount: int, value: object) -> int:
    if abs(amount) >= money.MAX_AMOUNT:
        raise ValueError(f"金額が大きすぎます（{text_of(value)}）")
    return amount


def year_of_label(label: str) -> int | None:
    """The Western fiscal year a header names: 令和６年度 / R6 / ６年度 / 2024 / 平成30年度 / H30.

    A bare ６年度 is read as 令和 (the app handles 令和 budgets; 平成 needs its era name).
    """
    s = squeeze(label)
    m = re.search(r"(令和|平成|R|H)(元|\d{1,2})(?:年度?|\.|$|予算|決算)?", s, re.I)
    if m:
        era = m.group(1).upper() if m.group(1).isascii() else m.group(1)
        n = 1 if m.group(2) == "元" else int(m.group(2))
        return _ERA_BASE[era] + n
    m = re.search(r"(?<!\d)((?:19|20|21)\d\d)(?!\d)", s)
    if m:
        return int(m.group(1))
    m = re.search(r"(?<!\d)(元|\d{1,2})年度", s)
    if m:
        return 2018 + (1 if m.group(1) == "元" else int(m.group(1)))
    return None


def unit_of_text(text: str) -> str | None:
    """'（単位：千円）' -> '千円'; '単位:円' or '金額（円）' -> '円'; otherwise None."""
    s = squeeze(text)
    if "千円" in s and ("単位" in s or s.endswith("千円)") or s.endswith("(千円)")):
        return "千円"
    if re.search(r"単位[:：]?円|\(円\)|[^千]円\)$", s) or s in {"円", "(円)"}:
        return "円"
    return None


@dataclass(frozen=True)
class CategoryLabel:
    code: str | None
    name: str


def category_label(text: str) -> CategoryLabel | None:
    """'Ⅰ 安全・安心' / 'Ⅰ\\n安全・安心' / 'II 地域の力' -> code and name; None when not a category label."""
    t = text.strip()
    if not t:
        return None
    if t[0] in _ROMAN:
        code = t[0]
        rest = t[1:]
        while rest and rest[0] in _ROMAN:  # Ⅻ is one char, but 'ⅡⅠ' typos are kept whole
            code, rest = code + rest[0], rest[1:]
        return CategoryLabel(code, re.sub(r"\s+", "", rest.lstrip(" 　.．、:："))) if not rest or not rest[0].isdigit() else None
    m = _ROMAN_RE.match(unicodedata.normalize("NFKC", t))
    if m and m.group(1) and not re.match(r"^\s*-", m.group(2)):
        ascii_code = m.group(1)
        code = _ROMAN[_ascii_roman_value(ascii_code) - 1] if 0 < _ascii_roman_value(ascii_code) <= len(_ROMAN) else ascii_code
        return CategoryLabel(code, re.sub(r"\s+", "", m.group(2).lstrip(" .、:")))
    return None


def _ascii_roman_value(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(s):
        v = values[ch]
        total += -v if i + 1 < len(s) and values[s[i + 1]] > v else v
    return total


def is_total_label(text: str) -> bool:
    """合計 / 小計 / 総計 / 計 rows are sums, not programs."""
    if "計" not in text:  # the common case, without normalising
        return False
    s = squeeze(text)
    return s in {"計", "合計", "小計", "総計", "総合計"} or s.endswith(("合計", "小計", "総計")) and len(s) <= 30


def is_note(text: str) -> bool:
    s = text.strip()
    return s.startswith(("※", "注", "(注", "（注", "*"))
