"""python-calamine reads what openpyxl read-only reads, value for value; openpyxl still reads what calamine cannot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from asahi_desk.app import Services
from asahi_desk.importers.excel.workbook import Workbook, load_openpyxl, open_workbook
from tests.importers.workbooks import add_cached_value, patch_member, ward_list


def trimmed(rows: list[tuple[int, tuple[Any, ...]]]) -> list[tuple[int, tuple[Any, ...]]]:
    """Rows without trailing empty cells (openpyxl's row lengths follow the cells written, calamine's the
    sheet). A text of spaces only is empty in calamine, text in openpyxl: blank to every rule of the import
    (cells.is_blank, text_of), so it is compared as empty."""
    out = []
    for number, row in rows:
        values = tuple(None if isinstance(v, str) and not v.strip() else v for v in row)
        while values and values[-1] is None:
            values = values[:-1]
        out.append((number, values))
    while out and not out[-1][1]:
        out.pop()
    return out


def both_readers(path: Path) -> None:
    """Every sheet: calamine serves it, and its rows equal openpyxl read-only's."""
    with open_workbook(path) as wb:
        reference = Workbook(path, load_openpyxl(path))
        try:
            assert wb.sheet_names() == reference.sheet_names()
            assert wb.sheets() == reference.sheets()
            for name in [s.name for s in wb.sheets()]:
                assert wb.reader(name) == "calamine"
                assert trimmed(list(wb.rows(name))) == trimmed(list(reference.rows(name))), name
                assert wb.formulas_without_value(name) == reference.formulas_without_value(name)
        finally:
            reference.close()


@pytest.mark.parametrize("options", [{}, {"yen": True}, {"text_amounts": True}, {"fullwidth": True},
                                     {"extra_sheets": True, "header_row": 3}, {"prior_formula": "=1+1"}])
def test_ward_lists_read_the_same(tmp_path: Path, budget_json: dict, options: dict) -> None:
    """Merged category cells, 円 and 千円, ▲ in text, full-width digits, formulas without a cached value."""
    both_readers(ward_list(budget_json, tmp_path / "list.xlsx", **options))


def test_cached_formula_values_dates_and_awkward_cells_read_the_same(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事業別一覧表"
    ws["C3"] = "令和６年度"  # the used area starts at C3: row and column numbers must still count from A1
    ws["D4"], ws["E4"], ws["F4"] = 1000, 12.5, -5
    ws["D5"], ws["E5"], ws["F5"] = dt.datetime(2024, 5, 1), dt.date(2024, 5, 2), dt.time(13, 30)
    ws["D6"], ws["E6"], ws["F6"] = True, "  ", "▲１，２３４"
    ws["D7"], ws["E7"] = "=D4*2", "=D4+1"
    ws.merge_cells("C8:E8")
    ws["C8"] = "合　計"
    hidden = wb.create_sheet("メモ")
    hidden.sheet_state = "hidden"
    hidden["B2"] = 10 ** 17
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    add_cached_value(path, 1, "D7", 2000)  # E7 keeps no cached value: reported, not read as empty
    both_readers(path)
    with open_workbook(path) as book:
        rows = dict(book.rows("事業別一覧表"))
        assert rows[4][3:6] == (1000, 12.5, -5) and type(rows[4][3]) is int
        assert rows[7][3:5] == (2000, None)
        assert book.formulas_without_value("事業別一覧表") == {(7, 5)}


def test_a_sheet_with_error_values_is_read_by_openpyxl(tmp_path: Path) -> None:
    """calamine reads #DIV/0! as an empty cell; the amount rules must see the text and report it."""
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"] = "=1/0", 5
    path = tmp_path / "errors.xlsx"
    wb.save(path)
    patch_member(path, "xl/worksheets/sheet1.xml",
                 lambda xml: xml.replace(b'<c r="A1"><f>1/0</f><v /></c>', b'<c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    with open_workbook(path) as book:
        assert book.reader("Sheet") == "openpyxl"
        assert list(book.rows("Sheet")) == [(1, ("#DIV/0!", 5))]


def test_the_preflight_finds_the_error_cells_the_reader_would(tmp_path: Path) -> None:
    """safety.preflight notes error and ISO date cells while counting a sheet (chunk edges included): what
    package.has_error_cells finds reading the part again."""
    import zipfile

    from asahi_desk.importers.excel import package, safety

    wb = openpyxl.Workbook()
    for i in range(1, 30_001):  # a part of several chunks
        wb.active.append([f"事業{i}", i])
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as zf:
        size = zf.getinfo(part).file_size
    assert safety.preflight(path) == {part: False}
    for where in (b'<c r="A2"', b'<c r="B29999"'):  # near the start, near the end
        marked = tmp_path / f"marked-{len(where)}.xlsx"
        marked.write_bytes(path.read_bytes())
        patch_member(marked, part, lambda xml, where=where: xml.replace(where, where + b' t="d"', 1))
        with zipfile.ZipFile(marked) as zf:
            assert package.has_error_cells(zf, part)
        assert safety.preflight(marked) == {part: True}
    assert size > 1024 * 1024


def test_an_export_reads_the_same(services: Services, tmp_path: Path) -> None:
    """The export's list and detail sheets (texts, JSON, amounts, dates of meetings) read the same."""
    both_readers(services.excel_export.export(2024, tmp_path / "export.xlsx"))


def test_a_sheet_part_over_the_limit_is_streamed_by_openpyxl(tmp_path: Path, budget_json: dict, monkeypatch) -> None:
    """calamine holds a whole sheet in memory: a large part goes to openpyxl's streaming, which counts rows."""
    from asahi_desk.importers.excel import workbook

    path = ward_list(budget_json, tmp_path / "list.xlsx")
    with open_workbook(path) as wb:
        expected = list(wb.rows("事業別一覧表"))
    monkeypatch.setattr(workbook, "CALAMINE_MAX_PART", 1024)
    with open_workbook(path) as wb:
        assert wb.reader("事業別一覧表") == "openpyxl"
        assert trimmed(list(wb.rows("事業別一覧表"))) == trimmed(expected)
