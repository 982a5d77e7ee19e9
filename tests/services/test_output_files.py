"""Output files: whole or nothing, ordinary permissions, symlinks and special files respected."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from asahi_desk.domain.errors import InputError
from asahi_desk.services.output_files import write_all_or_nothing, write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_new_file_gets_the_umask_and_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.pdf"
        write_atomic(new, b"one")
        assert _mode(new) == 0o644 and new.read_bytes() == b"one"
        new.chmod(0o640)
        write_atomic(new, b"two")
        assert _mode(new) == 0o640 and new.read_bytes() == b"two"
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs")
def test_symlink_is_written_through_and_special_files_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="通常のファイルではありません"):
        write_atomic(fifo, b"x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_one_unwritable_target_writes_none_of_them(tmp_path: Path) -> None:
    first = tmp_path / "a.pdf"
    first.write_bytes(b"old")
    with pytest.raises(InputError, match="フォルダがありません"):
        write_all_or_nothing([(first, b"new"), (tmp_path / "missing" / "b.pdf", b"new")])
    assert first.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]
