"""Lean queries for the Excel import: a year's programs as plain tuples, and prior amounts set in bulk.

load_budget() builds the whole tree (line items, indicators, photos …); matching 20,000 rows needs
only names and codes, and writing them needs one executemany, not 20,000 ORM flushes. Never commits.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from asahi_desk.domain.operations import UPDATE, RowChange
from asahi_desk.store.models import CategoryRow, ProgramRow

ProgramKey = tuple[str, str | None, str, str | None, str, int, int]  # uid, code, name, cat code, cat name, cur, prior


def program_keys(session: Session, fiscal_year_id: int) -> list[ProgramKey]:
    rows = session.execute(
        select(ProgramRow.uid, ProgramRow.code, ProgramRow.name, CategoryRow.code, CategoryRow.name,
               ProgramRow.current, ProgramRow.prior)
        .join(CategoryRow, ProgramRow.category_id == CategoryRow.id)
        .where(ProgramRow.fiscal_year_id == fiscal_year_id)
        .order_by(CategoryRow.position, ProgramRow.position)
    ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def prior_changes(session: Session, fiscal_year_id: int, priors: dict[str, int]) -> list[RowChange]:
    """The programs whose prior amount set_priors() is about to change, as row changes (old → new)."""
    rows = session.execute(select(ProgramRow.uid, ProgramRow.id, ProgramRow.name, ProgramRow.prior,
                                  ProgramRow.category_id)
                           .where(ProgramRow.fiscal_year_id == fiscal_year_id)).all()
    return [RowChange("program", (("id", pid),), UPDATE, (("prior", old),), (("prior", priors[uid]),),
                      parent=("category", cid), program_name=name)
            for uid, pid, name, old, cid in rows if uid in priors and priors[uid] != old]


def set_priors(session: Session, fiscal_year_id: int, priors: dict[str, int]) -> list[str]:
    """Set each program's prior amount by uid; returns the uids not found in that year (nothing set then)."""
    ids = dict(session.execute(select(ProgramRow.uid, ProgramRow.id)
                               .where(ProgramRow.fiscal_year_id == fiscal_year_id)).all())
    missing = [uid for uid in priors if uid not in ids]
    if missing:
        return missing
    if priors:  # Core executemany; each row's version goes up like any write's
        table = ProgramRow.__table__
        session.execute(update(table).where(table.c.id == bindparam("b_id"))
                        .values(prior=bindparam("b_prior"), version=table.c.version + 1),
                        [{"b_id": ids[uid], "b_prior": amount} for uid, amount in priors.items()])
    return []
