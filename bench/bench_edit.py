"""Edit benchmark: from committing a 細事業 amount to the tree's 合計 row showing it, on the demo and on a
generated year of 1,000 programs × 10 items (the two should be about equal: an edit's cost must not grow
with the year), plus SQL statements per edit and the longest time the GUI thread is blocked afterwards.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_edit.py [EDITS=25]
The floor is the demo measured in the same run; the figure to watch is the ratio big / demo (target ≤ 1.3,
issue 16 item 4: the latency must not grow with the year).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_tree  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget  # noqa: E402
from sqlalchemy import event  # noqa: E402

from asahi_desk.app import shipped_demo_db  # noqa: E402
from asahi_desk.domain.money import format_amount  # noqa: E402
from asahi_desk.services.tree import LINE_ITEM  # noqa: E402
from asahi_desk.ui.main import build_main_window  # noqa: E402

EDITS = 25
TARGET = 1.3
# after each edit the event loop runs this long (the checker re-runs on its worker thread and its results
# reach the list), the gaps timed: the next edit then starts on a settled window
SETTLE_MS = 1500


def big_year(path: Path) -> None:
    """One fiscal year of 1,000 programs × 10 items (bench_tree's generator, one year)."""
    bench_tree.YEARS = range(2024, 2025)
    bench_tree.build_db(path)


def measure(db: Path, label: str) -> dict[str, float]:
    app = QApplication.instance()
    window = build_main_window(str(db))
    window.show()
    services = window.services
    # a 細事業 in the middle of the year, its row shown as the clerk would click it
    categories = services.tree.categories(2024)
    programs = services.tree.programs(categories[len(categories) // 2].id)
    program = programs[len(programs) // 2]
    item = services.tree.line_items(program.id)[0]
    assert window.select(LINE_ITEM, item.id, window.browser.path_of(LINE_ITEM, item.id))
    app.processEvents()
    edit = window.findChild(QWidget, "lineItemForm").findChild(QLineEdit, "amountEdit")
    statements: list[int] = []
    counting = [0]

    @event.listens_for(services.engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        counting[0] += 1

    times, gaps = [], []
    amount = services.editing.line_item(item.id).amount
    for i in range(EDITS):
        amount += 1
        edit.setText(str(amount))
        counting[0] = 0
        start = time.perf_counter()
        edit.editingFinished.emit()
        shown = window.model.total_node()
        shown_text = window.model.index(0, 1).data()
        elapsed = time.perf_counter() - start
        total = services.tree.top(2024)[0].current  # what a fresh read gives (outside the timing)
        assert shown.data.current == total and shown_text == format_amount(total), (shown_text, total)
        statements.append(counting[0])
        times.append(elapsed)
        gaps.append(_longest_block(app, SETTLE_MS))
        if i == 0:
            times.pop(0)  # the first edit warms caches up
            statements.pop(0)
    event.remove(services.engine, "before_cursor_execute", _count)
    window.close()
    times_ms = sorted(t * 1000 for t in times)
    return {"label": label, "median": statistics.median(times_ms),
            "p95": times_ms[int(len(times_ms) * 0.95) - 1], "sql": statistics.median(statements),
            "blocked": max(max(times_ms), max(gaps))}


def _longest_block(app: QApplication, ms: int) -> float:
    """Run the event loop for ms with a 2 ms heartbeat; the longest gap between beats (ms) is the longest
    stretch the GUI thread was busy (the checker's results, the history dock …)."""
    clock = QElapsedTimer()
    clock.start()
    beats: list[int] = []
    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(lambda: beats.append(clock.elapsed()))
    timer.start()
    while clock.elapsed() < ms:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    marks = [0, *beats, clock.elapsed()]
    return float(max(b - a for a, b in zip(marks, marks[1:], strict=False)))


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    global EDITS
    if len(sys.argv) > 1:
        EDITS = int(sys.argv[1])
    QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        demo, big = Path(tmp) / "demo.db", Path(tmp) / "big.db"
        shutil.copy2(shipped_demo_db(), demo)
        big_year(big)
        rows = [measure(demo, "demo (27 programs)"), measure(big, "1,000 programs × 10 items")]
    print("commit of a 細事業 amount → the 合計 row shows it (ms), SQL statements per edit, longest GUI block (ms)")
    for r in rows:
        print(f"  {r['label']:<28} median {r['median']:6.1f}  p95 {r['p95']:6.1f}  SQL {r['sql']:4.0f}  "
              f"GUI blocked ≤ {r['blocked']:6.1f}")
    print(f"  ratio big / demo: median {rows[1]['median'] / rows[0]['median']:.2f} (target ≤ {TARGET:.1f}), "
          f"p95 {rows[1]['p95'] / rows[0]['p95']:.2f}, SQL {rows[1]['sql'] / rows[0]['sql']:.2f}")
    sys.stdout.flush()
    os._exit(0)  # PySide6 can crash in the interpreter's final garbage collection of a live window tree


if __name__ == "__main__":
    main()
