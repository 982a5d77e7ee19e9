"""達成率 of an indicator (事業指標): the rule, stated once.

- Target and actual are text as entered; a figure is read from them when the text is a number with
  optional thousands commas, full-width digits, a decimal point and a trailing 万 (×10,000) or 千 (×1,000):
  "35,000" -> 35000, "80万" -> 800000, "57.5" -> 57.5. Anything else ("前回調査結果から向上") has no figure.
- An indicator whose name says 割合 or 率 (加入率, 〜の割合) already measures a percentage: dividing two
  percentages says little, so it compares points: actual − target, e.g. 目標 80％, 実績 76％ -> ▲4.0ポイント.
- Every other indicator: actual ÷ target × 100, e.g. 目標 84回, 実績 80回 -> 95.2%. No 達成率 for a target of 0.
- Both are rounded with domain/money.py's rule (one decimal, half away from zero).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from asahi_desk.domain import money

if TYPE_CHECKING:  # annotations only: the window's forms import this module before the entities are needed
    from asahi_desk.domain.entities import Indicator

RATIO, POINTS = "ratio", "points"
# the checker's "double-check the figure" band for a ratio 達成率
LOW_ACHIEVEMENT, HIGH_ACHIEVEMENT = Decimal(50), Decimal(200)
_FIGURE = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?(万|千)?", re.ASCII)
_MULTIPLIERS = {"万": 10_000, "千": 1_000, None: 1}
_POINT_WORDS = ("割合", "率")


@dataclass(frozen=True)
class Achievement:
    kind: str  # RATIO or POINTS
    value: Decimal  # percent for RATIO, percentage points for POINTS

    def text(self) -> str:
        """'95.2%', '▲4.0ポイント', '+2.0ポイント'."""
        if self.kind == RATIO:
            return money.format_rate(self.value)
        if self.value < 0:
            return f"▲{-self.value}ポイント"
        return f"+{self.value}ポイント"

    @property
    def outlier(self) -> bool:
        """A ratio below 50% or above 200%: worth a second look at the figure typed."""
        return self.kind == RATIO and not (LOW_ACHIEVEMENT <= self.value <= HIGH_ACHIEVEMENT)


def parse_figure(text: str) -> Decimal | None:
    """The number a target or actual states, or None when it states none."""
    s = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    m = _FIGURE.fullmatch(s)
    if m is None:
        return None
    return Decimal(m.group(1).replace(",", "") + (m.group(2) or "")) * _MULTIPLIERS[m.group(3)]


def compares_points(indicator_name: str) -> bool:
    return any(word in indicator_name for word in _POINT_WORDS)


def achievement(indicator: Indicator) -> Achievement | None:
    """達成率 when both target and actual are figures; None otherwise (or for a target of 0)."""
    target, actual = parse_figure(indicator.target), parse_figure(indicator.actual)
    if target is None or actual is None:
        return None
    if compares_points(indicator.name):
        return Achievement(POINTS, money.round_rate(actual - target))
    if target == 0:
        return None
    return Achievement(RATIO, money.round_rate(actual * 100 / target))


def achievement_text(indicator: Indicator) -> str:
    """達成率 as printed, '' when there is none."""
    a = achievement(indicator)
    return a.text() if a is not None else ""
