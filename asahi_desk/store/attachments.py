"""Meeting attachments (AttachmentRow) in and out of the database, and meetings by fiscal year."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from asahi_desk.domain.attachments import Attachment
from asahi_desk.domain.entities import Meeting
from asahi_desk.domain.errors import NotFoundError
from asahi_desk.store import repository as repo
from asahi_desk.store.models import AttachmentRow, FiscalYear, MeetingRow


def meeting_rows(session: Session, year: int) -> list[MeetingRow]:
    fy = repo.get_fiscal_year(session, year)
    return list(session.scalars(select(MeetingRow).where(MeetingRow.fiscal_year_id == fy.id)
                                .order_by(MeetingRow.position, MeetingRow.id)))


def get_meeting_row(session: Session, meeting_id: int) -> MeetingRow:
    row = session.get(MeetingRow, meeting_id)
    if row is None:
        raise NotFoundError(f"会議が見つかりません（ID {meeting_id}）")
    return row


def meeting_year(session: Session, meeting_id: int) -> int | None:
    """The fiscal year (2024 …) a meeting belongs to; None once it is gone."""
    return session.scalar(select(FiscalYear.year).join(MeetingRow, MeetingRow.fiscal_year_id == FiscalYear.id)
                          .where(MeetingRow.id == meeting_id))


def load_attachments(session: Session, meeting_id: int, *, with_data: bool = True) -> list[Attachment]:
    rows = session.scalars(select(AttachmentRow).where(AttachmentRow.meeting_id == meeting_id)
                           .order_by(AttachmentRow.material)).all()
    return [Attachment(r.material, r.filename, r.data if with_data else b"", r.id) for r in rows]


def put_attachment(session: Session, meeting_id: int, attachment: Attachment) -> None:
    """Insert, or replace the file of the same material."""
    row = session.scalar(select(AttachmentRow).where(AttachmentRow.meeting_id == meeting_id,
                                                     AttachmentRow.material == attachment.material))
    if row is None:
        session.add(AttachmentRow(meeting_id=meeting_id, material=attachment.material,
                                  filename=attachment.filename, data=attachment.data))
    else:
        row.filename, row.data = attachment.filename, attachment.data


def replace_attachments(session: Session, meeting_id: int, attachments: list[Attachment]) -> None:
    """Keep exactly these materials; an attachment with empty data keeps its stored file."""
    keep = {a.material for a in attachments}
    for row in session.scalars(select(AttachmentRow).where(AttachmentRow.meeting_id == meeting_id)).all():
        if row.material not in keep:
            session.delete(row)
    session.flush()
    for a in attachments:
        if a.data:
            put_attachment(session, meeting_id, a)


def save_meeting(session: Session, year: int, meeting: Meeting) -> int:
    """Insert (id None) or replace a meeting's fields and agenda; returns its id."""
    fresh = repo.meeting_row(meeting, 0)
    if meeting.id is None:
        fy = repo.get_fiscal_year(session, year)
        fresh.position = len(meeting_rows(session, year))
        fresh.fiscal_year_id = fy.id
        session.add(fresh)
        session.flush()
        return fresh.id
    row = get_meeting_row(session, meeting.id)
    row.title, row.date, row.start_time, row.venue = meeting.title, meeting.date, meeting.start_time, meeting.venue
    row.agenda.clear()
    session.flush()
    row.agenda.extend(fresh.agenda)
    session.flush()
    return row.id


def delete_meeting(session: Session, meeting_id: int) -> None:
    session.delete(get_meeting_row(session, meeting_id))
