"""達成率: figures read from text, ratio for counts, points for 割合/率, one rounding rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from asahi_desk.domain.achievement import POINTS, RATIO, achievement, achievement_text, parse_figure
from asahi_desk.domain.entities import Indicator


@pytest.mark.parametrize(("text", "value"), [
    ("84", Decimal(84)), ("35,000", Decimal(35000)), ("８０万", Decimal(800000)), ("57.5", Decimal("57.5")),
    (" 2千 ", Decimal(2000)), ("前回調査結果から向上", None), ("", None), ("1,00", None), ("1e3", None),
])
def test_parse_figure(text, value):
    assert parse_figure(text) == value


def test_count_indicator_is_a_ratio_rounded_half_up():
    a = achievement(Indicator("防災訓練・講習会等の実施回数", "84", "回", "80"))
    assert a is not None and a.kind == RATIO and a.value == Decimal("95.2")
    # 1/8 = 12.5 exactly -> one decimal stays; 2/3 = 66.666… -> 66.7; 0.05 boundary rounds away from zero
    assert achievement(Indicator("件数", "3", "件", "2")).value == Decimal("66.7")
    assert achievement(Indicator("件数", "2000", "件", "1001")).value == Decimal("50.1")  # 50.05 -> 50.1
    assert achievement_text(Indicator("来場者数", "35,000", "人", "36,000")) == "102.9%"


def test_rate_indicator_compares_points():
    a = achievement(Indicator("自治会町内会加入率", "80", "％", "76"))
    assert a is not None and a.kind == POINTS and a.value == Decimal("-4.0")
    assert a.text() == "▲4.0ポイント"
    assert achievement_text(Indicator("訓練等に参加したことのない方の割合", "35", "％", "37.25")) == "+2.3ポイント"


def test_no_achievement_without_two_figures_or_with_target_zero():
    assert achievement(Indicator("満足度", "前回調査結果から向上", "", "向上")) is None
    assert achievement(Indicator("回数", "84", "回", "")) is None
    assert achievement(Indicator("回数", "0", "回", "3")) is None
    assert achievement_text(Indicator("回数", "84", "回")) == ""


def test_outlier_band_only_for_ratios():
    assert achievement(Indicator("回数", "100", "回", "49")).outlier
    assert achievement(Indicator("回数", "100", "回", "201")).outlier
    assert not achievement(Indicator("回数", "100", "回", "50")).outlier
    assert not achievement(Indicator("回数", "100", "回", "200")).outlier
    assert not achievement(Indicator("加入率", "80", "％", "10")).outlier
