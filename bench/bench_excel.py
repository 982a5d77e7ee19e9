"""Excel import benchmark: a 20,000-row sheet through the import, beside plain reads of the same sheet.

Run: .venv/bin/python bench/bench_excel.py [ROWS]
Floors and targets (issue 16):
- the whole `asahi-desk import-excel FILE --fiscal-year 2024 --create-prior --db NEW.db` (read, parse,
  preview, write the prior year from the sheet and the year by rollover), timed inside a fresh process
  from the command's start to its end, ≤ 5× python-calamine's raw read of the same sheet (to_python),
  medians of alternated runs; the process's peak RSS ≤ 200 MiB;
- for reference: openpyxl read-only's plain read, the importer's read + parse alone, the preview and
  the write into an existing year, the command's rows inserted with sqlite3.executemany alone (the
  writes' own floor, in calamine reads), and tracemalloc peaks of read + parse for a tenth of the rows and for
  all of them (the difference per program is the records kept: memory grows with them only).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
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
IMPORT_TARGET, RSS_TARGET_MIB = 5.0, 200
# The CLI command inside a fresh process: the time of the command itself (the interpreter and the CLI
# module loaded before the clock starts, as a clerk's shell would have them by then) and the peak RSS.
CHILD = """
import json, resource, sys, time
from asahi_desk.cli import main as cli
args = cli.parse(sys.argv[1:])
start = time.perf_counter()
code = cli.execute(args)
elapsed = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": elapsed,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child_env(folder: Path) -> dict[str, str]:
    """The child's environment: bytecode as an installed app has it (pip compiles at install, the frozen
    build ships .pyc), in a folder of this run written by the warm-up run. Under PYTHONDONTWRITEBYTECODE=1
    every module the command imports lazily (Alembic, the importer, the services) would be compiled from
    source inside the timed command on every run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def whole_import(path: Path, db: Path) -> dict:
    """`asahi-desk import-excel --create-prior` into an empty database, in a child process."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, "import-excel", str(path), "--fiscal-year", "2024",
                          "--create-prior", "--db", str(db)], cwd=ROOT, capture_output=True, text=True,
                         env=child_env(db.parent))
    wall = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"import-excel failed ({out.returncode}): {out.stdout[-2000:]}{out.stderr[-2000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, result
    return {**result, "wall": wall}


def writes_floor(folder: Path, rows: int) -> float:
    """What the command writes, with nothing else: the two years' programs (one per sheet row, a new uid
    each) and their sections inserted with the standard library's sqlite3.executemany in one transaction,
    into a database already at the schema head (the timed part only)."""
    import sqlite3

    db = folder / f"writes-floor-{os.urandom(4).hex()}.db"
    build_services(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    with conn:
        ward = conn.execute("INSERT INTO ward (name, city) VALUES ('旭区', '')").lastrowid
        conn.executemany("INSERT INTO section (name) VALUES (?)", [(s,) for s in SECTIONS])
        sections = [sid for (sid,) in conn.execute("SELECT id FROM section ORDER BY id")]
        for year in (2023, 2024):
            fy = conn.execute("INSERT INTO fiscal_year (ward_id, year, title, has_printed_summary) VALUES (?, ?, '', 0)",
                              (ward, year)).lastrowid
            cls = conn.execute("INSERT INTO budget_class (fiscal_year_id, position, name, in_total, indicators_required)"
                               " VALUES (?, 0, '自主企画事業費', 1, 1)", (fy,)).lastrowid
            cats = [conn.execute("INSERT INTO category (fiscal_year_id, budget_class_id, position, code, name) "
                                 "VALUES (?, ?, ?, 'Ⅰ', ?)", (fy, cls, c, f"施策{c + 1}")).lastrowid
                    for c in range((rows + 999) // 1000)]
            first = conn.execute("SELECT coalesce(max(id), 0) FROM program").fetchone()[0] + 1
            conn.executemany("INSERT INTO program (id, fiscal_year_id, category_id, uid, position, code, number, name, "
                             "purpose, current, prior, printed_change, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                             [(first + i, fy, cats[i // 1000], os.urandom(16).hex(), i % 1000, None, i % 1000 + 1,
                               f"事業{i:05d}", "", 1000 + i % 977, 1000 + i % 853, None, "[]") for i in range(rows)])
            conn.executemany("INSERT INTO program_section (program_id, section_id, position) VALUES (?, ?, 0)",
                             [(first + i, sections[i % len(SECTIONS)]) for i in range(rows)])
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


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
    print(f"{rows:,} rows, {big.stat().st_size / 1024:,.0f} KB")

    # Alternated and the median of each taken: one run of either is at the mercy of whatever else the
    # machine does in that second.
    calamine_runs, whole_runs, rss, walls = [], [], [], []
    whole_import(small, folder / "warm-up.db")  # writes the bytecode the timed runs read
    for run in range(RUNS):
        t, n_cal = timed(lambda: plain_calamine(big))
        calamine_runs.append(t)
        result = whole_import(big, folder / f"whole-{run}.db")
        whole_runs.append(result["seconds"])
        walls.append(result["wall"])
        rss.append(result["rss_mib"])
    t_calamine, t_whole = statistics.median(calamine_runs), statistics.median(whole_runs)
    print(f"python-calamine raw read (floor)            : {t_calamine:6.3f} s  ({n_cal:,} rows, median of {RUNS})")
    print(f"import-excel --create-prior, whole command  : {t_whole:6.3f} s  ratio {t_whole / t_calamine:5.2f}"
          f"  (target ≤ {IMPORT_TARGET:.1f});  process wall incl. start {statistics.median(walls):.2f} s")
    print(f"  peak RSS of that process                  : {max(rss):6.1f} MiB  (target ≤ {RSS_TARGET_MIB} MiB)")

    plain_runs, sheet_runs = [], []
    for _ in range(RUNS):
        t, n = timed(lambda: plain_openpyxl(big))
        plain_runs.append(t)
        t, n_rec = timed(lambda: sheet_only(big))
        sheet_runs.append(t)
    t_openpyxl, t_sheet = statistics.median(plain_runs), statistics.median(sheet_runs)
    db = target_db(folder, rows)
    services = build_services(db)
    svc = services.excel_import
    t_targets, _ = timed(lambda: svc.targets(2024))
    t_preview, preview = timed(lambda: svc.preview(big, 2024))
    assert preview.counts()["matched"] == rows, preview.counts()
    t_apply, _ = timed(lambda: svc.apply(preview, remember=False))
    print("for reference:")
    print(f"  openpyxl read-only, values only           : {t_openpyxl:6.3f} s  ({n:,} rows, median of {RUNS})"
          f"  = {t_openpyxl / t_calamine:.1f}× calamine")
    print(f"  importer read + parse (no database)       : {t_sheet:6.3f} s  ({n_rec:,} programs)"
          f"  = {t_sheet / t_calamine:.2f}× calamine")
    print(f"  preview into an existing year (+ load {rows:,} programs {t_targets:.2f} s): {t_preview:6.3f} s"
          f"  = {t_preview / t_calamine:.2f}× calamine")
    print(f"  write prior amounts into it               : {t_apply:6.3f} s")
    t_writes = statistics.median(writes_floor(folder, rows) for _ in range(RUNS))
    print(f"  the command's rows alone, sqlite3.executemany (two years' programs and sections): {t_writes:6.3f} s"
          f"  = {t_writes / t_calamine:.2f}× calamine (the writes' own floor)")
    p_small = peak_mib(lambda: sheet_only(small))
    p_big = peak_mib(lambda: sheet_only(big))
    per = (p_big - p_small) * 1024 * 1024 / (rows - rows // 10)
    print(f"  tracemalloc peak, read + parse: {rows // 10:,} rows {p_small:.1f} MiB, {rows:,} rows {p_big:.1f} MiB "
          f"({per:,.0f} bytes per program: the records it returns)")
    services.close()


if __name__ == "__main__":
    main()
