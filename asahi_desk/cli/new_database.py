"""A command's new SQLite database: built under a temporary name, renamed into place only on success."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from asahi_desk.domain.errors import InputError

STAGING_SUFFIX = ".new"
TAKEN = ("同じ場所に別の処理が先にデータベースを作成しました。この処理の結果は保存していません"
         "（作成されたデータベースはそのままです。必要ならもう一度実行してください）")


def target(db: str | None) -> Path | None:
    """The SQLite file a command would create: a plain path that does not exist yet, or an empty file
    (SQLite would write a schema into it; a failing command must leave it empty)."""
    if not db or "://" in db:
        return None
    path = Path(db).expanduser()
    try:
        if not path.exists():
            return path.resolve()
        return path.resolve() if path.is_file() and path.stat().st_size == 0 else None
    except OSError:
        return None


@dataclass
class Staging:
    """The temporary file a command fills instead of target."""

    target: Path
    path: Path
    empty_file: os.stat_result | None  # the 0-byte file the target was, if any

    def promote(self) -> None:
        """Move the finished database into place, atomically; refused (InputError) when another process
        created the target meanwhile or filled the empty file: its database is left as it is."""
        _single_file(self.path)
        if self.empty_file is not None:
            try:
                now = os.stat(self.target)
            except FileNotFoundError:
                now = None
            same = now is not None and (now.st_ino, now.st_dev, now.st_size) == (
                self.empty_file.st_ino, self.empty_file.st_dev, 0)
            if not same:
                raise InputError(TAKEN, str(self.target))
            os.replace(self.path, self.target)
            return
        try:
            os.link(self.path, self.target)  # fails if the target exists: exactly one process wins
        except FileExistsError:
            raise InputError(TAKEN, str(self.target)) from None
        except OSError:  # a filesystem without hard links
            if self.target.exists():
                raise InputError(TAKEN, str(self.target)) from None
            os.replace(self.path, self.target)
            return
        self.path.unlink(missing_ok=True)


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Staging]:
    """A fresh temporary name beside target, removed afterwards whatever happens (after promote() only
    the temporary link is left to remove). Staging files of processes that died are removed first."""
    _remove_abandoned(target)
    empty = None
    with contextlib.suppress(OSError):
        empty = os.stat(target) if target.is_file() else None
    staging = Staging(target, target.with_name(f".{target.name}.{os.getpid()}{STAGING_SUFFIX}"), empty)
    _remove_files(staging.path)
    try:
        yield staging
    finally:
        _remove_files(staging.path)


def _single_file(path: Path) -> None:
    """Fold the WAL into the file, so the one file is the whole database (its -wal and -shm names go with
    the temporary name). The last connection to close removes them; if any is left, leave WAL mode."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()


def _remove_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def _remove_abandoned(target: Path) -> None:
    if os.name != "posix":  # no cheap, safe liveness check for a process id elsewhere
        return
    with contextlib.suppress(OSError):
        for leftover in target.parent.glob(f".{target.name}.*{STAGING_SUFFIX}"):
            pid = leftover.name[len(target.name) + 2:-len(STAGING_SUFFIX)]
            if pid.isdigit() and not _alive(int(pid)):
                _remove_files(leftover)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
