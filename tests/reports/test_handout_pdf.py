"""The handout read back: 総括表 and 事業別一覧表 figures equal the database, fonts, A4, agenda, hostile text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from asahi_desk.app import build_services, shipped_demo_db
from asahi_desk.domain import money, rules
from asahi_desk.domain.entities import AgendaItem, AgendaSubItem, Budget, Meeting
from asahi_desk.reports.pdf.handout import build_parts, combine
from asahi_desk.reports.pdf.summary import figure_name


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Budget, dict[str, bytes]]:
    db = tmp_path_factory.mktemp("handout") / "demo.db"
    shutil.copy2(shipped_demo_db(), db)
    services = build_services(db)
    try:
        budget = services.budgets.get(2024)
        review = services.budgets.get_review(2022)
    finally:
        services.close()
    parts = build_parts(budget, budget.meetings[0], review=review, review_material="資料2")
    return budget, {p.name: p.data for p in parts} | {"all": combine(parts, "t")}


def _flat(text: str | None) -> str:
    return (text or "").replace("\n", "")


def _table_rows(pdf_bytes: bytes) -> list[list[str]]:
    rows: list[list[str]] = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += [[_flat(c) for c in row] for row in table]
    return rows


def test_summary_figures_match_the_database(demo: tuple[Budget, dict[str, bytes]]) -> None:
    budget, pdfs = demo
    rows = {r[0]: r[1:] for r in _table_rows(pdfs["資料1"]) if len(r) == 5}
    figures = rules.summary_figures(budget)
    assert len(figures) == 7
    for f in figures:
        name = figure_name(f, budget)
        printed = next(v for k, v in rows.items() if k.strip("　").removesuffix("※１") == name)
        assert printed == [money.format_amount(f.current), money.format_amount(f.prior),
                           money.format_amount(f.change), money.format_rate(f.rate)], name
    assert "統合事業費（各種委員の任命・委嘱に関する経費など）" in {k.strip("　") for k in rows}
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdfs["資料1"])).pages[:1])
    for note in budget.summary_notes or ():
        assert _flat(note)[:20] in _flat(text)


def test_every_program_row_matches_the_database(demo: tuple[Budget, dict[str, bytes]]) -> None:
    budget, pdfs = demo
    rows = [r for r in _table_rows(pdfs["資料1"]) if len(r) == 6 and r[0] != "No."]
    by_name = {r[1]: r for r in rows}
    checked = 0
    for cat in budget.categories:
        for p in cat.programs:
            itemised = p.line_items and all(li.prior is not None for li in p.line_items)
            expected = [(p.name, p.current, p.prior, "".join(p.sections) if not itemised else "")]
            if itemised:
                expected += [(li.name, li.amount, li.prior or 0, "".join(li.sections or ())) for li in p.line_items]
            for name, cur, pri, sections in expected:
                r = by_name[name]
                assert r[2:] == [money.format_amount(cur), money.format_amount(pri),
                                 money.format_amount(cur - pri), sections], name
                checked += 1
    assert checked >= 34
    totals = [r for r in rows if r[0].replace("　", "").replace(" ", "") == "合計"]
    assert [t[2] for t in totals] == ["102,924", "48,626"]


def test_fonts_are_embedded_ipaex_subsets_and_pages_are_a4(demo: tuple[Budget, dict[str, bytes]],
                                                            tmp_path: Path) -> None:
    _budget, pdfs = demo
    reader = PdfReader(io.BytesIO(pdfs["all"]))
    fonts: set[str] = set()
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
    assert fonts and all(f.split("+", 1)[1] in ("IPAexMincho", "IPAexGothic") for f in fonts), fonts
    if shutil.which("pdffonts"):
        path = tmp_path / "all.pdf"
        path.write_bytes(pdfs["all"])
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "Helvetica" not in out
        assert all(" yes yes " in line for line in out.splitlines()[2:]), out


def test_label_on_every_material_page_and_page_numbers(demo: tuple[Budget, dict[str, bytes]]) -> None:
    _budget, pdfs = demo
    pages = PdfReader(io.BytesIO(pdfs["資料1"])).pages
    assert len(pages) > 10
    for i, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "資料１" in text and f"- {i} -" in text
    assert "資料２" in PdfReader(io.BytesIO(pdfs["資料2"])).pages[-1].extract_text()


def test_agenda_lists_items_in_order(demo: tuple[Budget, dict[str, bytes]]) -> None:
    budget, pdfs = demo
    text = _flat(PdfReader(io.BytesIO(pdfs["次第"])).pages[0].extract_text())
    positions = [text.index(item.title) for item in budget.meetings[0].agenda]
    assert positions == sorted(positions)
    assert "令和６年６月11日（火）" in text and "15時00分から" in text and "旭区役所新館２階大会議室" in text
    assert "…………資料１" in text and "…………資料２" in text


def test_hostile_text_renders_literally(demo: tuple[Budget, dict[str, bytes]]) -> None:
    budget, _pdfs = demo
    long_word = "A" * 300
    cat = budget.categories[0]
    program = dataclasses.replace(cat.programs[0], name="<script>&amp;", purpose=f"x {long_word} > y")
    hostile = dataclasses.replace(budget, categories=(dataclasses.replace(cat, programs=(program,)),))
    meeting = Meeting("<b>会議&", dt.date(2024, 6, 11), None, "場所<>",
                      (AgendaItem(1, "議題<i>", (AgendaSubItem("&lt;説明", "<副区長>", "資料1"),)),))
    parts = build_parts(hostile, meeting)
    text = _flat("".join(p.extract_text() for part in parts for p in PdfReader(io.BytesIO(part.data)).pages))
    for literal in ("<script>&amp;", "<b>会議&", "場所<>", "議題<i>", "&lt;説明", "【<副区長>】", "> y"):
        assert literal in text, literal
    assert text.count("A") >= 300


def test_long_tables_repeat_their_header_on_every_page(demo: tuple[Budget, dict[str, bytes]]) -> None:
    _budget, pdfs = demo
    pages = PdfReader(io.BytesIO(pdfs["資料2"])).pages
    assert len(pages) > 2
    for page in pages:
        head = " ".join(page.extract_text().split())
        assert "担当課 事業内容 振り返り" in head


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_program_block_prints_amounts_markers_and_related_programs(demo: tuple[Budget, dict[str, bytes]]) -> None:
    budget, pdfs = demo
    text = _squeeze("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdfs["資料1"])).pages))
    assert "２拡防災活動事業【8,966千円】" in text
    assert "増△減△399千円" in text
    assert "＜関連する局事業＞・GREEN×EXPO推進事業（脱炭素・GREEN×EXPO推進局）【4,000千円】" in text
    for program in budget.programs():
        assert _squeeze(program.name) in text
        for li in program.line_items:
            assert _squeeze(f"{li.name}【{money.format_amount(li.amount)}千円】") in text, li.name


def _words(pdf_bytes: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [page.extract_words() for page in pdf.pages]


def test_summary_rows_are_indented_by_level(demo: tuple[Budget, dict[str, bytes]]) -> None:
    _budget, pdfs = demo
    first = _words(pdfs["資料1"])[0]
    x0 = {w["text"]: w["x0"] for w in first}
    total, klass, part = x0["個性ある区づくり推進費"], x0["統合事務事業費"], x0["統合事務費"]
    assert total < klass < part


def test_continued_line_of_a_long_program_name_stays_inside_the_page(
        demo: tuple[Budget, dict[str, bytes]]) -> None:
    budget, _pdfs = demo
    cat = next(c for c in budget.categories if c.programs[0].line_items)
    long_name = "とても長い事業名" * 40
    many = tuple(dataclasses.replace(li, activities=li.activities * 8) for li in cat.programs[0].line_items)
    program = dataclasses.replace(cat.programs[0], name=long_name, line_items=many)
    changed = dataclasses.replace(budget, categories=(dataclasses.replace(cat, programs=(program,)),))
    data = next(p.data for p in build_parts(changed, budget.meetings[0]) if p.name == "資料1")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        continued = [p for p in pdf.pages if "（続き）" in (p.extract_text() or "")]
        assert continued
        for page in continued:
            assert all(ch["x1"] <= page.width - 40 for ch in page.chars)
            line = next(t for t in page.extract_text().splitlines() if "（続き）" in t)
            assert "…（続き）" in line


def test_area_heading_of_the_review_never_ends_a_page(demo: tuple[Budget, dict[str, bytes]]) -> None:
    _budget, pdfs = demo
    with pdfplumber.open(io.BytesIO(pdfs["資料2"])) as pdf:
        for page in pdf.pages:
            lines = [t for t in (page.extract_text() or "").splitlines() if t.strip()]
            body = [t for t in lines if not t.startswith("- ")]
            assert not (body and body[-1][:1] in "１２３４５６７８９" and "　" in body[-1][:3]), body[-1]


def test_amount_box_is_not_shaded(demo: tuple[Budget, dict[str, bytes]]) -> None:
    _budget, pdfs = demo
    with pdfplumber.open(io.BytesIO(pdfs["資料1"])) as pdf:
        page = next(p for p in pdf.pages if "増△減" in (p.extract_text() or ""))
        amount = next(w for w in page.extract_words() if w["text"] == "11,922")
        filled = [r for r in page.rects if r.get("fill") and r["non_stroking_color"] not in (None, (1,), [1], (1, 1, 1))
                  and r["x0"] <= amount["x0"] <= r["x1"] and r["top"] <= amount["top"] <= r["bottom"]]
        assert not filled
