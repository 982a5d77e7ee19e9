"""Assemble the handout: 次第, 資料1 (総括表, 事業別一覧表, programs), the review, stamped attachments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from asahi_desk.domain.entities import Budget, Meeting, Review
from asahi_desk.reports.pdf import stamp
from asahi_desk.reports.pdf.agenda import agenda_story, material_label
from asahi_desk.reports.pdf.document import build_pdf
from asahi_desk.reports.pdf.programs import programs_story
from asahi_desk.reports.pdf.review import RowIndicators, review_story
from asahi_desk.reports.pdf.summary import list_story, summary_story

AGENDA_NAME = "次第"
BUDGET_MATERIAL = "資料1"

Progress = Callable[[int, int, str], None]  # (done, total, what)


@dataclass(frozen=True)
class Part:
    """One material: its file stem (次第, 資料1 …) and PDF bytes."""

    name: str
    data: bytes


def build_parts(budget: Budget, meeting: Meeting, *, attachments: Mapping[str, bytes] | None = None,
                review: Review | None = None, review_material: str | None = None,
                review_indicators: RowIndicators | None = None, progress: Progress | None = None) -> list[Part]:
    """Materials in order: 次第, 資料1, then the others by number. attachments maps '資料2' -> PDF bytes."""
    attachments = dict(attachments or {})
    jobs: list[tuple[str, Callable[[], bytes]]] = [
        (AGENDA_NAME, lambda: build_pdf(agenda_story(meeting), title=f"{meeting.title} 次第", page_numbers=False)),
        (BUDGET_MATERIAL, lambda: build_pdf(summary_story(budget) + list_story(budget) + programs_story(budget),
                                            title=budget.title or f"{budget.ward} 執行計画",
                                            label=material_label(BUDGET_MATERIAL))),
    ]
    others: dict[str, Callable[[], bytes]] = {}
    for name, data in attachments.items():
        others[name] = (lambda d=data, n=name: stamp.stamp(d, material_label(n)))
    if review is not None and review_material:
        others[review_material] = lambda: build_pdf(review_story(review, review_indicators), title=review.title or "振り返り",
                                                    label=material_label(review_material))
    jobs += sorted(others.items(), key=lambda kv: material_number(kv[0]))
    parts: list[Part] = []
    for i, (name, job) in enumerate(jobs):
        if progress:
            progress(i, len(jobs), name)
        parts.append(Part(name, job()))
    if progress:
        progress(len(jobs), len(jobs), "")
    return parts


def combine(parts: list[Part], title: str) -> bytes:
    return stamp.merge([p.data for p in parts], title)


def material_number(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 10**6
