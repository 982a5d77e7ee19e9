"""Budgets and reviews in and out: JSON interchange, snapshots, the demo data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asahi_desk.domain.collector import paused_collector
from asahi_desk.domain.entities import Budget, Review
from asahi_desk.domain.errors import ConflictError, InputError, NotFoundError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both, fiscal_year_label
from asahi_desk.domain.operations import EDIT, LOAD, WHOLE_YEAR, OpChanges, OpResult, RowChange
from asahi_desk.domain.review import program_label, resolve_links
from asahi_desk.domain.rules import DEFAULT_CLASSES, GRAND_TOTAL_NAME
from asahi_desk.importers import json_format
from asahi_desk.paths import demo_dir
from asahi_desk.services.constants import DEFAULT_WARD
from asahi_desk.services.editing import os_login
from asahi_desk.store import operations
from asahi_desk.store import repository as repo
from asahi_desk.store.models import Ward
from asahi_desk.store.text_guard import StoredValueError
from asahi_desk.store.unit_of_work import SessionFactory, once_more_on_conflict, read_only, unit_of_work

DEMO_FILES = ("asahi-r6-budget.json", "asahi-r4-review.json")


@dataclass(frozen=True)
class Loaded:
    """What a load wrote, for the clerk's confirmation line."""

    kind: str  # "budget" | "review"
    fiscal_year: int
    ward: str
    programs: int = 0
    line_items: int = 0

    def describe(self) -> str:
        if self.kind == "review":
            return f"{self.ward} {fiscal_year_both(self.fiscal_year)}の振り返りを読み込みました"
        return (f"{self.ward} {fiscal_year_both(self.fiscal_year)}の予算を読み込みました"
                f"（事業 {self.programs} 件、細事業 {self.line_items} 件）")


class BudgetService:
    def __init__(self, sessions: SessionFactory, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

    def _journal(self, s: Any, loaded: list[Loaded], label: str) -> tuple[tuple[RowChange, ...], str | None]:
        """One history line per budget year written whole (source load), in the same transaction; returns
        those row changes and the (last) operation id."""
        rows: list[RowChange] = []
        op_id = None
        for year in [x.fiscal_year for x in loaded if x.kind == "budget"]:
            change = operations.year_loaded(s, year, label)
            op_id = operations.journal(s, clerk=self._clerk(), source=LOAD, label=label, fiscal_year=year,
                                       changes=[change]) or op_id
            rows.append(change)
        return tuple(rows), op_id

    # ---- queries
    def fiscal_years(self) -> list[int]:
        with read_only(self._sessions) as s:
            return repo.fiscal_years(s)

    def get(self, year: int) -> Budget:
        with read_only(self._sessions) as s:
            return repo.load_budget(s, repo.get_fiscal_year(s, check_fiscal_year(year)))

    def find(self, year: int) -> Budget | None:
        with read_only(self._sessions) as s:
            fy = repo.find_fiscal_year(s, year)
            return repo.load_budget(s, fy) if fy else None

    def sections(self) -> list[str]:
        with read_only(self._sessions) as s:
            return repo.all_sections(s)

    def review_years(self) -> list[int]:
        with read_only(self._sessions) as s:
            return repo.review_years(s)

    def get_review(self, year: int) -> Review:
        with read_only(self._sessions) as s:
            row = repo.find_review(s, year)
            if row is None:
                raise NotFoundError(f"{fiscal_year_both(year)}の振り返りがありません")
            programs = repo.year_programs(s, year) or []
            return repo.load_review(row, {uid: program_label(code, name) for uid, code, name in programs})

    # ---- JSON interchange
    @paused_collector()
    def load_json_file(self, path: Path, *, replace: bool = False) -> OpResult[Loaded]:
        data = json_format.read_json_file(path)
        return self.load_data(data, str(path), replace=replace)

    def load_data(self, data: Any, source: str = "JSON", *, replace: bool = False) -> OpResult[Loaded]:
        """Validate everything first, then write it in one transaction."""
        def work() -> OpResult[Loaded]:
            with unit_of_work(self._sessions) as s:
                loaded = _load(s, data, source, replace=replace)
                rows, op_id = self._journal(s, [loaded], f"読込（{Path(source).name}）")
                return _loaded_result(loaded, [loaded], rows, op_id)

        try:
            return once_more_on_conflict(work)
        except StoredValueError as e:  # a text or number the schema does not take: name the file too
            raise InputError(e.detail, f"{source}: {e.where}") from None

    def add_budget(self, budget: Budget, *, replace: bool = False) -> OpResult[Loaded]:
        with unit_of_work(self._sessions) as s:
            loaded = _add_budget(s, budget, replace=replace)
            rows, op_id = self._journal(s, [loaded], "読込")
            return _loaded_result(loaded, [loaded], rows, op_id)

    def add_review(self, review: Review, *, replace: bool = False) -> OpResult[Loaded]:
        with unit_of_work(self._sessions) as s:
            loaded = _add_review(s, review, replace=replace)
            return _loaded_result(loaded, [loaded], (), None)

    def dump(self, year: int, *, with_ids: bool = False) -> dict[str, Any]:
        return json_format.dump_budget(self.get(year), with_ids=with_ids)

    def dump_review(self, year: int) -> dict[str, Any]:
        return json_format.dump_review(self.get_review(year))

    # ---- whole fiscal years
    def ward(self) -> str:
        """The ward the database keeps (its newest year's), or DEFAULT_WARD for an empty database."""
        with read_only(self._sessions) as s:
            known = repo.latest_ward(s)
        return known[0] if known is not None else DEFAULT_WARD

    def create_empty_year(self, year: int, ward: str = DEFAULT_WARD) -> OpResult[Loaded]:
        """A fiscal year with the usual budget classes and no categories (the clerk adds them), in one
        transaction; refused when the year exists (ConflictError)."""
        year = _valid_year(year)
        ward = (ward or "").strip()
        if not ward:
            raise InputError("区名を入力してください", "区名")
        if len(ward) > Ward.name.type.length:
            raise InputError(f"区名が長すぎます（{Ward.name.type.length}文字まで）", "区名")
        budget = Budget(ward=ward, fiscal_year=year, budget_classes=tuple(DEFAULT_CLASSES.values()),
                        title=f"{fiscal_year_label(year, fullwidth=True)} {ward}{GRAND_TOTAL_NAME}の執行計画")
        def work() -> OpResult[Loaded]:
            with unit_of_work(self._sessions) as s:
                if repo.find_fiscal_year(s, year) is not None:
                    raise ConflictError(f"{fiscal_year_both(year)}のデータは既にあります")
                repo.add_budget(s, budget)
                loaded = Loaded("budget", year, ward)
                rows, op_id = self._journal(s, [loaded], "空の年度を作成")
                return _loaded_result(loaded, [loaded], rows, op_id)

        return once_more_on_conflict(work)

    def delete_year(self, year: int) -> OpResult[int]:
        """The fiscal year and everything under it (budget classes, categories, programs, line items,
        indicators, the printed 総括表, meetings) in one transaction. Its value: how many programs went."""
        year = _valid_year(year)
        with unit_of_work(self._sessions) as s:
            fy = repo.get_fiscal_year(s, year)
            gone = operations.year_deleted(s, year, fy.title)  # named before it goes
            programs = repo.delete_fiscal_year(s, fy)
            op_id = operations.journal(s, clerk=self._clerk(), source=EDIT, label="年度を削除", fiscal_year=year,
                                       changes=[gone])
            return OpResult(programs, WHOLE_YEAR, (gone,), None, op_id)

    def load_demo(self) -> OpResult[list[Loaded]]:
        """The 旭区 令和6年度 budget with its meeting, and the 令和4年度 review: both or neither."""
        files = [(str(demo_dir() / name), json_format.read_json_file(demo_dir() / name)) for name in DEMO_FILES]
        with unit_of_work(self._sessions) as s:
            loaded = [_load(s, data, source) for source, data in files]
            rows, op_id = self._journal(s, loaded, "デモデータを読込")
            return _loaded_result(loaded, loaded, rows, op_id)


def _loaded_result(value: Any, loaded: list[Loaded], rows: tuple[RowChange, ...],
                   op_id: str | None) -> OpResult[Any]:
    """A whole-year write's result: no per-row changes (the history holds one line per year), the flags of
    the kinds written, no undo (the GUI offers none for a load)."""
    changes = OpChanges()
    if any(x.kind == "budget" for x in loaded):
        changes = changes.merged(WHOLE_YEAR)
    if any(x.kind == "review" for x in loaded):
        changes = changes.merged(OpChanges(reviews=True))
    return OpResult(value, changes, rows, None, op_id)


def _valid_year(year: int) -> int:
    try:
        return check_fiscal_year(year)
    except ValueError as e:
        raise InputError(str(e), "年度") from None


def _load(s: Any, data: Any, source: str, *, replace: bool = False) -> Loaded:
    kind = json_format.detect_format(data, source)
    if kind == json_format.REVIEW_FORMAT:
        return _add_review(s, json_format.parse_review(data, source), replace=replace, source=source)
    return _add_budget(s, json_format.parse_budget(data, source), replace=replace)


def _make_room(s: Any, existing: object | None, replace: bool, what: str) -> None:
    """The same year's data already there: refused, or removed first when replacing."""
    if existing is None:
        return
    if not replace:
        raise ConflictError(f"{what}は既にあります（置き換えるには --replace を指定してください）")
    s.delete(existing)
    s.flush()


def _add_budget(s: Any, budget: Budget, *, replace: bool = False) -> Loaded:
    _make_room(s, repo.find_fiscal_year(s, budget.fiscal_year), replace, f"{fiscal_year_both(budget.fiscal_year)}のデータ")
    repo.add_budget(s, budget)
    return Loaded("budget", budget.fiscal_year, budget.ward, len(budget.programs()),
                  sum(len(p.line_items) for p in budget.programs()))


def _add_review(s: Any, review: Review, *, replace: bool = False, source: str = "振り返り") -> Loaded:
    _make_room(s, repo.find_review(s, review.fiscal_year), replace, f"{fiscal_year_both(review.fiscal_year)}の振り返り")
    # Links name programs of the review's year: checked when that budget is here, kept as written otherwise.
    programs = repo.year_programs(s, review.fiscal_year)
    if programs is not None:
        review = resolve_links(review, programs, source)
    repo.add_review(s, review)
    return Loaded("review", review.fiscal_year, review.ward)
