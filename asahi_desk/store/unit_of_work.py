"""One transaction per user action: commit when the block succeeds, roll back on any exception."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    try:
        with session.begin():
            yield session
    finally:
        session.close()


@contextmanager
def read_only(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for queries; it never commits, whatever the caller does."""
    session = factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


SessionFactory = sessionmaker[Session]  # what services are built with (they need not import SQLAlchemy)
