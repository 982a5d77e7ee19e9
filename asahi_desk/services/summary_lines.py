"""The 総括表 lines the total page shows: plain records, no store, no SQLAlchemy (the window imports them before
the database is opened; services/printed_summary.py fills them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Drift:
    rows: int  # printed rows kept for this year
    differing: int  # of those, rows whose printed figures differ from the computed ones


Figures = tuple[int, int, int | None, str | None]  # 予算額, 前年度, 増▲減, 率 (the rate as printed: "▲" none, "-3.1")


@dataclass(frozen=True)
class SummaryLine:
    """One row of the 総括表 side by side: as printed (None: not printed) and as computed (None: the printed row
    names nothing the app computes)."""

    name: str
    printed: Figures | None
    computed: Figures | None

    def differs(self) -> tuple[bool, bool, bool, bool]:
        """Per column (予算額, 前年度, 増▲減, 率): printed and computed both there and not equal."""
        if self.printed is None or self.computed is None:
            return (False, False, False, False)
        return tuple(p != c for p, c in zip(self.printed, self.computed, strict=True))  # type: ignore[return-value]
