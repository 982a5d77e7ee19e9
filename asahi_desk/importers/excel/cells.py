"""Cell values as people type them: text, amounts (▲, full-width, commas, 円), year labels, places."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from asahi_desk.domain import money
from asahi_desk.domain.fiscal import ERA_OFFSETS

# A lone dash in an amount column means "none" in the ward's tables.
_ZERO_MARKS = {"-", "−", "－", "―", "ー", "‐", "—"}
_ZERO_SQUEEZED = frozenset(unicodedata.normalize("NFKC", m) for m in _ZERO_MARKS)
# Roman numerals as the ward writes category codes (Ⅰ …) and their ASCII look-alikes after NFKC.
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_ROMAN_RE = re.compile(rf"^\s*([{_ROMAN}]|(?:X{{0,1}}(?:IX|IV|V?I{{0,3}})))(?=[\s　.．、:：]|$)(.*)$", re.S)


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


_SPACES = re.compile(r"\s+")
_SPACES_COMMAS = re.compile(r"[\s,]+")


def squeeze(text: str) -> str:
    """NFKC and no whitespace at all: how labels are compared ('課　　名' == '課名'). Short texts cached:
    the same labels and marks come back on every row of a sheet."""
    return _cached_squeeze(text) if len(text) <= 64 else _squeeze(text)


def _squeeze(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


_cached_squeeze = functools.lru_cache(maxsize=4096)(_squeeze)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def looks_numeric(value: object) -> bool:
    """True for a number or text that parses as an amount (used to tell program rows from notes)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    try:
        _amount_decimal(value)
    except ValueError:
        return False
    return True


# Units an amount column may be in, as 千円 per unit. Conversion rule (stated once): the amount is
# converted to 千円 and rounded half up (away from zero) to a whole 千円: 1,500円 -> 2, 1.2345百万円 -> 1,235.
UNIT_FACTORS: dict[str, Decimal] = {"円": Decimal("0.001"), "千円": Decimal(1), "万円": Decimal(10),
                                   "百万円": Decimal(1000)}
ROUNDING_RULE = "千円未満は四捨五入"
# The text shape an amount may have once NFKC'd and stripped of commas/spaces: digits with an optional
# fraction. Checked before anything converts it, so '1e3', '1_000', 'Infinity', 'NaN', 'sNaN' never
# reach Decimal() or int() (which would accept them).
_AMOUNT_BODY = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,12})?", re.ASCII)
_NEGATIVE = tuple(dict.fromkeys(unicodedata.normalize("NFKC", m) for m in money.NEGATIVE_MARKS))  # as compared: NFKC
_UNIT_SUFFIX = re.compile(r"(百万円|千円|万円|円)$")
_HAS_DIGIT = re.compile("[0-9]")


def _amount_decimal(value: object) -> tuple[Decimal, str | None]:
    """A cell as a Decimal in its own unit, and the unit written after the digits (or None)."""
    if isinstance(value, bool) or value is None:
        raise ValueError("金額が数値ではありません")
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"金額が数値ではありません（{value}）")
        return Decimal(repr(value)), None  # the shortest repr: 12.3, not 12.300000000000000710…
    if isinstance(value, dt.date | dt.datetime | dt.time):
        raise ValueError(f"金額が数値ではありません（日付「{text_of(value)}」）")
    raw = str(value)
    return _cached_text_amount(raw) if len(raw) <= _CACHED_LENGTH else _text_amount(raw)


def _text_amount(raw: str) -> tuple[Decimal, str | None]:
    """_amount_decimal of a text cell."""
    s = _SPACES_COMMAS.sub("", unicodedata.normalize("NFKC", raw))
    unit = None
    m = _UNIT_SUFFIX.search(s)
    if m:
        unit, s = m.group(1), s[: m.start()]
    negative = s.startswith(_NEGATIVE)
    body = s[1:] if negative or s.startswith("+") else s
    if not body:
        raise ValueError(f"金額が数値ではありません（「{raw.strip()}」）")
    if not _AMOUNT_BODY.fullmatch(body):
        if re.fullmatch(r"[0-9]{21,}(?:\.[0-9]+)?", body):
            raise ValueError(f"金額が大きすぎます（「{raw.strip()}」）")
        raise ValueError(f"金額が数値ではありません（「{raw.strip()}」）")
    d = Decimal(body)  # plain digits (the shape check above): Decimal() cannot fail on them
    return (-d if negative else d), unit


# the same figures and labels come back down a sheet: short texts are parsed once (a cache of at most
# 4,096 entries of at most this many characters, so a hostile sheet cannot grow it)
_CACHED_LENGTH = 64
_cached_text_amount = functools.lru_cache(maxsize=4096)(_text_amount)  # Decimal and str are immutable


def parse_cell_amount(value: object, *, unit: str = "千円") -> int:
    """An amount cell in 千円, converted from the column's unit (円・千円・万円・百万円; see UNIT_FACTORS
    for the rounding rule). Negative amounts (▲ △ -) are returned negative: the caller decides whether
    the column may hold them. Raises ValueError with a Japanese message."""
    if type(value) is int and unit == "千円":  # the common case, without Decimal
        return _bounded(value, value)
    return round_thousands(exact_thousands(value, unit=unit), value)


def exact_thousands(value: object, *, unit: str = "千円") -> Decimal:
    """An amount cell in 千円 before rounding (1,499円 -> 1.499): line items of one program are summed
    exactly and the program's total rounded once (round_thousands). Raises ValueError like
    parse_cell_amount."""
    if unit not in UNIT_FACTORS:
        raise ValueError(f"単位「{unit}」は千円に換算できません")
    if type(value) is int and unit == "千円":  # the common case
        return Decimal(value)
    # a text with an ASCII digit is never a lone dash (NFKC keeps digits): no normalising for it
    if isinstance(value, str) and not _HAS_DIGIT.search(value) and squeeze(value) in _ZERO_SQUEEZED:
        return Decimal(0)
    d, written = _amount_decimal(value)
    if written is not None and written != unit:
        raise ValueError(f"金額の単位が表の単位（{unit}）と違います（「{text_of(value)}」）")
    if unit in ("千円", "円") and d != d.to_integral_value():
        raise ValueError(f"金額が整数ではありません（「{text_of(value)}」）")
    return d * UNIT_FACTORS[unit]


def round_thousands(thousands: Decimal, value: object = None) -> int:
    """An exact amount in 千円 rounded half up (away from zero) to a whole 千円, bounded."""
    if type(thousands) is int:  # already whole (an int cell in 千円)
        return _bounded(thousands, value if value is not None else thousands)
    try:
        amount = int(thousands.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, OverflowError, ValueError):
        raise ValueError(f"金額が大きすぎます（{text_of(value) if value is not None else thousands}）") from None
    return _bounded(amount, value if value is not None else thousands)


def is_blank_mark(value: object) -> bool:
    """A lone dash (―, －, -): 'none' in a column that is only read for reference."""
    return isinstance(value, str) and squeeze(value) in _ZERO_SQUEEZED


NEW_PROGRAM_MARKS = frozenset({"新規", "皆増", "新規事業", "(新規)", "【新規】"})


def is_new_program_mark(value: object) -> bool:
    """新規 / 皆増 in an older year's column: there was no program that year."""
    return isinstance(value, str) and squeeze(value) in NEW_PROGRAM_MARKS


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
        return ERA_OFFSETS[era] + n
    m = re.search(r"(?<!\d)((?:19|20|21)\d\d)(?!\d)", s)
    if m:
        return int(m.group(1))
    m = re.search(r"(?<!\d)(元|\d{1,2})年度", s)
    if m:
        return ERA_OFFSETS["令和"] + (1 if m.group(1) == "元" else int(m.group(1)))
    return None


def unit_of_text(text: str) -> str | None:
    """The unit a title or label states: '（単位：千円）' -> '千円', '単位:百万円' -> '百万円',
    '金額（円）' -> '円', '予算額(万円)' -> '万円'; '単位：億円' -> '億円' (the caller refuses units it
    cannot convert, see UNIT_FACTORS); None when the text states no unit."""
    s = squeeze(text)
    if s in UNIT_FACTORS:
        return s
    m = re.search(r"単位[:=]?([^()\[\]【】、,;。]+)", s)
    if m and m.group(1).strip():
        stated = m.group(1).strip()
        known = _UNIT_SUFFIX.match(stated)
        return known.group(1) if known and known.end() == len(stated) else stated
    m = re.search(r"[(\[【](百万円|千円|万円|円)[)\]】]", s)
    return m.group(1) if m else None


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


_BRACKETS = "()（）【】[]［］〔〕「」<>＜＞"
_BRACKETED = re.compile(r"[(（【\[［〔<＜][^)）】\]］〕>＞]*[)）】\]］〕>＞]")
_TOTAL_WORDS = frozenset({"計", "合計", "小計", "総計", "総合計", "累計", "中計"})


def is_total_label(text: str) -> bool:
    """合計 / 小計 / 総計 / 計 rows are sums, not programs: also （小計）, 【合計】, 合計（…）, 小計(Ⅰ),
    Ⅰ　計 and 自主企画事業費　計 (a label, a space, 計)."""
    if "計" not in text:  # the common case, without normalising
        return False
    s = squeeze(text)
    if len(s) > 40:
        return False
    bare = s.strip(_BRACKETS)
    unbracketed = _BRACKETED.sub("", s)
    for t in (s, bare, unbracketed):
        if t in _TOTAL_WORDS or t.endswith(("合計", "小計", "総計")) and len(t) <= 30:
            return True
    # 「自主企画事業費　計」「Ⅰ　計」: 計 written apart from what it sums ('設計', '会計' are names)
    spaced = unicodedata.normalize("NFKC", text).strip()
    if re.search(r"\S\s+計$", spaced):
        return True
    label = category_label(text)
    return label is not None and label.code is not None and label.name in _TOTAL_WORDS


def is_note(text: str) -> bool:
    s = text.strip()
    return s.startswith(("※", "注", "(注", "（注", "*"))
