"""Assemble the handout: 次第, 資料1 (総括表, 事業別一覧表, programs), the review, stamped attachments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from asahi_desk.domain.attachments import normalise_material
from asahi_desk.domain.entities import Budget, Meeting, Review
from asahi_desk.domain.errors import InputError
from asahi_desk.reports.pdf import stamp
from asahi_desk.reports.pdf.agenda import agenda_story, material_label
from asahi_desk.reports.pdf.document import build_pdf
from asahi_desk.reports.pdf.programs import programs_story
from asahi_desk.reports.pdf.review import RowIndicators, review_story
from asahi_desk.reports.pdf.summary import list_story, summary_story

AGENDA_NAME = "次第"
BUDGET_MATERIAL = "資料1"
ATTACHMENT_TITLE = "添付資料"

Progress = Callable[[int, int, str], None]  # (done, total, what)


@dataclass(frozen=True)
class Part:
    """One material: its file stem (次第, 資料1 …) and PDF bytes."""

    name: str
    data: bytes


def build_parts(budget: Budget, meeting: Meeting, *, attachments: Mapping[str, bytes] | None = None,
                review: Review | None = None, review_material: str | None = None,
                review_indicators: RowIndicators | None = None, progress: Progress | None = None,
                attachment_titles: Mapping[str, str] | None = None) -> list[Part]:
    """Materials in order: 次第, 資料1, then the others by number. attachments maps '資料2' -> PDF bytes;
    attachment_titles '資料2' -> what the 次第's 配付資料 calls it when the agenda does not (its file name);
    review_indicators: the review rows' linked indicators to print under them."""
    attachments = dict(attachments or {})
    budget_title = budget.title or f"{budget.ward} 執行計画"
    titles = {BUDGET_MATERIAL: budget_title}
    others: dict[str, Callable[[], bytes]] = {}
    for name, data in attachments.items():
        others[name] = (lambda d=data, n=name: stamp.stamp(d, material_label(n)))
        titles[name] = (attachment_titles or {}).get(name) or ATTACHMENT_TITLE
    if review is not None and review_material:
        review_title = review.title or "振り返り"
        others[review_material] = lambda: build_pdf(review_story(review, review_indicators), title=review_title,
                                                    label=material_label(review_material))
        titles[review_material] = review_title
    ordered = [BUDGET_MATERIAL, *sorted(others, key=material_number)]
    titles |= _agenda_titles(meeting, set(ordered))
    held = [(name, titles[name]) for name in ordered]
    jobs: list[tuple[str, Callable[[], bytes]]] = [
        (AGENDA_NAME, lambda: build_pdf(agenda_story(meeting, held), title=f"{meeting.title} 次第",
                                        page_numbers=False)),
        (BUDGET_MATERIAL, lambda: build_pdf(summary_story(budget) + list_story(budget) + programs_story(budget),
                                            title=budget_title, label=material_label(BUDGET_MATERIAL))),
    ]
    jobs += [(name, others[name]) for name in ordered[1:]]
    parts: list[Part] = []
    for i, (name, job) in enumerate(jobs):
        if progress:
            progress(i, len(jobs), name)
        parts.append(Part(name, job()))
    if progress:
        progress(len(jobs), len(jobs), "")
    return parts


def _agenda_titles(meeting: Meeting, names: set[str]) -> dict[str, str]:
    """The title of the agenda item that refers to each material, where one does."""
    found: dict[str, str] = {}
    for item in meeting.agenda:
        for sub in item.items:
            try:
                name = normalise_material(sub.material)
            except InputError:
                continue
            if name in names and name not in found:
                found[name] = sub.title
    return found


def combine(parts: list[Part], title: str) -> bytes:
    return stamp.merge([p.data for p in parts], title)


def material_number(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 10**6
