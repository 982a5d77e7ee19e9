"""The search folding rule on the seeds' strings: kana, width, case, words that must all match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asahi_desk.domain.search_text import fold, match_spans, matches_all, query_words

SEED = Path(__file__).resolve().parents[2] / "resources" / "demo" / "asahi-r6-budget.json"


def _names() -> list[str]:
    budget = json.loads(SEED.read_text(encoding="utf-8"))
    return [p["name"] for c in budget["categories"] for p in c["programs"]] + [
        li["name"] for c in budget["categories"] for p in c["programs"] for li in p["line_items"]]


def _find(query: str) -> list[str]:
    words = query_words(query)
    return [n for n in _names() if matches_all(fold(n), words)]


@pytest.mark.parametrize("query", ["はち", "ﾊﾁ", "ハチ", "ﾊﾁの駆除", "はちの　くじょ".replace("くじょ", "駆除")])
def test_kana_and_width_find_the_wasp_program(query: str) -> None:
    assert "ハチの駆除サポート事業" in _find(query)


def test_two_words_separated_by_a_full_width_space_must_both_match() -> None:
    found = _find("防災　訓練")
    assert "防災訓練事業" in found
    assert "防災活動事業" not in found  # 訓練 is not in it
    assert _find("防災 訓練") == found  # a half-width space splits the same way
    assert _find("防災　存在しない") == []


def test_fold_rules() -> None:
    assert fold("ﾊﾞｽ") == fold("バス") == fold("ばす") == "ばす"
    assert fold("ＡＢＣ１２３") == fold("abc123") == "abc123"
    assert fold("ＤＶ対策") == "dv対策"
    assert fold("ヽヾ") == "ゝゞ"
    assert fold("ー") == "ー"  # the prolonged sound mark is neither kana: kept
    assert query_words("  ") == ()
    assert query_words("防災　訓練 防災") == ("防災", "訓練")


def test_spans_point_into_the_original_text() -> None:
    assert match_spans("3 ハチの駆除サポート事業", query_words("はち")) == [(2, 4)]
    assert match_spans("ﾊﾞｽ停留所", query_words("ばす")) == [(0, 3)]  # three source characters fold to two
    assert match_spans("防災訓練事業", query_words("防災　訓練")) == [(0, 4)]  # adjacent hits merge
    assert match_spans("ＤＶ対策事業", query_words("dv")) == [(0, 2)]
    assert match_spans("防災訓練事業", ()) == []
