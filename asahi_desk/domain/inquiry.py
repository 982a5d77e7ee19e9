"""The 照会 (inquiry) round trip in plain terms: which fields a 課 answers and the three-state merge rule.

Each answered field is compared in three states: the base the workbook was made from, the database now
and the answer. Changed only in the answer -> applied; changed only centrally -> kept; changed on both
sides to different values -> a conflict (both sides equal again -> nothing to do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from asahi_desk.domain.text import shown

FORMAT = "asahi-desk inquiry 1"

# Sheet names and column labels: a contract (issue 15), shared by the writer and the reader.
PROGRAMS_SHEET = "事業"
ITEMS_SHEET = "細事業"
INDICATORS_SHEET = "事業指標"
HOWTO_SHEET = "記入方法"
BASE_SHEET = "照会情報"  # hidden: the base values and identities the workbook was made from
PROGRAM_COLUMNS = ("事業コード", "事業名", "目的")
ITEM_COLUMNS = ("事業コード", "事業名", "細事業番号", "細事業名", "金額（千円）", "記号", "主な活動")
INDICATOR_COLUMNS = ("事業コード", "指標", "目標", "単位", "実績")
HOWTO_YEAR_ROW, HOWTO_SECTION_ROW = 3, 4  # where 記入方法 shows the year and the 課 (read when the hidden sheet is gone)
BASE_COLUMNS = ("種別", "事業コード", "事業名", "番号", "事業uid", "細事業uid", "基準値")

# The fields a 課 answers, per kind of row, with the label a change line shows.
PROGRAM_FIELDS = {"purpose": "目的"}
ITEM_FIELDS = {"name": "細事業名", "amount": "金額", "marker": "記号", "activities": "主な活動"}
INDICATOR_FIELDS = {"name": "指標", "target": "目標", "unit": "単位"}

APPLY, KEEP, CONFLICT, SAME = "apply", "keep", "conflict", "same"
PREFER_ANSWER, PREFER_DATABASE = "answer", "database"
DELETED_CENTRALLY = "（照会後に削除済み）"  # the "now" of a line item deleted in the database since the export


def merge_field(base: Any, now: Any, answer: Any) -> str:
    """APPLY (only the answer changed), KEEP (only the database changed), SAME (nothing to do) or CONFLICT."""
    if answer == now:
        return SAME
    if answer == base:
        return KEEP
    if now == base:
        return APPLY
    return CONFLICT


def activities_text(activities: Sequence[str]) -> str:
    """One activity a line, as the 主な活動 cell holds them."""
    return "\n".join(activities)


def activities_of(text: str | None) -> tuple[str, ...]:
    """The activities of a 主な活動 cell: one a line (Excel's \r\n too), blank lines dropped."""
    if not text:
        return ()
    return tuple(line.strip() for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
                 if line.strip())


def show(value: Any) -> str:
    """A value as a change line shows it (user text escaped: controls and bidi overrides as \\u202e)."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, (tuple, list)):
        return shown(" / ".join(str(v) for v in value)) if value else "（空）"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return shown(str(value))


@dataclass(frozen=True)
class Change:
    """One field of one row: what the import does with it (or the conflict it found)."""

    section: str
    program: str
    item: str  # 細事業名 or 指標 ('' for the program itself)
    field: str  # its label (目的, 金額 …)
    old: Any  # the database now
    new: Any  # the answer
    base: Any = None
    state: str = APPLY  # APPLY, CONFLICT, or "add" / "delete"
    place: str = ""  # file, sheet and row

    def line(self) -> str:
        """One safe line (every user text in it escaped)."""
        return shown(self._line())

    def _line(self) -> str:
        where = f"{self.program}" + (f" ／ {self.item}" if self.item else "")
        if self.state == CONFLICT:
            return (f"競合: {where} の{self.field}: 照会時 {show(self.base)}／現在 {show(self.old)}／"
                    f"回答 {show(self.new)}（{self.place}）")
        if self.state == "add":
            return f"追加: {where}（{self.place}）"
        if self.state == "delete":
            return f"削除: {where}（{self.place}）"
        if self.state == KEEP:  # deleted centrally since the export, unchanged in the answer
            return f"維持: {where} は照会後に削除済みです。回答では変わっていないため、削除のままにします（{self.place}）"
        return f"{where} の{self.field}: {show(self.old)} → {show(self.new)}"
