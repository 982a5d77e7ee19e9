"""What the edit forms show and the clerk's login name: plain records, no store, no SQLAlchemy, so the window's
forms import them before the database is opened (services/editing.py fills them)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asahi_desk.domain.entities import Indicator

__all__ = ["CURRENT_IS_SUM_MESSAGE", "CategoryFields", "LineItemFields", "ProgramFields", "os_login"]


@dataclass(frozen=True)
class ProgramFields:
    id: int
    category_id: int
    code: str | None
    number: int
    name: str
    purpose: str
    current: int
    prior: int
    sections: tuple[str, ...]
    related: tuple[tuple[str, str, int | None], ...]  # name, bureau, amount
    photo_captions: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    line_items: int = 0  # how many; with any, `current` is their sum and not edited on the program itself
    version: int = 1  # the row's version: a write from a form states it


@dataclass(frozen=True)
class LineItemFields:
    id: int
    program_id: int
    number: int
    name: str
    amount: int
    marker: str | None
    activities: tuple[str, ...]
    version: int = 1


@dataclass(frozen=True)
class CategoryFields:
    id: int
    code: str | None
    name: str
    position: int
    version: int = 1


CURRENT_IS_SUM_MESSAGE = "細事業のある事業の今年度予算額は細事業の合計です。細事業の金額を編集してください"


def os_login() -> str:
    """The clerk's OS login name (the history's clerk unless a 担当者名 is set)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in this environment
        return "不明"
