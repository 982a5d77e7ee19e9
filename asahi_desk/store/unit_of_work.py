"""One transaction per user action: commit when the block succeeds, roll back on any exception."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.store.database_errors import WriteConflict, translate
from asahi_desk.store.engine import BEGIN_MODE

T = TypeVar("T")


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A write transaction. On SQLite it begins IMMEDIATE: the write lock is taken (waiting up to
    LOCK_WAIT_SECONDS for another writer) before anything is read, so what the block reads is still
    true when it writes. A locked, read-only or full database, or a row another process wrote meanwhile,
    becomes a refusal (InputError / WriteConflict) after the rollback."""
    session = factory()
    try:
        with session.begin():
            session.connection(execution_options={BEGIN_MODE: "IMMEDIATE"})
            yield session
    except DBAPIError as e:
        refusal = translate(e, session.get_bind())
        if refusal is None:
            raise
        raise refusal from e
    finally:
        session.close()


@contextmanager
def read_only(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for queries; it never commits, whatever the caller does."""
    session = factory()
    try:
        yield session
    except DBAPIError as e:
        refusal = translate(e, session.get_bind())
        if refusal is None:
            raise
        raise refusal from e
    finally:
        session.rollback()
        session.close()


def once_more_on_conflict(work: Callable[[], T]) -> T:
    """Run a whole unit of work again once when another process committed a colliding row meanwhile
    (PostgreSQL, or SQLite without the write lock): the second run reads what the other one wrote and
    ends in the service's own refusal (the year exists …) or succeeds."""
    try:
        return work()
    except WriteConflict:
        return work()


SessionFactory = sessionmaker[Session]  # what services are built with (they need not import SQLAlchemy)
