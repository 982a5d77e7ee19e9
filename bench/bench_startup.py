"""Startup benchmark: the main window on the demo data shown and painted, beside a bare QMainWindow.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py
Both are measured in the same process after one warm-up of each; target: demo window ≤ 1.3× bare.
(The checker and the search index run 0.1 s after the paint; their time is printed separately.)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402

from asahi_desk.app import fresh_demo_copy  # noqa: E402
from asahi_desk.ui.fonts import install_application_font  # noqa: E402


def bare() -> float:
    start = time.perf_counter()
    w = QMainWindow()
    w.setCentralWidget(QLabel("令和6年度"))
    w.menuBar().addMenu("ファイル")
    w.resize(1280, 800)
    w.show()
    QApplication.processEvents()
    elapsed = time.perf_counter() - start
    w.close()
    return elapsed


def demo(path: str) -> tuple[float, float]:
    from asahi_desk.ui.main import build_main_window

    start = time.perf_counter()
    w = build_main_window(path)
    w.show()
    QApplication.processEvents()
    elapsed = time.perf_counter() - start
    w._check_timer.stop()  # noqa: SLF001 - the deferred work, timed on its own
    start = time.perf_counter()
    w._idle_work()  # noqa: SLF001
    idle = time.perf_counter() - start
    w.close()
    return elapsed, idle


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_application_font(app)
    path = str(fresh_demo_copy())
    cold_bare = bare()
    cold_demo = demo(path)[0]  # first: imports (SQLAlchemy, services, forms), migrations check, font cache
    print(f"first window: bare {cold_bare:.3f} s   demo {cold_demo:.3f} s   ratio {cold_demo / cold_bare:.2f}")
    b = min(bare() for _ in range(3))
    runs = [demo(path) for _ in range(3)]
    d = min(r[0] for r in runs)
    print(f"warm: bare QMainWindow: {b:.3f} s   demo main window: {d:.3f} s   ratio {d / b:.2f}"
          f"   (checker + index after paint: {min(r[1] for r in runs):.3f} s)")
    sys.stdout.flush()
    os._exit(0)  # PySide6 6.12 can crash in the final garbage collection of live widget trees


if __name__ == "__main__":
    main()
