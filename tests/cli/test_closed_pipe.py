"""A reader that closes the pipe early (`asahi-desk check … | head -1`) is normal use: stop quietly, no bug log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run_into_closed_pipe(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write meets EPIPE
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("ASAHI_DESK_DEBUG", None)
    try:
        return subprocess.run([sys.executable, "-m", "asahi_desk", *args], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("command", [["check"], ["history", "--csv"], ["dump-json", "--fiscal-year", "2024"]])
def test_closed_pipe_stops_quietly(tmp_path: Path, demo_db: Path, command: list[str]) -> None:
    out = _run_into_closed_pipe(tmp_path, command[0], "--db", str(demo_db), *command[1:])
    assert out.returncode not in (0, 3), out.stderr  # stopped early, and not a bug
    assert "内部エラー" not in out.stderr and "Traceback" not in out.stderr and "Exception" not in out.stderr
    assert out.stderr == "" or all("BrokenPipe" not in line for line in out.stderr.splitlines())
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").rglob("*.log"))
