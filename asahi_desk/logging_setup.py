"""Logging to a rotating file in the user's data folder (Qt-free, so the CLI could use it too)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_FILE_NAME = "asahi-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _AsahiFileHandler(logging.FileHandler):
    """The log file, rotated as logging.handlers.RotatingFileHandler does (at max_bytes, backup_count copies .1, .2 …;
    not imported: it brings socket, pickle and queue, a twentieth of the window's start). It also marks the handler
    we installed, so configuring twice replaces it instead of doubling lines."""

    def __init__(self, path: Path, *, max_bytes: int, backup_count: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes, self.backup_count = max_bytes, backup_count

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except Exception:  # noqa: BLE001 - as logging's own handlers: report, never raise into the program
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0 or self.stream is None or not os.path.isfile(self.baseFilename):
            return False
        self.stream.seek(0, 2)  # the end: another handle may have written
        return self.stream.tell() + len(f"{self.format(record)}{self.terminator}") >= self.max_bytes

    def _rotate(self) -> None:
        self.stream.close()
        self.stream = None  # type: ignore[assignment]
        if self.backup_count > 0:
            for i in range(self.backup_count - 1, 0, -1):
                older = f"{self.baseFilename}.{i}"
                if os.path.exists(older):
                    os.replace(older, f"{self.baseFilename}.{i + 1}")
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


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
    handler = _AsahiFileHandler(path, max_bytes=max_bytes, backup_count=backup_count)
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
