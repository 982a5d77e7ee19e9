"""What every command shares: opening the database, writing files safely, printing to the clerk."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from asahi_desk.app import Services, build_services
from asahi_desk.domain.errors import InputError

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


def write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("出力先のフォルダがありません", str(folder))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise InputError(f"出力先に書き込めません（{e.strerror or e}）", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"出力先に書き込めません（{e.strerror or e}）", str(path)) from None
