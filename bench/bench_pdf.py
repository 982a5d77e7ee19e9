"""Time the export of the demo handout (次第 + 資料1, one combined PDF and the split files); target < 1 s."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from asahi_desk.app import build_services, shipped_demo_db


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        db = work / "demo.db"
        shutil.copy2(shipped_demo_db(), db)
        services = build_services(db)
        from asahi_desk.reports.pdf.fonts import register_fonts
        from asahi_desk.services.handout import ExportRequest

        t0 = time.perf_counter()
        register_fonts()
        fonts = time.perf_counter() - t0
        runs = []
        for _ in range(3):
            request = ExportRequest(2024, work / "handout.pdf", split_dir=work / "split")
            t0 = time.perf_counter()
            result = services.handout.export(request)
            runs.append(time.perf_counter() - t0)
        size = (work / "handout.pdf").stat().st_size
        services.close()
        print(f"font registration (once per process): {fonts:.3f} s")
        print(f"demo handout export: best {min(runs):.3f} s, first {runs[0]:.3f} s "
              f"({result.pages} pages, combined {size / 1024:.0f} KiB, {len(result.files)} files)")
        print(f"target < 1 s: {'OK' if min(runs) < 1 else 'SLOW'}; file < 2 MB: {'OK' if size < 2 << 20 else 'BIG'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
