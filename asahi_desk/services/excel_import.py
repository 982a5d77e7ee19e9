"""Prior-year Excel import: inspect a workbook, preview the matched rows, then write in one transaction.

The import fills the prior amounts (前年度額) of fiscal year YYYY from a workbook of year YYYY-1 (or
any workbook with a YYYY-1 column); with `create_prior` it also creates the YYYY-1 tree from the rows.
A workbook written by Excel export carries detail sheets: `restore()` rebuilds that year in full.
Nothing is written while a problem or an undecided row remains.

First start on an empty database (issue 6.4): the clerk has last year's workbook and wants to start
this year. YYYY does not exist yet, so there is nothing to match; with `create_prior` the import
creates YYYY-1 from the sheet (the year of the amount column: its categories with their budget
classes, programs with their printed No., 課名 and amounts; the prior amounts of YYYY-1 from a YYYY-2
column when the sheet has one) and then YYYY by the ordinary rollover (新年度作成), whose prior
amounts are YYYY-1's amounts and whose amounts start from YYYY's column when the sheet has one, else
equal to YYYY-1's. Both years are written in the same transaction. This reuses the two operations the
app already has instead of a third way to make a year, and the result is what the clerk would get by
importing YYYY-1 and pressing 新年度作成. Without `create_prior` a missing YYYY is an error that says so.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asahi_desk.domain.collector import paused_collector
from asahi_desk.domain.entities import Budget, Category, Program, copied
from asahi_desk.domain.errors import AsahiError, ConflictError, InputError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both, fiscal_year_label
from asahi_desk.domain.operations import IMPORT, WHOLE_YEAR, OpChanges, OpResult, changes_of
from asahi_desk.domain.rules import DEFAULT_CLASSES, default_class
from asahi_desk.importers import json_format
from asahi_desk.importers.excel import details
from asahi_desk.importers.excel.cells import (
    UNIT_FACTORS,
    column_letter,
    place,
    squeeze,
    text_of,
    year_of_label,
)
from asahi_desk.importers.excel.headers import (
    FIELDS,
    HEADER_SCAN_ROWS,
    SAMPLE_ROWS,
    Header,
    Mapping,
    check_years,
    find_header,
    propose_mapping,
    score_row,
    signature,
)
from asahi_desk.importers.excel.layout import parse_rows
from asahi_desk.importers.excel.matching import (
    CONFLICTING,
    MATCHED,
    NEW,
    SKIPPED,
    UNMATCHED,
    PreviewRow,
    Target,
    decide,
    loose_name,
    match,
)
from asahi_desk.importers.excel.records import Problem, Record
from asahi_desk.importers.excel.totals import TotalCheck
from asahi_desk.importers.excel.workbook import Row, SheetInfo, Workbook, open_workbook
from asahi_desk.services import excel_import_plan as plans
from asahi_desk.services.editing import os_login
from asahi_desk.services.excel_import_plan import RESTORE, ImportPlan, WorkbookYears
from asahi_desk.services.rollover import next_year_budget
from asahi_desk.store import import_mappings, import_targets, operations
from asahi_desk.store import repository as repo
from asahi_desk.store.text_guard import StoredValueError
from asahi_desk.store.unit_of_work import SessionFactory, read_only, unit_of_work

Progress = Callable[[int], None]  # rows read so far; raise to cancel
PROGRESS_EVERY = 500
DEFAULT_CLASS = "自主企画事業費"
# An export's detail sheets restore a whole year; the prior-year import reads its 事業別一覧表.
DETAIL_SHEETS = (details.PROGRAMS_SHEET, details.ITEMS_SHEET, details.INDICATORS_SHEET, details.RELATED_SHEET,
                 details.INFO_SHEET)


@dataclass(frozen=True)
class SheetSummary:
    info: SheetInfo
    score: int  # how much the sheet looks like a budget table (0: not at all)
    header_row: int | None
    years: tuple[int, ...] = ()  # the years its amount columns' labels name


@dataclass(frozen=True)
class WorkbookSummary:
    path: Path
    sheets: tuple[SheetSummary, ...]
    suggested: str | None
    detail_year: int | None  # the year whose full tree the detail sheets carry (Excel export)

    def years(self) -> WorkbookYears:
        """The year labels of its budget tables (not of the detail sheets) and of its detail sheets."""
        tables = [s for s in self.sheets if s.score and s.info.name not in DETAIL_SHEETS]
        return WorkbookYears(frozenset(y for s in tables for y in s.years), self.detail_year, bool(tables))


@dataclass(frozen=True)
class RestorePreview:
    """What a restore will create: the year rebuilt from the detail sheets (and the next by rollover)."""

    plan: ImportPlan
    budget: Budget  # the restored year, as the detail sheets hold it
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ImportPreview:
    """Everything the clerk sees before confirming; plain data, no database objects."""

    path: Path
    sheet: str
    fiscal_year: int  # the year whose prior amounts are filled
    header: Header
    mapping: Mapping
    signature: str
    remembered: bool
    rows: tuple[PreviewRow, ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    targets: tuple[Target, ...]
    skipped_rows: int
    target_exists: bool = True  # False: YYYY is created (from YYYY-1, made from the sheet) by apply(create_prior=True)
    totals: tuple[TotalCheck, ...] = ()  # the sheet's 合計 rows checked against the rows read
    read_total: int = 0  # the sum of the amounts read (千円)

    def total_mismatches(self) -> list[TotalCheck]:
        return [t for t in self.totals if not t.ok]

    def total_lines(self) -> list[str]:
        """The sheet's totals against the sum read, for the clerk (preview and CLI)."""
        lines = [f"読んだ金額の合計 {self.read_total:,}千円（{sum(1 for r in self.rows if r.record)} 行）"]
        lines += [t.line(self.sheet) for t in self.totals]
        if not self.totals:
            lines.append("シートに合計行がないため、合計との照合はしていません")
        return lines

    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.rows)

    def undecided(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.needs_decision]

    def problem_lines(self) -> list[str]:
        return [p.line() for p in self.problems]


@dataclass(frozen=True)
class ImportResult:
    fiscal_year: int
    filled: int = 0
    created_year: int | None = None
    restored: bool = False
    dry_run: bool = False
    rolled_over: bool = False  # the target year was made by rollover from the created prior year

    def describe(self) -> str:
        head = "（試行: 書き込みはしていません）" if self.dry_run else ""
        if self.rolled_over and self.created_year is not None:
            source = " Excel の詳細シートから復元" if self.restored else " Excel から作成"
            return (f"{head}{fiscal_year_both(self.created_year)}を{source}し、"
                    f"{fiscal_year_both(self.fiscal_year)}を繰り越しで作成しました")
        return self._describe(head)

    def _describe(self, head: str) -> str:
        if self.restored:
            return f"{head}{fiscal_year_both(self.fiscal_year)}を Excel の詳細シートから復元しました"
        text = f"{head}{fiscal_year_both(self.fiscal_year)}の前年度額を {self.filled} 事業に取り込みました"
        if self.created_year is not None:
            text += f"。{fiscal_year_both(self.created_year)}の事業を作成しました"
        return text


class ImportProblems(InputError):
    """Cells the import cannot accept; `lines` names each (sheet, row, column)."""

    def __init__(self, lines: list[str], where: str) -> None:
        self.lines = lines
        # the final line of a refusal names the first place itself: a count alone sends the clerk searching
        others = f" ほか {len(lines) - 1} 件" if len(lines) > 1 else ""
        super().__init__(f"{lines[0]}{others}（何も書き込んでいません）" if lines else
                         "取り込めない値があります（何も書き込んでいません）", where)


class DecisionNeeded(AsahiError):
    """Rows that match no program or several: the clerk must choose (the CLI exits 1)."""

    def __init__(self, rows: list[PreviewRow], sheet: str) -> None:
        self.rows = rows
        self.lines = [r.line(sheet) for r in rows]
        super().__init__(f"対応する事業を決められない行が {len(rows)} 行あります（何も書き込んでいません）")


class TotalMismatch(AsahiError):
    """The sheet's 合計 disagrees with the rows read: a row may have been missed (the CLI exits 1)."""

    def __init__(self, checks: list[TotalCheck], sheet: str) -> None:
        self.lines = [t.line(sheet) for t in checks]
        super().__init__(f"シートの合計と読んだ行の合計が {len(checks)} か所で合いません（何も書き込んでいません）")


class _DryRun(Exception):
    """Raised inside the transaction to roll back a dry run after every check has run."""


def _counted(rows: Iterator[tuple[int, Row]], progress: Progress | None) -> Iterator[tuple[int, Row]]:
    for number, values in rows:
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)
        yield number, values


class ExcelImportService:
    def __init__(self, sessions: SessionFactory, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

    # ---- reading
    def inspect(self, path: Path, fiscal_year: int | None = None) -> WorkbookSummary:
        """The sheets, how much each looks like a budget table, and the suggested one (with
        `fiscal_year`, the one holding that year's prior-year column: see _rank)."""
        path = Path(path)
        with open_workbook(path) as wb:
            sheets, suggested = self._rank(wb, fiscal_year)
            detail_year = details.detail_year(wb) if details.has_details(wb) else None
        return WorkbookSummary(path, tuple(sheets), suggested, detail_year)

    def _rank(self, wb: Workbook, fiscal_year: int | None) -> tuple[list[SheetSummary], str | None]:
        """Each sheet's score, and the suggested sheet: one with a column for fiscal_year - 1 first;
        among those, one whose newest amount column (or name, or title) is that year (令和５年度 rather
        than 令和６年度 for 2024's prior amounts); then the best-looking table."""
        skip = DETAIL_SHEETS if details.has_details(wb) else ()
        sheets: list[SheetSummary] = []
        best: tuple[tuple[int, int, int], str] | None = None
        for info in wb.sheets():
            header = find_header(wb.rows(info.name, limit=HEADER_SCAN_ROWS + SAMPLE_ROWS)) if info.visible else None
            score = score_of(header)
            sheets.append(SheetSummary(info, score, header.row if header and score else None,
                                       tuple(sorted(header.amount_years())) if header and score else ()))
            if not score or info.name in skip or header is None:
                continue
            key = (0, 0, score)
            if fiscal_year is not None:
                wanted = fiscal_year - 1
                years = header.amount_years()
                own = {max(years, default=None), year_of_label(info.name), year_of_label(header.title)}
                key = (int(wanted in years), int(wanted in own), score)
            if best is None or key > best[0]:
                best = (key, info.name)
        return sheets, best[1] if best else None

    def header(self, path: Path, sheet: str, header_row: int | None = None) -> Header:
        """The header of a sheet (found, or the row the clerk chose)."""
        with open_workbook(Path(path)) as wb:
            return self._header(wb, sheet, header_row)

    def _header(self, wb: Workbook, sheet: str, header_row: int | None) -> Header:
        if header_row is None:
            found = find_header(wb.rows(sheet, limit=HEADER_SCAN_ROWS + SAMPLE_ROWS))
            if found is None:
                raise InputError(f"「{sheet}」シートに見出し行（事業名・金額など）が見つかりません", str(wb.path))
            return _known_unit(found, wb.path)
        rows = [values for _number, values in wb.rows(sheet, limit=header_row + SAMPLE_ROWS)]
        if len(rows) < header_row:
            raise InputError(f"「{sheet}」シートに {header_row} 行目がありません", str(wb.path))
        auto = find_header(enumerate(rows[:header_row], start=1))
        unit, unit_from = (auto.unit, auto.unit_from) if auto is not None else ("千円", "")
        title = next((text_of(v) for values in rows[: header_row - 1] for v in values if isinstance(v, str) and v.strip()), "")
        return _known_unit(Header(header_row, tuple(text_of(v) for v in rows[header_row - 1]), unit, unit_from,
                                  tuple(rows[header_row:]), title), wb.path)

    def remembered(self, header: Header) -> Mapping | None:
        with read_only(self._sessions) as s:
            data = import_mappings.find_mapping(s, signature(header))
        if data is None:
            return None
        mapping = Mapping.from_json(data)
        mapping.header_row = header.row
        return mapping

    def propose(self, header: Header, fiscal_year: int) -> tuple[Mapping, list[str], bool]:
        """The remembered mapping for this kind of header, else one proposed from its labels.

        A remembered mapping was confirmed for some year: its amount columns are checked against the
        years in this header's labels and moved to the columns of the right years (a workbook imported
        into 2025 and later into 2024 reads ５年度予算, not ６年度予算 again); when the right year has no
        column, the proposal from the labels is used instead, with its note."""
        remembered = self.remembered(header)
        if remembered is not None:
            notes = check_years(remembered, header, fiscal_year, repoint=True)
            if remembered.col("amount") is not None:
                return remembered, notes, True
        mapping, notes = propose_mapping(header, fiscal_year)
        return mapping, notes, False

    def targets(self, fiscal_year: int) -> list[Target]:
        """The programs of the year (none when the year does not exist yet: see the module docstring)."""
        with read_only(self._sessions) as s:
            fy = repo.find_fiscal_year(s, check_fiscal_year(fiscal_year))
            keys = import_targets.program_keys(s, fy.id) if fy is not None else []
        return [Target(uid, code, name, f"{cat_code} {cat_name}" if cat_code else cat_name, cur, prior)
                for uid, code, name, cat_code, cat_name, cur, prior in keys]

    @paused_collector()
    def preview(self, path: Path, fiscal_year: int, *, sheet: str | None = None, mapping: Mapping | None = None,
                header_row: int | None = None, progress: Progress | None = None) -> ImportPreview:
        """Read and match without writing. Problems are collected in the preview, not raised."""
        path = Path(path)
        targets = self.targets(fiscal_year)
        target_exists = bool(targets) or fiscal_year in self.fiscal_years()
        with open_workbook(path) as wb:
            if sheet is None:
                sheet = self._suggest(wb, fiscal_year)
            elif sheet not in wb.sheet_names():
                raise InputError(f"「{sheet}」シートがありません（シート: {'、'.join(wb.sheet_names())}）", str(path))
            header = self._header(wb, sheet, header_row if header_row is not None else (mapping.header_row if mapping else None))
            notes: list[str] = []
            remembered = False
            if mapping is None:
                mapping, notes, remembered = self.propose(header, fiscal_year)
            else:  # the clerk's own choice is kept, but a column labelled with another year is pointed out
                notes = check_years(mapping, header, fiscal_year, repoint=False)
            _check_mapping(mapping, header, path, sheet)
            parsed = parse_rows(sheet, _counted(wb.rows(sheet), progress) if progress else wb.rows(sheet), mapping,
                                lambda: wb.formulas_without_value(sheet))
        notes = notes + parsed.notes
        if remembered:
            notes.insert(0, "前回確定した列の対応を使います")
        if not target_exists:
            notes.insert(0, f"{fiscal_year_both(fiscal_year)}のデータがまだありません。取り込むと"
                            f"{fiscal_year_both(fiscal_year - 1)}をこのシートから作成し、{fiscal_year_label(fiscal_year)}を"
                            "新年度作成（繰り越し）で作ります")
        return ImportPreview(path, sheet, fiscal_year, header, mapping, signature(header), remembered,
                             tuple(match(parsed.records, targets)), tuple(parsed.problems), tuple(notes),
                             tuple(targets), parsed.skipped_rows, target_exists, tuple(parsed.totals),
                             parsed.read_total)

    def fiscal_years(self) -> list[int]:
        with read_only(self._sessions) as s:
            return repo.fiscal_years(s)

    def plan(self, summary: WorkbookSummary, fiscal_year: int, *, restore: bool = False, create_prior: bool = False,
             sheet: str | None = None) -> ImportPlan:
        """What importing this workbook into `fiscal_year` does (services/excel_import_plan.py), decided
        once for the CLI and the wizard; an InputError whose suggestions all work otherwise."""
        return plans.decide(summary.years(), check_fiscal_year(fiscal_year), self.fiscal_years(), restore=restore,
                            create_prior=create_prior, sheet=sheet, where=str(summary.path))

    def default_year(self, summary: WorkbookSummary) -> int | None:
        """The target year the workbook's year labels point to (None: it names no year)."""
        return plans.default_year(summary.years(), self.fiscal_years())

    def _suggest(self, wb: Workbook, fiscal_year: int | None = None) -> str:
        _sheets, best = self._rank(wb, fiscal_year)
        if best is None:
            raise InputError("予算の表らしいシートが見つかりません（見出しに「事業名」と金額の列が必要です）。"
                             "--sheet でシートを指定してください", str(wb.path))
        return best

    # ---- writing
    @paused_collector()
    def apply(self, preview: ImportPreview, decisions: dict[int, str | None] | None = None, *,
              create_prior: bool = False, dry_run: bool = False, remember: bool = True,
              accept_totals: bool = False) -> OpResult[ImportResult]:
        """Fill the prior amounts (and create the prior year when asked) in one transaction. A sheet
        whose 合計 disagrees with the rows read is refused unless the clerk accepts it (`accept_totals`).
        The result's rows: the prior amounts changed (and one line per year created), as the history has
        them; no undo (the GUI offers none for an import); nothing at all on a dry run."""
        if preview.problems:
            raise ImportProblems(preview.problem_lines(), str(preview.path))
        if preview.total_mismatches() and not accept_totals:
            raise TotalMismatch(preview.total_mismatches(), preview.sheet)
        if not preview.target_exists and not create_prior:
            raise _missing_year(preview.fiscal_year, preview.path)
        rows = decide(list(preview.rows), decisions or {}, list(preview.targets))
        chosen = [r for r in rows if r.status == MATCHED and r.record is not None and r.target is not None]
        twice = {uid for uid, n in Counter(r.target.uid for r in chosen).items() if n > 1}  # type: ignore[union-attr]
        if twice:
            rows = [dataclasses.replace(r, status=CONFLICTING, reason="同じ事業に複数の行を割り当てています")
                    if r.status == MATCHED and r.record is not None and r.target and r.target.uid in twice else r
                    for r in rows]
        # With create_prior an unmatched row is simply a program of the prior year only.
        undecided = [r for r in rows if r.status == CONFLICTING or (r.status == UNMATCHED and not create_prior)]
        if undecided:
            raise DecisionNeeded(undecided, preview.sheet)
        year = preview.fiscal_year
        created: int | None = None
        changes: list = []
        op_id: str | None = None
        try:
            with _naming_the_file(preview.path), unit_of_work(self._sessions) as s:
                fy = repo.find_fiscal_year(s, year)
                if fy is None:
                    if not create_prior:
                        raise _missing_year(preview.fiscal_year, preview.path)
                    self._create_both(s, preview, rows)
                    created = year - 1
                else:
                    priors = {r.target.uid: r.record.amount for r in chosen}  # type: ignore[union-attr]
                    changes = import_targets.prior_changes(s, fy.id, priors)
                    gone = import_targets.set_priors(s, fy.id, priors)
                    if gone:
                        names = "、".join(r.target.name for r in chosen if r.target and r.target.uid in set(gone[:5]))
                        raise ConflictError(f"事業「{names}」は取り込みの準備中に削除されました。もう一度読み込んでください")
                    if create_prior:
                        self._refuse_existing_prior(s, year)
                        target_budget = repo.load_budget(s, fy)
                        repo.add_budget(s, prior_year_budget(target_budget, rows, codes=_sheet_codes(
                            preview.path, year - 1)), keep_uids=True)
                        created = year - 1
                if remember and not dry_run:
                    import_mappings.save_mapping(s, preview.signature, preview.mapping.as_json())
                if created is not None:
                    changes = [*changes, operations.year_loaded(s, year - 1, "Excel から作成")] if fy is not None \
                        else [operations.year_loaded(s, y, "Excel から作成") for y in (year - 1, year)]
                op_id = operations.journal(s, clerk=self._clerk(), source=IMPORT, label="前年度Excel取込",
                                           fiscal_year=year, changes=changes)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            changes, op_id = [], None
        value = ImportResult(year, len(chosen), created, dry_run=dry_run, rolled_over=created is not None and
                             not preview.target_exists)
        flags = changes_of(changes).merged(WHOLE_YEAR) if created is not None and not dry_run else changes_of(changes)
        return OpResult(value, flags, tuple(changes), None, op_id)

    @staticmethod
    def _refuse_existing_prior(s: Any, year: int) -> None:
        if repo.find_fiscal_year(s, year - 1) is not None:
            raise ConflictError(f"{fiscal_year_both(year - 1)}のデータは既にあります"
                                "（前年度の作成は、前年度がないときだけできます）")

    def _create_both(self, s: Any, preview: ImportPreview, rows: list[PreviewRow]) -> None:
        """YYYY-1 from the sheet, then YYYY by rollover (see the module docstring)."""
        year = preview.fiscal_year
        self._refuse_existing_prior(s, year)
        ward, city = _ward_of(s, preview.header.title)
        shell = Budget(ward=ward, fiscal_year=year, city=city)
        currents: dict[str, int] = {}
        prior = dataclasses.replace(prior_year_budget(shell, rows, currents=currents,
                                                      codes=_sheet_codes(preview.path, year - 1)),
                                    title=_title_for(preview.header.title, year))
        if not prior.categories:
            raise InputError("シートに取り込める事業の行がありません", str(preview.path))
        repo.add_budget(s, prior, keep_uids=True)
        # rolled over from the budget just written, not read back: every program has its uid already
        # (prior_year_budget with currents), and add_budget stores the tree as given
        new = next_year_budget(prior)
        if currents:  # the sheet has YYYY's column: its amounts start the new year (by program, not by order)
            new = dataclasses.replace(new, categories=tuple(
                dataclasses.replace(c, programs=tuple(
                    dataclasses.replace(p, current=currents.get(p.uid or "", p.current)) for p in c.programs))
                for c in new.categories))
        repo.add_budget(s, new, keep_uids=True)

    def restore_preview(self, path: Path, plan: ImportPlan) -> RestorePreview:
        """The year a restore creates, read and checked as restore() does, and what it adds (the wizard's
        confirmation page and the CLI list it)."""
        if plan.kind != RESTORE or plan.restore_year is None:
            raise ValueError("not a restore plan")
        budget = self._restored_budget(Path(path), plan.restore_year)
        items = sum(len(p.line_items) for p in budget.programs())
        total = sum(p.current for p in budget.programs())
        lines = plans.plan_lines(plan)
        lines[0] += (f"（施策 {len(budget.categories)}・事業 {len(budget.programs())}・細事業 {items}、"
                     f"予算額の計 {total:,}千円）")
        return RestorePreview(plan, budget, tuple(lines))

    def restore(self, path: Path, fiscal_year: int, *, dry_run: bool = False,
                roll_over: bool = False) -> OpResult[ImportResult]:
        """Rebuild a fiscal year from the detail sheets of an Excel export (the year must not exist); with
        `roll_over`, also make the next year from it (新年度作成), in the same transaction. Whole years
        written: the result has their flags, no per-row changes and no undo (nothing on a dry run)."""
        path = Path(path)
        budget = self._restored_budget(path, fiscal_year)
        try:
            with unit_of_work(self._sessions) as s:
                if repo.find_fiscal_year(s, fiscal_year) is not None:
                    raise ConflictError(f"{fiscal_year_both(fiscal_year)}のデータは既にあります"
                                        "（復元は空の年度にだけできます）")
                if roll_over and repo.find_fiscal_year(s, fiscal_year + 1) is not None:
                    raise ConflictError(f"{fiscal_year_both(fiscal_year + 1)}のデータは既にあります")
                repo.add_budget(s, budget, keep_uids=True)
                if roll_over:
                    repo.add_budget(s, next_year_budget(repo.load_budget(s, repo.get_fiscal_year(s, fiscal_year))),
                                    keep_uids=True)
                # one history line per year written whole, under its year, as a load leaves
                changes, op_id = [], None
                written = [(fiscal_year, f"Excel から復元（{path.name}）", "Excel から復元")]
                if roll_over:
                    made = f"新年度作成（{fiscal_year_label(fiscal_year)}から）"
                    written.append((fiscal_year + 1, made, made))
                for y, title, label in written:
                    changes.append(operations.year_loaded(s, y, title))
                    op_id = operations.journal(s, clerk=self._clerk(), source=IMPORT, label=label,
                                               fiscal_year=y, changes=changes[-1:])
                if dry_run:
                    raise _DryRun
        except _DryRun:
            changes, op_id = [], None
        flags = OpChanges() if dry_run else WHOLE_YEAR
        if roll_over:
            return OpResult(ImportResult(fiscal_year + 1, len(budget.programs()), created_year=fiscal_year,
                                         restored=True, dry_run=dry_run, rolled_over=True), flags,
                            tuple(changes), None, op_id)
        return OpResult(ImportResult(fiscal_year, len(budget.programs()), restored=True, dry_run=dry_run), flags,
                        tuple(changes), None, op_id)

    def _restored_budget(self, path: Path, fiscal_year: int) -> Budget:
        with open_workbook(path) as wb:
            if not details.has_details(wb):
                raise InputError("Excel 出力の詳細シート（事業・年度情報）がありません", str(path))
            data = details.read_details(wb)
            budget = json_format.parse_budget(data, str(path))
            if budget.fiscal_year != fiscal_year:
                raise InputError(f"このブックは{fiscal_year_both(budget.fiscal_year)}のものです"
                                 f"（指定: {fiscal_year_label(fiscal_year)}）", str(path))
            differences = _list_differences(wb, budget)
        if differences:
            raise ImportProblems(differences + [
                f"「{details.LIST_SHEET}」シートを編集した場合は、詳細シートからの復元ではなく"
                f"「{details.LIST_SHEET}」シートの取り込み（--fiscal-year {fiscal_year + 1} --sheet {details.LIST_SHEET} "
                "--create-prior、画面ではシートを選んで取り込み）を使ってください"],
                str(path))
        return budget


def _list_differences(wb: Workbook, budget: Budget) -> list[str]:
    """Where the export's 事業別一覧表 (which the clerk may have edited) disagrees with its detail
    sheets: programs missing on either side, and amounts (予算額・前年度額) that differ."""
    sheet = details.LIST_SHEET
    if sheet not in wb.sheet_names():
        return []
    header = find_header(wb.rows(sheet, limit=HEADER_SCAN_ROWS + SAMPLE_ROWS))
    if header is None:
        return [f"「{sheet}」シートに見出し行がありません（詳細シートと照合できません）"]
    mapping, _notes = propose_mapping(header, budget.fiscal_year + 1)
    if mapping.col("name") is None or mapping.col("amount") is None:
        return [f"「{sheet}」シートの事業名・{fiscal_year_label(budget.fiscal_year)}予算の列が見つかりません"
                "（詳細シートと照合できません）"]
    parsed = parse_rows(sheet, wb.rows(sheet), mapping)
    lines = [p.line() for p in parsed.problems]
    programs = {loose_name(p.name): p for p in budget.programs()}
    seen: set[str] = set()
    for rec in parsed.records:
        key = loose_name(rec.name)
        where = f"{place(sheet, rec.row)}「{rec.name}」"
        p = programs.get(key)
        if p is None:
            lines.append(f"{where}: 詳細シート（{details.PROGRAMS_SHEET}）にない事業です")
            continue
        seen.add(key)
        if rec.amount != p.current:
            lines.append(f"{where}: 予算額が {rec.amount:,}千円ですが、詳細シートでは {p.current:,}千円です")
        if rec.earlier is not None and rec.earlier != p.prior:
            lines.append(f"{where}: 前年度額が {rec.earlier:,}千円ですが、詳細シートでは {p.prior:,}千円です")
    for key, p in programs.items():
        if key not in seen:
            lines.append(f"詳細シート（{details.PROGRAMS_SHEET}）の事業「{p.name}」が「{sheet}」シートにありません")
    return lines


def _check_mapping(mapping: Mapping, header: Header, path: Path, sheet: str) -> None:
    missing = [FIELDS[f] for f in ("name", "amount") if not mapping.col(f)]
    if missing:
        labels = "、".join(f"{column_letter(i)}列「{x}」" for i, x in enumerate(header.labels, start=1) if x) or "なし"
        raise InputError(f"「{sheet}」シート {header.row}行の見出しから {'・'.join(missing)} の列を決められません"
                         f"（見出し: {labels}）。画面の取込ウィザードで列を指定してください", str(path))
    if mapping.unit not in UNIT_FACTORS:
        raise InputError(f"単位「{mapping.unit}」は千円に換算できません（読める単位: {'・'.join(UNIT_FACTORS)}）", str(path))
    width = max(len(header.labels), 1)
    for name, col in mapping.columns.items():
        if col < 1 or col > max(width, 16384):
            raise InputError(f"列の指定が正しくありません（{FIELDS.get(name, name)}: {col}）", str(path))


def _missing_year(year: int, path: Path) -> InputError:
    return InputError(f"{fiscal_year_both(year)}のデータがありません。このブックから{fiscal_year_label(year - 1)}を作成し"
                      f"{fiscal_year_label(year)}を繰り越しで作るには「前年度の事業も作成する」（--create-prior）を"
                      "選んでください", str(path))


def score_of(header: Header | None) -> int:
    """How much a found header looks like a budget table's (0: not at all)."""
    if header is None:
        return 0
    score = score_row(header.labels)
    return score if score >= 2 else 0


def _known_unit(header: Header, path: Path) -> Header:
    if header.unit not in UNIT_FACTORS:
        raise InputError(f"単位「{header.unit}」（「{header.unit_from}」）は千円に換算できません"
                         f"（読める単位: {'・'.join(UNIT_FACTORS)}）", str(path))
    return header


@contextmanager
def _naming_the_file(path: Path) -> Iterator[None]:
    """A text or number the schema refuses (store/text_guard) names the workbook too."""
    try:
        yield
    except StoredValueError as e:
        raise InputError(e.detail, f"{path}: {e.where}") from None


def _sheet_codes(path: Path, year: int) -> dict[tuple[str | None, Any, str], str | None] | None:
    """The exact program codes when the workbook is the app's own export of `year` (its 事業 sheet),
    else None (codes are then the sheet's 施策 code and No.: Ⅱ and 3 give Ⅱ-3)."""
    with open_workbook(path) as wb:
        if details.has_details(wb) and details.detail_year(wb) == year:
            return details.program_codes(wb)
    return None


def _program_code(rec: Record, codes: dict[tuple[str | None, Any, str], str | None] | None) -> str | None:
    category = rec.category.code if rec.category else None
    if codes is not None:
        return codes.get((category, rec.number, rec.name))
    return f"{category}-{rec.number}" if category and rec.number is not None else None


def prior_year_budget(target: Budget, rows: list[PreviewRow], *, currents: dict[str, int] | None = None,
                      codes: dict[tuple[str | None, Any, str], str | None] | None = None) -> Budget:
    """The prior year's tree from the imported rows: each row becomes a program whose amount is the
    imported one and whose prior is the sheet's column of the year before (0 without one). Categories
    are the innermost labels read (Ⅰ 安全・安心 …), in the budget class the sheet names (a 自主企画事業
    label stands for 自主企画事業費) or, without one, the matched program's class; the printed No. is
    kept. Matched rows keep the target program's identity and, when the sheet has none, its sections.

    With `currents`, every program gets an identity (a new one when unmatched) and the sheet's amount
    of the target year (Record.current), when it has one, is put in `currents` under it: rows are
    grouped by category here, so the target year's amounts are found by program, never by order."""
    categories: dict[tuple[str | None, str], list[Program]] = {}
    classes: dict[tuple[str | None, str], str] = {}
    class_of = {p.uid: c.budget_class for c in target.categories for p in c.programs}
    program_of = {p.uid: p for p in target.programs()}
    known = {bc.name: bc for bc in target.budget_classes}
    names = [*known, *(n for n in DEFAULT_CLASSES if n not in known)]
    class_names: dict[str, str] = {}  # a sheet's class label -> its class (the same label on many rows)
    blank = Program(None, 0, "", 0, 0)  # each row's program is this with its fields (entities.copied)
    new_uid = repo.new_uid
    for r in rows:
        rec: Record | None = r.record
        status = r.status
        if rec is None or (status != MATCHED and status != UNMATCHED):
            continue
        category = rec.category
        key = (category.code, category.name) if category else (None, "（施策なし）")
        matched = program_of.get(r.target.uid) if status == MATCHED and r.target else None
        programs = categories.get(key)
        if programs is None:  # a category's first row names its budget class
            programs = categories[key] = []
            if rec.budget_class:
                classes[key] = class_names.get(rec.budget_class) or class_names.setdefault(
                    rec.budget_class, _class_name(rec.budget_class, names))
            else:
                classes[key] = class_of.get(matched.uid, DEFAULT_CLASS) if matched and matched.uid else DEFAULT_CLASS
        uid = matched.uid if matched else (new_uid() if currents is not None else None)
        if currents is not None and uid and rec.current is not None:
            currents[uid] = rec.current
        programs.append(copied(
            blank,
            code=rec.code or (matched.code if matched else None) or _program_code(rec, codes),
            number=rec.number if rec.number is not None else len(programs) + 1,
            name=rec.name, current=rec.amount, prior=rec.earlier or 0,
            sections=rec.sections or (matched.sections if matched else ()),
            purpose=matched.purpose if matched else "",
            uid=uid,
        ))
    cats = tuple(Category(code, name, classes[(code, name)], tuple(progs)) for (code, name), progs in categories.items())
    used = list(dict.fromkeys(c.budget_class for c in cats))
    return Budget(ward=target.ward, fiscal_year=target.fiscal_year - 1, categories=cats, city=target.city,
                  title=_retitle(target.title, target.fiscal_year),
                  budget_classes=tuple(dataclasses.replace(known[n], id=None) if n in known else default_class(n)
                                       for n in used))


def _class_name(text: str, known: list[str]) -> str:
    """The budget class a sheet's label names: a known class it is, abbreviates (…事業 -> …事業費) or
    names (旭区で企画する主な区配事業 -> 区配事業, the longest such); else the label as written (the
    comparison is normalised, the text kept: Ⅵ stays Ⅵ, not VI)."""
    s = squeeze(text)
    for name in known:
        if squeeze(name) in (s, s + "費"):
            return name
    named = [n for n in known if squeeze(n) in s or (squeeze(n).endswith("費") and squeeze(n)[:-1] in s)]
    if named:
        return max(named, key=lambda n: len(squeeze(n)))
    return re.sub(r"\s+", "", text)


def _ward_of(s: Any, title: str) -> tuple[str, str]:
    """The ward (and city) of a year created from a sheet: the ward the database already has, else
    the one the sheet's title names (令和６年度 旭区… -> 旭区), else a placeholder the clerk renames."""
    known = repo.latest_ward(s)
    if known is not None:
        return known
    t = re.sub(r"^(?:令和|平成|R|H)?(?:元|\d{1,4})年度?", "", squeeze(title))
    m = re.match(r"(.{1,5}?[市都道府県])?(.{1,4}?区)", t)
    if m:
        return m.group(2), m.group(1) or ""
    return "（区名未設定）", ""


def _title_for(title: str, year: int) -> str:
    """The title of year YYYY-1 made from its sheet's title (the rollover retitles it for YYYY)."""
    t = re.sub(r"[\s　]*事\s*業\s*別\s*一\s*覧\s*表$", "", title.strip())
    return t if year_of_label(t) == year - 1 else ""


def _retitle(title: str, year: int) -> str:
    for fullwidth in (True, False):
        label = fiscal_year_label(year, fullwidth=fullwidth)
        if label in title:
            return title.replace(label, fiscal_year_label(year - 1, fullwidth=fullwidth))
    return title


__all__ = ["CONFLICTING", "MATCHED", "NEW", "SKIPPED", "UNMATCHED", "DecisionNeeded", "ExcelImportService",
           "ImportPreview", "ImportProblems", "ImportResult", "TotalMismatch", "WorkbookSummary"]
