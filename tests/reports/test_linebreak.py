"""The one Japanese line breaker on the seeds' strings: 禁則, no overfull line, phrases kept, no lone last char."""

from __future__ import annotations

import pytest

from asahi_desk.reports.linebreak import break_lines

# The issue's list, spelled out here rather than imported, so the test does not share the code's mistakes.
MAY_NOT_START = set("、。，．：；？！）」』】〕〉》ーっゃゅょッャュョ…")
MAY_NOT_END = set("（「『【〔〈《")


def _widths(text: str) -> list[float]:
    """Full-width characters 1 em, ASCII half."""
    return [0.5 if ch.isascii() else 1.0 for ch in text]


def _lines(text: str, ems: float, first: float | None = None) -> list[str]:
    widths = [first if first is not None else ems, ems]
    result = break_lines(text, _widths(text), widths)
    assert not result.forced or ems < 4, (text, ems)
    return result.texts(text)


def _seed_strings(budget_json: dict, review_json: dict) -> list[str]:
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            if len(node) > 8 and not node.isascii():
                out.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key != "uncertain":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(budget_json)
    walk(review_json)
    return out


def test_the_issue_lines_break_by_the_rules() -> None:
    text = "防災訓練（地域防災拠点：６月～３月 計30拠点：2,151人、地区連合：６月～11月・計13連合：4,257人）"
    for ems in range(6, 30):
        lines = _lines(text, ems)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines[1:]:
            assert line[0] not in MAY_NOT_START, (ems, lines)
        for line in lines[:-1]:
            assert line[-1] not in MAY_NOT_END, (ems, lines)
    # 「実施（」 never ends a line: the bracket goes down with what it opens
    text = "開設・運営訓練 40施設と区が連携して実施（10/4、10/12、10/27、11/18）"
    for ems in range(8, 24):
        lines = _lines(text, ems)
        assert not any(line.endswith("（") for line in lines), lines
        assert not any(line.startswith(("、", "）")) for line in lines), lines


def test_every_seed_string_at_every_width(budget_json: dict, review_json: dict) -> None:
    strings = _seed_strings(budget_json, review_json)
    assert len(strings) > 300
    checked = 0
    for text in strings:
        widths = _widths(text)
        for ems in (5, 7, 9, 12, 18, 25, 44):
            result = break_lines(text, widths, [ems])
            lines = result.texts(text)
            assert "".join(lines).replace(" ", "").replace("　", "").replace("\n", "") == \
                text.replace(" ", "").replace("　", "").replace("\n", ""), (text, ems)
            for (a, b) in result.spans:
                assert sum(widths[a:b]) <= ems + 1e-9, (text, ems, lines)
            if result.forced:  # only a word (2,151 / URLs) longer than the line may be cut
                continue
            for n, (prev, line) in enumerate(zip(lines, lines[1:], strict=False)):
                if line and prev and not result.hard[n]:
                    assert line[0] not in MAY_NOT_START, (text, ems, lines)
                    assert prev[-1] not in MAY_NOT_END, (text, ems, lines)
            checked += 1
    assert checked > 2000


@pytest.mark.parametrize(("text", "ems", "whole"), [
    ("認知症をみんなでささえるまちづくり事業", 17, "まちづくり事業"),
    ("地域のつながりづくりに向けた民生委員の活動支援事業", 17, "活動支援事業"),
    ("こども家庭支援課、福祉保健課", 9, "福祉保健課"),
    ("高齢・障害支援課", 7, "障害支援課"),
    ("区民活動支援センターの無線LAN化や会議室・打ち合わせスペースの整備", 19, "打ち合わせスペースの"),
])
def test_phrases_stay_whole(text: str, ems: int, whole: str) -> None:
    lines = _lines(text, ems)
    assert any(whole in line for line in lines), lines
    assert all(len(line) > 1 for line in lines), lines


def test_no_lone_last_character_when_one_more_can_move() -> None:
    text = "アイウエオカキクケコサ"  # one phrase for BudouX, 10 to a line: サ would stand alone
    lines = _lines(text, 10)
    assert lines == ["アイウエオカキクケ", "コサ"], lines
    # where moving one more would overfill the last line, nothing moves
    assert _lines("あいうえお", 1.5) == list("あいうえお")


def test_hard_breaks_first_line_width_and_spaces() -> None:
    text = "・地域防災拠点の訓練\n・防災フェア　啓発"
    result = break_lines(text, _widths(text), [6, 5])
    lines = result.texts(text)
    assert all(sum(_widths(line)) <= (6 if i == 0 else 5) for i, line in enumerate(lines)), lines
    assert result.hard == tuple(line.endswith("訓練") for line in lines), (lines, result.hard)
    assert not any(line.startswith(("　", " ")) or line.endswith(("　", " ")) for line in lines), lines


def test_a_word_longer_than_the_line_is_cut_and_said_so() -> None:
    text = "https://www.city.yokohama.lg.jp/asahi/"
    result = break_lines(text, _widths(text), [6])
    assert result.forced
    assert "".join(result.texts(text)) == text
    assert all(sum(_widths(line)) <= 6 for line in result.texts(text))
    assert not break_lines("2,151人", _widths("2,151人"), [6]).forced


def test_widths_must_match() -> None:
    with pytest.raises(ValueError):
        break_lines("あい", [1.0], [5])
