"""Bulk write benchmark: `load-json` and `new-year` of a 1,000-program × 10-item year, beside sqlite3.executemany.

Run: .venv/bin/python bench/bench_bulk.py [PROGRAMS] [ITEMS] [RUNS]
- load-json: services.budgets.load_json_file (what `asahi-desk load-json FILE` runs: read, validate, write);
- new-year: services.rollover.new_year (what `asahi-desk new-year --from YEAR` runs: load the year, write the next);
- floor: the same rows (categories, programs, their sections, line items) inserted into the same schema with
  the standard library's sqlite3.executemany in one transaction, no SQLAlchemy, no validation.
Each side runs in a fresh database, alternated, RUNS times; medians printed with the ratio (target ≤ 3×).
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asahi_desk.app import build_services  # noqa: E402
from asahi_desk.domain.entities import Budget, Category, LineItem, Program  # noqa: E402
from asahi_desk.importers.json_format import dump_budget  # noqa: E402

SECTIONS = ("総務課", "区政推進課", "地域振興課", "福祉保健課", "こども家庭支援課")
CATEGORIES = 10
YEAR = 2024
TARGET = 3.0


def budget(programs: int, items: int) -> Budget:
    per = max(1, programs // CATEGORIES)
    cats = tuple(Category(str(c + 1), f"施策{c + 1}", "自主企画事業費", tuple(
        Program(None, n + 1, f"事業{c * per + n + 1}号 地域づくり", sum(100 + k for k in range(items)), 900 + n,
                (SECTIONS[n % len(SECTIONS)],), purpose="区民の地域への関心を高める",
                line_items=tuple(LineItem(k + 1, f"細事業{k + 1} 活動{n}", 100 + k, activities=("講座の開催",))
                                 for k in range(items)))
        for n in range(per))) for c in range(CATEGORIES))
    return Budget("旭区", YEAR, cats, city="横浜市", title="令和６年度 旭区区づくり推進費の執行計画")


def floor_insert(db: Path, b: Budget) -> float:
    """The same rows with sqlite3.executemany into a database already at the schema head (timed part only)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    with conn:
        ward = conn.execute("INSERT INTO ward (name, city) VALUES (?, ?)", (b.ward, b.city)).lastrowid
        conn.executemany("INSERT INTO section (name) VALUES (?)", [(s,) for s in SECTIONS])
        sections = dict(conn.execute("SELECT name, id FROM section"))
        fy = conn.execute("INSERT INTO fiscal_year (ward_id, year, title, has_printed_summary) VALUES (?, ?, ?, 0)",
                          (ward, b.fiscal_year, b.title)).lastrowid
        cls = conn.execute("INSERT INTO budget_class (fiscal_year_id, position, name, in_total, indicators_required)"
                           " VALUES (?, 0, ?, 1, 1)", (fy, "自主企画事業費")).lastrowid
        program_id = conn.execute("SELECT coalesce(max(id), 0) FROM program").fetchone()[0]
        item_id = conn.execute("SELECT coalesce(max(id), 0) FROM line_item").fetchone()[0]
        programs, links, items = [], [], []
        for ci, c in enumerate(b.categories):
            cat = conn.execute("INSERT INTO category (fiscal_year_id, budget_class_id, position, code, name) "
                               "VALUES (?, ?, ?, ?, ?)", (fy, cls, ci, c.code, c.name)).lastrowid
            for pi, p in enumerate(c.programs):
                program_id += 1
                programs.append((program_id, fy, cat, os.urandom(16).hex(), pi, p.code, p.number, p.name, p.purpose,
                                 p.current, p.prior, None, json.dumps(list(p.notes))))
                links += [(program_id, sections[s], i) for i, s in enumerate(p.sections)]
                for k, li in enumerate(p.line_items):
                    item_id += 1
                    items.append((item_id, program_id, os.urandom(16).hex(), k, li.number, li.name, li.amount, li.marker,
                                  json.dumps(list(li.activities), ensure_ascii=False), li.prior, 0))
        conn.executemany("INSERT INTO program (id, fiscal_year_id, category_id, uid, position, code, number, name, "
                         "purpose, current, prior, printed_change, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", programs)
        conn.executemany("INSERT INTO program_section (program_id, section_id, position) VALUES (?,?,?)", links)
        conn.executemany("INSERT INTO line_item (id, program_id, uid, position, number, name, amount, marker, "
                         "activities, prior, has_sections) VALUES (?,?,?,?,?,?,?,?,?,?,?)", items)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    programs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    folder = Path(tempfile.mkdtemp(prefix="asahi-bench-bulk-"))
    b = budget(programs, items)
    source = folder / "year.json"
    source.write_text(json.dumps(dump_budget(b), ensure_ascii=False), encoding="utf-8")
    floor, load, roll = [], [], []
    for run in range(runs):
        base = folder / f"floor-{run}.db"
        build_services(base).close()  # schema at head, as the app's database would be
        floor.append(floor_insert(base, b))
        services = build_services(folder / f"app-{run}.db")
        load.append(timed(lambda s=services: s.budgets.load_json_file(source)))
        roll.append(timed(lambda s=services: s.rollover.new_year(YEAR)))
        services.close()
    f, lj, ny = (statistics.median(x) for x in (floor, load, roll))
    rows = programs * (items + 2) + CATEGORIES
    print(f"{programs:,} programs × {items} items ({rows:,} rows), median of {runs}:")
    print(f"  floor, sqlite3.executemany of the same rows: {f:6.3f} s")
    print(f"  load-json (read + validate + write):          {lj:6.3f} s   ratio {lj / f:5.2f}  (target ≤ {TARGET:.1f})")
    print(f"  new-year (load the year + write the next):    {ny:6.3f} s   ratio {ny / f:5.2f}  (target ≤ {TARGET:.1f})")


if __name__ == "__main__":
    main()
