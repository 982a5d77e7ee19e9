"""The demo handout as `export-pdf --review 2022` writes it, read back: 禁則 in every line of every cell and
paragraph, no glyph on a ruling or past the margin, no lone last character, and a 次第 that names every
material it holds; one Paragraph class for every PDF module."""

from __future__ import annotations

import ast
import dataclasses
import io
import shutil
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from asahi_desk.app import build_services, shipped_demo_db
from asahi_desk.reports.pdf.document import frame_width
from asahi_desk.reports.pdf.fonts import MINCHO
from asahi_desk.reports.pdf.handout import build_parts
from asahi_desk.services.handout import ExportRequest
from tests.reports import typesetting_check as check

PDF_PACKAGE = Path(__file__).resolve().parents[2] / "asahi_desk" / "reports"


def _report_pdf(path: Path, title: str) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    from asahi_desk.reports.pdf.fonts import MINCHO, register_fonts

    register_fonts()
    canvas = Canvas(str(path), initialFontName=MINCHO)
    canvas.drawString(72, 700, title)
    canvas.showPage()
    canvas.save()
    return path


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    work = tmp_path_factory.mktemp("typeset")
    db = work / "demo.db"
    shutil.copy2(shipped_demo_db(), db)
    services = build_services(db)
    try:
        result = services.handout.export(ExportRequest(2024, work / "h.pdf", review_year=2022))
    finally:
        services.close()
    assert result.materials == ("次第", "資料1", "資料3")
    return (work / "h.pdf").read_bytes()


@pytest.fixture(scope="module")
def reading(handout: bytes) -> check.Reading:
    return check.read(handout)


def test_no_line_breaks_a_kinsoku_rule(reading: check.Reading) -> None:
    in_cells = [line for line in reading.lines if line.cell]
    assert reading.cells > 500 and len(in_cells) > 1000  # the check really read the tables
    assert check.bad_breaks(reading) == []


def test_no_glyph_touches_a_ruling_or_crosses_the_margin(reading: check.Reading) -> None:
    assert reading.overflows == []


def test_no_paragraph_ends_with_one_character_alone(reading: check.Reading) -> None:
    assert check.lone_last_chars(reading) == []


def test_phrases_are_not_cut_in_the_demo(reading: check.Reading) -> None:
    """The issue's 「まちづくり事／業」 and 「福祉保健／課」."""
    words = ("事業", "福祉保健課", "支援課", "まちづくり")
    cut = []
    for above, below in zip(reading.lines, reading.lines[1:], strict=False):
        if (above.page, above.cell) != (below.page, below.cell):
            continue
        for word in words:
            seam = above.text[-(len(word) - 1):] + below.text[:len(word) - 1]
            if word in seam:
                cut.append(f"{above.text}／{below.text}")
    assert cut == []
    assert sum("福祉保健課" in line.text for line in reading.lines) > 10


def test_agenda_names_every_material_in_order_with_the_review(handout: bytes) -> None:
    agenda = PdfReader(io.BytesIO(handout)).pages[0].extract_text()
    listed = agenda[agenda.index("配付資料"):]
    assert "資料１" in listed and "資料３" in listed
    assert listed.index("資料１") < listed.index("資料３")
    assert "執行計画について" in listed
    assert "運営方針" in listed and "振り返り" in listed
    assert "資料２" not in listed  # named by the agenda but not in this handout (the CLI warns of it)


def test_agenda_names_attachments_by_their_file_name(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy2(shipped_demo_db(), db)
    services = build_services(db)
    try:
        attach = {"資料2": _report_pdf(tmp_path / "report.pdf", "報告"),
                  "資料4": _report_pdf(tmp_path / "防災フェア実施報告.pdf", "防災フェア")}
        result = services.handout.export(ExportRequest(2024, tmp_path / "h.pdf", attach=attach, review_year=2022,
                                                       store_attachments=False))
    finally:
        services.close()
    assert result.materials == ("次第", "資料1", "資料2", "資料4", "資料5")
    agenda = PdfReader(tmp_path / "h.pdf").pages[0].extract_text()
    listed = agenda[agenda.index("配付資料"):]
    order = [listed.index(f"資料{n}") for n in "１２４５"]
    assert order == sorted(order), listed
    assert "働く場の創出事業" in listed  # 資料2 by the agenda item that names it
    assert "防災フェア実施報告" in listed  # 資料4 by its file name, as the agenda does not name it
    assert "振り返り" in listed[listed.index("資料５"):]


def test_a_word_wider_than_its_cell_shrinks_one_step_then_breaks(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy2(shipped_demo_db(), db)
    services = build_services(db)
    try:
        budget = services.budgets.get(2024)
    finally:
        services.close()
    cat = budget.categories[0]
    # 課名 of the 事業別一覧表 (21% of the frame, 6 pt padding each side): a word that fits only one step smaller
    room = frame_width() * 0.21 - 12
    near = next(w for n in range(5, 40) if (w := "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCD"[:n])
                and stringWidth(w, MINCHO, 8.5) <= room < stringWidth(w, MINCHO, 9.5))
    url = "https://www.city.yokohama.lg.jp/asahi/kurashi/bosai/" * 2
    programs = (dataclasses.replace(cat.programs[0], sections=(near,)),
                dataclasses.replace(cat.programs[1], sections=(url,), name="長い" * 60))
    changed = dataclasses.replace(budget, categories=(dataclasses.replace(cat, programs=programs),
                                                      *budget.categories[1:]))
    data = next(p.data for p in build_parts(changed, budget.meetings[0]) if p.name == "資料1")
    reading = check.read(data)
    assert reading.overflows == []
    assert check.bad_breaks(reading) == []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        listing = pdf.pages[1]
        in_column = [w for w in listing.extract_words(extra_attrs=["size"]) if w["x0"] > listing.width - 48 - room - 12]
        words = [w for page in pdf.pages for w in page.extract_words(extra_attrs=["size"])]
    near_words = [w for w in in_column if near in w["text"]]
    assert len(near_words) == 1 and near_words[0]["text"] == near, in_column  # one line, unbroken
    assert near_words[0]["size"] == pytest.approx(8.5)  # one step smaller
    assert {w["size"] for w in in_column if "課" in w["text"]} == {9.5}  # the other cells keep their size
    text = "".join(w["text"] for w in words)
    assert url.replace("/", "") in text.replace("/", "")  # every character printed, none clipped
    assert not any(w["text"] == url for w in words)  # and the word broken over lines
    url_parts = [w for w in words if "yokohama" in w["text"] or "kurashi" in w["text"]]
    assert url_parts and {w["size"] for w in url_parts} == {8.5}  # one step smaller, and no further


def _paragraph_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reportlab"):
            found += [f"{path.name}: imports {a.name}" for a in node.names if a.name in ("Paragraph", "XPreformatted")]
        if isinstance(node, ast.Attribute) and node.attr == "Paragraph":
            found.append(f"{path.name}: uses .Paragraph")
    return found


def test_every_pdf_module_sets_text_through_the_one_paragraph() -> None:
    modules = [p for p in PDF_PACKAGE.rglob("*.py") if p.name != "paragraphs.py"]
    assert len(modules) > 8
    assert [use for path in modules for use in _paragraph_uses(path)] == []


def test_plain_text_cells_of_a_grid_are_set_like_every_other_cell() -> None:
    from asahi_desk.reports.pdf import tables as tb
    from asahi_desk.reports.pdf.document import build_pdf
    from asahi_desk.reports.pdf.paragraphs import JaParagraph

    long = "地域防災拠点における訓練の実施（10月）、" * 6
    table = tb.grid([["区分", "内容"], ["総務課", long]], [80, 160])
    assert all(isinstance(c, JaParagraph) for row in table._cellvalues for c in row)
    reading = check.read(build_pdf([table], title="t"))
    assert reading.overflows == [] and check.bad_breaks(reading) == []
    assert len([line for line in reading.lines if line.cell]) > 6


def test_the_check_sees_what_reportlab_alone_does() -> None:
    """The same cells set by reportlab's own CJK wrap (the handout before issue 13) fail the check: a line
    starting with ： and punctuation hung into the ruling."""
    from reportlab.platypus import Paragraph

    from asahi_desk.reports.pdf import styles as st
    from asahi_desk.reports.pdf import tables as tb
    from asahi_desk.reports.pdf.document import build_pdf

    results = ("防災訓練（地域防災拠点：６月～３月 計30拠点：2,151人、地区連合：６月～11月・計13連合：4,257人）\n"
               "開設・運営訓練 40施設と区が連携して実施（10/4、10/12、10/27、11/18）\n"
               "配食ボランティア等に向けた講習会を実施（２回、計120人）。")
    widths = [frame_width() * w for w in (0.17, 0.38, 0.45)]
    ours = [tb.cell("総務課"), tb.cell("地域防災"), tb.cell(results)]
    reportlabs = [Paragraph("総務課", st.CELL), Paragraph("地域防災", st.CELL), Paragraph(st.text(results), st.CELL)]

    def reading_of(cells: list) -> check.Reading:
        table = tb.grid([tb.header(["担当課", "事業内容", "振り返り"]), cells], widths)
        return check.read(build_pdf([table], title="t"))

    before = reading_of(reportlabs)
    assert any("starts with ：" in b for b in check.bad_breaks(before)), check.bad_breaks(before)
    assert any("実施（" in b for b in check.bad_breaks(before))
    assert any("touches its cell's ruling" in o for o in before.overflows)
    after = reading_of(ours)
    assert check.bad_breaks(after) == [] and after.overflows == []
