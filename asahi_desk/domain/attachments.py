"""A PDF attached to a meeting as a further material (資料2 …), and the rule for material labels."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from asahi_desk.domain.errors import InputError

_LABEL = re.compile(r"^資料(\d{1,3})$")


@dataclass(frozen=True)
class Attachment:
    material: str  # canonical '資料2'
    filename: str
    data: bytes = b""
    id: int | None = None


def normalise_material(text: str, where: str = "資料") -> str:
    """'資料２', ' 資料 2 ' -> '資料2'; anything else is bad input."""
    label = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    m = _LABEL.match(label)
    if not m or int(m.group(1)) < 1:
        raise InputError(f"資料の番号が正しくありません（{text}）: 資料2 のように指定してください", where)
    return f"資料{int(m.group(1))}"
