"""Hostile and broken files are refused with a clear Japanese message, before any parsing."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from asahi_desk.domain.errors import InputError
from asahi_desk.importers.excel.workbook import open_workbook
from tests.importers.broken import BROKEN, billion_laughs, huge_dimension


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_refused_with_message(tmp_path: Path, kind: str) -> None:
    make, message = BROKEN[kind]
    path = make(tmp_path / f"{kind}.xlsx")
    with pytest.raises(InputError) as e, open_workbook(path) as wb:
        for sheet in wb.sheet_names():
            list(wb.rows(sheet))
    assert message in str(e.value)
    assert str(path) in str(e.value)
    # one Japanese line: no library's English text (invalid literal …, There is no item named …)
    assert "\n" not in str(e.value) and not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", str(e.value).replace(str(path), ""))


def test_openpyxl_itself_parses_through_defusedxml(tmp_path: Path) -> None:
    """Even past our DTD check, openpyxl refuses the entity bomb because defusedxml is installed."""
    from defusedxml import DefusedXmlException

    assert openpyxl.DEFUSEDXML is True
    path = billion_laughs(tmp_path / "laughs.xlsx")
    with pytest.raises(ValueError) as e:  # read-only mode parses the sheet's dimension on load
        openpyxl.load_workbook(path, read_only=True, data_only=True)
    assert isinstance(e.value.__cause__, DefusedXmlException)


def test_dimension_is_checked_before_streaming(tmp_path: Path) -> None:
    path = huge_dimension(tmp_path / "huge.xlsx")
    with open_workbook(path) as wb:
        assert wb.sheets()[0].rows == 1048576
        with pytest.raises(InputError, match="1,048,576 行"):
            next(wb.rows("Sheet"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ファイルがありません"), open_workbook(tmp_path / "none.xlsx"):
        pass


def test_a_missing_part_is_named_in_japanese() -> None:
    from asahi_desk.importers.excel.workbook import unreadable_message

    error = KeyError("There is no item named 'xl/worksheets/sheet1.xml' in the archive")
    assert unreadable_message(error) == ("Excel ブックとして読めません（ブックの中の xl/worksheets/sheet1.xml がありません。"
                                         "ファイルが壊れています）")


def test_a_file_changed_after_an_open_is_checked_again(tmp_path: Path) -> None:
    """The checked file is remembered between opens by its bytes' digest: the same path rewritten with a
    hostile sheet (even with the old modification time) is refused, not served from memory."""
    import os

    from tests.importers.broken import small_book

    path = small_book(tmp_path / "book.xlsx")
    with open_workbook(path) as wb:
        assert wb.reader("Sheet") == "calamine" and len(list(wb.rows("Sheet"))) == 2
    with open_workbook(path) as wb:  # the second open of the same bytes reads the same rows
        assert len(list(wb.rows("Sheet"))) == 2
    stat = path.stat()
    billion_laughs(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(InputError, match="DTD"), open_workbook(path):
        pass


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_a_remembered_workbook_holds_no_handle_on_its_file(tmp_path: Path) -> None:
    """The workbook kept for the next open is read from memory: nothing keeps the file open (Windows would
    refuse to let Excel save over it while the app runs)."""
    import os

    from tests.importers.broken import small_book

    path = small_book(tmp_path / "kept.xlsx")
    with open_workbook(path) as wb:
        assert len(list(wb.rows("Sheet"))) == 2
    open_files = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                  if os.path.exists(f"/proc/self/fd/{fd}")}
    assert str(path.resolve()) not in open_files
