"""Review rows tied to budget programs: how a link written as a code (or name) finds its program."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from asahi_desk.domain.entities import ProgramLink, Review, ReviewRow
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.fiscal import fiscal_year_label, relabel_fiscal_year

# (uid, code, name) of one year's programs, in print order
YearPrograms = Sequence[tuple[str, str | None, str]]


def program_label(code: str | None, name: str) -> str:
    """What a link is written as: the program's code, or its name when it has none (lump rows)."""
    return code or name


def find_program(label: str, programs: YearPrograms) -> str | None:
    """The uid of the program a label names: by code first, then by name."""
    label = label.strip()
    for uid, code, _name in programs:
        if code and code == label:
            return uid
    for uid, _code, name in programs:
        if name == label:
            return uid
    return None


def resolve_links(review: Review, programs: YearPrograms, source: str) -> Review:
    """Every link of the review pointed at a program of its year's budget (by identity), labels made
    the programs' current ones; a label the year does not have is refused with its place."""
    labels = {uid: program_label(code, name) for uid, code, name in programs}
    areas = []
    for ai, area in enumerate(review.areas):
        initiatives = []
        for ii, ini in enumerate(area.initiatives):
            rows = []
            for ri, row in enumerate(ini.rows):
                where = f"{source}: areas[{ai}]（{area.name}）.initiatives[{ii}].rows[{ri}].programs"
                rows.append(resolve_row(row, programs, labels, review.fiscal_year, where))
            initiatives.append(replace(ini, rows=tuple(rows)))
        areas.append(replace(area, initiatives=tuple(initiatives)))
    return replace(review, areas=tuple(areas))


def resolve_row(row: ReviewRow, programs: YearPrograms, labels: dict[str, str], year: int, where: str) -> ReviewRow:
    links = []
    for k, link in enumerate(row.programs):
        uid = link.uid if link.uid in labels else find_program(link.label, programs)
        if uid is None:
            raise InputError(f"{fiscal_year_label(year)}の予算に事業「{link.label}」がありません", f"{where}[{k}]")
        if uid in (x.uid for x in links):
            raise InputError(f"事業「{link.label}」が2回あります", f"{where}[{k}]")
        links.append(ProgramLink(labels[uid], uid))
    return replace(row, programs=tuple(links))


def next_year_review(review: Review, year: int) -> Review:
    """Next year's review from an earlier one: areas, initiatives, rows, 担当課, 事業内容 and links kept
    (by program identity), 振り返り emptied, the title naming the new year; database ids dropped."""
    return replace(review, fiscal_year=year, id=None, uncertain=None,
                   title=relabel_fiscal_year(review.title, review.fiscal_year, year), areas=tuple(
        replace(a, id=None, initiatives=tuple(
            replace(i, id=None, rows=tuple(replace(r, id=None, results=()) for r in i.rows))
            for i in a.initiatives)) for a in review.areas))


def row_label(row: ReviewRow) -> str:
    """A row as the tree and messages name it: its 担当課, or its first plan bullet."""
    if row.sections:
        return "・".join(row.sections)
    return (row.plan[0][:20] if row.plan else "（担当課なし）")
