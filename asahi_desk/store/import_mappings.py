"""Remembered Excel column mappings (ImportMapping rows), keyed by the header's signature. Never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from asahi_desk.store.models import ImportMapping


def find_mapping(session: Session, signature: str) -> dict[str, Any] | None:
    row = session.scalar(select(ImportMapping).where(ImportMapping.signature == signature))
    return dict(row.mapping) if row is not None else None


def save_mapping(session: Session, signature: str, mapping: dict[str, Any]) -> None:
    """Insert or replace the mapping remembered for this signature."""
    row = session.scalar(select(ImportMapping).where(ImportMapping.signature == signature))
    if row is None:
        session.add(ImportMapping(signature=signature, mapping=mapping))
    else:
        row.mapping = mapping
    session.flush()
