"""Every checker rule: it fires on a planted error and stays silent on clean data."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from asahi_desk.domain.checks import ERROR, WARNING, check_budget
from asahi_desk.domain.entities import Budget, Indicator, LineItem, Program
from asahi_desk.importers.json_format import parse_budget


@pytest.fixture
def seed(budget_json: dict) -> Budget:
    return parse_budget(budget_json)


def with_program(budget: Budget, code: str | None, **changes: object) -> Budget:
    cats = []
    for c in budget.categories:
        progs = tuple(dataclasses.replace(p, **changes) if p.code == code else p
                      for p in c.programs)
        cats.append(dataclasses.replace(c, programs=progs))
    return dataclasses.replace(budget, categories=tuple(cats))


def program(budget: Budget, code: str) -> Program:
    return next(p for p in budget.programs() if p.code == code)


def codes(findings: list, severity: str | None = None) -> list[str]:
    return [f.code for f in findings if severity is None or f.severity == severity]


def clean(budget: Budget) -> Budget:
    """The seed with its four pasted texts repaired."""
    p = program(budget, "Ⅴ-1")
    items = tuple(dataclasses.replace(li, activities=(f"{li.name}の独自の活動内容をここに記載します。",))
                  for li in p.line_items)
    return with_program(budget, "Ⅴ-1", line_items=items)


def test_seed_reports_exactly_the_printed_errors(seed: Budget) -> None:
    findings = check_budget(seed)
    errors = [f for f in findings if f.severity == ERROR]
    assert codes(errors) == ["DUPLICATE_TEXT"] * 4
    assert [f.location.line_item for f in errors] == [
        "6 スポーツ推進委員支援費", "7 青少年指導員事業", "8 学校・家庭・地域連携事業", "9 健康づくり月間"]
    assert "広報よこはまあさひ区版発行事業" in errors[0].message
    # Ⅱ-8 and Ⅱ-9 share an indicator, both こども家庭支援課's: deliberate, so nothing else is reported.
    assert codes(findings, WARNING) == []


def test_indicator_copied_to_another_sections_program(seed: Budget) -> None:
    base = clean(seed)
    shared = program(base, "Ⅱ-8").indicators[0]
    other = program(base, "Ⅰ-2")  # 地域振興課
    findings = check_budget(with_program(base, "Ⅰ-2", indicators=other.indicators + (shared,)))
    # Ⅰ-2 comes first in the document: Ⅱ-8 and Ⅱ-9 are each reported against it.
    assert codes(findings) == ["DUPLICATE_INDICATOR"] * 2
    assert [f.location.program.split()[0] for f in findings] == ["Ⅱ-8", "Ⅱ-9"]
    assert all("Ⅰ-2" in f.message for f in findings)
    # The same indicator within one section's programs stays silent.
    assert program(base, "Ⅱ-9").indicators[0] == shared and check_budget(base) == []


def test_empty_program_name(seed: Budget) -> None:
    findings = check_budget(with_program(clean(seed), "Ⅰ-3", name="　"))
    assert codes(findings) == ["NAME_EMPTY"]
    assert findings[0].location.field == "事業名"


def test_clean_budget_has_no_findings(seed: Budget) -> None:
    assert check_budget(clean(seed)) == []


def test_line_items_not_summing(seed: Budget) -> None:
    p = program(seed, "Ⅰ-1")
    items = (dataclasses.replace(p.line_items[0], amount=p.line_items[0].amount + 1),) + p.line_items[1:]
    findings = check_budget(with_program(clean(seed), "Ⅰ-1", line_items=items))
    assert codes(findings) == ["LINE_ITEMS_SUM"]
    assert findings[0].location.program_id is None and findings[0].location.field == "予算額"
    assert "11,923" in findings[0].message and "11,922" in findings[0].message


def test_line_item_priors_not_summing(seed: Budget) -> None:
    p = program(seed, "Ⅴ-1")
    items = (dataclasses.replace(p.line_items[0], prior=1),) + p.line_items[1:]
    base = clean(seed)
    items = tuple(dataclasses.replace(a, prior=b.prior) for a, b in zip(program(base, "Ⅴ-1").line_items, items, strict=True))
    assert codes(check_budget(with_program(base, "Ⅴ-1", line_items=items))) == ["LINE_ITEMS_PRIOR_SUM"]


def test_printed_change_disagreeing(seed: Budget) -> None:
    assert codes(check_budget(with_program(clean(seed), "Ⅰ-2", printed_change=-100))) == ["CHANGE_MISMATCH"]
    assert check_budget(with_program(clean(seed), "Ⅰ-2", printed_change=None)) == []


def test_summary_total_change_and_rate(seed: Budget) -> None:
    base = clean(seed)
    assert base.summary is not None
    rows = list(base.summary)
    rows[1] = dataclasses.replace(rows[1], current=rows[1].current + 1000)  # 自主企画事業費 misprinted
    findings = check_budget(dataclasses.replace(base, summary=tuple(rows)))
    assert sorted(codes(findings)) == ["SUMMARY_CHANGE", "SUMMARY_RATE", "SUMMARY_TOTAL"]
    rows = list(base.summary)
    rows[6] = dataclasses.replace(rows[6], rate=Decimal("-33.8"))
    assert codes(check_budget(dataclasses.replace(base, summary=tuple(rows)))) == ["SUMMARY_RATE"]


def test_program_not_adding_up_to_class_shows_in_summary(seed: Budget) -> None:
    base = clean(seed)
    p = program(base, "Ⅳ-1")
    items = (dataclasses.replace(p.line_items[0], amount=p.line_items[0].amount + 5),) + p.line_items[1:]
    changed = with_program(base, "Ⅳ-1", current=p.current + 5, line_items=items, printed_change=None)
    findings = check_budget(changed)
    assert {f.location.field for f in findings} == {"総括表「個性ある区づくり推進費」", "総括表「自主企画事業費」"}
    assert set(codes(findings)) == {"SUMMARY_TOTAL"}


def test_unknown_summary_row_is_a_warning(seed: Budget) -> None:
    base = clean(seed)
    assert base.summary is not None
    extra = dataclasses.replace(base.summary[0], name="存在しない区分", change=None, rate=None)
    findings = check_budget(dataclasses.replace(base, summary=base.summary + (extra,)))
    assert [(f.severity, f.code) for f in findings] == [(WARNING, "SUMMARY_UNKNOWN")]


def test_duplicate_purpose_between_programs(seed: Budget) -> None:
    base = clean(seed)
    findings = check_budget(with_program(base, "Ⅰ-3", purpose=program(base, "Ⅰ-2").purpose))
    assert codes(findings) == ["DUPLICATE_TEXT"]
    assert findings[0].location.field == "目的" and "地域安全安心普及推進事業" in findings[0].message


def test_short_repeated_text_is_not_a_paste(seed: Budget) -> None:
    base = clean(seed)
    p = program(base, "Ⅰ-3")
    items = (dataclasses.replace(p.line_items[0], activities=p.line_items[0].activities + ("（通年）",)),)
    q = program(base, "Ⅰ-4")
    items_q = (dataclasses.replace(q.line_items[0], activities=("（通年）",)),) + q.line_items[1:]
    assert check_budget(with_program(with_program(base, "Ⅰ-3", line_items=items), "Ⅰ-4", line_items=items_q)) == []


def test_program_without_section_or_indicator(seed: Budget) -> None:
    base = clean(seed)
    assert codes(check_budget(with_program(base, "Ⅰ-1", sections=()))) == ["NO_SECTION"]
    assert codes(check_budget(with_program(base, "Ⅰ-1", indicators=()))) == ["NO_INDICATOR"]
    # 統合事業費 and 区庁舎 print no indicators: their classes do not require them.
    assert codes(check_budget(with_program(base, "Ⅴ-1", indicators=()))) == []


def test_indicator_without_target_and_line_item_numbering(seed: Budget) -> None:
    base = clean(seed)
    p = program(base, "Ⅱ-2")
    findings = check_budget(with_program(base, "Ⅱ-2", indicators=(Indicator(p.indicators[0].name, ""),)))
    assert codes(findings) == ["INDICATOR_NO_TARGET"]
    items = tuple(dataclasses.replace(li, number=li.number + 1) for li in p.line_items)
    assert codes(check_budget(with_program(base, "Ⅱ-2", line_items=items))) == ["LINE_ITEM_NUMBERS"]


def year_before(budget: Budget) -> Budget:
    """A prior year whose own figures are exactly this year's prior amounts."""
    cats = tuple(dataclasses.replace(c, programs=tuple(
        dataclasses.replace(p, current=p.prior, prior=0, line_items=(), printed_change=None) for p in c.programs))
        for c in budget.categories)
    return dataclasses.replace(budget, fiscal_year=budget.fiscal_year - 1, categories=cats, summary=None)


def test_prior_year_disagreeing_with_its_own_figure(seed: Budget) -> None:
    base = clean(seed)
    prior_year = year_before(base)
    assert check_budget(base, prior_year) == []
    wrong = with_program(prior_year, "Ⅰ-1", current=12000, line_items=(LineItem(1, "x", 12000),))
    findings = check_budget(base, wrong)
    assert codes(findings) == ["PRIOR_MISMATCH"]
    assert "令和5年度" in findings[0].message and "12,000" in findings[0].message


def test_prior_year_found_by_identity_even_when_renamed(seed: Budget) -> None:
    base = with_program(clean(seed), "Ⅰ-1", uid="abc")
    old = with_program(year_before(base), "Ⅰ-1", name="旧名称", current=1)
    assert codes(check_budget(base, old)) == ["PRIOR_MISMATCH"]


def test_line_item_prior_disagreeing_with_last_years_item(seed: Budget) -> None:
    """統合事業費's items carry their own prior; each is compared with last year's item of that name."""
    base = clean(seed)
    prior_year = year_before(base)
    v1 = program(base, "Ⅴ-1")
    last = tuple(LineItem(li.number, li.name, li.prior or 0) for li in v1.line_items)
    assert check_budget(base, with_program(prior_year, "Ⅴ-1", line_items=last)) == []
    changed = (dataclasses.replace(last[0], amount=last[0].amount + 1),) + last[1:]
    findings = check_budget(base, with_program(prior_year, "Ⅴ-1", line_items=changed))
    assert codes(findings) == ["PRIOR_MISMATCH"]
    assert findings[0].location.line_item == f"1 {v1.line_items[0].name}"


def test_finding_with_multi_line_text_is_still_one_line(seed: Budget) -> None:
    text = "一行目の目的の文章がここにあります。\n二行目\tタブ"
    budget = with_program(with_program(clean(seed), "Ⅰ-1", purpose=text), "Ⅰ-2", purpose=text)
    lines = [f.line() for f in check_budget(budget)]
    assert len(lines) == 1 and "\n" not in lines[0] and lines[0].count("\t") == 3


def test_finding_line_is_one_tab_separated_line(seed: Budget) -> None:
    line = check_budget(seed)[0].line()
    assert "\n" not in line
    assert line.split("\t")[:2] == ["エラー", "DUPLICATE_TEXT"]
    assert line.split("\t")[2].startswith("令和6年度 / Ⅴ 統合事務事業費 / Ⅴ-1 統合事業費")
