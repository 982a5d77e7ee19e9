"""照会 benchmark: export every 課's workbook for a 1,000-program year and import 20 answered workbooks, beside
plain openpyxl writing and reading the same cells.

Run: .venv/bin/python bench/bench_inquiry.py [PROGRAMS]
The year has PROGRAMS programs (default 1,000) × 5 line items × 2 indicators spread over 20 課 (one workbook each).
Prints the median of 3 runs in seconds for: plain openpyxl write of the same cells (no styles, protection or
validation), `inquiry export --all`; plain openpyxl read (read-only, values) of the 20 answered workbooks, and
the import of all 20 (pre-flight, parse, three-state merge of every field, one transaction, written); then
the ratios (targets: export within 3×, import within 3× of the plain read).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asahi_desk.app import build_services  # noqa: E402
from asahi_desk.domain import inquiry as iq  # noqa: E402
from asahi_desk.domain.entities import Budget, Category, Indicator, LineItem, Program  # noqa: E402

SECTIONS = tuple(f"第{i + 1:02d}課" for i in range(20))
RUNS = 3


def build_db(path: Path, programs: int) -> None:
    services = build_services(path)
    cats = []
    for c in range((programs + 49) // 50):
        progs = []
        for i in range(c * 50, min(programs, (c + 1) * 50)):
            items = tuple(LineItem(n, f"細事業{i:04d}-{n}", 100 + (i * n) % 900,
                                   activities=(f"活動{i}-{n}-1 の内容を記述します", f"活動{i}-{n}-2")) for n in range(1, 6))
            progs.append(Program(f"C{c}-{i % 50 + 1}", i % 50 + 1, f"事業{i:04d}", sum(li.amount for li in items), 0,
                                 (SECTIONS[i % len(SECTIONS)],), purpose=f"事業{i:04d}の目的。" * 4, line_items=items,
                                 indicators=(Indicator(f"指標{i}-1", "10", "回"), Indicator(f"指標{i}-2", "80", "％"))))
        cats.append(Category(f"C{c}", f"施策{c + 1}", "自主企画事業費", tuple(progs)))
    services.budgets.add_budget(Budget("旭区", 2024, tuple(cats)))
    services.close()


def median_of(fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_write(books: list[Path], out: Path) -> None:
    """The same visible cells written with plain openpyxl (what the export costs at the least)."""
    import openpyxl

    out.mkdir(exist_ok=True)
    for book in books:
        src = openpyxl.load_workbook(book, read_only=True)
        sheets = {name: list(src[name].iter_rows(values_only=True)) for name in
                  (iq.PROGRAMS_SHEET, iq.ITEMS_SHEET, iq.INDICATORS_SHEET, iq.BASE_SHEET)}
        src.close()

        def write(sheets: dict = sheets, book: Path = book) -> None:
            wb = openpyxl.Workbook(write_only=True)
            for name, rows in sheets.items():
                ws = wb.create_sheet(name)
                for row in rows:
                    ws.append(row)
            wb.save(out / book.name)

        plain_write.jobs.append(write)  # type: ignore[attr-defined]


plain_write.jobs = []  # type: ignore[attr-defined]


def plain_read(books: list[Path]) -> int:
    import openpyxl

    n = 0
    for book in books:
        wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
        for name in (iq.PROGRAMS_SHEET, iq.ITEMS_SHEET, iq.INDICATORS_SHEET, iq.BASE_SHEET):
            n += sum(1 for _ in wb[name].iter_rows(values_only=True))
        wb.close()
    return n


def answer(book: Path) -> None:
    """Change every fifth amount and every third purpose, as a 課 would."""
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb[iq.ITEMS_SHEET]
    for r in range(2, ws.max_row + 1, 5):
        if isinstance(ws.cell(r, 5).value, int):
            ws.cell(r, 5).value += 1
    ws = wb[iq.PROGRAMS_SHEET]
    for r in range(2, ws.max_row + 1, 3):
        ws.cell(r, 3).value = f"{ws.cell(r, 3).value}（改）"
    wb.save(book)


def main() -> None:
    programs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        build_db(db, programs)
        services = build_services(db)
        try:
            books_dir = folder / "books"
            export_s = median_of(lambda: services.inquiry.export_all(2024, books_dir))
            books = sorted(books_dir.glob("*.xlsx"))
            plain_write(books, folder / "plain")
            plain_write_s = median_of(lambda: [job() for job in plain_write.jobs])  # type: ignore[attr-defined]
            for book in books:
                answer(book)
            plain_read_s = median_of(lambda: plain_read(books))
            pristine = folder / "pristine.db"
            services.close()
            shutil.copy2(db, pristine)
            import_times = []
            result = None
            for _ in range(RUNS):
                shutil.copy2(pristine, db)
                services = build_services(db)
                start = time.perf_counter()
                result = services.inquiry.import_answers(books)
                import_times.append(time.perf_counter() - start)
                services.close()
            import_s = statistics.median(import_times)
        finally:
            services.close()
    assert result is not None and result.written
    print(f"year: {programs} programs × 5 line items × 2 indicators, {len(books)} 課 workbooks")
    print(f"plain openpyxl write (same cells)   {plain_write_s:8.3f} s")
    print(f"inquiry export --all                {export_s:8.3f} s   ratio {export_s / plain_write_s:5.2f}× (target ≤ 3×)")
    print(f"plain openpyxl read (20 answered)   {plain_read_s:8.3f} s")
    print(f"inquiry import (20 files, written)  {import_s:8.3f} s   ratio {import_s / plain_read_s:5.2f}× (target ≤ 3×)")
    print(f"changes applied: {len(result.changes)}")


if __name__ == "__main__":
    main()
