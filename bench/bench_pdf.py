"""Time the export of the demo handout (次第 + 資料1, one combined PDF and the split files); target < 1 s.

Beside it, in the same run: the same export with the 振り返り and a 3-page attachment (資料2), and a
baseline — reportlab alone setting the same number of A4 pages of plain Mincho text — so the figure can be
read as a ratio to what the PDF library itself costs on this machine.

Line breaking, in the same run, on the export with the 振り返り: reportlab's own CJK wrap (no 禁則, the
product before issue 13), the product's breaker without BudouX phrases, and with them (the product), each
with the phrase cache emptied before every export, as in a fresh process.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from asahi_desk.app import build_services, shipped_demo_db

T = TypeVar("T")


def _attachment(path: Path, pages: int) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from asahi_desk.reports.pdf.fonts import MINCHO

    canvas = Canvas(str(path), pagesize=A4, initialFontName=MINCHO)
    for n in range(pages):
        canvas.setFont(MINCHO, 14)
        canvas.drawString(72, 700, f"働く場の創出事業 報告 {n + 1}")
        canvas.showPage()
    canvas.save()
    return path


def _baseline(pages: int, out: Path) -> float:
    """reportlab's floor: plain wrapped Japanese paragraphs filling the same number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from asahi_desk.reports.pdf.fonts import MINCHO

    style = ParagraphStyle("plain", fontName=MINCHO, fontSize=10.5, leading=15, wordWrap="CJK")
    line = "区民の地域への関心を高め、地域でのつながりや地域への愛着を深めることを目的として取組を進めます。"
    t0 = time.perf_counter()
    story = []
    for _ in range(pages):
        story += [Paragraph(line * 3, style) for _ in range(12)] + [PageBreak()]
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    return time.perf_counter() - t0


def _line_breaking(services: object, request: object, rounds: int = 5) -> dict[str, float]:
    """Best of `rounds` exports under each line breaker (switched for the measurement only), the three
    taken in turn in every round so a busy machine slows them alike."""
    from reportlab.platypus import Paragraph

    from asahi_desk.reports import linebreak
    from asahi_desk.reports.pdf.paragraphs import JaParagraph

    own, phrases = JaParagraph.breakLinesCJK, linebreak.phrase_boundaries

    def use(breaker: object, phrase_finder: object) -> None:
        JaParagraph.breakLinesCJK = JaParagraph.breakLines = breaker  # type: ignore[method-assign]
        linebreak.phrase_boundaries = phrase_finder  # type: ignore[assignment]

    variants = {
        "reportlab CJK wrap (no 禁則)": (Paragraph.breakLinesCJK, phrases),
        "禁則, no BudouX": (own, _no_phrases),
        "禁則 + BudouX (the product)": (own, phrases),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for _ in range(rounds):
            for name, (breaker, finder) in variants.items():
                use(breaker, finder)
                phrases.cache_clear()
                t0 = time.perf_counter()
                services.handout.export(request)  # type: ignore[attr-defined]
                times[name].append(time.perf_counter() - t0)
    finally:
        use(own, phrases)
    best = {name: min(runs) for name, runs in times.items()}
    best.update(_budoux_inside(services, request))
    return best


def _budoux_inside(services: object, request: object) -> dict[str, float]:
    """The time spent in BudouX itself during one export (a steadier figure than a difference of two
    exports on a busy machine), and how much text it read."""
    from functools import lru_cache

    from asahi_desk.reports import linebreak

    phrases = linebreak.phrase_boundaries
    spent = {"seconds": 0.0, "segments": 0.0, "chars": 0.0}

    @lru_cache(maxsize=8192)
    def timed(text: str) -> frozenset[int]:
        t0 = time.perf_counter()
        found = phrases.__wrapped__(text)
        spent["seconds"] += time.perf_counter() - t0
        spent["segments"] += 1
        spent["chars"] += len(text)
        return found

    linebreak.phrase_boundaries = timed  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        services.handout.export(request)  # type: ignore[attr-defined]
        total = time.perf_counter() - t0
    finally:
        linebreak.phrase_boundaries = phrases
    return {"_budoux": spent["seconds"], "_segments": spent["segments"], "_chars": spent["chars"], "_total": total}


def _no_phrases(text: str) -> frozenset[int]:
    return frozenset()


def _best(run: Callable[[], T], times: int = 3) -> tuple[float, float, T]:
    runs = []
    for _ in range(times):
        t0 = time.perf_counter()
        result = run()
        runs.append(time.perf_counter() - t0)
    return min(runs), runs[0], result


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        db = work / "demo.db"
        shutil.copy2(shipped_demo_db(), db)
        services = build_services(db)
        from asahi_desk.reports.pdf.fonts import register_fonts
        from asahi_desk.services.handout import ExportRequest

        t0 = time.perf_counter()
        register_fonts()
        fonts = time.perf_counter() - t0
        plain = ExportRequest(2024, work / "handout.pdf", split_dir=work / "split")
        best, first, result = _best(lambda: services.handout.export(plain))
        size = (work / "handout.pdf").stat().st_size
        report = _attachment(work / "report.pdf", 3)
        full = ExportRequest(2024, work / "full.pdf", attach={"資料2": report}, review_year=2022,
                             store_attachments=False)
        full_best, _full_first, full_result = _best(lambda: services.handout.export(full))
        full_size = (work / "full.pdf").stat().st_size
        breaking = _line_breaking(services, full)
        services.close()
        baseline = min(_baseline(result.pages, work / "baseline.pdf") for _ in range(3))
        print(f"font registration (once per process): {fonts:.3f} s")
        print(f"demo handout export: best {best:.3f} s, first {first:.3f} s "
              f"({result.pages} pages, combined {size / 1024:.0f} KiB, {len(result.files)} files)")
        print(f"  baseline, reportlab alone, {result.pages} plain pages: {baseline:.3f} s "
              f"-> ratio {best / baseline:.2f}")
        print(f"with 振り返り and a 3-page 資料2: best {full_best:.3f} s "
              f"({full_result.pages} pages, {full_size / 1024:.0f} KiB)")
        print("line breaking, export with 振り返り and 資料2, best of 5 taken in turn, phrase cache emptied each time:")
        base = breaking["reportlab CJK wrap (no 禁則)"]
        for name, seconds in breaking.items():
            if not name.startswith("_"):
                print(f"  {name}: {seconds:.3f} s -> {seconds / base:.2f} x reportlab's wrap")
        budoux = breaking["禁則 + BudouX (the product)"] - breaking["禁則, no BudouX"]
        print(f"  BudouX, difference of the two: {budoux * 1000:.0f} ms; measured inside one export: "
              f"{breaking['_budoux'] * 1000:.0f} ms of {breaking['_total']:.3f} s "
              f"({breaking['_segments']:.0f} texts, {breaking['_chars']:.0f} characters needing a break)")
        print(f"target < 1 s: {'OK' if max(best, full_best) < 1 else 'SLOW'}; "
              f"file < 2 MB: {'OK' if max(size, full_size) < 2 << 20 else 'BIG'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
