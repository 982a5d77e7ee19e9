"""SQLAlchemy typed ORM models. Money columns are integers of 千円.

A program's `uid` is its identity across fiscal years: rollover copies it, prior-year import and the
prior-year check look it up. Ordered children carry a `position`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Versioned:
    """An editable row: its version goes up by one with every write (revision 0003). The ORM adds
    `WHERE version = :seen` to its UPDATEs and DELETEs and raises StaleDataError when another writer got
    there first; Core statements add the clause themselves (store/operations.py)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared_attr gets the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Ward(Base):
    __tablename__ = "ward"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    city: Mapped[str] = mapped_column(String(100), default="")


class FiscalYear(Versioned, Base):
    __tablename__ = "fiscal_year"
    __table_args__ = (UniqueConstraint("ward_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    summary_notes: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    overview: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    uncertain: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    has_printed_summary: Mapped[bool] = mapped_column(Boolean, default=False)

    ward: Mapped[Ward] = relationship()
    budget_classes: Mapped[list[BudgetClassRow]] = relationship(
        order_by="BudgetClassRow.position", cascade="all, delete-orphan", passive_deletes=True)
    categories: Mapped[list[CategoryRow]] = relationship(
        order_by="CategoryRow.position", cascade="all, delete-orphan", passive_deletes=True)
    summary_rows: Mapped[list[SummaryRowRow]] = relationship(
        order_by="SummaryRowRow.position", cascade="all, delete-orphan", passive_deletes=True)
    meetings: Mapped[list[MeetingRow]] = relationship(
        order_by="MeetingRow.position", cascade="all, delete-orphan", passive_deletes=True)


class BudgetClassRow(Versioned, Base):
    __tablename__ = "budget_class"
    __table_args__ = (UniqueConstraint("fiscal_year_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_year.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    in_total: Mapped[bool] = mapped_column(Boolean, default=True)
    indicators_required: Mapped[bool] = mapped_column(Boolean, default=True)


class CategoryRow(Versioned, Base):
    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_year.id", ondelete="CASCADE"), index=True)
    budget_class_id: Mapped[int] = mapped_column(ForeignKey("budget_class.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    name: Mapped[str] = mapped_column(String(200))

    budget_class: Mapped[BudgetClassRow] = relationship()
    programs: Mapped[list[ProgramRow]] = relationship(
        order_by="ProgramRow.position", cascade="all, delete-orphan", passive_deletes=True, back_populates="category")


class Section(Base):
    """The master list of 課 (sections); programs and line items refer to it."""

    __tablename__ = "section"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class ProgramSection(Base):
    __tablename__ = "program_section"
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="RESTRICT"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[Section] = relationship(lazy="joined")


class ProgramRow(Versioned, Base):
    __tablename__ = "program"
    __table_args__ = (UniqueConstraint("fiscal_year_id", "uid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_year.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text, default="")
    current: Mapped[int] = mapped_column(Integer)
    prior: Mapped[int] = mapped_column(Integer)
    printed_change: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)

    category: Mapped[CategoryRow] = relationship(back_populates="programs")
    section_links: Mapped[list[ProgramSection]] = relationship(
        order_by="ProgramSection.position", cascade="all, delete-orphan", passive_deletes=True)
    line_items: Mapped[list[LineItemRow]] = relationship(
        order_by="LineItemRow.position", cascade="all, delete-orphan", passive_deletes=True, back_populates="program")
    indicators: Mapped[list[IndicatorRow]] = relationship(
        order_by="IndicatorRow.position", cascade="all, delete-orphan", passive_deletes=True)
    related: Mapped[list[RelatedBureauProgramRow]] = relationship(
        order_by="RelatedBureauProgramRow.position", cascade="all, delete-orphan", passive_deletes=True)
    photos: Mapped[list[PhotoRow]] = relationship(
        order_by="PhotoRow.position", cascade="all, delete-orphan", passive_deletes=True)


class LineItemSection(Base):
    __tablename__ = "line_item_section"
    line_item_id: Mapped[int] = mapped_column(ForeignKey("line_item.id", ondelete="CASCADE"), primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="RESTRICT"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[Section] = relationship(lazy="joined")


class LineItemRow(Versioned, Base):
    __tablename__ = "line_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(Integer)
    marker: Mapped[str | None] = mapped_column(String(4), nullable=True)
    activities: Mapped[list[str]] = mapped_column(JSON, default=list)
    prior: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # False: the item prints no sections of its own (only 統合事業費 items do); else the links below.
    has_sections: Mapped[bool] = mapped_column(Boolean, default=False)

    program: Mapped[ProgramRow] = relationship(back_populates="line_items")
    section_links: Mapped[list[LineItemSection]] = relationship(
        order_by="LineItemSection.position", cascade="all, delete-orphan", passive_deletes=True)


class IndicatorRow(Versioned, Base):
    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(50), default="")
    # 実績 as entered, like target; '' until the year's result is known. Added in revision 0004.
    actual: Mapped[str] = mapped_column(String(200), default="", server_default="")


class RelatedBureauProgramRow(Versioned, Base):
    __tablename__ = "related_bureau_program"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    bureau: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PhotoRow(Versioned, Base):
    __tablename__ = "photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(Text)
    image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class SummaryRowRow(Versioned, Base):
    """A row of the 総括表 as printed (kept for the checker; the app computes its own)."""

    __tablename__ = "summary_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_year.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    current: Mapped[int] = mapped_column(Integer)
    prior: Mapped[int] = mapped_column(Integer)
    change: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rate: Mapped[str | None] = mapped_column(String(20), nullable=True)


class MeetingRow(Versioned, Base):
    __tablename__ = "meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_year.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    venue: Mapped[str] = mapped_column(Text, default="")

    agenda: Mapped[list[AgendaItemRow]] = relationship(
        order_by="AgendaItemRow.position", cascade="all, delete-orphan", passive_deletes=True)


class AgendaItemRow(Versioned, Base):
    __tablename__ = "agenda_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)

    sub_items: Mapped[list[AgendaSubItemRow]] = relationship(
        order_by="AgendaSubItemRow.position", cascade="all, delete-orphan", passive_deletes=True)


class AgendaSubItemRow(Versioned, Base):
    __tablename__ = "agenda_sub_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    presenter: Mapped[str | None] = mapped_column(Text, nullable=True)
    material: Mapped[str | None] = mapped_column(String(50), nullable=True)


class ReviewModel(Versioned, Base):
    """An annual 振り返り of the ward's operating policy."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("ward_id", "fiscal_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    basic_goal: Mapped[str] = mapped_column(Text, default="")
    uncertain: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)

    ward: Mapped[Ward] = relationship()
    areas: Mapped[list[ReviewAreaModel]] = relationship(
        order_by="ReviewAreaModel.position", cascade="all, delete-orphan", passive_deletes=True)


class ReviewAreaModel(Versioned, Base):
    __tablename__ = "review_area"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)

    initiatives: Mapped[list[ReviewInitiativeModel]] = relationship(
        order_by="ReviewInitiativeModel.position", cascade="all, delete-orphan", passive_deletes=True)


class ReviewInitiativeModel(Versioned, Base):
    __tablename__ = "review_initiative"
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("review_area.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)

    rows: Mapped[list[ReviewRowModel]] = relationship(
        order_by="ReviewRowModel.position", cascade="all, delete-orphan", passive_deletes=True)


class ReviewRowModel(Versioned, Base):
    """One 担当課 row: its sections as printed (the review names 課 more freely than the budget),
    and the plan (事業内容) and result (振り返り) bullets, in order."""

    __tablename__ = "review_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("review_initiative.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    plan: Mapped[list[str]] = mapped_column(JSON, default=list)
    results: Mapped[list[str]] = mapped_column(JSON, default=list)

    program_links: Mapped[list[ReviewRowProgram]] = relationship(
        order_by="ReviewRowProgram.position", cascade="all, delete-orphan", passive_deletes=True)


class ReviewRowProgram(Base):
    """A budget program a review row reports on. `program_uid` is the program's identity across years
    (rollover keeps it), so the link survives a new year; `label` is its code (or name) as last known,
    kept as written when the review's year has no budget in the database. Added in revision 0004."""

    __tablename__ = "review_row_program"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_row_id: Mapped[int] = mapped_column(ForeignKey("review_row.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    program_uid: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    label: Mapped[str] = mapped_column(Text)


class AttachmentRow(Versioned, Base):
    """A PDF attached to a meeting as a further material (資料2 …), stored in the database so the
    handout can be rebuilt on any PC. Added in revision 0002."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("meeting_id", "material"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    material: Mapped[str] = mapped_column(String(50))
    filename: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ImportMapping(Base):
    """A column mapping the clerk confirmed in the Excel import wizard, remembered by the header's
    signature so the same kind of workbook maps itself next time. Added in revision 0002."""

    __tablename__ = "import_mapping"
    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)


class BudgetVersionRow(Base):
    """A named, frozen copy of one fiscal year (照会前, 要求, 課長査定 … 確定): the JSON interchange form with
    uids, so comparisons match programs and line items by identity. Never updated. Added in revision 0005."""

    __tablename__ = "budget_version"
    __table_args__ = (UniqueConstraint("fiscal_year_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_year.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    clerk: Mapped[str] = mapped_column(String(100), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ChangeHistoryRow(Base):
    """The 変更履歴: one line per field of a row an operation changed (a row added or removed: one line with
    field ""), written in the operation's own transaction, never updated or deleted (append-only).
    Revision 0003. The program's and 細事業's names are kept as they were at the change; the fiscal year is
    the year's number (not a key: the history outlives a deleted year)."""

    __tablename__ = "change_history"
    __table_args__ = (Index("ix_change_history_row", "table_name", "row_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # UTC
    clerk: Mapped[str] = mapped_column(String(100))
    fiscal_year: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(10))  # edit, undo, redo, import, load
    label: Mapped[str] = mapped_column(Text, default="")
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    program_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    program_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    item_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
