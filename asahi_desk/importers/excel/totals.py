"""A sheet's 合計/小計 rows checked against the amounts read above them.

A running sum of the amounts read (exact 千円) is kept with its value at each total row: a total is
checked against the rows since any earlier total (Ⅰ 計, then 自主企画事業費 計 over Ⅰ–Ⅳ, then 合計).
A grand total that leaves a class out (個性ある区づくり推進費 合計 without 区配事業) matches two or more
of the totals above it, when no amount row lies between the last of them and the grand total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from asahi_desk.importers.excel.cells import place, round_thousands

_SUBSET_LIMIT = 12  # totals above a grand total tried in combination (2**12 sums at most)


@dataclass(frozen=True)
class TotalCheck:
    """A 合計/小計 row (or a row of amounts without a name) and what the rows read above it add up to."""

    row: int
    label: str
    figure: int  # the sheet's figure (千円)
    read: int  # the sum of the rows read that it is closest to (千円)
    first_row: int | None = None  # the rows summed: first_row..last_row (None: none)
    last_row: int | None = None
    left_out: str = ""  # totals above it that it does not include (a class outside the grand total)

    @property
    def ok(self) -> bool:
        return self.figure == self.read

    def line(self, sheet: str) -> str:
        rows = ("該当する行なし" if self.first_row is None else f"{self.first_row}行" if self.first_row == self.last_row
                else f"{self.first_row}〜{self.last_row}行")
        if self.ok and self.left_out:
            return (f"{place(sheet, self.row)}「{self.label}」{self.figure:,}千円 = 上の合計行の和"
                    f"（「{self.left_out}」を除く）")
        if self.ok:
            return f"{place(sheet, self.row)}「{self.label}」{self.figure:,}千円 = 読んだ行（{rows}）の合計 {self.read:,}千円"
        return (f"{place(sheet, self.row)}: 「{self.label}」の {self.figure:,}千円 と、読んだ行（{rows}）の合計 "
                f"{self.read:,}千円 が合いません（差 {self.figure - self.read:,}千円）。読み落とした行がないか確かめてください")


class RunningTotals:
    """The amounts read so far and the totals taken over them."""

    def __init__(self) -> None:
        self.cum = Decimal(0)
        self.bounds: list[tuple[Decimal, int]] = [(Decimal(0), 0)]  # (cum, sheet row after which it was taken)
        self.amount_rows: list[tuple[int, Decimal]] = []  # (row, cum after it)
        self.figures: list[tuple[Decimal, str]] = []  # the totals read so far (figure, label)

    def add(self, row: int, amount: Decimal) -> None:
        self.cum += amount
        self.amount_rows.append((row, self.cum))

    def check(self, row: int, label: str, figure: Decimal, value: object, *, named: bool) -> tuple[TotalCheck, bool]:
        """The total row's `figure` (from cell `value`) against the rows read since some earlier total,
        and whether it matches exactly (before rounding). A named total row, or one that matches, bounds
        the rows the next total is checked against."""
        cum = self.cum
        best: tuple[Decimal, int] | None = None
        for at, after in self.bounds:
            if cum - at == figure:
                best = (at, after)
                break
            if best is None or abs(cum - at - figure) < abs(cum - best[0] - figure):
                best = (at, after)
        at, after = best  # type: ignore[misc]
        ok = cum - at == figure
        left_out = "" if ok or self._rows_after(self.bounds[-1][1]) else _left_out(figure, self.figures)
        if left_out:  # 個性ある区づくり推進費 合計: the class totals in it, without 区配事業 (outside the total)
            ok, at, after = True, cum - figure, 0
        summed = [r for r, _c in self.amount_rows if r > after]
        check = TotalCheck(row, label, round_thousands(figure, value), round_thousands(cum - at),
                           summed[0] if summed else None, summed[-1] if summed else None, left_out)
        if ok or named:
            self.figures.append((figure, label))
            self.bounds.append((cum, row))
        return check, ok

    def _rows_after(self, row: int) -> bool:
        """Amount rows read below sheet row `row`, the last total taken (rows in no total so far)."""
        return bool(self.amount_rows) and self.amount_rows[-1][0] > row


def _left_out(figure: Decimal, sections: list[tuple[Decimal, str]]) -> str:
    """A grand total that leaves some of the totals above it out (区配事業 is outside 個性ある区づくり
    推進費 合計): the labels left out when some of the last totals, two or more, add up to it; else ''
    (also when all of them add up to it: then it disagrees with the rows read, which is a mismatch)."""
    recent = sections[-_SUBSET_LIMIT:]
    best: tuple[int, ...] | None = None
    for mask in range(1, 1 << len(recent)):
        chosen = tuple(i for i in range(len(recent)) if mask >> i & 1)
        if len(chosen) >= 2 and sum((recent[i][0] for i in chosen), Decimal(0)) == figure and (
                best is None or len(chosen) > len(best)):
            best = chosen
    if best is None:
        return ""
    return "、".join(label for i, (_f, label) in enumerate(recent) if i not in best)
