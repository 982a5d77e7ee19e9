"""照会 (inquiry) use cases: one workbook per 課 out; answered workbooks merged back in one transaction.

The merge is three-state per field (domain/inquiry.py): base (the hidden sheet), the database now (read
inside the writing transaction, so a colleague's change made after the export is seen and kept) and the
answer. Conflicts and deletions stop the import (nothing written) until decided.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from asahi_desk.domain import inquiry as iq
from asahi_desk.domain import structure
from asahi_desk.domain.entities import Budget, Program
from asahi_desk.domain.errors import InputError, NotFoundError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both
from asahi_desk.domain.operations import OpResult, RowChange, UndoEntry, changes_of
from asahi_desk.domain.text import shown, text_problem
from asahi_desk.importers.inquiry_reader import AnswerBook, AnswerRow, BaseRow, read_answer
from asahi_desk.reports.excel_export import UnwritableText
from asahi_desk.reports.inquiry_workbook import inquiry_workbook
from asahi_desk.services.editing import os_login
from asahi_desk.services.output_files import write_all_or_nothing
from asahi_desk.store import budget_cycle as rows_of
from asahi_desk.store import operations as ops
from asahi_desk.store import repository as repo
from asahi_desk.store.models import ChangeHistoryRow, IndicatorRow, LineItemRow, ProgramRow
from asahi_desk.store.unit_of_work import SessionFactory, read_only

NAME_LIMIT = 200
ACTIVITY_LIMIT = 500
TEXT_LIMIT = 4000  # 目的: far above any printed purpose
SHORT_LIMIT = 200  # 目標, 単位
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# the column of each answered text, for a refusal's place (the layout in domain/inquiry.py)
_COLUMNS = {"目的": "C列", "細事業名": "D列", "主な活動の1行": "G列", "指標": "B列", "目標": "C列", "単位": "D列"}
_MULTILINE = {"目的"}


def inquiry_filename(year: int, section: str) -> str:
    return f"照会票_{year}_{_UNSAFE_FILENAME.sub('_', section)}.xlsx"


def programs_of_section(budget: Budget, section: str) -> list[Program]:
    return [p for p in budget.programs() if section in p.sections]


class ImportProblems(InputError):
    """Rows the import refuses (another 課's program, unknown program, bad values): exit 2, nothing written."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = tuple(lines)
        super().__init__(f"照会票に取り込めない行があります（{len(self.lines)} 件）。何も書き込んでいません")


@dataclass
class InquiryResult:
    """What an import did (or would do): one Change per field, added and deleted row."""

    sections: list[str] = field(default_factory=list)
    changes: list[iq.Change] = field(default_factory=list)  # applied (or to apply)
    conflicts: list[iq.Change] = field(default_factory=list)  # undecided
    decided: list[iq.Change] = field(default_factory=list)  # conflicts decided by --prefer
    deletions: list[iq.Change] = field(default_factory=list)
    kept: list[iq.Change] = field(default_factory=list)  # deleted centrally, unchanged in the answer: stays deleted
    additions: list[iq.Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False
    operation: OpResult[None] | None = None  # when written: its row changes and undo entry
    accept_deletions: bool = False
    skip_deletions: bool = False  # the GUI's "keep them": deletions listed, not applied, not blocking

    @property
    def needs_decision(self) -> bool:
        return bool(self.conflicts) or (bool(self.deletions) and not (self.accept_deletions or self.skip_deletions))

    def lines(self) -> list[str]:
        out = [c.line() for c in self.changes]
        out += [c.line() for c in self.additions]
        out += [c.line() + ("" if self.accept_deletions else "（削除しません）" if self.skip_deletions
                            else "（確認が必要です: --accept-deletions）")
                for c in self.deletions]
        out += [c.line() for c in self.kept]
        out += [c.line() for c in self.conflicts]
        out += [f"{replace(c, state=iq.CONFLICT).line()} → {'回答' if c.state == iq.APPLY else 'データベース'}を採用"
                for c in self.decided]
        return out

    def summary(self) -> str:
        head = f"{'・'.join(self.sections)}: " if self.sections else ""
        counts = (f"変更 {len(self.changes)} 件、追加 {len(self.additions)} 件、削除 {len(self.deletions)} 件、"
                  f"競合 {len(self.conflicts)} 件")
        if self.kept:
            counts += f"、照会後の削除を維持 {len(self.kept)} 件"
        if self.needs_decision:
            return head + counts + "。決めることが残っているため、何も書き込んでいません"
        return head + counts + ("。書き込みました" if self.written else "。（確認のみ: 何も書き込んでいません）")


class _Rollback(Exception):
    """Raised inside the unit of work to leave it without committing (dry run, decisions pending)."""


# the history's source column holds the 課 (as much of its name as fits)
SOURCE_LIMIT = ChangeHistoryRow.source.type.length


class InquiryService:
    def __init__(self, sessions: SessionFactory, clerk: Callable[[], str] | None = None) -> None:
        self._sessions = sessions
        self._clerk = clerk or os_login

    # ---- out
    def sections(self, year: int) -> list[str]:
        budget = self._budget(year)
        return list(dict.fromkeys(s for p in budget.programs() for s in p.sections))

    def _budget(self, year: int) -> Budget:
        with read_only(self._sessions) as s:
            return repo.load_budget(s, repo.get_fiscal_year(s, check_fiscal_year(year)))

    def workbook_bytes(self, year: int, section: str, budget: Budget | None = None) -> bytes:
        budget = budget or self._budget(year)
        programs = programs_of_section(budget, section)
        if not programs:
            known = "、".join(dict.fromkeys(s for p in budget.programs() for s in p.sections))
            raise NotFoundError(f"{fiscal_year_both(year)}に「{section}」の事業がありません（課: {known}）")
        created = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            return inquiry_workbook(budget, section, programs, created)
        except UnwritableText as e:  # control characters an older database may hold
            raise InputError(str(e)) from None

    def export_section(self, year: int, section: str, out: Path) -> Path:
        """One 課's workbook, written whole or not at all."""
        out = Path(out)
        if out.is_dir():
            out = out / inquiry_filename(year, section)
        write_all_or_nothing([(out, self.workbook_bytes(year, section))])
        return out

    def export_all(self, year: int, folder: Path) -> list[Path]:
        """Every 課's workbook into folder (created when missing), all written or none."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise InputError("--all の出力先はフォルダです", str(folder))
        budget = self._budget(year)
        sections = list(dict.fromkeys(s for p in budget.programs() for s in p.sections))
        if not sections:
            raise NotFoundError(f"{fiscal_year_both(year)}に課の付いた事業がありません")
        by_name: dict[str, str] = {}
        for sec in sections:  # 総務/課 and 総務_課 would share one file name: the second would overwrite the first
            other = by_name.setdefault(inquiry_filename(year, sec), sec)
            if other != sec:
                raise InputError(f"課「{shown(other)}」と「{shown(sec)}」の照会票が同じファイル名 "
                                 f"{inquiry_filename(year, sec)} になります。どちらかの課の名前を変えてください", str(folder))
        outputs = [(folder / inquiry_filename(year, sec), self.workbook_bytes(year, sec, budget)) for sec in sections]
        folder.mkdir(parents=True, exist_ok=True)
        write_all_or_nothing(outputs)
        return [path for path, _ in outputs]

    # ---- back in
    def read(self, paths: Sequence[Path]) -> list[AnswerBook]:
        """Every file read (pre-flight, then parse) before the database is touched."""
        return [read_answer(Path(p)) for p in paths]

    def import_answers(self, paths: Sequence[Path], *, dry_run: bool = False, accept_deletions: bool = False,
                       prefer: str | None = None, fiscal_year: int | None = None,
                       books: Sequence[AnswerBook] | None = None, skip_deletions: bool = False) -> InquiryResult:
        """Merge the answers in one transaction: written only when nothing is left to decide and not dry_run.
        Raises ImportProblems (nothing written) for rows that cannot be taken in."""
        books = list(books) if books is not None else self.read(paths)
        years = {b.fiscal_year for b in books}
        if len(years) > 1:
            raise InputError("年度の違う照会票が混ざっています（" + "、".join(
                f"{b.path.name}: {b.fiscal_year}年度" for b in books) + "）")
        if fiscal_year is not None and years and years != {fiscal_year}:
            b = books[0]
            raise InputError(f"この照会票は{fiscal_year_both(b.fiscal_year)}のものです"
                             f"（指定: {fiscal_year_both(fiscal_year)}）", str(b.path))
        result = InquiryResult(accept_deletions=accept_deletions, skip_deletions=skip_deletions and not accept_deletions)
        sections = list(dict.fromkeys(b.section for b in books))
        label = f"照会回答の取込（{'・'.join(sections)}）"
        done: list[RowChange] = []
        try:
            with ops.operation(self._sessions, clerk=self._clerk(), source=sections[0][:SOURCE_LIMIT] if sections else "",
                               label=label, fiscal_year=next(iter(years), None)) as op:
                problems: list[str] = []
                loaded: dict[int, list[ProgramRow]] = {}  # the year's programs, loaded (and locked) once
                for book in books:
                    op.source = book.section[:SOURCE_LIMIT]  # each workbook's changes name its 課 as the source
                    _Merge(op, book, result, problems, prefer, accept_deletions).run(loaded)
                    op.session.flush()
                    ops.write_history(op)
                    done.extend(op.rows)
                    op.rows.clear()
                if problems:
                    raise ImportProblems(problems)
                if dry_run or result.needs_decision:
                    raise _Rollback
                result.written = True
        except _Rollback:
            return result
        changes = tuple(done)
        undo = UndoEntry(label, next(iter(years), None), changes) if changes else None
        result.operation = OpResult(None, changes_of(changes), changes, undo, op.id if changes else None)
        return result


class _Merge:
    """One workbook merged into the open session (flushes as it goes: a later workbook sees this one's answers)."""

    def __init__(self, op: ops.Operation, book: AnswerBook, result: InquiryResult, problems: list[str],
                 prefer: str | None, accept_deletions: bool) -> None:
        self.op, self.s, self.book, self.result, self.problems = op, op.session, book, result, problems
        self.prefer, self.accept_deletions = prefer, accept_deletions
        self.where = str(book.path)

    def run(self, years: dict[int, list[ProgramRow]]) -> None:
        book, s = self.book, self.s
        if book.fiscal_year not in years:
            fy = repo.find_fiscal_year(s, book.fiscal_year)
            if fy is None:
                raise InputError(f"この照会票は{fiscal_year_both(book.fiscal_year)}のものですが、データベースに"
                                 f"その年度がありません（{'、'.join(map(str, repo.fiscal_years(s))) or 'なし'}）",
                                 self.where)
            # Lock the year's program rows (PostgreSQL: FOR UPDATE) so a colleague's write waits for this import.
            years[book.fiscal_year] = rows_of.year_programs_locked(s, fy.id)
        rows = years[book.fiscal_year]
        self.result.sections.append(book.section)
        self.by_uid = {p.uid: p for p in rows}
        self.by_code = {p.code: p for p in rows if p.code}
        self.by_name = {p.name: p for p in rows}
        self.base_programs: dict[str, BaseRow] = {}
        self.base_of: dict[int, str] = {}  # program row id -> the program's uid in the hidden sheet
        self.base_items: dict[tuple[str, int], BaseRow] = {}
        self.base_indicators: dict[tuple[str, int], BaseRow] = {}
        self.base_item_uids = {b.item_uid for b in book.base or () if b.kind == "細事業" and b.item_uid}
        self.base_program_uids = {b.program_uid for b in book.base or () if b.kind == "事業"}
        for b in book.base or ():
            if b.kind == "事業":
                self.base_programs[b.code or b.program] = b
            elif b.kind == "細事業" and b.number is not None:
                self.base_items[(b.program_uid, b.number)] = b
            elif b.kind == "指標" and b.number is not None:
                self.base_indicators[(b.program_uid, b.number)] = b
        if book.base is None:
            self.result.notes.append(f"{book.path.name}: 照会情報シートがないため、事業コードと名前で照合し、"
                                     "データベースの現在の値を照会時の値とみなしました")
        touched: set[int] = set()
        for row in book.programs:
            p = self._program(row)
            if p is not None:
                self._program_fields(p, row)
        seen_items: set[str] = set()
        for row in book.items:
            p = self._program(row)
            if p is not None:
                touched.add(p.id)
                self._item(p, row, seen_items)
        if book.base is not None:
            self._rows_removed(seen_items)
        by_program: dict[int, list[AnswerRow]] = {}
        for row in book.indicators:
            p = self._program(row)
            if p is not None:
                by_program.setdefault(p.id, []).append(row)
        by_id = {p.id: p for p in rows}
        for pid, answer_rows in by_program.items():
            self._indicators(by_id[pid], answer_rows)
        for pid in touched:
            _renumber_and_sum(by_id[pid])
        s.flush()

    # ---- matching
    def _program(self, row: AnswerRow) -> ProgramRow | None:
        key = row.code or row.program
        place = f"{self.where}: {row.place}"
        if not key:
            self.problems.append(f"{place}: 事業コードも事業名もありません")
            return None
        p = None
        b = self.base_programs.get(key) if self.book.base is not None else None
        if b is not None:
            p = self._row_of_base(b)
            if p is None:
                self.problems.append(f"{place}: 事業「{key}」は照会後に削除されています")
                return None
        if p is None:
            p = self.by_code.get(key) or self.by_name.get(key) or self.by_name.get(row.program)
        if p is None:
            self.problems.append(f"{place}: 事業「{key}」は{fiscal_year_both(self.book.fiscal_year)}にありません")
            return None
        sections = [link.section.name for link in p.section_links]
        if self.book.section not in sections:
            self.problems.append(f"{place}: 「{p.name}」は{self.book.section}の事業ではありません"
                                 f"（{'・'.join(sections) or '課なし'}の事業）。取り込みません")
            return None
        self.base_of.setdefault(p.id, b.program_uid if b is not None else p.uid)
        return p

    def _row_of_base(self, b: BaseRow) -> ProgramRow | None:
        """The program a hidden-sheet row names: by its uid, or (the year re-loaded without uids, e.g.
        load-json --replace) by the 事業コード and name it had, unless that row is another exported program's."""
        p = self.by_uid.get(b.program_uid)
        if p is None:
            p = (self.by_code.get(b.code) if b.code else None) or self.by_name.get(b.program)
            if p is not None and p.uid in self.base_program_uids:
                p = None
        return p

    def _item_of(self, p: ProgramRow, b: BaseRow, seen: set[str]) -> LineItemRow | None:
        """The line item a hidden-sheet row names: by uid; failing that (uids renewed by a re-load) the one of
        the program's items unknown to the workbook with the same name, or, when none of the program's items is
        known (all renewed), the one with the same 細事業番号. None: deleted since the export."""
        li = next((x for x in p.line_items if x.uid == b.item_uid), None)
        if li is not None:
            return li
        renewed = not any(x.uid in self.base_item_uids for x in p.line_items)
        unknown = [x for x in p.line_items if x.uid not in self.base_item_uids and x.uid not in seen]
        li = next((x for x in unknown if x.name == b.values.get("name")), None)
        if li is None and renewed:  # renamed: by number, among the items no other exported row names
            named = {x.values.get("name") for (puid, _n), x in self.base_items.items() if puid == b.program_uid}
            li = next((x for x in unknown if x.number == b.number and x.name not in named), None)
        return li

    def _base(self, table: dict, key: Any, now: dict[str, Any]) -> dict[str, Any]:
        """The base values of a row: the hidden sheet's, or (without it) the database's now."""
        b = table.get(key) if self.book.base is not None else None
        if b is None:
            return now
        values = dict(b.values)
        if "activities" in values:
            values["activities"] = tuple(values["activities"] or ())
        return values

    # ---- fields
    def _decide(self, program: str, item: str, label: str, base: Any, now: Any, answer: Any, place: str) -> bool:
        """Whether to write answer: records the change, or the conflict (decided by prefer or left open)."""
        verdict = iq.merge_field(base, now, answer)
        if verdict in (iq.SAME, iq.KEEP):
            return False
        change = iq.Change(self.book.section, program, item, label, now, answer, base, verdict, place)
        if verdict == iq.APPLY:
            self.result.changes.append(change)
            return True
        if self.prefer == iq.PREFER_ANSWER:
            self.result.decided.append(_with_state(change, iq.APPLY))
            return True
        if self.prefer == iq.PREFER_DATABASE:
            self.result.decided.append(_with_state(change, iq.KEEP))
            return False
        self.result.conflicts.append(change)
        return False

    def _text(self, value: str, limit: int, label: str, place: str) -> str:
        """value, or a problem naming file, sheet, row and column: too long, or a character no stored text may
        hold (controls, bidi overrides: the database refuses them, so the import names where they are)."""
        column = f" {_COLUMNS[label]}" if label in _COLUMNS else ""
        if len(value) > limit:
            self.problems.append(f"{place}{column}: {label}は{limit}文字以内で書いてください（{len(value)}文字あります）")
        elif (problem := text_problem(value, multiline=label in _MULTILINE)) is not None:
            self.problems.append(f"{place}{column}: {label}に{problem}")
        return value

    def _item_texts_ok(self, v: dict[str, Any], place: str) -> bool:
        """The answered 細事業名 and activities can be stored (else problems name them; nothing is assigned, so
        no flush meets them)."""
        before = len(self.problems)
        self._text(v["name"], NAME_LIMIT, "細事業名", place)
        for a in v["activities"]:
            self._text(a, ACTIVITY_LIMIT, "主な活動の1行", place)
        return len(self.problems) == before

    def _program_fields(self, p: ProgramRow, row: AnswerRow) -> None:
        place = f"{self.book.path.name} {row.place}"
        before = len(self.problems)
        answer = self._text(row.values["purpose"], TEXT_LIMIT, "目的", place)
        if len(self.problems) > before:
            return
        base = self._base(self.base_programs, p.code or p.name, {"purpose": p.purpose})
        if self._decide(p.name, "", "目的", base["purpose"], p.purpose, answer, place):
            p.purpose = answer

    def _item(self, p: ProgramRow, row: AnswerRow, seen: set[str]) -> None:
        place = f"{self.book.path.name} {row.place}"
        v = row.values
        if row.number is None:
            if not v["name"]:
                self.problems.append(f"{self.where}: {row.place}: 細事業名がありません（追加する行には細事業名と金額を書いてください）")
                return
            if not self._item_texts_ok(v, place):
                return
            self.result.additions.append(iq.Change(self.book.section, p.name, v["name"], "細事業", None,
                                                   v["amount"] or 0, None, "add", place))
            p.line_items.append(LineItemRow(uid=repo.new_uid(), position=len(p.line_items), number=len(p.line_items) + 1,
                                            name=v["name"], amount=v["amount"] or 0, marker=v["marker"] or None,
                                            activities=list(v["activities"]), prior=None, has_sections=False))
            return
        base_uid = self.base_of.get(p.id, p.uid)
        base_row = self.base_items.get((base_uid, row.number)) if self.book.base is not None else None
        li = None
        if base_row is not None:
            li = self._item_of(p, base_row, seen)
            if li is None:
                self._deleted_centrally(p, row, base_row, place, seen)
                return
        else:
            li = next((x for x in p.line_items if x.number == row.number), None)
            if li is None:
                self.problems.append(f"{self.where}: {row.place}: 「{p.name}」に細事業番号 {row.number} はありません")
                return
        seen.add(li.uid)
        now = {"name": li.name, "amount": li.amount, "marker": li.marker or "", "activities": tuple(li.activities or ())}
        base = self._base(self.base_items, (base_uid, row.number), now)
        if not v["name"]:
            self.result.deletions.append(iq.Change(self.book.section, p.name, li.name, "細事業", li.name, None,
                                                   base.get("name"), "delete", place))
            if self.accept_deletions:
                rows_of.capture_line_item(self.op, li.id)
                p.line_items.remove(li)
                self.s.delete(li)
            return
        if v["amount"] is None:
            self.problems.append(f"{self.where}: {row.place} E列: 金額がありません（0 のときは 0 と書いてください）")
            return
        if not self._item_texts_ok(v, place):
            return
        for key, label in iq.ITEM_FIELDS.items():
            if self._decide(p.name, li.name, label, base.get(key), now[key], v[key], place):
                value = v[key]
                if key == "marker":
                    value = value or None
                elif key == "activities":
                    value = list(value)
                setattr(li, key, value)

    def _deleted_centrally(self, p: ProgramRow, row: AnswerRow, b: BaseRow, place: str, seen: set[str]) -> None:
        """A line item deleted in the database since the export. Unchanged in the answer (or deleted there too):
        the central deletion is kept. Changed in the answer: a conflict per changed field; --prefer answer adds
        it back with the answer's values, --prefer database leaves it deleted."""
        v = row.values
        if not v["name"]:
            return  # deleted on both sides
        if not self._item_texts_ok(v, place):
            return
        base = self._base(self.base_items, (b.program_uid, b.number), {})
        name = base.get("name") or v["name"]
        changed = [(key, label) for key, label in iq.ITEM_FIELDS.items() if v[key] != base.get(key)]
        if not changed:
            self.result.kept.append(iq.Change(self.book.section, p.name, name, "細事業", iq.DELETED_CENTRALLY, name,
                                              name, iq.KEEP, place))
            return
        gone = iq.DELETED_CENTRALLY
        conflicts = [iq.Change(self.book.section, p.name, name, label, gone, v[key], base.get(key), iq.CONFLICT,
                               place) for key, label in changed]
        if self.prefer == iq.PREFER_DATABASE:
            self.result.decided += [_with_state(c, iq.KEEP) for c in conflicts]
            return
        if self.prefer != iq.PREFER_ANSWER:
            self.result.conflicts += conflicts
            return
        if v["amount"] is None:
            self.problems.append(f"{self.where}: {row.place} E列: 金額がありません（0 のときは 0 と書いてください）")
            return
        self.result.decided += [_with_state(c, iq.APPLY) for c in conflicts]
        self.result.additions.append(iq.Change(self.book.section, p.name, v["name"], "細事業", None, v["amount"],
                                               None, "add", f"{place}、照会後に削除済みの細事業を回答の値で戻します"))
        order = sorted(p.line_items, key=lambda x: x.position)
        back = LineItemRow(uid=repo.new_uid(), position=0, number=0, name=v["name"], amount=v["amount"],
                           marker=v["marker"] or None, activities=list(v["activities"]), prior=None,
                           has_sections=False)
        p.line_items.append(back)
        seen.update((back.uid, b.item_uid or ""))  # answered: not a row gone from the sheet
        order.insert(min(max(b.number or 1, 1) - 1, len(order)), back)  # where it stood when exported
        structure.reposition(order)

    def _rows_removed(self, seen: set[str]) -> None:
        """Line items of the base whose rows are gone from the sheet: deletions too, listed for confirmation."""
        by_base_uid = {b.program_uid: b for b in self.base_programs.values()}
        for (puid, _n), b in self.base_items.items():
            if b.item_uid in seen:
                continue
            p = self.by_uid.get(puid) or (self._row_of_base(by_base_uid[puid]) if puid in by_base_uid else None)
            li = self._item_of(p, b, seen) if p is not None else None
            if p is None or li is None:
                continue  # deleted centrally as well
            self.result.deletions.append(iq.Change(self.book.section, p.name, li.name, "細事業", li.name, None,
                                                   b.values.get("name"), "delete",
                                                   f"{self.book.path.name} 「{iq.ITEMS_SHEET}」シート（行がありません）"))
            if self.accept_deletions:
                rows_of.capture_line_item(self.op, li.id)
                p.line_items.remove(li)
                self.s.delete(li)
                _renumber_and_sum(p)

    def _indicators(self, p: ProgramRow, answer_rows: list[AnswerRow]) -> None:
        current = list(p.indicators)
        keep: list[IndicatorRow] = []
        answered = {r.number: r for r in answer_rows}
        for k, ind in enumerate(current, start=1):
            row = answered.get(k)
            if row is None:
                keep.append(ind)
                continue
            place = f"{self.book.path.name} {row.place}"
            now = {"name": ind.name, "target": ind.target, "unit": ind.unit}
            base = self._base(self.base_indicators, (self.base_of.get(p.id, p.uid), k), now)
            if not row.values["name"]:
                self.result.deletions.append(iq.Change(self.book.section, p.name, ind.name, "指標", ind.name, None,
                                                       base.get("name"), "delete", place))
                if not self.accept_deletions:
                    keep.append(ind)
                else:
                    self.s.delete(ind)
                continue
            for key, label in iq.INDICATOR_FIELDS.items():
                limit = NAME_LIMIT if key == "name" else SHORT_LIMIT
                before = len(self.problems)
                answer = self._text(row.values[key], limit, label, place)
                if len(self.problems) == before and self._decide(p.name, ind.name, label, base.get(key), now[key], answer, place):
                    setattr(ind, key, answer)
            keep.append(ind)
        for row in answer_rows:
            if row.number is not None and row.number > len(current):
                place = f"{self.book.path.name} {row.place}"
                if not row.values["name"]:
                    self.problems.append(f"{self.where}: {row.place}: 指標名がありません")
                    continue
                before = len(self.problems)
                values = {"name": self._text(row.values["name"], NAME_LIMIT, "指標", place),
                          "target": self._text(row.values["target"], SHORT_LIMIT, "目標", place),
                          "unit": self._text(row.values["unit"], SHORT_LIMIT, "単位", place)}
                if len(self.problems) > before:
                    continue
                self.result.additions.append(iq.Change(self.book.section, p.name, row.values["name"], "指標",
                                                       None, row.values["name"], None, "add", place))
                new = IndicatorRow(position=len(keep), **values)
                p.indicators.append(new)
                keep.append(new)
        for i, ind in enumerate(keep):
            ind.position = i


def _with_state(change: iq.Change, state: str) -> iq.Change:
    return replace(change, state=state)


def _renumber_and_sum(p: ProgramRow) -> None:
    """Line items numbered 1..n in order; a program with line items costs their sum (its row is locked)."""
    structure.renumber_items(p.line_items)
    if p.line_items:
        total = sum(li.amount for li in p.line_items)
        if total != p.current:
            p.current = total
            p.printed_change = None
