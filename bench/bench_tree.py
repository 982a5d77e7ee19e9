"""Budget tree benchmark: 10 fiscal years × 1,000 programs × 10 line items, main window vs a bare tree.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_tree.py
Prints the time to open the window on the database (first year shown) and to filter it by a search
text and by a section (the first text filter once the window has settled, as a clerk types it, plus the
cost of the search index the window builds when idle and of a filter typed before that), beside a bare QTreeView + QStandardItemModel (+ recursive
QSortFilterProxyModel) holding the same year, and the ratios. Targets: open < 0.5 s, filter < 0.1 s.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSortFilterProxyModel  # noqa: E402
from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QTreeView  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from asahi_desk.app import build_services  # noqa: E402
from asahi_desk.store import models as m  # noqa: E402

YEARS = range(2015, 2025)
CATEGORIES, PROGRAMS, ITEMS = 10, 1000, 10
SECTIONS = ("総務課", "区政推進課", "地域振興課", "福祉保健課", "こども家庭支援課")


def build_db(path: Path) -> None:
    """Bulk insert with SQLAlchemy core (the ORM would take minutes for 100,000 line items)."""
    services = build_services(path)
    with services.engine.begin() as c:
        ward = c.execute(insert(m.Ward).values(name="旭区", city="横浜市")).inserted_primary_key[0]
        c.execute(insert(m.Section), [{"name": s} for s in SECTIONS])
        section_ids = list(c.execute(select(m.Section.id)).scalars())
        program_id = item_id = 0
        for year in YEARS:
            fy = c.execute(insert(m.FiscalYear).values(ward_id=ward, year=year, title=f"{year}")).inserted_primary_key[0]
            cls = c.execute(insert(m.BudgetClassRow).values(fiscal_year_id=fy, position=0, name="自主企画事業費",
                                                            in_total=True, indicators_required=True)
                            ).inserted_primary_key[0]
            cats = [c.execute(insert(m.CategoryRow).values(fiscal_year_id=fy, budget_class_id=cls, position=i,
                                                          code=str(i + 1), name=f"施策{i + 1}")).inserted_primary_key[0]
                    for i in range(CATEGORIES)]
            programs, links, items = [], [], []
            for n in range(PROGRAMS):
                program_id += 1
                programs.append(dict(id=program_id, fiscal_year_id=fy, category_id=cats[n % CATEGORIES],
                                     uid=f"p{program_id}", position=n // CATEGORIES, code=None, number=n + 1,
                                     name=f"事業{n + 1}号 地域づくり", purpose="目的の文章", current=1000 + n,
                                     prior=900 + n, printed_change=None, notes=[]))
                links.append(dict(program_id=program_id, section_id=section_ids[n % len(section_ids)], position=0))
                for k in range(ITEMS):
                    item_id += 1
                    items.append(dict(id=item_id, program_id=program_id, uid=f"l{item_id}", position=k, number=k + 1,
                                      name=f"細事業{k + 1} 活動{n}", amount=100 + k, marker=None,
                                      activities=["講座の開催"], prior=None, has_sections=False))
            c.execute(insert(m.ProgramRow), programs)
            c.execute(insert(m.ProgramSection), links)
            c.execute(insert(m.LineItemRow), items)
    services.close()


def bare_tree() -> tuple[float, float]:
    start = time.perf_counter()
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(["名称", "予算額", "前年度", "増▲減"])
    for i in range(CATEGORIES):
        cat = QStandardItem(f"施策{i + 1}")
        for n in range(i, PROGRAMS, CATEGORIES):
            prog = QStandardItem(f"{n + 1} 事業{n + 1}号 地域づくり")
            for k in range(ITEMS):
                prog.appendRow([QStandardItem(f"{k + 1} 細事業{k + 1} 活動{n}"), QStandardItem(f"{100 + k:,}")])
            cat.appendRow([prog, QStandardItem(f"{1000 + n:,}")])
        model.appendRow([cat, QStandardItem("")])
    proxy = QSortFilterProxyModel()
    proxy.setRecursiveFilteringEnabled(True)
    proxy.setSourceModel(model)
    view = QTreeView()
    view.setModel(proxy)
    view.show()
    QApplication.processEvents()
    opened = time.perf_counter() - start
    start = time.perf_counter()
    proxy.setFilterFixedString("活動77")
    view.expandAll()
    QApplication.processEvents()
    return opened, time.perf_counter() - start


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from asahi_desk.ui.main import build_main_window

    path = Path(tempfile.mkdtemp(prefix="bench-tree-")) / "bench.db"
    start = time.perf_counter()
    build_db(path)
    print(f"build DB ({len(YEARS)} years × {PROGRAMS} programs × {ITEMS} items): {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    window = build_main_window(str(path))
    window.show()
    app.processEvents()
    opened = time.perf_counter() - start
    start = time.perf_counter()
    window.services.checks.check(window.current_fiscal_year())  # what the worker thread runs after each edit
    checks = time.perf_counter() - start
    start = time.perf_counter()
    window.findings_panel.run_checks()  # what the GUI thread pays for it: a request
    handed_off = time.perf_counter() - start
    # A clerk types after the window has settled: the idle timer (100 ms after the load) has run the checker
    # request and built the search index by then. Let the event loop run that long, as the app would.
    settle = time.perf_counter() + 0.3
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.005)
    start = time.perf_counter()
    window.search_box.setText("活動77")
    app.processEvents()
    first_filter = time.perf_counter() - start
    window.search_box.clear()
    app.processEvents()
    window.findings_panel.runner.wait()  # the checker's worker shares the GIL: measure the index alone
    app.processEvents()  # and its findings reach the panel now, not inside the filter measured below
    window.services.tree.invalidate()  # the worst case: typing within 0.1 s of the open, index still cold
    start = time.perf_counter()
    window.services.tree.search(window.current_fiscal_year())
    index_build = time.perf_counter() - start
    window.services.tree.invalidate()
    start = time.perf_counter()
    window.search_box.setText("活動77")
    app.processEvents()
    cold_filter = time.perf_counter() - start
    start = time.perf_counter()
    window.search_box.setText("活動778")
    model_only = time.perf_counter() - start
    app.processEvents()
    filtered = time.perf_counter() - start
    start = time.perf_counter()
    window.search_box.clear()
    window.section_filter.setCurrentIndex(1)
    app.processEvents()
    by_section = time.perf_counter() - start
    bare_open, bare_filter = bare_tree()
    print(f"checker on the worker thread: {checks:.3f} s   GUI thread blocked by a re-check: {handed_off * 1000:.1f} ms")
    print(f"open window: {opened:.3f} s   bare QStandardItemModel: {bare_open:.3f} s"
          f"   ratio {opened / bare_open:.2f}")
    print(f"search index, built when idle after the open: {index_build:.3f} s   first filter typed before it was "
          f"built: {cold_filter:.3f} s")
    print(f"filter text, first (window settled): {first_filter:.3f} s   again: {filtered:.3f} s   by section: "
          f"{by_section:.3f} s   (model only, before repaint: {model_only:.3f} s)   bare proxy filter: {bare_filter:.3f} s   ratio {filtered / bare_filter:.2f}")
    window.close()  # waits for the worker
    sys.stdout.flush()
    # PySide6 6.12 can crash in the interpreter's final garbage collection of a live window tree
    os._exit(0)


if __name__ == "__main__":
    main()
