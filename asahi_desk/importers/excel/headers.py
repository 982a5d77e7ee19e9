"""Find the header row, read its labels, propose which column holds which field (and remember it)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from asahi_desk.domain.fiscal import fiscal_year_label
from asahi_desk.importers.excel.cells import (
    ROUNDING_RULE,
    UNIT_FACTORS,
    category_label,
    is_blank,
    is_note,
    is_total_label,
    looks_numeric,
    squeeze,
    text_of,
    unit_of_text,
    year_of_label,
)
from asahi_desk.importers.excel.workbook import Row

HEADER_SCAN_ROWS = 40
SAMPLE_ROWS = 60  # rows below the header looked at to tell a name column from a No. or category column

# field -> what the wizard calls it
FIELDS: dict[str, str] = {
    "budget_class": "予算区分",
    "category": "施策",
    "code": "事業コード",
    "number": "番号",
    "name": "事業名",
    "item": "細事業名（細事業ごとの表）",
    "amount": "取り込む金額（前年度額）",
    "current": "本年度額（参考）",
    "earlier": "前年度の前年度額（前年度を作成するとき）",
    "change": "増▲減（検算）",
    "sections": "課名",
}
AMOUNT_FIELDS = ("amount", "current", "earlier", "change")
# the year each amount field holds, relative to the target year (the year whose prior amounts are filled)
YEAR_OFFSETS = {"amount": -1, "current": 0, "earlier": -2}


@dataclass(frozen=True)
class Header:
    row: int
    labels: tuple[str, ...]  # by column, 1-based column = index + 1
    unit: str  # 千円 | 円 | 万円 | 百万円, or a unit stated that cannot be converted (refused by the service)
    unit_from: str = ""  # the text that said so
    sample: tuple[Row, ...] = ()  # up to SAMPLE_ROWS rows below the header (not part of the signature)
    title: str = ""  # the first text above the header (令和６年度 旭区個性ある区づくり推進費 事業別一覧表)

    def amount_years(self) -> set[int]:
        """The fiscal years the amount columns' labels name."""
        return {y for label in self.labels if label_field(label) == "amount?" and (y := year_of_label(label))}


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
    """The best-scoring row among the first HEADER_SCAN_ROWS (the header is not always row 1), with
    up to SAMPLE_ROWS rows below it as a sample of the data."""
    best: tuple[int, int, Row] | None = None
    unit, unit_from = "", ""
    above: list[Row] = []
    sample: list[Row] = []
    for number, values in rows:
        if best is not None and number > best[1] + SAMPLE_ROWS:
            break
        if number <= HEADER_SCAN_ROWS:
            s = score_row(values)
            if s >= 2 and (best is None or s > best[0]):
                best = (s, number, values)
                unit, unit_from = _unit_from(above + [values])
                sample = []
                above.append(values)
                continue
        elif best is None:
            break
        above.append(values)
        if best is not None:
            sample.append(values)
    if best is None:
        return None
    title = next((text_of(v) for values in above[: best[1] - 1] for v in values if isinstance(v, str) and v.strip()), "")
    return Header(best[1], tuple(text_of(v) for v in best[2]), unit or "千円", unit_from, tuple(sample), title)


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
            for name, offset in YEAR_OFFSETS.items():
                if year == target_year + offset and name not in mapping.columns:
                    mapping.columns[name] = i
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
    if header.sample:
        _columns_from_data(header, mapping)
    if "category" not in mapping.columns:
        first = min(mapping.columns.values(), default=1)
        if first > 1 and not header.labels[0]:
            mapping.columns["category"] = 1  # the ward's layout: vertical category labels in an unlabelled column A
    if header.unit != "千円" and header.unit in UNIT_FACTORS:
        notes.append(f"単位が{header.unit}です（「{header.unit_from}」）: 千円に換算します（{ROUNDING_RULE}）")
    return mapping, notes


def _column_kinds(header: Header, col: int) -> tuple[int, int, int]:
    """(names, numbers, category labels) among the sample cells of a column."""
    names = numbers = cats = 0
    for values in header.sample:
        v = values[col - 1] if col <= len(values) else None
        if is_blank(v):
            continue
        if looks_numeric(v):
            numbers += 1
            continue
        t = text_of(v)
        label = category_label(t)
        if label is not None and label.code:
            cats += 1
        elif not is_total_label(t) and not is_note(t) and len(squeeze(t)) > 2:
            names += 1
    return names, numbers, cats


def _columns_from_data(header: Header, mapping: Mapping) -> None:
    """Correct the mapping with the data below the header, for what merged header cells hide.

    A 事業名 label merged over No. + name (or over B:D) sits in the left-most cell: of that column and
    the unlabelled columns right of it, the one holding names is the name column, and the others give
    the No. (numbers) and the category (Ⅰ 安全・安心 …). Unlabelled columns left of the name hold, from
    the inside out, the No., the innermost category (labels with Ⅰ–Ⅻ) and the budget class (other text,
    e.g. a vertical 自主企画事業 label in column A).
    """
    labels = header.labels
    used = set(mapping.columns.values())
    name_col = mapping.col("name")
    if name_col is None:
        return
    candidates = [name_col]
    for col in range(name_col + 1, len(labels) + 1):
        if labels[col - 1] or col in used:
            break
        candidates.append(col)
    kinds = {col: _column_kinds(header, col) for col in candidates}
    best = max(candidates, key=lambda c: (kinds[c][0], -candidates.index(c)))
    if best != name_col and kinds[best][0] > kinds[name_col][0]:
        mapping.columns["name"] = best
        used.discard(name_col)
        used.add(best)
    name_col = mapping.columns["name"]
    unlabelled = [c for c in range(name_col - 1, 0, -1) if c not in used and (not labels[c - 1] or c in candidates)]
    unlabelled += [c for c in candidates if c > name_col]
    for col in sorted(unlabelled, key=lambda c: abs(c - name_col)):
        names, numbers, cats = _column_kinds(header, col)
        if not (names or numbers or cats):
            continue
        if numbers > names + cats and "number" not in mapping.columns and col > name_col - 3:
            mapping.columns["number"] = col
        elif cats and cats >= numbers and "category" not in mapping.columns:
            mapping.columns["category"] = col
        elif names and col < name_col and "category" in mapping.columns and "budget_class" not in mapping.columns \
                and col < mapping.columns["category"]:
            mapping.columns["budget_class"] = col


def check_years(mapping: Mapping, header: Header, target_year: int, *, repoint: bool) -> list[str]:
    """Compare the amount columns with the years their labels name (a remembered mapping was made for
    some other year, or the clerk chose a column). With `repoint`, a column whose label names another
    year is replaced by the column labelled with the right year, or dropped when there is none; without,
    each contradiction is reported. Returns Japanese notes; never reads a contradicting column silently."""
    notes: list[str] = []
    by_year: dict[int, int] = {}
    for i, label in enumerate(header.labels, start=1):
        year = year_of_label(label) if label_field(label) == "amount?" else None
        if year is not None:
            by_year.setdefault(year, i)
    for name, offset in YEAR_OFFSETS.items():
        col = mapping.col(name)
        if col is None or col > len(header.labels):
            continue
        label = header.labels[col - 1]
        year = year_of_label(label)
        expected = target_year + offset
        if year is None or year == expected:
            continue
        if not repoint:
            notes.append(f"「{label}」列（{fiscal_year_label(year)}）を{fiscal_year_label(expected)}の"
                         f"{FIELDS[name]}として読みます。列の指定を確かめてください")
            continue
        right = by_year.get(expected)
        if right is not None:
            mapping.columns[name] = right
            notes.append(f"前回の対応の「{label}」列は{fiscal_year_label(year)}の金額のため、"
                         f"{FIELDS[name]}には「{header.labels[right - 1]}」列を使います")
        else:
            del mapping.columns[name]
            if name == "amount":
                notes.append(f"前回の対応の「{label}」列は{fiscal_year_label(year)}の金額です。"
                             f"{fiscal_year_label(expected)}の金額列がありません")
    taken: dict[int, str] = {}
    for name in YEAR_OFFSETS:  # two fields re-pointed onto one column: the amount keeps it
        col = mapping.col(name)
        if col is not None:
            if col in taken:
                del mapping.columns[name]
            else:
                taken[col] = name
    return notes


def signature(header: Header) -> str:
    """Identifies a kind of workbook across years: labels with their year numbers blanked."""
    parts = [re.sub(r"\d+|元", "#", squeeze(label)) for label in header.labels]
    while parts and not parts[-1]:
        parts.pop()
    return hashlib.sha256("\t".join(parts).encode("utf-8")).hexdigest()
