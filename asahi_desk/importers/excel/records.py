"""What a sheet read gives: its programs as compact records, the problems and notes, the totals."""

from __future__ import annotations

from dataclasses import dataclass, field

from asahi_desk.importers.excel.cells import CategoryLabel, place
from asahi_desk.importers.excel.totals import TotalCheck


@dataclass(frozen=True)
class Problem:
    """A cell the import cannot accept; `line()` is the Japanese message naming the place."""

    sheet: str
    row: int
    col: int | None
    message: str

    def line(self) -> str:
        return f"{place(self.sheet, self.row, self.col)}: {self.message}"


class SheetCategory:
    """A category read from the sheet, shared by its records. Its name may still grow while a vertical
    label is spelled down the column below the first program rows; complete once the sheet is read."""

    __slots__ = ("code", "name")

    def __init__(self, code: str | None, name: str) -> None:
        self.code = code
        self.name = name

    def __repr__(self) -> str:
        return f"SheetCategory({self.code!r}, {self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SheetCategory | CategoryLabel) and (self.code, self.name) == (other.code, other.name)

    def __hash__(self) -> int:
        return id(self)


@dataclass(frozen=True, slots=True)  # slots: one per program, 20,000 in a big sheet
class Record:
    """One program read from the sheet (amounts in 千円)."""

    row: int
    name: str
    amount: int
    code: str | None = None
    number: int | None = None
    category: SheetCategory | None = None
    current: int | None = None
    sections: tuple[str, ...] = ()
    rows: int = 1  # sheet rows summed into it (tables of line items)
    earlier: int | None = None  # the amount of the year before (fills the prior amounts of a created year)
    budget_class: str | None = None


@dataclass
class ParsedSheet:
    sheet: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings the clerk should read
    skipped_rows: int = 0
    totals: list[TotalCheck] = field(default_factory=list)  # the sheet's 合計 rows against the rows read

    @property
    def read_total(self) -> int:
        return sum(r.amount for r in self.records)

    def mismatches(self) -> list[TotalCheck]:
        return [t for t in self.totals if not t.ok]
