"""What every command shares: opening the database, writing files safely, printing to the clerk."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from asahi_desk.app import Services, build_services

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


@contextlib.contextmanager
def open_services(db: str) -> Iterator[Services]:
    services = build_services(db)
    try:
        yield services
    finally:
        services.close()


def say(text: str) -> None:
    print(text, file=sys.stderr)


