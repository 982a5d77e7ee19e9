"""Logging to a rotating file in the user's data folder (Qt-free, so the CLI could use it too)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE_NAME = "asahi-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _AsahiFileHandler(RotatingFileHandler):
    """Marks the handler we installed, so configuring twice replaces it instead of doubling lines."""


def log_path(folder: Path) -> Path:
    return folder / LOG_FILE_NAME


def configure_logging(folder: Path, level: int = logging.INFO, *, max_bytes: int = MAX_BYTES,
                      backup_count: int = BACKUP_COUNT) -> Path:
    """Send the root logger to folder/asahi-desk.log (rotated at max_bytes); returns the log file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = log_path(folder)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _AsahiFileHandler)]:
        root.removeHandler(handler)
        handler.close()
    handler = _AsahiFileHandler(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # seven lines of noise per start
    return path


def close_logging() -> None:
    """Detach and close the file handler (tests; the app keeps it until exit)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _AsahiFileHandler)]:
        root.removeHandler(handler)
        handler.close()
