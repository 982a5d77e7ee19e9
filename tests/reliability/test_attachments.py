"""Attached PDFs are sanitised before they are stored or merged; hostile ones are refused in one line."""

from __future__ import annotations

import io
import sqlite3
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from asahi_desk.launcher import main
from tests.reliability import hostile_corpus


def _export(demo_db: Path, out: Path, attach: Path) -> tuple[int, str]:
    code = main(["export-pdf", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(out),
                 "--attach", f"資料2={attach}"])
    return code, ""


def _active_objects(data: bytes) -> list[str]:
    """Keys of active content found anywhere in the file, by pypdf's reading of every object."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    root = reader.trailer["/Root"]
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        if key in root:
            found.append(key)
    if "/Names" in root and any(k in root["/Names"] for k in ("/JavaScript", "/EmbeddedFiles")):
        found.append("/Names")
    for page in reader.pages:
        if "/AA" in page:
            found.append("page /AA")
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            if a.get("/Subtype") == "/FileAttachment" or "/AA" in a or \
                    ("/A" in a and a["/A"].get_object().get("/S") in ("/Launch", "/JavaScript")):
                found.append(f"annotation {a.get('/Subtype')}")
    return found


def test_scripts_actions_and_files_never_reach_the_handout_or_the_database(tmp_path: Path, demo_db: Path,
                                                                           capsys) -> None:  # noqa: ANN001
    hostile = hostile_corpus.scripted_pdf(tmp_path / "scripted.pdf")
    raw = hostile.read_bytes()
    assert {b"/OpenAction", b"/JavaScript", b"/Launch", b"/XFA", b"/AA"} <= set(hostile_corpus.active_markers(raw))
    assert _active_objects(raw)  # the oracle sees them in the source
    out = tmp_path / "handout.pdf"
    code, _ = _export(demo_db, out, hostile)
    assert code == 0, capsys.readouterr().err
    handout = out.read_bytes()
    assert _active_objects(handout) == []
    assert hostile_corpus.active_markers(handout) == []
    with sqlite3.connect(demo_db) as conn:
        stored = conn.execute("SELECT data FROM attachment WHERE material = '資料2'").fetchone()[0]
    assert hostile_corpus.active_markers(stored) == []
    assert len(PdfReader(io.BytesIO(stored)).pages) == 1


def test_hostile_attachments_are_refused_or_normalised(tmp_path: Path, demo_db: Path, capsys) -> None:  # noqa: ANN001
    for name, path, expect in hostile_corpus.pdf_cases(tmp_path):
        out = tmp_path / f"{name}-out.pdf"
        started = time.perf_counter()
        code, _ = _export(demo_db, out, path)
        elapsed = time.perf_counter() - started
        err = capsys.readouterr().err
        if not expect:  # a bad CropBox and Rotate 45 are normalised: the page shows its MediaBox, upright
            assert code == 0, err
            page = PdfReader(out).pages[-1]
            assert page.rotation == 0 and [float(v) for v in page.cropbox] == [0, 0, 595, 842]
            continue
        assert code == 2, (name, err)
        assert err.count("\n") == 1 and expect in err and str(path) in err, (name, err)
        assert not out.exists() and elapsed < 10, (name, elapsed)


def test_pypdf_warnings_add_no_english_lines(tmp_path: Path, demo_db: Path, capsys) -> None:  # noqa: ANN001
    """A damaged but readable PDF (wrong xref offsets): pypdf repairs it with warnings the clerk never sees."""
    good = hostile_corpus._blank_pdf(tmp_path / "ok.pdf")
    data = good.read_bytes()
    start = data.rfind(b"startxref")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[:start] + b"startxref\n999999\n%%EOF\n")
    code, _ = _export(demo_db, tmp_path / "out.pdf", damaged)
    err = capsys.readouterr().err
    assert code == 0 and all(not line.isascii() for line in err.strip().splitlines()), err


@pytest.mark.parametrize("kind", ["mediabox"])
def test_service_refusal_names_the_page(tmp_path: Path, kind: str) -> None:
    from asahi_desk.domain.errors import InputError
    from asahi_desk.reports.pdf.sanitize import sanitize

    path = dict((n, p) for n, p, _ in hostile_corpus.pdf_cases(tmp_path))[kind]
    with pytest.raises(InputError, match="1ページ目"):
        sanitize(path.read_bytes(), str(path))


def test_a_handout_that_cannot_be_written_stores_no_attachment(demo_db: Path, tmp_path: Path) -> None:
    """The attachments kept with the meeting commit with the files: an output that cannot be written (a link
    into a folder that is gone, found only when writing) leaves the meeting's attachments as they were."""
    report = hostile_corpus._blank_pdf(tmp_path / "report.pdf")
    with sqlite3.connect(demo_db) as conn:
        before = conn.execute("SELECT material, filename, length(data) FROM attachment ORDER BY 1").fetchall()
    out = tmp_path / "handout.pdf"
    out.symlink_to(tmp_path / "gone" / "handout.pdf")
    code = main(["export-pdf", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(out),
                 "--attach", f"資料3={report}"])
    assert code == 2
    with sqlite3.connect(demo_db) as conn:
        after = conn.execute("SELECT material, filename, length(data) FROM attachment ORDER BY 1").fetchall()
    assert after == before and all(m != "資料3" for m, _f, _n in after)
    assert main(["export-pdf", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(tmp_path / "ok.pdf"),
                 "--attach", f"資料3={report}"]) == 0  # the same export to a real folder stores it
    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("SELECT count(*) FROM attachment WHERE material = '資料3'").fetchone() == (1,)


def test_a_path_the_system_refuses_is_bad_input_not_a_bug(demo_db: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    too_long = tmp_path / ("あ" * 100 + ".pdf")  # 300 bytes: over any file system's 255
    code = main(["export-pdf", "--db", str(demo_db), "--fiscal-year", "2024", "--out", str(too_long)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("エラー: ファイル名が長すぎます: ") and "予期しない" not in err
    assert main(["check", "--db", str(tmp_path / ("い" * 100 + ".db"))]) == 2


def test_a_locked_database_refuses_the_export_before_any_file_is_written(
        demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attachments to keep are stored first: when the database cannot take them (another clerk holds the write
    lock), the export is refused and no handout is left behind that the meeting does not know of."""
    from asahi_desk.app import build_services
    from asahi_desk.domain.errors import AsahiError
    from asahi_desk.services.handout import ExportRequest
    from asahi_desk.store import engine

    monkeypatch.setattr(engine, "LOCK_WAIT_SECONDS", 0.2)
    report = hostile_corpus._blank_pdf(tmp_path / "report.pdf")
    services = build_services(demo_db)
    holder = sqlite3.connect(demo_db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(AsahiError, match="使用中|ロック"):
            services.handout.export(ExportRequest(2024, tmp_path / "h.pdf", attach={"資料3": report}))
        assert not (tmp_path / "h.pdf").exists()
        holder.execute("ROLLBACK")
        services.handout.export(ExportRequest(2024, tmp_path / "h.pdf", attach={"資料3": report}))
        assert (tmp_path / "h.pdf").exists()
        assert [a.material for a in services.meetings.attachments(services.meetings.meetings(2024)[0].id)] \
            .count("資料3") == 1
    finally:
        holder.close()
        services.close()


def test_the_window_words_a_refused_path_like_the_cli() -> None:
    from asahi_desk.ui.workers import describe_failure

    error = OSError(36, "File name too long", "/tmp/" + "あ" * 100 + ".pdf")
    error.errno = 36
    assert describe_failure(error) == f"ファイル名が長すぎます: /tmp/{'あ' * 100}.pdf"
    assert describe_failure(OSError("no file named")).startswith("予期しない内部エラーです")
