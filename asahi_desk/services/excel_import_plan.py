"""What an Excel import will do with this workbook and year: one decision for the CLI and the wizard.

The workbook's year labels (its amount columns, and the year an Excel export's detail sheets carry)
and the years in the database decide it:

- the target year exists: its prior amounts (前年度額) are filled from the column of the year before;
- a restore is asked (`--restore`, 「詳細シートから…まるごと復元」): the detail sheets' year is rebuilt,
  and when the target year is the next one and missing, it is made from it by rollover (新年度作成);
- the target year is missing and `create_prior` is asked (`--create-prior`, a 「（新しく作成）」 year
  in the wizard): the year before is made from the sheet and the target by rollover.

Anything else is refused with a message whose every suggestion was checked to work on this file.
"""

from __future__ import annotations

from dataclasses import dataclass

from asahi_desk.domain.errors import InputError
from asahi_desk.domain.fiscal import fiscal_year_both, fiscal_year_label

RESTORE = "restore"
PRIOR_AMOUNTS = "prior"
CREATE_PRIOR_HINT = "「前年度の事業も作成する」（--create-prior）"
RESTORE_HINT = "「詳細シートから…まるごと復元」（--restore）"


@dataclass(frozen=True)
class WorkbookYears:
    """The years a workbook names: its amount columns' labels and its detail sheets' year."""

    label_years: frozenset[int]  # years named by amount columns of the budget-looking sheets
    detail_year: int | None  # the year an Excel export's detail sheets rebuild
    has_table: bool  # some sheet looks like a budget table (事業名 and an amount column)

    def has_column(self, year: int) -> bool:
        """A column to read `year`'s amounts from (a table without year labels serves any year)."""
        return self.has_table and (not self.label_years or year in self.label_years)


@dataclass(frozen=True)
class ImportPlan:
    kind: str  # RESTORE or PRIOR_AMOUNTS
    fiscal_year: int  # the year chosen (whose prior amounts are filled, or which is created)
    restore_year: int | None = None  # RESTORE: the year rebuilt from the detail sheets
    roll_over: bool = False  # RESTORE: fiscal_year is then made from restore_year by rollover
    create_prior: bool = False  # PRIOR_AMOUNTS: the year before is made from the sheet

    def created_years(self, existing: list[int]) -> list[int]:
        """The years this import adds to the database."""
        if self.kind == RESTORE:
            return [y for y in (self.restore_year, self.fiscal_year if self.roll_over else None) if y is not None]
        if self.create_prior:
            return [self.fiscal_year - 1] + ([] if self.fiscal_year in existing else [self.fiscal_year])
        return []


def default_year(wy: WorkbookYears, existing: list[int]) -> int | None:
    """The year to offer first, from the workbook's year labels (never the clock): the year after its
    newest amount column (last year's list fills this year's prior amounts), else after the detail
    sheets' year. In a database that does not have that year, the newest existing year the workbook
    has a prior-year column for."""
    newest = max(wy.label_years, default=wy.detail_year)
    if newest is None:
        return None
    wanted = newest + 1
    if not existing or wanted in existing:
        return wanted
    usable = [y for y in existing if y - 1 in wy.label_years]
    return max(usable) if usable else wanted


def decide(wy: WorkbookYears, year: int, existing: list[int], *, restore: bool = False,
           create_prior: bool = False, sheet: str | None = None, where: str = "") -> ImportPlan:
    """The plan for importing this workbook into `year`, or an InputError saying what would work."""
    if restore:
        return _restore_plan(wy, year, existing, sheet, where)
    if year in existing:
        if create_prior and year - 1 in existing:
            raise InputError(f"{fiscal_year_both(year - 1)}のデータは既にあります（前年度の作成は、前年度がないときだけ"
                             f"できます）。{fiscal_year_label(year)}の前年度額だけを取り込むには --create-prior を外してください",
                             where)
        return ImportPlan(PRIOR_AMOUNTS, year, create_prior=create_prior)
    if create_prior and year - 1 not in existing and wy.has_column(year - 1):
        return ImportPlan(PRIOR_AMOUNTS, year, create_prior=True)
    raise InputError(_missing_year_text(wy, year, existing, create_prior), where)


def _restore_plan(wy: WorkbookYears, year: int, existing: list[int], sheet: str | None, where: str) -> ImportPlan:
    detail = wy.detail_year
    if detail is None:
        raise InputError("Excel 出力の詳細シート（事業・年度情報）がないため復元できません"
                         "（--restore は asahi-desk の Excel 出力にだけ使えます）", where)
    if sheet is not None:
        raise InputError("--restore は詳細シートからの復元です。--sheet と一緒には指定できません", where)
    if detail in existing:
        hint = (f"。{fiscal_year_label(year)}の前年度額を取り込むには --restore を外してください"
                if year in existing and wy.has_column(year - 1) else "")
        raise InputError(f"{fiscal_year_both(detail)}のデータは既にあります（復元は、その年度がないときだけできます）{hint}",
                         where)
    if year in existing or year == detail:
        return ImportPlan(RESTORE, year, restore_year=detail)
    if year == detail + 1:
        return ImportPlan(RESTORE, year, restore_year=detail, roll_over=True)
    raise InputError(f"このブックの詳細シートは{fiscal_year_both(detail)}のものです。復元で作れるのは"
                     f"{fiscal_year_label(detail)}（--fiscal-year {detail} --restore）と、その翌年度"
                     f"（--fiscal-year {detail + 1} --restore: 繰り越しで作成）です", where)


def _missing_year_text(wy: WorkbookYears, year: int, existing: list[int], create_prior: bool) -> str:
    head = f"{fiscal_year_both(year)}のデータがありません"
    if create_prior and year - 1 in existing:
        head = (f"{fiscal_year_both(year - 1)}のデータは既にあります（前年度の作成は、前年度がないときだけできます）。"
                f"{fiscal_year_label(year)}はまだありません")
    elif create_prior:
        head += f"。このブックには{fiscal_year_label(year - 1)}の金額の列がないため、--create-prior では作れません"
    ways = _ways(wy, year, existing)
    if not ways:
        found = "・".join(fiscal_year_label(y) for y in sorted(wy.label_years)) or "なし"
        return f"{head}（このブックの金額の列の年度: {found}）"
    return f"{head}。{'、または'.join(ways)}"


def _ways(wy: WorkbookYears, year: int, existing: list[int]) -> list[str]:
    """What would import this workbook, each checked against decide() (so every suggestion holds)."""
    ways: list[str] = []
    if year - 1 not in existing and wy.has_column(year - 1):
        ways.append(f"このブックから{fiscal_year_label(year - 1)}を作成し{fiscal_year_label(year)}を繰り越しで作るには"
                    f"{CREATE_PRIOR_HINT}を選んでください")
    if wy.detail_year in (year, year - 1) and wy.detail_year not in existing:
        also = f"し{fiscal_year_label(year)}を繰り越しで作成" if wy.detail_year == year - 1 else ""
        ways.append(f"詳細シートから{fiscal_year_label(wy.detail_year)}をまるごと復元{also}するには{RESTORE_HINT}を選んでください")
    if year - 1 in existing:
        ways.append(f"{fiscal_year_label(year - 1)}から{fiscal_year_label(year)}を作るには先に"
                    f"「新年度作成」（asahi-desk new-year --from {year - 1}）をしてください")
    if not ways:
        other = default_year(wy, existing)
        if other is not None and other != year:
            try:
                plan = decide(wy, other, existing, create_prior=other not in existing)
            except InputError:
                plan = None
            if plan is not None:
                flag = " --create-prior" if plan.create_prior else ""
                ways.append(f"このブックの年度ラベルからは{fiscal_year_both(other)}が対象です（--fiscal-year {other}{flag}）")
    return ways


def plan_lines(plan: ImportPlan) -> list[str]:
    """What the import will create, for the confirmation (wizard) and the CLI."""
    if plan.kind == RESTORE and plan.restore_year is not None:
        lines = [f"{fiscal_year_both(plan.restore_year)}を Excel の詳細シートからまるごと作成します"]
        if plan.roll_over:
            lines.append(f"{fiscal_year_both(plan.fiscal_year)}を{fiscal_year_label(plan.restore_year)}から"
                         "繰り越し（新年度作成）で作成します")
        return lines
    return []
