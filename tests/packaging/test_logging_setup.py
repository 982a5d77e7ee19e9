"""The rotating log file: where it goes, that it rotates, and that configuring twice does not double lines."""

from __future__ import annotations

import logging

import pytest

from asahi_desk.logging_setup import LOG_FILE_NAME, close_logging, configure_logging


@pytest.fixture(autouse=True)
def _detach():
    level = logging.getLogger().level
    yield
    close_logging()
    logging.getLogger().setLevel(level)


def test_log_lands_in_the_folder(tmp_path):
    folder = tmp_path / "data" / "asahi-desk"
    path = configure_logging(folder)
    logging.getLogger("asahi_desk.test").info("起動しました")
    assert path == folder / LOG_FILE_NAME
    assert "INFO asahi_desk.test: 起動しました" in path.read_text(encoding="utf-8")


def test_rotates_at_the_size_limit(tmp_path):
    path = configure_logging(tmp_path, max_bytes=2_000, backup_count=2)
    for i in range(200):
        logging.getLogger("asahi_desk.test").info("line %d %s", i, "x" * 40)
    assert path.stat().st_size <= 2_000
    assert (tmp_path / f"{LOG_FILE_NAME}.1").is_file() and (tmp_path / f"{LOG_FILE_NAME}.2").is_file()
    assert not (tmp_path / f"{LOG_FILE_NAME}.3").exists()


def test_configuring_twice_keeps_one_handler(tmp_path):
    configure_logging(tmp_path / "a")
    path = configure_logging(tmp_path / "b")
    logging.getLogger("asahi_desk.test").warning("once")
    assert path.read_text(encoding="utf-8").count("once") == 1
    assert "once" not in (tmp_path / "a" / LOG_FILE_NAME).read_text(encoding="utf-8")
