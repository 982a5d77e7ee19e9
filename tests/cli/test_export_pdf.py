"""export-pdf: the handout files, the stamped attachment kept on the meeting, bad input exits 2 writing nothing."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from asahi_desk.launcher import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def report_pdf(tmp_path: Path) -> Path:
    """A two-page third-party PDF (US Letter) standing in for the co-working report."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    from asahi_desk.reports.pdf.fonts import MINCHO, register_fonts

    register_fonts()
    path = tmp_path / "report.pdf"
    c = Canvas(str(path), pagesize=letter, initialFontName=MINCHO)
    for n in (1, 2):
        c.setFont(MINCHO, 14)
        c.drawString(72, 600, f"働く場の創出事業 報告 {n}")
        c.showPage()
    c.save()
    return path


def test_export_with_attachment_split_and_review(capsys: pytest.CaptureFixture[str], demo_db: Path,
                                                 tmp_path: Path, report_pdf: Path) -> None:
    out, split = tmp_path / "handout.pdf", tmp_path / "split"
    code, _o, err = run(capsys, "export-pdf", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(out),
                        "--attach", f"資料２={report_pdf}", "--split-dir", str(split), "--review", "2022")
    assert code == 0, err
    assert "書き出しました" in err
    assert sorted(p.name for p in split.iterdir()) == ["次第.pdf", "資料1.pdf", "資料2.pdf", "資料3.pdf"]
    attached = PdfReader(split / "資料2.pdf").pages
    assert len(attached) == 2
    for page in attached:
        text = page.extract_text()
        assert "資料２" in text and "働く場の創出事業" in text
    assert "振り返り" in PdfReader(split / "資料3.pdf").pages[0].extract_text()
    total = sum(len(PdfReader(p).pages) for p in split.iterdir())
    assert len(PdfReader(out).pages) == total
    assert out.stat().st_size < 2 * 1024 * 1024
    # The attachment is kept on the meeting: the next export without --attach still has 資料2.
    with sqlite3.connect(demo_db) as con:
        assert con.execute("select material, filename from attachment").fetchall() == [("資料2", "report.pdf")]
    again = tmp_path / "again.pdf"
    assert run(capsys, "export-pdf", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(again))[0] == 0
    assert len(PdfReader(again).pages) == total - len(PdfReader(split / "資料3.pdf").pages)


@pytest.mark.parametrize("case", ["year", "meeting", "missing", "not_pdf", "label", "out_dir", "no_folder",
                                  "indicators_alone"])
def test_bad_input_exits_2_and_writes_nothing(capsys: pytest.CaptureFixture[str], demo_db: Path, tmp_path: Path,
                                              report_pdf: Path, case: str) -> None:
    out = tmp_path / "out" / "handout.pdf"
    out.parent.mkdir()
    text = tmp_path / "note.pdf"
    text.write_text("これはPDFではありません", encoding="utf-8")
    args = {"year": ["--fiscal-year", "2030"],
            "meeting": ["--meeting", "999"],
            "missing": ["--attach", f"資料2={tmp_path / 'nope.pdf'}"],
            "not_pdf": ["--attach", f"資料2={text}"],
            "label": ["--attach", f"資料1={report_pdf}"],
            "out_dir": ["--out", str(tmp_path)],
            "no_folder": ["--out", str(tmp_path / "missing" / "x.pdf")],
            "indicators_alone": ["--review-indicators"]}[case]
    base = ["export-pdf", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(out)]
    code, stdout, err = run(capsys, *base, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("エラー: "), err
    assert "Traceback" not in err + stdout
    assert list(out.parent.iterdir()) == []
    with sqlite3.connect(demo_db) as con:
        assert con.execute("select count(*) from attachment").fetchone() == (0,)


def test_reportlab_is_not_imported_at_startup() -> None:
    import subprocess

    code = ("import sys; from asahi_desk.app import build_services, fresh_demo_copy; "
            "s = build_services(fresh_demo_copy()); s.handout; import asahi_desk.cli.main as m; m.build_parser(); "
            "print(sorted(n for n in sys.modules if n.startswith(('reportlab', 'pypdf'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_failed_write_leaves_no_new_split_folder(capsys: pytest.CaptureFixture[str], demo_db: Path,
                                                    tmp_path: Path) -> None:
    # A file name the file system takes but whose temporary sibling is too long: the write fails after the
    # split folder was made, so the folder must go too.
    work = tmp_path / "work"
    work.mkdir()
    out = work / ("会" * 80 + ".pdf")
    split = work / "split"
    code, stdout, err = run(capsys, "export-pdf", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(out),
                            "--split-dir", str(split))
    assert code == 2, err
    assert "Traceback" not in err + stdout
    assert list(work.iterdir()) == []


def test_stamp_sits_top_right_of_rotated_and_offset_pages(tmp_path: Path) -> None:
    """A landscape page stored rotated and a page whose boxes do not start at 0,0 are stamped where the
    reader sees the top right corner, on a white box over whatever is there."""
    import io

    import pdfplumber
    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject

    from asahi_desk.reports.pdf.stamp import stamp

    writer = PdfWriter()
    rotated = writer.add_blank_page(595, 842)
    rotated.rotate(90)
    offset = writer.add_blank_page(595, 842)
    offset.mediabox = RectangleObject([100, 100, 695, 942])
    offset.cropbox = RectangleObject([100, 100, 695, 942])
    buffer = io.BytesIO()
    writer.write(buffer)
    with pdfplumber.open(io.BytesIO(stamp(buffer.getvalue(), "資料２"))) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words() if "資料" in w["text"]]
            assert words, page.page_number
            word = words[0]
            assert word["upright"]
            assert word["x1"] > page.width - 100 and word["top"] < 60, (page.page_number, word, page.width)


def test_agenda_material_missing_from_the_handout_is_reported(capsys: pytest.CaptureFixture[str], demo_db: Path,
                                                               tmp_path: Path) -> None:
    code, _o, err = run(capsys, "export-pdf", "--db", str(demo_db), "--fiscal-year", "2024",
                        "--out", str(tmp_path / "h.pdf"))
    assert code == 0
    assert "注意: 次第に挙げた資料2が入っていません" in err
