"""Find the header row, read its labels, propose which column holds which field (and remember it)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from asahi_desk.domain.fiscal import fiscal_year_label
from asahi_desk.importers.excel.cells import squeeze, text_of, unit_of_text, year_of_label
from asahi_desk.importers.excel.workbook import Row

HEADER_SCAN_ROWS = 40

# field -> what the wizard calls it
FIELDS: dict[str, str] = {
    "category": "施策",
    "code": "事業コード",
    "number": "番号",
    "name": "事業名",
    "item": "細事業名（細事業ごとの表）",
    "amount": "取り込む金額（前年度額）",
    "current": "本年度額（参考）",
    "change": "増▲減（検算）",
    "sections": "課名",
}
AMOUNT_FIELDS = ("amount", "current", "change")


@dataclass(frozen=True)
class Header:
    row: int
    labels: tuple[str, ...]  # by column, 1-based column = index + 1
    unit: str  # 千円 | 円 (from the rows above the header or the amount labels)
    unit_from: str = ""  # the text that said so


@dataclass
class Mapping:
    """Which column (1-based) holds each field; the header row; the unit of the amounts."""

    header_row: int
    columns: dict[str, int] = field(default_factory=dict)
    unit: str = "千円"

    def col(self, name: str) -> int | None:
        return self.columns.get(name)

    def as_json(self) -> dict:
        return {"header_row": self.header_row, "columns": dict(self.columns), "unit": self.unit}

    @classmethod
    def from_json(cls, data: dict) -> Mapping:
        cols = {str(k): int(v) for k, v in dict(data.get("columns", {})).items() if k in FIELDS}
        return cls(int(data.get("header_row", 1)), cols, str(data.get("unit", "千円")))


def label_field(label: str) -> str | None:
    """The field a header label names, or None (amount columns are decided with the years)."""
    s = squeeze(label)
    if not s:
        return None
    if "細事業" in s or s in {"内訳", "細目"}:
        return "item"
    if "コード" in s or s in {"事業番号", "事業ID"}:
        return "code"
    if s.rstrip(".") in {"No", "NO", "no", "番号", "#", "項番", "№"}:
        return "number"
    if any(k in s for k in ("増▲減", "増△減", "増減", "差引", "差額", "対前年")) and "率" not in s:
        return "change"
    if "率" in s:
        return None
    if "事業名" in s or s in {"名称", "事業", "項目", "事業名称"}:
        return "name"
    if any(k in s for k in ("課名", "担当課", "所管課", "所管", "担当")) or s == "課":
        return "sections"
    if any(k in s for k in ("施策", "分野", "分類", "柱")):
        return "category"
    if is_amount_label(s):
        return "amount?"
    return None


def is_amount_label(label: str) -> bool:
    s = squeeze(label)
    return year_of_label(s) is not None or any(k in s for k in ("予算", "金額", "決算", "前年度", "本年度", "今年度", "当初"))


def score_row(values: Row) -> int:
    kinds = [label_field(text_of(v)) for v in values if isinstance(v, str)]
    found = {k for k in kinds if k}
    if "name" not in found and "item" not in found:
        return 0
    return len(found) + sum(1 for k in kinds if k == "amount?")


def find_header(rows: Iterable[tuple[int, Row]]) -> Header | None:
    """The best-scoring row among the first HEADER_SCAN_ROWS (the header is not always row 1)."""
    best: tuple[int, int, Row] | None = None
    unit, unit_from = "", ""
    above: list[Row] = []
    for number, values in rows:
        if number > HEADER_SCAN_ROWS:
            break
        s = score_row(values)
        if s >= 2 and (best is None or s > best[0]):
            best = (s, number, values)
            unit, unit_from = _unit_from(above + [values])
        above.append(values)
    if best is None:
        return None
    return Header(best[1], tuple(text_of(v) for v in best[2]), unit or "千円", unit_from)


def _unit_from(rows: list[Row]) -> tuple[str, str]:
    for values in reversed(rows):
        for v in values:
            if isinstance(v, str) and (u := unit_of_text(v)):
                return u, v.strip()
    return "", ""


def propose_mapping(header: Header, target_year: int) -> tuple[Mapping, list[str]]:
    """A mapping from the labels, and warnings in Japanese. `target_year` is the year whose prior
    amounts are filled, so the amount wanted is the column of target_year - 1."""
    mapping = Mapping(header.row, unit=header.unit)
    notes: list[str] = []
    amounts: list[tuple[int, str, int | None]] = []
    for i, label in enumerate(header.labels, start=1):
        kind = label_field(label)
        if kind == "amount?":
            amounts.append((i, label, year_of_label(label)))
        elif kind and kind not in mapping.columns:
            mapping.columns[kind] = i
    years = [a for a in amounts if a[2] is not None]
    wanted = target_year - 1
    if years:
        for i, _label, year in years:
            if year == wanted and "amount" not in mapping.columns:
                mapping.columns["amount"] = i
            elif year == target_year and "current" not in mapping.columns:
                mapping.columns["current"] = i
        if "amount" not in mapping.columns:
            found = "、".join(f"「{label}」" for _i, label, _y in years)
            notes.append(f"{fiscal_year_label(wanted)}の金額列が見つかりません（見出し: {found}）。列を指定してください")
    elif amounts:
        plain = [a for a in amounts if "前年度" not in squeeze(a[1])] or amounts
        mapping.columns["amount"] = plain[0][0]
        if len(amounts) > 1:
            notes.append(f"見出しに年度がないため「{plain[0][1]}」列を{fiscal_year_label(wanted)}の金額として使います。"
                         "違う場合は列を指定してください")
    if "name" not in mapping.columns and "item" in mapping.columns:
        mapping.columns["name"] = mapping.columns.pop("item")  # a table of one kind of row only
    if "category" not in mapping.columns:
        first = min(mapping.columns.values(), default=1)
        if first > 1 and not header.labels[0]:
            mapping.columns["category"] = 1  # the ward's layout: vertical category labels in an unlabelled column A
    if header.unit == "円":
        notes.append(f"単位が円です（「{header.unit_from}」）: 千円に換算します（千円未満は四捨五入）")
    return mapping, notes


def signature(header: Header) -> str:
    """Identifies a kind of workbook across years: labels with their year numbers blanked."""
    parts = [re.sub(r"\d+|元", "#", squeeze(label)) for label in header.labels]
    while parts and not parts[-1]:
        parts.pop()
    return hashlib.sha256("\t".join(parts).encode("utf-8")).hexdigest()
