"""What every command shares: opening the database, writing files safely, printing to the clerk."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

from asahi_desk.app import Services, build_services

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


@contextlib.contextmanager
def open_services(db: str, *, read_only: bool = False) -> Iterator[Services]:
    """The services on --db; `read_only` for commands that only read (an existing SQLite file is opened
    read-only, so a database on a read-only file or share still reads)."""
    services = build_services(_staged.get(db, db), read_only=read_only)
    try:
        yield services
    finally:
        services.close()


def say(text: str) -> None:
    print(text, file=sys.stderr)




EXIT_BUG = 3
_staged: dict[str, str] = {}


@contextlib.contextmanager
def staging_of(db: str, path: Path) -> Iterator[None]:
    """While a command runs, its --db (a database to be created) is built at path instead."""
    _staged[db] = str(path)
    try:
        yield
    finally:
        _staged.pop(db, None)


def quiet_libraries() -> None:
    """pypdf reports damaged-but-readable files through logging and warnings, in English: the clerk gets
    our one Japanese line instead (ASAHI_DESK_DEBUG=1 shows them)."""
    if os.environ.get("ASAHI_DESK_DEBUG"):
        return
    for name in ("pypdf", "openpyxl", "alembic"):
        logger = logging.getLogger(name)
        logger.propagate = False
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
    warnings.filterwarnings("ignore", module=r"(pypdf|openpyxl)(\..*)?")


def write_bug_report(error: BaseException) -> Path | None:
    """The traceback of an unexpected error in a log file of its own; its path, or None if unwritable."""
    import datetime as dt
    import tempfile
    import traceback

    from asahi_desk.paths import user_data_dir

    text = "".join(traceback.format_exception(error))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in (user_data_dir() / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"asahi-desk-error-{stamp}-{os.getpid()}.log"
            path.write_text(f"asahi-desk {' '.join(sys.argv)}\n{text}", encoding="utf-8")
            return path
        except OSError:
            continue
    return None
