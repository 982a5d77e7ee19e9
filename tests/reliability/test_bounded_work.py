"""Bounded work: the whole hostile corpus, run in one fresh process, is refused within 10 s a file and
500 MiB in all (the process's peak resident size, so each file stays below it too)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.reliability import hostile_corpus

ROOT = Path(__file__).resolve().parents[2]
DRIVER = r"""
import json, resource, sys, time, io, contextlib
from asahi_desk.launcher import main
results = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    results.append({"argv": argv, "code": code, "seconds": time.perf_counter() - started, "err": err.getvalue()})
# VmHWM: this program's own peak; ru_maxrss would include the pytest process it was forked from
try:
    status = open("/proc/self/status").read()
    peak = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1]) * 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
print(json.dumps({"results": results, "peak": peak}))
"""


def test_hostile_corpus_in_time_and_memory(tmp_path: Path, demo_db: Path) -> None:
    db = tmp_path / "work.db"
    shutil.copy2(demo_db, db)
    runs: list[list[str]] = []
    expected: list[str] = []
    for _name, path, expect in hostile_corpus.json_cases(tmp_path):
        runs.append(["load-json", str(path), "--db", str(db), "--replace"])
        expected.append(expect)
    runs.append(["load-json", "/dev/zero", "--db", str(db)])
    expected.append("ファイルが大きすぎます")
    for _name, path, expect in hostile_corpus.xlsx_cases(tmp_path):
        runs.append(["import-excel", str(path), "--db", str(db), "--fiscal-year", "2024"])
        expected.append(expect)
    for name, path, expect in hostile_corpus.pdf_cases(tmp_path):
        if expect:
            runs.append(["export-pdf", "--db", str(db), "--fiscal-year", "2024", "--out", str(tmp_path / f"{name}.out.pdf"),
                         "--attach", f"資料2={path}"])
            expected.append(expect)
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(runs)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    for result, expect in zip(report["results"], expected, strict=True):
        assert result["code"] == 2 and expect in result["err"] and result["err"].count("\n") == 1, result
        assert result["seconds"] < 10, result
    slowest = sorted(report["results"], key=lambda r: -r["seconds"])[:3]
    names = ", ".join(f"{Path(r['argv'][-1].split('=')[-1] if r['argv'][0] == 'export-pdf' else r['argv'][1]).name}"
                      f" {r['seconds']:.2f} s" for r in slowest)
    print(f"hostile corpus: {len(runs)} files, slowest: {names}; peak {report['peak'] / 1024 / 1024:.0f} MiB")
    assert report["peak"] < 500 * 1024 * 1024
