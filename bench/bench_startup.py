"""Startup benchmark: launching the app on the demo data until its window is shown, beside a bare PySide6 window.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [runs] [FROZEN_EXE]
(FROZEN_EXE, e.g. dist/asahi-desk/asahi-desk after packaging/build.py: the frozen build's start instead of the
source tree's, beside the same bare window.)

What a clerk waits for is a whole process start, so every side is measured that way, alternately, in the
same run: a fresh interpreter that builds its window, shows it, runs one event-loop pass and quits.
- bare: a QMainWindow with a label and a menu, quit on the event-loop turn after its first paint (the
  baseline the targets are ratios of);
- shown: `python -m asahi_desk --demo` with ASAHI_DESK_QUIT_AT=shown: quits on the first event-loop turn
  after the window frame is painted (target ≤ 1.3× bare);
- ready: the same with ASAHI_DESK_QUIT_AT=ready: quits once the main window is painted with the year's rows
  in its tree and its forms taking input (fresh copy of the demo database, schema check, tree, forms;
  target ≤ 2.5× bare); the services load after that paint and are not timed;
- floor: an interpreter that only imports PySide6.QtWidgets and sqlalchemy.orm: what the ready window would
  cost if it stood on the ORM. On an SQLite file at the schema head it does not: it is painted from the first
  read (store/first_read.py, sqlite3 alone) and SQLAlchemy loads after it.
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
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, w.close)
        return False
app = QApplication(sys.argv[:1])
w = QMainWindow()
label = QLabel("令和6年度")
w.setCentralWidget(label)
w.menuBar().addMenu("ファイル")
w.resize(1280, 800)
watch = FirstPaint()
label.installEventFilter(watch)
w.show()
sys.exit(app.exec())
"""
FLOOR = "import PySide6.QtWidgets, sqlalchemy.orm"
SHOWN_TARGET, READY_TARGET = 1.3, 2.5


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    data_dir = tempfile.mkdtemp(prefix="bench-startup-")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "ASAHI_DESK_DATA_DIR": data_dir,
           # bytecode as an installed app has it (pip compiles at install, the frozen build ships .pyc):
           # written by the warm-up run into a folder of this run, read by every side alike. Without it, a
           # shell with PYTHONDONTWRITEBYTECODE=1 compiles the app's ~90 modules from source on every start
           # (about 0.1 s) while the bare window's libraries come with their bytecode.
           "PYTHONPYCACHEPREFIX": str(Path(data_dir) / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare_script = Path(data_dir) / "bare.py"
    bare_script.write_text(BARE, encoding="utf-8")
    # the frozen build instead of the source tree: `bench_startup.py [RUNS] dist/asahi-desk/asahi-desk`
    app = [str(Path(sys.argv[2]).resolve()), "--demo"] if len(sys.argv) > 2 else [sys.executable, "-m", "asahi_desk", "--demo"]
    commands = {
        "bare": ([sys.executable, str(bare_script)], env),
        "shown": (app, {**env, "ASAHI_DESK_QUIT_AT": "shown"}),
        "ready": (app, {**env, "ASAHI_DESK_QUIT_AT": "ready"}),
        "floor": ([sys.executable, "-c", FLOOR], env),
    }
    for cmd, cmd_env in commands.values():  # warm the OS file cache and the bytecode caches once
        timed(cmd, cmd_env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, cmd_env) in commands.items():
            times[name].append(timed(cmd, cmd_env))
    med = {name: statistics.median(values) for name, values in times.items()}
    bare = med["bare"]
    print(f"process start → first paint → quit, median of {runs}{' (frozen: ' + app[0] + ')' if len(sys.argv) > 2 else ''}:")
    print(f"  bare PySide6 QMainWindow:                  {bare:.3f} s")
    print(f"  asahi-desk --demo, frame shown:            {med['shown']:.3f} s   ratio {med['shown'] / bare:.2f}"
          f"  (target ≤ {SHOWN_TARGET:.2f})")
    print(f"  asahi-desk --demo, ready (tree, forms):    {med['ready']:.3f} s   ratio {med['ready'] / bare:.2f}"
          f"  (target ≤ {READY_TARGET:.2f})")
    print(f"  floor (import PySide6.QtWidgets + sqlalchemy.orm, no window): {med['floor']:.3f} s"
          f"   ratio {med['floor'] / bare:.2f}")


if __name__ == "__main__":
    main()
