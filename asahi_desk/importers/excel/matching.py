"""Match imported rows to the target year's programs: code, then exact name, then normalised name
(loose_name: NFKC, spaces, brackets, quotes, （拡）-style markers)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from asahi_desk.domain.entities import copied
from asahi_desk.domain.rules import normalise_name
from asahi_desk.importers.excel.records import Record

MATCHED, NEW, UNMATCHED, CONFLICTING, SKIPPED = "matched", "new", "unmatched", "conflicting", "skipped"
STATUS_LABELS = {
    MATCHED: "一致",
    SKIPPED: "取り込まない",
    NEW: "新規（前年度の行なし）",
    UNMATCHED: "該当なし",
    CONFLICTING: "競合",
}
HOW_LABELS = {"code": "コード", "name": "事業名", "normalised": "事業名（表記ゆれ）", "decided": "指定", "": ""}


@dataclass(frozen=True)
class Target:
    """A program of the target year, as the preview shows it."""

    uid: str
    code: str | None
    name: str
    category: str
    current: int
    prior: int

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


@dataclass(frozen=True)
class PreviewRow:
    status: str
    record: Record | None  # None for a target program no row matched (status NEW)
    target: Target | None = None
    how: str = ""  # code | name | normalised | decided
    candidates: tuple[Target, ...] = ()
    reason: str = ""

    @property
    def needs_decision(self) -> bool:
        return self.status in (UNMATCHED, CONFLICTING)

    def line(self, sheet: str) -> str:
        """One Japanese line for the CLI."""
        from asahi_desk.importers.excel.cells import place

        if self.record is None:
            return f"{STATUS_LABELS[self.status]}: {self.target.label if self.target else ''}（前年度額は変更しません）"
        r = self.record
        text = f"{place(sheet, r.row)}: {STATUS_LABELS[self.status]}: 「{r.name}」 {r.amount:,}千円"
        if self.target is not None:
            text += f" → {self.target.label}（{HOW_LABELS.get(self.how, self.how)}）"
        if self.reason:
            text += f" — {self.reason}"
        return text


# Quotes around a name and the markers printed before it (（拡）（新）【新規】◎ …) are not part of the name.
_QUOTES = "「」『』\"“”'‘’〈〉《》"
_MARKER = re.compile(r"^(?:[(\[【〈《](?:新規?|拡充?|充実?|改善?|改|再|継続?|一部新規?|一部拡充?|重点)[)\]】〉》]"
                     r"|[◎○●◆◇★☆■□])+")


def loose_name(name: str) -> str:
    """The name as the third matching step compares it: normalise_name (NFKC, no spaces, no trailing
    （…） note), then no marker prefix and no surrounding quotes: 「（拡）健康生活支援事業」 and
    「「旭ふれあい区民まつり」」 match 健康生活支援事業 and 旭ふれあい区民まつり."""
    s = normalise_name(name)
    for _ in range(3):  # markers inside quotes, quotes inside markers
        before = s
        s = _MARKER.sub("", s)
        if len(s) >= 2 and s[0] in _QUOTES and s[-1] in _QUOTES:
            s = s[1:-1]
        s = normalise_name(s)
        if s == before:
            break
    return s or normalise_name(name)


def _norm_code(code: str | None) -> str | None:
    return normalise_name(code).upper() if code else None


def match(records: list[Record], targets: list[Target]) -> list[PreviewRow]:
    """Every record with its status, then the target programs no record matched (NEW)."""
    by_code: dict[str, list[Target]] = defaultdict(list)
    by_name: dict[str, list[Target]] = defaultdict(list)
    by_norm: dict[str, list[Target]] = defaultdict(list)
    for t in targets:
        if t.code:
            by_code[str(_norm_code(t.code))].append(t)
        by_name[t.name.strip()].append(t)
        by_norm[loose_name(t.name)].append(t)
    if not targets:  # a year not created yet (--create-prior on an empty database): every row UNMATCHED
        # alike, as _match_one finds it for the first (no claims, no NEW rows): copied for the others
        first = _match_one(records[0], by_code, by_name, by_norm) if records else None
        return [copied(first, record=r) for r in records]
    rows: list[PreviewRow] = []
    for r in records:
        rows.append(_match_one(r, by_code, by_name, by_norm))
    # Two rows claiming the same program: neither is taken until the clerk decides.
    claims: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row.status == MATCHED and row.target is not None:
            claims[row.target.uid].append(i)
    for _uid, idx in claims.items():
        if len(idx) > 1:
            others = "、".join(f"{rows[j].record.row}行" for j in idx if rows[j].record)
            for j in idx:
                rows[j] = PreviewRow(CONFLICTING, rows[j].record, None, "", (rows[j].target,),  # type: ignore[arg-type]
                                     f"同じ事業に複数の行が一致します（{others}）")
    claimed = {row.target.uid for row in rows if row.status == MATCHED and row.target}
    claimed |= {c.uid for row in rows if row.status == CONFLICTING for c in row.candidates}
    rows.extend(PreviewRow(NEW, None, t) for t in targets if t.uid not in claimed)
    return rows


def _match_one(r: Record, by_code: dict[str, list[Target]], by_name: dict[str, list[Target]],
               by_norm: dict[str, list[Target]]) -> PreviewRow:
    exact = by_name.get(r.name.strip(), [])
    # the loose name only when the exact one found nothing (and there is something to find)
    named = exact or (by_norm.get(loose_name(r.name), []) if by_norm else [])
    how_name = "name" if exact else "normalised"
    if r.code:
        coded = by_code.get(str(_norm_code(r.code)), [])
        if len(coded) == 1:
            t = coded[0]
            if named and t not in named:
                return PreviewRow(CONFLICTING, r, None, "", (t, *named),
                                  f"コード {r.code} は「{t.name}」、事業名は「{named[0].name}」を指します")
            return PreviewRow(MATCHED, r, t, "code")
    if len(named) == 1:
        return PreviewRow(MATCHED, r, named[0], how_name)
    if len(named) > 1:
        return PreviewRow(CONFLICTING, r, None, "", tuple(named), "同じ名前の事業が複数あります")
    return PreviewRow(UNMATCHED, r, None, "", (), "今年度の事業に一致するものがありません")


def decide(rows: list[PreviewRow], decisions: dict[int, str | None], targets: list[Target]) -> list[PreviewRow]:
    """Apply the clerk's choices (sheet row -> program uid, or None to skip the row)."""
    by_uid = {t.uid: t for t in targets}
    out: list[PreviewRow] = []
    for row in rows:
        if row.record is not None and row.record.row in decisions:
            uid = decisions[row.record.row]
            if uid is None:
                out.append(PreviewRow(SKIPPED, row.record, None, "decided", (), "取り込まない"))
            else:
                out.append(PreviewRow(MATCHED, row.record, by_uid[uid], "decided"))
        else:
            out.append(row)
    # A program now claimed by a decision is no longer NEW.
    claimed = {r.target.uid for r in out if r.status == MATCHED and r.target}
    return [r for r in out if not (r.status == NEW and r.target and r.target.uid in claimed)]
