"""The JSON interchange: a dump of a loaded file is the file; bad input is refused by place."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from asahi_desk.domain.errors import InputError
from asahi_desk.importers.json_format import (
    dump_budget,
    dump_review,
    parse_budget,
    parse_review,
    read_json_file,
)
from tests.conftest import SEEDS


def test_budget_round_trip_is_exact(budget_json: dict) -> None:
    assert dump_budget(parse_budget(budget_json)) == budget_json


def test_review_round_trip_is_exact(review_json: dict) -> None:
    assert dump_review(parse_review(review_json)) == review_json


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repository")
def test_demo_copies_equal_the_seeds(budget_json: dict, review_json: dict) -> None:
    assert json.loads((SEEDS / "asahi-r6-budget.json").read_text(encoding="utf-8")) == budget_json
    assert json.loads((SEEDS / "asahi-r4-review.json").read_text(encoding="utf-8")) == review_json


def test_optional_printed_parts_may_be_absent(budget_json: dict) -> None:
    data = copy.deepcopy(budget_json)
    for key in ("summary", "summary_notes", "overview", "uncertain", "meeting"):
        del data[key]
    budget = parse_budget(data)
    assert budget.summary is None and budget.meetings == ()
    assert dump_budget(budget)["categories"] == budget_json["categories"]


def test_null_codes_and_line_item_priors_survive(budget_json: dict) -> None:
    budget = parse_budget(budget_json)
    lump = [p for p in budget.programs() if p.code is None]
    assert [p.name for p in lump] == ["統合事務費", "区庁舎・区民利用施設管理費"]
    integrated = next(p for p in budget.programs() if p.code == "Ⅴ-1")
    assert integrated.line_items[0].prior == 9486 and integrated.line_items[0].sections == ("区政推進課",)


def test_uids_are_written_only_when_asked(budget_json: dict) -> None:
    data = copy.deepcopy(budget_json)
    data["categories"][0]["programs"][0]["uid"] = "u-1"
    budget = parse_budget(data)
    assert "uid" not in dump_budget(budget)["categories"][0]["programs"][0]
    assert dump_budget(budget, with_ids=True)["categories"][0]["programs"][0]["uid"] == "u-1"


def _mutated(budget_json: dict, path: list, value: object) -> dict:
    data = copy.deepcopy(budget_json)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(("path", "value", "expect"), [
    (["categories", 0, "programs", 0, "current"], -5, "負の値"),
    (["categories", 0, "programs", 0, "current"], 12.5, "整数"),
    (["categories", 0, "programs", 0, "current"], "11,922", "整数"),
    (["categories", 0, "programs", 0, "line_items", 1, "marker"], "増", "区分"),
    (["categories", 0, "programs", 0, "colour"], "red", "未知の項目 colour"),
    (["meeting", "date"], "2024-02-30", "日付が正しくありません"),
    (["meeting", "start_time"], "25:00", "時刻が正しくありません"),
    (["fiscal_year"], 24, "年度"),
    (["prior_fiscal_year"], 2020, "前年度"),
    (["unit"], "円", "単位"),
    (["format"], "something else", "形式名"),
    (["summary", 0, "rate"], "abc", "増▲減率"),
    (["summary", 0, "rate"], "NaN", "増▲減率"),
    (["summary", 0, "rate"], "Infinity", "増▲減率"),
    (["summary", 0, "rate"], "1e1", "増▲減率"),
    (["summary", 0, "rate"], "3.25", "小数第1位"),
    (["categories", 0, "programs", 0, "sections"], ["総務課", "総務課"], "2回"),
])
def test_bad_values_are_refused_naming_the_place(budget_json: dict, path: list, value: object, expect: str) -> None:
    with pytest.raises(InputError) as e:
        parse_budget(_mutated(budget_json, path, value), "budget.json")
    assert expect in str(e.value)
    assert str(e.value).startswith("budget.json")


def test_the_same_program_twice_is_refused(budget_json: dict) -> None:
    data = copy.deepcopy(budget_json)
    programs = data["categories"][0]["programs"]
    programs.append(copy.deepcopy(programs[0]))
    with pytest.raises(InputError, match="事業「Ⅰ-1」が2回あります"):
        parse_budget(data, "b.json")


def test_message_names_the_program(budget_json: dict) -> None:
    with pytest.raises(InputError) as e:
        parse_budget(_mutated(budget_json, ["categories", 1, "programs", 2, "prior"], None), "b.json")
    assert "旭ふれあい区民まつり" in str(e.value) and "categories[1]" in str(e.value)


def test_missing_required_key(budget_json: dict) -> None:
    data = copy.deepcopy(budget_json)
    del data["categories"][0]["programs"][0]["name"]
    with pytest.raises(InputError, match="必須の項目 name"):
        parse_budget(data)


def test_read_json_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(InputError, match="JSON の書式"):
        read_json_file(bad)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="UTF-8"):
        read_json_file(binary)
    with pytest.raises(InputError, match="読めません"):
        read_json_file(tmp_path / "missing.json")


def test_indicator_actuals_round_trip_and_old_files_load(budget_json: dict) -> None:
    data = copy.deepcopy(budget_json)
    data["categories"][0]["programs"][0]["indicators"][0]["actual"] = "80"
    budget = parse_budget(data)
    assert budget.programs()[0].indicators[0].actual == "80"
    assert budget.programs()[0].indicators[1].actual == ""  # a file without `actual` loads as before
    assert dump_budget(budget) == data
    assert "actual" not in dump_budget(parse_budget(budget_json))["categories"][0]["programs"][0]["indicators"][1]


def test_review_links_round_trip_and_are_checked(review_json: dict) -> None:
    data = copy.deepcopy(review_json)
    data["areas"][0]["initiatives"][0]["rows"][0]["programs"] = ["Ⅰ-1", "統合事務費"]
    review = parse_review(data)
    assert [x.label for x in review.areas[0].initiatives[0].rows[0].programs] == ["Ⅰ-1", "統合事務費"]
    assert dump_review(review) == data
    assert "programs" not in dump_review(parse_review(review_json))["areas"][0]["initiatives"][0]["rows"][0]
    data["areas"][0]["initiatives"][0]["rows"][0]["programs"] = ["Ⅰ-1", "Ⅰ-1"]
    with pytest.raises(InputError, match=r"rows\[0\]\.programs\[1\]: 「Ⅰ-1」が2回あります"):
        parse_review(data, "r.json")
    data["areas"][0]["initiatives"][0]["rows"][0]["programs"] = "Ⅰ-1"
    with pytest.raises(InputError, match="配列"):
        parse_review(data, "r.json")
