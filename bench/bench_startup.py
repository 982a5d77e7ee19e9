"""Startup benchmark: launching the app on the demo data until its window is shown, beside a bare PySide6 window.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [runs]

What a clerk waits for is a whole process start, so both sides are measured that way, alternately, in the
same run: a fresh interpreter that builds its window, shows it, runs one event-loop pass and quits.
- bare: a QMainWindow with a label and a menu (the baseline the target is a ratio of; target 1.3×);
- demo: `python -m asahi_desk --demo` (fresh copy of the demo database, schema check, tree, forms,
  checker started on its worker), quit by the same ASAHI_DESK_SMOKE_QUIT_MS hook the build smoke test uses;
- floor: an interpreter that only imports PySide6.QtWidgets and sqlalchemy.orm, the libraries the app
  cannot start without, to show how much of the gap is theirs.
Medians of the runs are printed with the ratios.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setCentralWidget(QLabel("令和6年度"))
w.menuBar().addMenu("ファイル")
w.resize(1280, 800)
w.show()
QTimer.singleShot(0, w.close)
sys.exit(app.exec())
"""
FLOOR = "import PySide6.QtWidgets, sqlalchemy.orm"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    data_dir = tempfile.mkdtemp(prefix="bench-startup-")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "ASAHI_DESK_SMOKE_QUIT_MS": "0", "ASAHI_DESK_DATA_DIR": data_dir}
    bare_script = Path(data_dir) / "bare.py"
    bare_script.write_text(BARE, encoding="utf-8")
    commands = {
        "bare": [sys.executable, str(bare_script)],
        "demo": [sys.executable, "-m", "asahi_desk", "--demo"],
        "floor": [sys.executable, "-c", FLOOR],
    }
    for cmd in commands.values():  # warm the OS file cache and the bytecode caches once
        timed(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd, env))
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"process start → window shown → quit, median of {runs}:")
    print(f"  bare PySide6 QMainWindow: {med['bare']:.3f} s")
    print(f"  asahi-desk --demo:        {med['demo']:.3f} s   ratio {med['demo'] / med['bare']:.2f}  (target 1.30)")
    print(f"  floor (import PySide6.QtWidgets + sqlalchemy.orm, no window): {med['floor']:.3f} s"
          f"   ratio {med['floor'] / med['bare']:.2f}")


if __name__ == "__main__":
    main()
