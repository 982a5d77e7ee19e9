"""The 振り返り's rows in the database: reading one node, writing a field, placing and removing nodes.

Areas hold initiatives, initiatives hold rows; each is ordered by `position`. Functions never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from asahi_desk.domain.entities import ProgramLink, ReviewArea, ReviewInitiative, ReviewRow
from asahi_desk.domain.errors import NotFoundError
from asahi_desk.store import repository as repo
from asahi_desk.store.models import (
    ProgramRow,
    ReviewAreaModel,
    ReviewInitiativeModel,
    ReviewModel,
    ReviewRowModel,
    ReviewRowProgram,
)
from asahi_desk.store.operations import Operation, capture_deleted, lock

AREA, INITIATIVE, ROW = "area", "initiative", "row"
TABLES = {"review": "review", AREA: "review_area", INITIATIVE: "review_initiative", ROW: "review_row"}
MODELS: dict[str, Any] = {AREA: ReviewAreaModel, INITIATIVE: ReviewInitiativeModel, ROW: ReviewRowModel}
LABELS = {"review": "基本目標", AREA: "分野", INITIATIVE: "取組", ROW: "行"}
# the column that points at the parent, per kind
PARENT_COLUMN = {AREA: "review_id", INITIATIVE: "area_id", ROW: "initiative_id"}


def find(session: Session, kind: str, node_id: int) -> Any:
    return session.get(MODELS[kind], node_id)


def get(session: Session, kind: str, node_id: int, *, locked: bool = False) -> Any:
    """The node (locked until the transaction ends when asked), or NotFoundError."""
    row = lock(session, MODELS[kind], node_id) if locked else session.get(MODELS[kind], node_id)
    if row is None:
        raise NotFoundError(f"振り返りの{LABELS[kind]}が見つかりません（他の担当者が削除した可能性があります）")
    return row


def find_review(session: Session, review_id: int) -> ReviewModel | None:
    return session.get(ReviewModel, review_id)


def review(session: Session, review_id: int, *, locked: bool = False) -> ReviewModel:
    row = lock(session, ReviewModel, review_id) if locked else session.get(ReviewModel, review_id)
    if row is None:
        raise NotFoundError("振り返りが見つかりません（他の担当者が削除した可能性があります）")
    return row


def review_of(session: Session, kind: str, node_id: int) -> ReviewModel:
    node = get(session, kind, node_id)
    if kind == ROW:
        node = session.get(ReviewInitiativeModel, node.initiative_id)
        kind = INITIATIVE
    if kind == INITIATIVE:
        node = session.get(ReviewAreaModel, node.area_id)
    return session.get(ReviewModel, node.review_id)  # type: ignore[union-attr,return-value]


def siblings(session: Session, kind: str, parent_id: int) -> list[Any]:
    model = MODELS[kind]
    return list(session.scalars(select(model).where(getattr(model, PARENT_COLUMN[kind]) == parent_id)
                                .order_by(model.position)))


def renumber(rows: list[Any]) -> None:
    for i, r in enumerate(rows):
        r.position = i


def row_entity(r: ReviewRowModel) -> ReviewRow:
    return ReviewRow(tuple(r.sections), tuple(r.plan), tuple(r.results),
                     tuple(ProgramLink(x.label, x.program_uid) for x in r.program_links), r.id)


def initiative_entity(i: ReviewInitiativeModel) -> ReviewInitiative:
    return ReviewInitiative(i.title, tuple(row_entity(r) for r in i.rows), i.id)


def area_entity(a: ReviewAreaModel) -> ReviewArea:
    return ReviewArea(a.number, a.name, tuple(initiative_entity(i) for i in a.initiatives), a.id)


def entity(kind: str, node: Any) -> Any:
    return {AREA: area_entity, INITIATIVE: initiative_entity, ROW: row_entity}[kind](node)


def build(kind: str, value: Any, parent_id: int, position: int) -> Any:
    """A new ORM node (with its whole subtree) from a domain value."""
    if kind == ROW:
        node = repo.review_row_model(value, position)
        node.initiative_id = parent_id
        return node
    if kind == INITIATIVE:
        node = ReviewInitiativeModel(area_id=parent_id, position=position, title=value.title)
        node.rows = [repo.review_row_model(r, i) for i, r in enumerate(value.rows)]
        return node
    node = ReviewAreaModel(review_id=parent_id, position=position, number=value.number, name=value.name)
    for ii, ini in enumerate(value.initiatives):
        child = ReviewInitiativeModel(position=ii, title=ini.title)
        child.rows = [repo.review_row_model(r, i) for i, r in enumerate(ini.rows)]
        node.initiatives.append(child)
    return node


def set_links(row: ReviewRowModel, links: tuple[ProgramLink, ...]) -> None:
    row.program_links = [ReviewRowProgram(position=i, program_uid=x.uid, label=x.label) for i, x in enumerate(links)]


def program_uid(session: Session, program_id: int) -> str | None:
    return session.scalar(select(ProgramRow.uid).where(ProgramRow.id == program_id))


def capture_subtree(op: Operation, kind: str, node_id: int) -> None:
    """Record a node and everything it holds as deleted (parents first), before a delete whose ON DELETE
    CASCADE removes them: undo puts exactly these rows back."""
    if kind == AREA:
        areas = [node_id]
        inis = select(ReviewInitiativeModel.id).where(ReviewInitiativeModel.area_id == node_id).scalar_subquery()
        rows = select(ReviewRowModel.id).where(ReviewRowModel.initiative_id.in_(inis)).scalar_subquery()
    elif kind == INITIATIVE:
        areas = []
        inis = select(ReviewInitiativeModel.id).where(ReviewInitiativeModel.id == node_id).scalar_subquery()
        rows = select(ReviewRowModel.id).where(ReviewRowModel.initiative_id == node_id).scalar_subquery()
    else:
        areas, inis = [], None
        rows = select(ReviewRowModel.id).where(ReviewRowModel.id == node_id).scalar_subquery()
    if areas:
        capture_deleted(op, ReviewAreaModel.__table__, ReviewAreaModel.id.in_(areas))
    if inis is not None:
        capture_deleted(op, ReviewInitiativeModel.__table__, ReviewInitiativeModel.id.in_(inis))
    capture_deleted(op, ReviewRowModel.__table__, ReviewRowModel.id.in_(rows))
    capture_deleted(op, ReviewRowProgram.__table__, ReviewRowProgram.review_row_id.in_(rows))


def rows_citing(session: Session, uid: str) -> list[tuple[int, int, str, str, ReviewRow]]:
    """(review year, row id, area name, initiative title, row) of every review row linked to a program identity."""
    found = session.execute(
        select(ReviewModel.fiscal_year, ReviewAreaModel.name, ReviewInitiativeModel.title, ReviewRowModel)
        .join(ReviewRowProgram, ReviewRowProgram.review_row_id == ReviewRowModel.id)
        .join(ReviewInitiativeModel, ReviewRowModel.initiative_id == ReviewInitiativeModel.id)
        .join(ReviewAreaModel, ReviewInitiativeModel.area_id == ReviewAreaModel.id)
        .join(ReviewModel, ReviewAreaModel.review_id == ReviewModel.id)
        .where(ReviewRowProgram.program_uid == uid)
        .order_by(ReviewModel.fiscal_year.desc(), ReviewAreaModel.position, ReviewInitiativeModel.position,
                  ReviewRowModel.position)).all()
    return [(year, r.id, area, ini, row_entity(r)) for year, area, ini, r in found]
