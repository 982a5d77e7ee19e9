"""Real workbooks for the layouts review 5 found misread: merged 事業名 headers, class + category columns,
wrapped names, units, amounts that are not digits, sheets bigger than they declare, late DTDs."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from asahi_desk.domain.errors import InputError
from asahi_desk.importers.excel import layout, safety
from asahi_desk.importers.excel.cells import parse_cell_amount, unit_of_text
from asahi_desk.importers.excel.headers import find_header, propose_mapping
from asahi_desk.importers.excel.layout import parse_rows
from asahi_desk.importers.excel.workbook import open_workbook
from tests.importers.broken import small_book
from tests.importers.workbooks import patch_member, plain_table, ward_list

PROGRAMS = {
    "Ⅰ　安全・安心": [(1, "災害に強い区づくり事業", 11922, 12321), (2, "ＤＶ対策事業", 906, 909)],
    "Ⅱ　地域の力": [(1, "街の美化運動事業", 432, 499), (2, "旭区広報事業", 3207, 3615)],
}


def ward_layout(path: Path, header_cells: str) -> Path:
    """Column A a vertical 自主企画事業 class label, B the Ⅰ–Ⅱ categories, C the No., D the name;
    the 事業名 label in `header_cells` (D3, or merged over C3:D3 / B3:D3: the value in the first cell)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事業別一覧表"
    ws["A1"] = "令和６年度　旭区個性ある区づくり推進費　事 業 別 一 覧 表"
    ws["H2"] = "（単位：千円）"
    ws[header_cells.split(":")[0]] = "事業名"
    if ":" in header_cells:
        ws.merge_cells(header_cells)
    for col, label in zip("EFGH", ("６年度予算", "５年度予算", "増▲減", "課名"), strict=True):
        ws[f"{col}3"] = label
    row = 4
    for cat, programs in PROGRAMS.items():
        first = row
        for number, name, cur, pri in programs:
            ws.cell(row, 3, number)
            ws.cell(row, 4, name)
            ws.cell(row, 5, cur)
            ws.cell(row, 6, pri)
            ws.cell(row, 7, cur - pri)
            ws.cell(row, 8, "地域振興課")
            row += 1
        ws.cell(first, 2, cat)
        ws.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
    ws.cell(4, 1, "自主企画事業")
    ws.merge_cells(start_row=4, start_column=1, end_row=row - 1, end_column=1)
    ws.cell(row, 1, "合　計")
    wb.save(path)
    return path


def read(path: Path, year: int = 2024, sheet: str | None = None):  # type: ignore[no-untyped-def]
    """Every sheet these tests read is read twice: the common rows the short way (layout.plain_row) and
    every row the whole way (PLAIN_ROWS off). Both must give the same records, problems, notes and totals."""
    with open_workbook(path) as wb:
        name = sheet or wb.sheet_names()[0]
        header = find_header(wb.rows(name, limit=100))
        assert header is not None
        mapping, notes = propose_mapping(header, year)
        parsed = parse_rows(name, wb.rows(name), mapping)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(layout, "PLAIN_ROWS", False)
            assert parse_rows(name, wb.rows(name), mapping) == parsed
        return mapping, notes, parsed


@pytest.mark.parametrize("options", [{}, {"text_amounts": True}, {"fullwidth": True}, {"yen": True},
                                     {"header_row": 3, "extra_sheets": True}])
def test_common_rows_read_the_short_way_as_the_whole_way(tmp_path: Path, budget_json: dict, options: dict) -> None:
    """The seed's list in the shapes the import meets (read() compares layout.plain_row with the whole way)."""
    _mapping, _notes, parsed = read(ward_list(budget_json, tmp_path / "list.xlsx", **options), sheet="事業別一覧表")
    assert len(parsed.records) == sum(len(c["programs"]) for c in budget_json["categories"])


def test_rows_near_the_common_shape_read_as_the_whole_way(tmp_path: Path) -> None:
    """Rows that differ from the common one in one way each (a category cell, a wrapped or numbered name,
    計 in a text, amounts the short way does not take, a name waiting for its amounts, totals, notes)."""
    rows = [["Ⅰ 安全・安心", 1, "事業A", 100, 90, 10, "総務課"],
            [None, 2, "事業B", "1,234", 1000, 234, "総務課、地域振興課"],
            [None, 3, "事業C\n（続き）", 50, 40, 10, "総務課"],
            [None, 4, "会計事務事業", 10, 5, 5, "会計室"],
            [None, 5, "事業D", -5, 5, None, None],
            [None, None, "事業E", 7, "新規", None, None],
            [None, 6, "事業F", 12, None, None, "区政推進課"],
            [None, None, "の続き", None, None, None, None],
            [None, None, None, None, None, None, "地域振興課"],
            [None, 7, "事業G", "１２", 3, None, None],
            [None, 8, "事業H", 10 ** 13, 3, None, None],
            [None, 9, "  事業I  ", " 1,000 ", "▲5", None, None],
            [None, "10", "事業J", 5, 5, 0, None],
            [None, 11, "事業K", 3.0, 1, 9, None],
            [None, 12, "※事業ではない", 4, None, None, None],
            [None, 13, "事業L", "12,345,678,901,234,567,890,123", None, None, None],
            [None, 14, "事業M（名前だけの行）", None, None, None, None],
            [None, None, None, 30, 20, 10, None],
            [None, 15, "事業N", 1, 1, 0, None],
            ["小計", None, None, 1330, None, None, None],
            [None, 16, "事業O", "", 2, None, None],
            [None, 17, "事業P", 1.5, 2, None, None],
            [None, 18, "2,000千円", 2000, 2, None, None],
            [None, None, "小　計", 1330, None, None, None],
            [None, 19, "事業Q", 10, 5, 5, "計"],
            [None, 20, "事業R", 7, 5, 2, None, "Ⅱ　計"],
            [None, 21, "事業S", "1²", 5, None, None],
            ["合　計", None, None, 99999, None, None, None]]
    path = plain_table(tmp_path / "near.xlsx", rows, ["施策", "No.", "事業名", "５年度予算", "４年度予算", "増▲減", "課名"],
                       header_row=3, title="令和５年度 事業別一覧表")
    _mapping, _notes, parsed = read(path)
    assert parsed.records and parsed.problems and parsed.totals


@pytest.mark.parametrize("header_cells", ["D3", "C3:D3", "B3:D3"])
def test_merged_name_header_class_and_category_columns(tmp_path: Path, header_cells: str) -> None:
    mapping, _notes, parsed = read(ward_layout(tmp_path / "w.xlsx", header_cells))
    assert mapping.columns["name"] == 4 and mapping.columns["number"] == 3
    assert mapping.columns["category"] == 2 and mapping.columns["budget_class"] == 1
    assert parsed.problems == []
    got = [(r.budget_class, r.category.code, r.category.name, r.number, r.name, r.amount) for r in parsed.records]
    assert got == [("自主企画事業", "Ⅰ", "安全・安心", 1, "災害に強い区づくり事業", 12321),
                   ("自主企画事業", "Ⅰ", "安全・安心", 2, "ＤＶ対策事業", 909),
                   ("自主企画事業", "Ⅱ", "地域の力", 1, "街の美化運動事業", 499),
                   ("自主企画事業", "Ⅱ", "地域の力", 2, "旭区広報事業", 3615)]


def wrapped(path: Path, mode: str) -> Path:
    """The ward's wrapped name: No. 11's name over rows 5–6, amounts on the top row, the bottom row, or
    the two rows merged."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["", "No.", "事業名", "６年度予算", "５年度予算", "増▲減", "課名"])
    ws.append(["Ⅱ\n地域の力", 10, "地域福祉保健計画事業", 6036, 4088, 1948, "福祉保健課"])
    ws.append([None, 11, "地域のつながりづくりに向けた民生"])
    ws.append([None, None, "委員の活動支援事業"])
    amounts_row = 3 if mode in ("top", "merged") else 4
    for col, v in zip(range(4, 8), (3185, 3280, "▲95", "福祉保健課"), strict=True):
        ws.cell(amounts_row, col, v)
    if mode == "merged":
        for col in (2, 4, 5, 6, 7):
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    if mode == "bottom":
        ws.cell(4, 2, None)
    ws.append([None, 12, "健康生活支援事業", 2562, 2686, -124, "福祉保健課"])
    ws.append([None, None, "（注）課名は令和６年度時点"])
    wb.save(path)
    return path


@pytest.mark.parametrize("mode", ["top", "bottom", "merged"])
def test_wrapped_names_are_joined(tmp_path: Path, mode: str) -> None:
    _mapping, _notes, parsed = read(wrapped(tmp_path / f"{mode}.xlsx", mode))
    assert parsed.problems == []
    assert [(r.number, r.name, r.amount) for r in parsed.records] == [
        (10, "地域福祉保健計画事業", 4088), (11, "地域のつながりづくりに向けた民生委員の活動支援事業", 3280),
        (12, "健康生活支援事業", 2686)]


def unit_book(path: Path, unit_text: str, values: list[object]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["令和５年度 予算"])
    ws.append([unit_text])
    ws.append(["事業名", "令和５年度"])
    for i, v in enumerate(values):
        ws.append([f"事業{i}", v])
    wb.save(path)
    return path


@pytest.mark.parametrize(("unit_text", "values", "expected"), [
    ("（単位：百万円）", [12, "1.5", "0.0005", 1.2345], [12000, 1500, 1, 1235]),
    ("（単位：万円）", [12, "1,234", "0.05"], [120, 12340, 1]),
    ("（単位：円）", [1500, 1499, "12,321,000"], [2, 1, 12321]),
    ("（単位：千円）", [12321, "１２，３２１"], [12321, 12321]),
])
def test_units_are_converted_to_thousands_half_up(tmp_path: Path, unit_text: str, values: list[object],
                                                  expected: list[int]) -> None:
    mapping, notes, parsed = read(unit_book(tmp_path / "u.xlsx", unit_text, values))
    assert mapping.unit == unit_of_text(unit_text)
    assert parsed.problems == []
    assert [r.amount for r in parsed.records] == expected
    if mapping.unit != "千円":
        assert any("四捨五入" in n for n in notes)


@pytest.mark.parametrize("text", ["Infinity", "-Infinity", "sNaN", "NaN", "1e3", "1_000", "1E+3", "0x10", "٣"])
def test_amount_text_that_is_not_digits_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="金額が数値ではありません"):
        parse_cell_amount(text)


def test_amount_cells_that_are_not_digits_are_named(tmp_path: Path) -> None:
    path = unit_book(tmp_path / "bad.xlsx", "（単位：千円）", ["Infinity", "sNaN", "NaN", "1e3", "1_000", 5])
    _mapping, _notes, parsed = read(path)
    assert [p.line() for p in parsed.problems] == [
        f"「Sheet」シート {row}行 B列: 金額が数値ではありません（「{text}」）"
        for row, text in zip(range(4, 9), ["Infinity", "sNaN", "NaN", "1e3", "1_000"], strict=True)]
    assert [r.amount for r in parsed.records] == [5]


def test_negative_amounts_are_refused_but_read_in_the_change_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["事業名", "令和６年度", "令和５年度", "増▲減"])
    ws.append(["ＤＶ対策事業", 906, "▲300", "▲ 3"])
    ws.append(["街の美化運動事業", "△10", 499, "△67"])
    ws.append(["旭区広報事業", 3207, 3615, "▲408"])
    wb.save(tmp_path / "neg.xlsx")
    _mapping, notes, parsed = read(tmp_path / "neg.xlsx")
    assert [(p.row, p.col) for p in parsed.problems] == [(2, 3), (3, 2)]
    assert all("負の金額は取り込めません" in p.message for p in parsed.problems)
    assert [(r.name, r.amount, r.current) for r in parsed.records] == [("街の美化運動事業", 499, None),
                                                                      ("旭区広報事業", 3615, 3207)]
    assert not any("合いません" in n for n in parsed.notes)  # ▲408 read as a change: 3207 - 3615


def test_rows_counted_while_streaming_not_the_declared_dimension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = small_book(tmp_path / "many.xlsx")
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="n"><v>1</v></c></row>' for i in range(3, 3003))
    patch_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>"))
    monkeypatch.setattr(safety, "MAX_ROWS", 2000)  # the real limit is 100,000 rows: same code, smaller file
    # the declared dimension still says A1:B2; the pre-flight counts the rows before any reader parses
    with pytest.raises(InputError, match="「Sheet」シートの行が多すぎます（2,000 行を超えています）"), \
            open_workbook(path):
        pass


def test_prefixed_rows_are_counted_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tags written with a namespace prefix (<x:row>) count like plain ones: the quick bound includes them."""
    path = small_book(tmp_path / "prefixed.xlsx")
    ns = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rows = "".join(f'<x:row r="{i}"><x:c r="A{i}" t="n"><x:v>1</x:v></x:c></x:row>' for i in range(3, 3003))
    patch_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<worksheet ", b"<worksheet " + ns + b" ", 1)
                 .replace(b"</sheetData>", rows.encode() + b"</sheetData>"))
    monkeypatch.setattr(safety, "MAX_ROWS", 2000)
    with pytest.raises(InputError, match="「Sheet」シートの行が多すぎます（2,000 行を超えています）"), \
            open_workbook(path):
        pass


def test_a_bound_over_the_limit_is_counted_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """<col> and <rowBreaks> elements lift the quick bound past the limits; the exact count still admits
    the sheet (what counts is <row> and <c> elements), and refuses one cell more."""
    path = small_book(tmp_path / "cols.xlsx")
    cols = "<cols>" + "".join(f'<col min="{i}" max="{i}" width="9"/>' for i in range(1, 40)) + "</cols>"
    patch_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<sheetData", cols.encode() + b"<sheetData", 1)
                 .replace(b"</worksheet>", b'<rowBreaks count="0" manualBreakCount="0"/></worksheet>'))
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    cells = len(re.findall(rb"<c[\s/>]", xml))
    monkeypatch.setattr(safety, "MAX_CELLS", cells)
    monkeypatch.setattr(safety, "MAX_ROWS", len(re.findall(rb"<row[\s/>]", xml)))
    with open_workbook(path) as wb:
        assert [len(values) for _n, values in wb.rows("Sheet")]
    monkeypatch.setattr(safety, "MAX_CELLS", cells - 1)
    again = shutil.copy(path, tmp_path / "cols-again.xlsx")  # another file: the one above passed and is remembered
    with pytest.raises(InputError, match=f"セルが多すぎます（{cells - 1:,} 個を超えています）"), open_workbook(again):
        pass


def test_a_row_of_16384_cells_is_refused(tmp_path: Path) -> None:
    from openpyxl.utils import get_column_letter

    path = small_book(tmp_path / "wide.xlsx")
    cells = "".join(f'<c r="{get_column_letter(j)}3" t="n"><v>1</v></c>' for j in range(1, 16385))
    patch_member(path, "xl/worksheets/sheet1.xml",
                 lambda xml: xml.replace(b"</sheetData>", f'<row r="3">{cells}</row></sheetData>'.encode()))
    with open_workbook(path) as wb, pytest.raises(InputError, match="3行の列が多すぎます（16,384 列、上限 1,000 列）"):
        list(wb.rows("Sheet"))


LATE_DTD = b'<?xml version="1.0" encoding="UTF-8"?>\n<!--' + b"x" * 5000 + b'-->\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'


def test_a_dtd_after_a_long_comment_is_found(tmp_path: Path) -> None:
    path = small_book(tmp_path / "late.xlsx")
    patch_member(path, "xl/worksheets/sheet1.xml", lambda xml: LATE_DTD + xml[xml.find(b"?>") + 2 if b"?>" in xml else 0:])
    with pytest.raises(InputError, match="DTD・エンティティ定義が含まれています（xl/worksheets/sheet1.xml）"):
        safety.preflight(path)


def test_defusedxml_refusal_is_said_in_japanese(tmp_path: Path) -> None:
    """A UTF-16 part hides its DTD from the byte scan; openpyxl's defusedxml refuses it, in Japanese here."""
    path = small_book(tmp_path / "u16.xlsx")

    def to_utf16(xml: bytes) -> bytes:
        body = xml[xml.find(b"?>") + 2 if b"?>" in xml else 0:].decode("utf-8")
        text = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n' + body
        return text.encode("utf-16")

    patch_member(path, "xl/workbook.xml", to_utf16)
    safety.preflight(path)  # not found by the byte scan …
    with pytest.raises(InputError) as e, open_workbook(path) as wb:  # … but refused, with a Japanese message
        list(wb.rows(wb.sheet_names()[0]))
    assert "DTD・エンティティ定義が含まれています" in str(e.value) and "ValueError" not in str(e.value)
    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/workbook.xml").startswith(b"\xff\xfe")
