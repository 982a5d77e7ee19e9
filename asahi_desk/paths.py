"""Where things live, from source and frozen (PyInstaller) alike. Nothing here runs at import time."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "asahi-desk"
DEFAULT_DB_NAME = "asahi-desk.db"  # the database in the user data folder when no --db is given


def app_root() -> Path:
    """The folder holding resources/ and db/: the repository, or the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return app_root() / "resources"


def migrations_dir() -> Path:
    return app_root() / "db"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def demo_dir() -> Path:
    return resources_dir() / "demo"


def user_data_dir() -> Path:
    """The per-user folder for the default database and logs (created by the caller when needed)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)
