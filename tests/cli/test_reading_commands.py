"""Commands that only read leave the database file exactly as it was (bytes, no -wal/-shm beside it): a
database on a shared folder is not touched by someone printing from it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from asahi_desk.app import shipped_demo_db
from asahi_desk.launcher import main

READING = [
    ["check"], ["dump-json", "--fiscal-year", "2024"], ["history"],
    ["meeting", "list", "--fiscal-year", "2024"], ["version", "list", "--fiscal-year", "2024"],
    ["export-review", "--fiscal-year", "2022", "--out", "OUT/r.pdf"],
    ["export-excel", "--fiscal-year", "2024", "--out", "OUT/b.xlsx"],
    ["export-pdf", "--fiscal-year", "2024", "--out", "OUT/h.pdf"],
    ["compare", "--fiscal-year", "2024", "--from", "要求", "--out", "OUT/c.csv"],
]


@pytest.fixture(scope="module")
def saved_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with one saved version (compare needs one), its journal folded back into the file."""
    db = tmp_path_factory.mktemp("reading") / "demo.db"
    shutil.copy2(shipped_demo_db(), db)
    assert main(["version", "save", "--db", str(db), "--fiscal-year", "2024", "--name", "要求"]) == 0
    return db


@pytest.mark.parametrize("command", READING, ids=lambda c: " ".join(c[:2]))
def test_a_reading_command_leaves_the_file_as_it_was(saved_db: Path, tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "shared.db"
    shutil.copy2(saved_db, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    out = tmp_path / "OUT"
    out.mkdir()
    args = [a.replace("OUT", str(out)) for a in command]
    assert main([*args, "--db", str(db)]) in (0, 1)  # check: 1 when it finds errors
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("shared")) == ["shared.db"]
