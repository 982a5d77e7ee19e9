"""The temporary copies of the shipped demo database this process made: made here, removed at exit.

Only the standard library: the window's start copies the demo before SQLAlchemy is loaded. app.fresh_demo_copy
builds the demo from its JSON instead when no database is shipped."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from asahi_desk.paths import demo_dir

DEMO_DB_NAME = "demo.db"
# the temporary demo copies this process made: removed at exit, so edits in them are not kept
_demo_copies: set[Path] = set()


def shipped_demo_db() -> Path:
    return demo_dir() / DEMO_DB_NAME


def new_demo_target() -> Path:
    """Where the next demo copy goes: a new temporary folder, removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="asahi-desk-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder / DEMO_DB_NAME


def remember_demo_copy(target: Path) -> Path:
    _demo_copies.add(target.resolve())
    return target


def shipped_demo_copy() -> Path | None:
    """A temporary copy of the shipped demo database; None when none is shipped."""
    src = shipped_demo_db()
    if not src.exists():
        return None
    target = new_demo_target()
    shutil.copy2(src, target)
    return remember_demo_copy(target)


def is_demo_copy(path: str | Path | None) -> bool:
    """Whether path is one of this process's temporary demo copies (lost when the program ends)."""
    return path is not None and Path(path).expanduser().resolve() in _demo_copies
