"""The consistency checker's rules: pure functions from a Budget to findings.

Each finding names where it is (fiscal year / category / program / line item / field) so the CLI
can print it and the GUI can jump to it. Severity 'error' means the document would print something
wrong; 'warning' means something a clerk should look at before printing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from asahi_desk.domain import money
from asahi_desk.domain.achievement import achievement
from asahi_desk.domain.entities import Budget, Category, LineItem, Program
from asahi_desk.domain.fiscal import fiscal_year_label, fiscal_year_of
from asahi_desk.domain.rules import match_figure, summary_figures

ERROR, WARNING = "error", "warning"
# Shorter texts ("（通年）", "同上") legitimately repeat; a pasted paragraph does not.
MIN_DUPLICATE_TEXT = 20


@dataclass(frozen=True)
class Location:
    fiscal_year: int
    category: str | None = None
    program: str | None = None
    line_item: str | None = None
    field: str | None = None
    category_id: int | None = None
    program_id: int | None = None
    line_item_id: int | None = None
    review_row_id: int | None = None  # a finding of the 振り返り: the row it is about

    def describe(self) -> str:
        parts = [fiscal_year_label(self.fiscal_year)]
        parts += [p for p in (self.category, self.program, self.line_item) if p]
        text = " / ".join(parts)
        return f"{text} [{self.field}]" if self.field else text


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    location: Location

    def line(self) -> str:
        """One line, tab-separated: line breaks and tabs in quoted user text become spaces."""
        label = "エラー" if self.severity == ERROR else "警告"
        return f"{label}\t{self.code}\t{_one_line(self.location.describe())}\t{_one_line(self.message)}"


def _one_line(text: str) -> str:
    return re.sub(r"[\t\r\n\v\f\u2028\u2029]+", " ", text)


def _loc(budget: Budget, cat: Category | None = None, prog: Program | None = None,
         item: LineItem | None = None, field: str | None = None) -> Location:
    return Location(
        budget.fiscal_year,
        cat.label if cat else None,
        prog.label if prog else None,
        f"{item.number} {item.name}" if item else None,
        field,
        cat.id if cat else None,
        prog.id if prog else None,
        item.id if item else None,
    )


def _fmt(v: int) -> str:
    return money.format_amount(v)


def check_budget(budget: Budget, prior_budget: Budget | None = None, today: dt.date | None = None) -> list[Finding]:
    """All findings for one fiscal year, errors first, then in document order. today: the day the
    results rules (an ended year needs its indicators' actuals) judge by; None leaves them out."""
    findings = [
        *_check_programs(budget),
        *_check_summary(budget),
        *_check_duplicate_text(budget),
        *_check_duplicate_indicators(budget),
        *_check_results(budget, today),
    ]
    if prior_budget is not None:
        findings.extend(_check_prior_year(budget, prior_budget))
    return sorted(findings, key=lambda f: 0 if f.severity == ERROR else 1)


def _check_programs(budget: Budget) -> Iterator[Finding]:
    for cat in budget.categories:
        bc = budget.budget_class(cat.budget_class)
        for p in cat.programs:
            if not p.name.strip():
                yield Finding(ERROR, "NAME_EMPTY", "事業名が空です", _loc(budget, cat, p, field="事業名"))
            if p.line_items and p.line_items_total != p.current:
                yield Finding(ERROR, "LINE_ITEMS_SUM",
                              f"細事業の合計 {_fmt(p.line_items_total)}千円 が事業の予算額 {_fmt(p.current)}千円 と一致しません",
                              _loc(budget, cat, p, field="予算額"))
            priors = [li.prior for li in p.line_items]
            if p.line_items and all(v is not None for v in priors):
                total = sum(v for v in priors if v is not None)
                if total != p.prior:
                    yield Finding(ERROR, "LINE_ITEMS_PRIOR_SUM",
                                  f"細事業の前年度額の合計 {_fmt(total)}千円 が事業の前年度額 {_fmt(p.prior)}千円 と一致しません",
                                  _loc(budget, cat, p, field="前年度額"))
            if p.printed_change is not None and p.printed_change != p.change:
                yield Finding(ERROR, "CHANGE_MISMATCH",
                              f"記載の増▲減 {_fmt(p.printed_change)}千円 が予算額と前年度額の差 {_fmt(p.change)}千円 と一致しません",
                              _loc(budget, cat, p, field="増▲減"))
            if not p.sections:
                yield Finding(ERROR, "NO_SECTION", "担当課が設定されていません", _loc(budget, cat, p, field="担当課"))
            if bc.indicators_required and not p.indicators:
                yield Finding(WARNING, "NO_INDICATOR", "事業指標がありません", _loc(budget, cat, p, field="事業指標"))
            for ind in p.indicators:
                if not ind.target.strip():
                    yield Finding(WARNING, "INDICATOR_NO_TARGET", f"事業指標「{ind.name}」に目標値がありません",
                                  _loc(budget, cat, p, field="事業指標"))
            numbers = [li.number for li in p.line_items]
            if numbers != list(range(1, len(numbers) + 1)):
                yield Finding(WARNING, "LINE_ITEM_NUMBERS", "細事業の番号が 1 から順になっていません",
                              _loc(budget, cat, p, field="番号"))


def _check_results(budget: Budget, today: dt.date | None) -> Iterator[Finding]:
    """Indicators' 実績: missing once the year has ended; a 達成率 outside 50–200% worth a second look."""
    ended = today is not None and fiscal_year_of(today) > budget.fiscal_year
    for cat in budget.categories:
        for p in cat.programs:
            for ind in p.indicators:
                if ended and not ind.actual.strip():
                    yield Finding(WARNING, "INDICATOR_NO_ACTUAL",
                                  f"事業指標「{ind.name}」の実績が入力されていません（年度は終了しています）",
                                  _loc(budget, cat, p, field="事業指標"))
                a = achievement(ind)
                if a is not None and a.outlier:
                    yield Finding(WARNING, "ACHIEVEMENT_OUTLIER",
                                  f"事業指標「{ind.name}」の達成率 {a.text()}（目標 {ind.target}{ind.unit}、実績 "
                                  f"{ind.actual}{ind.unit}）: 数値に誤りがないか確認してください",
                                  _loc(budget, cat, p, field="事業指標"))


def _check_summary(budget: Budget) -> Iterator[Finding]:
    if not budget.summary:
        return
    figures = summary_figures(budget)
    for row in budget.summary:
        loc = Location(budget.fiscal_year, field=f"総括表「{row.name}」")
        if row.change is not None and row.change != row.current - row.prior:
            yield Finding(ERROR, "SUMMARY_CHANGE",
                          f"総括表の増▲減 {_fmt(row.change)} が {_fmt(row.current)} − {_fmt(row.prior)} と一致しません", loc)
        if row.rate is not None and row.rate != money.change_rate(row.current, row.prior):
            yield Finding(ERROR, "SUMMARY_RATE",
                          f"総括表の増▲減率 {money.format_rate(row.rate)} が計算値 "
                          f"{money.format_rate(money.change_rate(row.current, row.prior))} と一致しません", loc)
        fig = match_figure(row.name, figures)
        if fig is None:
            yield Finding(WARNING, "SUMMARY_UNKNOWN", "総括表の行に対応する区分・事業が見つかりません", loc)
            continue
        for label, printed, computed in (("予算額", row.current, fig.current), ("前年度額", row.prior, fig.prior)):
            if printed != computed:
                yield Finding(ERROR, "SUMMARY_TOTAL",
                              f"総括表の{label} {_fmt(printed)}千円 が事業の積み上げ {_fmt(computed)}千円 と一致しません", loc)


def norm_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_duplicate_text(budget: Budget) -> Iterator[Finding]:
    """Identical purpose or activity text in two places: almost always a paste into the wrong item."""
    first_seen: dict[str, str] = {}
    for cat in budget.categories:
        for p in cat.programs:
            places: list[tuple[str, LineItem | None, str]] = [("目的", None, p.purpose)]
            places += [("活動内容", li, a) for li in p.line_items for a in li.activities]
            for field, item, text in places:
                key = norm_text(text)
                if len(key) < MIN_DUPLICATE_TEXT:
                    continue
                here = f"「{item.name}」" if item else f"「{p.name}」"
                if key in first_seen:
                    yield Finding(ERROR, "DUPLICATE_TEXT",
                                  f"{field}が{first_seen[key]}と同一です（別の項目からの貼り付け誤りの可能性）: "
                                  f"「{text[:30]}…」",
                                  _loc(budget, cat, p, item, field))
                else:
                    first_seen[key] = here


def _check_duplicate_indicators(budget: Budget) -> Iterator[Finding]:
    """The same indicator in programs of different sections is likely copied; one 課 measuring two of its
    programs by a shared indicator (as Ⅱ-8 and Ⅱ-9 do) is deliberate and not reported."""
    seen: dict[str, list[Program]] = {}
    for cat in budget.categories:
        for p in cat.programs:
            for ind in p.indicators:
                earlier = seen.setdefault(norm_text(ind.name), [])
                other = next((o for o in earlier if o is not p and not set(o.sections) & set(p.sections)), None)
                if other is not None:
                    yield Finding(WARNING, "DUPLICATE_INDICATOR",
                                  f"事業指標「{ind.name}」が「{other.label}」と同一です（転記誤りでないか確認してください）",
                                  _loc(budget, cat, p, field="事業指標"))
                if p not in earlier:
                    earlier.append(p)


def _check_prior_year(budget: Budget, prior_budget: Budget) -> Iterator[Finding]:
    """A program's prior amount must be last year's own figure, found by identity, then code+name."""
    by_uid = {p.uid: p for p in prior_budget.programs() if p.uid}
    by_name = {(p.code, p.name): p for p in prior_budget.programs()}
    for cat in budget.categories:
        for p in cat.programs:
            old = by_uid.get(p.uid) if p.uid else None
            old = old or by_name.get((p.code, p.name))
            if old is not None and old.current != p.prior:
                yield _prior_mismatch(p.prior, old.current, prior_budget, _loc(budget, cat, p, field="前年度額"))
            if old is not None:
                yield from _check_line_item_priors(budget, prior_budget, cat, p, old)


def _check_line_item_priors(budget: Budget, prior_budget: Budget, cat: Category, p: Program,
                            old: Program) -> Iterator[Finding]:
    """Line items that carry their own prior (統合事業費) against last year's item of the same name."""
    last_year = {norm_text(li.name): li for li in old.line_items}
    for li in p.line_items:
        before = last_year.get(norm_text(li.name))
        if li.prior is not None and before is not None and before.amount != li.prior:
            yield _prior_mismatch(li.prior, before.amount, prior_budget, _loc(budget, cat, p, li, field="前年度額"))


def _prior_mismatch(stated: int, own: int, prior_budget: Budget, where: Location) -> Finding:
    return Finding(ERROR, "PRIOR_MISMATCH", f"前年度額 {_fmt(stated)}千円 が{fiscal_year_label(prior_budget.fiscal_year)}"
                   f"の予算額 {_fmt(own)}千円 と一致しません", where)
