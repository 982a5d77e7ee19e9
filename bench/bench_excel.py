"""Excel import benchmark: a 20,000-row sheet through the import, beside plain reads of the same sheet.

Run: .venv/bin/python bench/bench_excel.py [ROWS]
Prints seconds for openpyxl read-only (values only), python-calamine (when installed), the import's
preview (read + parse + match, and the target year's programs loaded from the database) and the
write; then the ratio to the plain openpyxl read (target: within 2×) and tracemalloc peaks of the
preview for a tenth of the rows and for all of them (target: flat, i.e. not growing with the sheet).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asahi_desk.app import build_services  # noqa: E402
from asahi_desk.domain.entities import Budget, Category, Program  # noqa: E402
from asahi_desk.importers.excel.headers import HEADER_SCAN_ROWS, SAMPLE_ROWS, find_header, propose_mapping  # noqa: E402
from asahi_desk.importers.excel.layout import parse_rows  # noqa: E402
from asahi_desk.importers.excel.workbook import open_workbook  # noqa: E402

SECTIONS = ("総務課", "区政推進課", "地域振興課", "福祉保健課", "こども家庭支援課")


def write_sheet(path: Path, rows: int) -> Path:
    """A plain 事業別一覧表-like sheet: title, unit, header on row 4, then one program per row."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("事業別一覧表")
    ws.append(["令和５年度 事業別一覧表"])
    ws.append([None, None, None, None, None, None, "（単位：千円）"])
    ws.append([])
    ws.append(["施策", "No.", "事業名", "５年度予算", "４年度予算", "増▲減", "課名"])
    for i in range(rows):
        cur, pri = 1000 + i % 977, 1000 + i % 853
        category = f"Ⅰ 施策{i // 1000 + 1}" if i % 1000 == 0 else None
        amount = f"{cur:,}" if i % 3 else cur  # some text amounts with commas, as people type them
        ws.append([category, i % 1000 + 1, f"事業{i:05d}", amount, pri, cur - pri, SECTIONS[i % len(SECTIONS)]])
    wb.save(path)
    return path


def target_db(folder: Path, rows: int) -> Path:
    """Fiscal year 2024 with one program per sheet row, so every row matches."""
    db = folder / f"bench-{rows}.db"
    services = build_services(db)
    cats = tuple(Category(f"C{c}", f"施策{c + 1}", "自主企画事業費", tuple(
        Program(None, i % 1000 + 1, f"事業{i:05d}", 0, 0, (SECTIONS[i % len(SECTIONS)],))
        for i in range(c * 1000, min(rows, (c + 1) * 1000)))) for c in range((rows + 999) // 1000))
    services.budgets.add_budget(Budget("旭区", 2024, cats))
    services.close()
    return db


RUNS = 3


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def plain_openpyxl(path: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb["事業別一覧表"].iter_rows(values_only=True))
    wb.close()
    return n


def plain_calamine(path: Path) -> int | None:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_name("事業別一覧表").to_python())


def sheet_only(path: Path) -> int:
    """The importer's own part without the database: stream, find the header, parse every row."""
    with open_workbook(path) as wb:
        header = find_header(wb.rows("事業別一覧表", limit=HEADER_SCAN_ROWS + SAMPLE_ROWS))
        assert header is not None
        mapping, _notes = propose_mapping(header, 2024)
        parsed = parse_rows("事業別一覧表", wb.rows("事業別一覧表"), mapping, lambda: wb.formulas_without_value("事業別一覧表"))
    assert not parsed.problems, parsed.problems[:3]
    return len(parsed.records)


def peak_mib(fn) -> float:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    fn()
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    folder = Path(tempfile.mkdtemp(prefix="asahi-bench-excel-"))
    big = write_sheet(folder / "big.xlsx", rows)
    small = write_sheet(folder / "small.xlsx", rows // 10)
    db = target_db(folder, rows)
    print(f"{rows:,} rows, {big.stat().st_size / 1024:,.0f} KB")

    # Alternated and the median of each taken: one run of either is at the mercy of whatever else the
    # machine does in that second.
    plain_runs, sheet_runs = [], []
    for _ in range(RUNS):
        t, n = timed(lambda: plain_openpyxl(big))
        plain_runs.append(t)
        t, n_rec = timed(lambda: sheet_only(big))
        sheet_runs.append(t)
    t_openpyxl, t_sheet = statistics.median(plain_runs), statistics.median(sheet_runs)
    t_calamine, n_cal = timed(lambda: plain_calamine(big))
    services = build_services(db)
    svc = services.excel_import
    t_targets, _ = timed(lambda: svc.targets(2024))
    t_preview, preview = timed(lambda: svc.preview(big, 2024))
    assert preview.counts()["matched"] == rows, preview.counts()
    t_apply, _ = timed(lambda: svc.apply(preview, remember=False))

    print(f"openpyxl read-only, values only : {t_openpyxl:6.2f} s  ({n:,} rows, median of {RUNS})")
    if n_cal is not None:
        print(f"python-calamine                 : {t_calamine:6.2f} s  ({n_cal:,} rows)")
    else:
        print("python-calamine                 : not installed (pip install python-calamine)")
    print(f"import: sheet read + parse      : {t_sheet:6.2f} s  ({n_rec:,} programs, median of {RUNS})  = "
          f"{t_sheet / t_openpyxl:.2f}× openpyxl")
    print(f"import: preview (+ match, + load {rows:,} programs {t_targets:.2f} s) : {t_preview:6.2f} s  = "
          f"{t_preview / t_openpyxl:.2f}× openpyxl")
    print(f"import: write prior amounts     : {t_apply:6.2f} s")
    small_db = target_db(folder, rows // 10)
    small_services = build_services(small_db)
    p_small = peak_mib(lambda: sheet_only(small))
    p_big = peak_mib(lambda: sheet_only(big))
    per = (p_big - p_small) * 1024 * 1024 / (rows - rows // 10)
    print(f"tracemalloc peak, sheet read + parse: {rows // 10:,} rows {p_small:.1f} MiB, {rows:,} rows {p_big:.1f} MiB "
          f"(the records it returns: {per:,.0f} bytes per program)")
    q_small, q_big = peak_mib(lambda: plain_openpyxl(small)), peak_mib(lambda: plain_openpyxl(big))
    print(f"tracemalloc peak, streaming alone (openpyxl read-only): {rows // 10:,} rows {q_small:.1f} MiB, "
          f"{rows:,} rows {q_big:.1f} MiB")
    small_services.close()
    services.close()


if __name__ == "__main__":
    main()
