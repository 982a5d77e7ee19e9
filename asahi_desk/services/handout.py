"""Export the meeting handout: load everything read-only, build the PDFs in memory, write atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asahi_desk.domain.attachments import Attachment, normalise_material
from asahi_desk.domain.entities import Meeting, Review
from asahi_desk.domain.error_text import os_error
from asahi_desk.domain.errors import InputError, NotFoundError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both
from asahi_desk.services.output_files import staged_outputs
from asahi_desk.services.review_export import load_review, row_indicators
from asahi_desk.store import attachments as store
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import SessionFactory, read_only, unit_of_work

BUDGET_MATERIAL = "資料1"


@dataclass(frozen=True)
class ExportRequest:
    fiscal_year: int
    out: Path
    meeting_id: int | None = None
    attach: Mapping[str, Path] = field(default_factory=dict)  # '資料2' -> a PDF file
    split_dir: Path | None = None
    review_year: int | None = None
    review_indicators: bool = False  # under each review row, its linked programs' indicators (目標, 実績, 達成率)
    use_stored_attachments: bool = True
    store_attachments: bool = True  # remember --attach files on the meeting for the next export


@dataclass(frozen=True)
class ExportResult:
    files: tuple[Path, ...]
    pages: int
    materials: tuple[str, ...]
    meeting: Meeting
    missing: tuple[str, ...] = ()  # materials the agenda names that the handout does not contain

    def describe(self, *, with_missing_note: bool = True) -> str:
        """with_missing_note=False for the GUI, which words the missing materials itself (no CLI options)."""
        text = (f"会議資料PDFを書き出しました（{self.meeting.title}、{'・'.join(self.materials)}、"
                f"{self.pages}ページ）: {self.files[0]}")
        return text + (f"　{self.missing_note()}" if self.missing and with_missing_note else "")

    def missing_note(self) -> str:
        """The CLI's wording (names --attach)."""
        labels = "・".join(self.missing)
        return f"注意: 次第に挙げた{labels}が入っていません（--attach {self.missing[0]}=FILE.pdf か会議の添付で指定）"


class HandoutService:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    def export(self, request: ExportRequest, progress: object = None) -> ExportResult:
        from asahi_desk.reports.pdf.handout import build_parts, combine

        year = check_fiscal_year(request.fiscal_year)
        _check_target(request.out)
        if request.split_dir is not None:
            _check_split_dir(request.split_dir)
        given = read_attachments(request.attach)
        with read_only(self._sessions) as s:
            if repo.find_fiscal_year(s, year) is None:
                raise NotFoundError(f"{fiscal_year_both(year)}の予算がありません")
            budget = repo.load_budget(s, repo.get_fiscal_year(s, year))
            meeting = _pick_meeting(budget.meetings, request.meeting_id, year)
            stored = store.load_attachments(s, meeting.id) if request.use_stored_attachments and meeting.id else []
            review = _review(s, request.review_year)
            review_indicators = row_indicators(s, review) if review is not None and request.review_indicators else None
        materials = {a.material: a.data for a in stored}
        materials.update({a.material: a.data for a in given})
        # what the 次第's 配付資料 calls an attachment the agenda does not name: its file name
        titles = {a.material: Path(a.filename).stem for a in [*stored, *given] if a.filename}
        review_material = None
        if review is not None:
            used = {normalise_material(m) for m in meeting.materials if _is_label(m)} | set(materials) | {BUDGET_MATERIAL}
            review_material = f"資料{max(int(m[2:]) for m in used) + 1}"
        parts = build_parts(budget, meeting, attachments=materials, review=review, review_material=review_material,
                            review_indicators=review_indicators, progress=progress,  # type: ignore[arg-type]
                            attachment_titles=titles)
        combined = combine(parts, f"{meeting.title} 会議資料")
        outputs: list[tuple[Path, bytes]] = [(request.out, combined)]
        made_split_dir = False
        if request.split_dir is not None:
            made_split_dir = not request.split_dir.exists()
            request.split_dir.mkdir(exist_ok=True)
            outputs += [(request.split_dir / f"{p.name}.pdf", p.data) for p in parts]
        storing = bool(given) and request.store_attachments and meeting.id is not None
        try:
            # the files are written to temporaries first, then the attachments kept with the meeting are stored
            # in one short transaction (the write lock is held for them only), and the files are put in place
            # once it committed: a database that refuses them (locked, full) leaves no handout behind
            with staged_outputs(outputs) as place:
                if storing:
                    with unit_of_work(self._sessions) as s:
                        for a in given:
                            store.put_attachment(s, meeting.id, a)  # type: ignore[arg-type]
                place()
        except BaseException:
            if made_split_dir:  # nothing written means no new empty folder left behind either
                shutil.rmtree(request.split_dir, ignore_errors=True)
            raise
        import io

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(combined)).pages)
        missing = missing_materials(meeting, [p.name for p in parts])
        return ExportResult(tuple(p for p, _ in outputs), pages, tuple(p.name for p in parts), meeting, missing)


def missing_materials(meeting: Meeting, available: Iterable[str]) -> tuple[str, ...]:
    """The 資料N the meeting's agenda names that are not among the available ones (資料1, the budget,
    is always built). The GUI asks this before exporting, with the stored and the added attachments."""
    have = {normalise_material(m) for m in available if _is_label(m)} | {BUDGET_MATERIAL}
    return tuple(m for m in meeting.materials if _is_label(m) and normalise_material(m) not in have)


def _is_label(text: str) -> bool:
    try:
        normalise_material(text)
    except InputError:
        return False
    return True


def _pick_meeting(meetings: tuple[Meeting, ...], meeting_id: int | None, year: int) -> Meeting:
    if not meetings:
        raise NotFoundError(f"{fiscal_year_both(year)}の会議がありません（先に会議を登録してください: "
                            f"asahi-desk meeting add、画面では 出力 → 会議の編集…）")
    if meeting_id is None:
        return meetings[0]
    for m in meetings:
        if m.id == meeting_id:
            return m
    ids = "、".join(str(m.id) for m in meetings)
    raise NotFoundError(f"{fiscal_year_both(year)}に会議 ID {meeting_id} はありません（あるのは {ids}）")


def _review(session: Any, year: int | None) -> Review | None:
    if year is None:
        return None
    return load_review(session, year)


def read_attachments(attach: Mapping[str, Path]) -> list[Attachment]:
    """Every file read and checked before anything is built or written."""
    from asahi_desk.reports.pdf.sanitize import MAX_BYTES, sanitize

    out: list[Attachment] = []
    for label, path in attach.items():
        path = Path(path)
        material = normalise_material(label, f"--attach {label}")
        if material == BUDGET_MATERIAL:
            raise InputError("資料1は執行計画です。添付資料には資料2以降を指定してください", str(path))
        if not path.is_file():
            raise InputError("添付するPDFが見つかりません", str(path))
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"添付するPDFが大きすぎます（{MAX_BYTES // 1024 // 1024} MB まで）", str(path))
        try:
            data = path.read_bytes()
        except OSError as e:
            raise InputError(f"添付するPDFを読めません（{os_error(e)}）", str(path)) from None
        data, _pages = sanitize(data, str(path))  # stored and merged without scripts, actions or files
        out.append(Attachment(material, path.name, data))
    return out


def _check_target(path: Path) -> None:
    path = Path(path)
    if path.is_dir():
        raise InputError("出力先がフォルダです（ファイル名を指定してください）", str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("出力先のフォルダがありません", str(folder))
    if not os.access(folder, os.W_OK):
        raise InputError("出力先のフォルダに書き込めません", str(folder))


def _check_split_dir(path: Path) -> None:
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError("分割出力先がフォルダではありません", str(path))
    parent = path if path.exists() else path.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise InputError("分割出力先のフォルダに書き込めません", str(path))
