"""The checker's rules for the 振り返り: pure functions from a Review (and its year's budget) to findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from asahi_desk.domain.checks import ERROR, MIN_DUPLICATE_TEXT, WARNING, Finding, Location, norm_text
from asahi_desk.domain.entities import Budget, Review, ReviewArea, ReviewInitiative, ReviewRow
from asahi_desk.domain.fiscal import fiscal_year_label, fiscal_year_of
from asahi_desk.domain.review import find_program, row_label


def check_review(review: Review, budget: Budget | None, today: dt.date) -> list[Finding]:
    """budget: the review's year's budget when the database has it (links are checked against it)."""
    findings = [*_check_rows(review, budget, today), *_check_copied_results(review)]
    return sorted(findings, key=lambda f: 0 if f.severity == ERROR else 1)


def review_location(review: Review, area: ReviewArea, ini: ReviewInitiative, row: ReviewRow,
                    field: str) -> Location:
    return Location(review.fiscal_year, f"振り返り {area.number} {area.name}", ini.title, row_label(row), field,
                    review_row_id=row.id)


def _check_rows(review: Review, budget: Budget | None, today: dt.date) -> Iterator[Finding]:
    ended = fiscal_year_of(today) > review.fiscal_year
    programs = [(p.uid or "", p.code, p.name) for p in budget.programs()] if budget is not None else []
    uids = {uid for uid, _c, _n in programs}
    for area, ini, row in review.rows():
        if ended and not any(r.strip() for r in row.results):
            yield Finding(WARNING, "REVIEW_NO_RESULTS", "振り返りが入力されていません（年度は終了しています）",
                          review_location(review, area, ini, row, "振り返り"))
        if budget is None:
            continue
        for link in row.programs:
            # a link written while the year had no budget has no uid yet: its label must name a program
            if (link.uid not in uids) if link.uid else find_program(link.label, programs) is None:
                yield Finding(ERROR, "REVIEW_LINK_MISSING",
                              f"関連事業「{link.label}」は{fiscal_year_label(review.fiscal_year)}の予算にありません"
                              "（削除された事業です）", review_location(review, area, ini, row, "関連事業"))


def _check_copied_results(review: Review) -> Iterator[Finding]:
    """A 振り返り bullet word for word in another row: almost always pasted into the wrong row."""
    first_seen: dict[str, ReviewRow] = {}
    for area, ini, row in review.rows():
        for text in row.results:
            key = norm_text(text)
            if len(key) < MIN_DUPLICATE_TEXT:
                continue
            other = first_seen.setdefault(key, row)
            if other is not row:
                yield Finding(ERROR, "REVIEW_DUPLICATE_RESULT",
                              f"振り返りが「{row_label(other)}」の行と同一です（別の行からの貼り付け誤りの可能性）: "
                              f"「{text[:30]}…」", review_location(review, area, ini, row, "振り返り"))
