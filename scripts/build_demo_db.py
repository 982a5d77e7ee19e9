"""Rebuild resources/demo/demo.db from the demo JSON through the normal loader (run after a schema change)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from asahi_desk.app import build_services, shipped_demo_db


def build(target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    services = build_services(target)
    try:
        services.budgets.load_demo()
    finally:
        services.close()
    # one self-contained file, no WAL beside it (outside any transaction: the app's engine begins its own)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        # the shipped demo starts with an empty 変更履歴: its "loaded" line would name whoever built the file
        conn.execute("DELETE FROM change_history")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else shipped_demo_db()
    build(out)
    print(out)
