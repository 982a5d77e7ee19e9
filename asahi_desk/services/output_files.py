"""Writing output files all or nothing, the way a clerk expects a saved file to behave."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from asahi_desk.domain.error_text import os_error
from asahi_desk.domain.errors import InputError


def _target(path: Path) -> Path:
    """The file really written: a symlink's target (the link stays), refused when not a regular file."""
    real = Path(os.path.realpath(path))
    if real.exists() and not real.is_file():
        raise InputError("出力先が通常のファイルではありません", str(path))
    folder = real.parent
    if not folder.is_dir():
        raise InputError("出力先のフォルダがありません", str(folder))
    return real


def write_all_or_nothing(outputs: Sequence[tuple[Path, bytes]]) -> None:
    """Each file goes to a temporary beside its target first; only when all are written are they
    renamed into place, so a failure leaves no half-written output and the old files as they were.

    A new file gets the usual permissions (0666 less the umask, as any program's save would), a
    replaced one keeps its own; a symlink keeps pointing at the file it named.
    """
    with staged_outputs(outputs) as place:
        place()


@contextlib.contextmanager
def staged_outputs(outputs: Sequence[tuple[Path, bytes]]) -> Iterator[Callable[[], None]]:
    """Every file written to a temporary beside its target (refused in one line if one cannot be); inside
    the block, place() renames them all into place. Temporaries not placed are removed when the block ends,
    so a failure before place() (the caller's own, e.g. a database refusing what goes with the files) leaves
    the old files as they were."""
    targets = [(_target(Path(path)), data) for path, data in outputs]
    temps: list[tuple[Path, Path]] = []
    failing = Path(outputs[0][0])

    def place() -> None:
        nonlocal failing
        try:
            # Renames within one folder hardly fail once every file is written; should one, the files renamed
            # before it are the new ones and the message names the one that is not.
            while temps:
                tmp, real = temps[0]
                failing = real
                os.replace(tmp, real)
                temps.pop(0)
        except OSError as e:
            raise InputError(f"出力先に書き込めません（{os_error(e)}）", str(failing)) from None

    try:
        try:
            for real, data in targets:
                failing = real
                tmp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
                temps.append((tmp, real))
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                if real.exists():
                    os.chmod(tmp, stat.S_IMODE(real.stat().st_mode))
        except OSError as e:
            raise InputError(f"出力先に書き込めません（{os_error(e)}）", str(failing)) from None
        yield place
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """One file, whole or not at all."""
    write_all_or_nothing([(Path(path), data)])
