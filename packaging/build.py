"""Build dist/asahi-desk/ with PyInstaller and smoke-test the frozen executables (run from the repo root).

Usage: python packaging/build.py [--smoke-only]. Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "asahi-desk.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_DIR = DIST / "asahi-desk"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
GUI_EXE = APP_DIR / f"asahi-desk{EXE_SUFFIX}"
CLI_EXE = APP_DIR / f"asahi-desk-cli{EXE_SUFFIX}"
DEMO_YEAR = "2024"
TIMEOUT = 300  # seconds per frozen command: the first start of a one-folder build unpacks nothing, but disks vary


class SmokeFailure(Exception):
    pass


def version() -> str:
    namespace: dict[str, str] = {}
    init = (ROOT / "asahi_desk" / "__init__.py").read_text(encoding="utf-8")
    exec(compile("\n".join(line for line in init.splitlines() if line.startswith("__version__")), "v", "exec"),
         namespace)
    return namespace["__version__"]


def build() -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)], cwd=ROOT, check=True)
    return time.monotonic() - started


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def frozen(exe: Path, args: Sequence[str], env: dict[str, str], ok: Sequence[int] = (0,)) -> str:
    """Run a frozen executable; its output, or SmokeFailure naming the command and its exit code."""
    shown = " ".join([exe.name, *args])
    print(f"  $ {shown}", flush=True)
    try:
        done = subprocess.run([str(exe), *args], env=env, capture_output=True, timeout=TIMEOUT,
                              encoding="utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        raise SmokeFailure(f"{shown}: {TIMEOUT} 秒で終わりません") from None
    if done.returncode not in ok:
        raise SmokeFailure(f"{shown}: 終了コード {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def smoke(tmp: Path, shots: Path) -> None:
    # The window's settings (geometry, recent files) go to the temporary folder, not the builder's home
    # (XDG_CONFIG_HOME) nor, on Windows, the builder's registry (ASAHI_DESK_SETTINGS_DIR: an .ini there).
    env = dict(os.environ, PYTHONUTF8="1", PYTHONIOENCODING="utf-8", XDG_CONFIG_HOME=str(tmp / "config"),
               ASAHI_DESK_SETTINGS_DIR=str(tmp / "config"))
    for exe in (GUI_EXE, CLI_EXE):
        if not exe.is_file():
            raise SmokeFailure(f"{exe}: ありません（ビルドに失敗?）")
    expected = f"asahi-desk {version()}"
    out = frozen(CLI_EXE, ["--version"], env)
    if expected not in out:
        raise SmokeFailure(f"--version: 「{expected}」が出力にありません: {out!r}")
    db = tmp / "demo.db"
    frozen(CLI_EXE, ["init", "--db", str(db), "--demo"], env)
    # exit 1 = findings of level error: the demo's printed documents carry real mistakes
    frozen(CLI_EXE, ["check", "--db", str(db)], env, ok=(0, 1))
    if "export-pdf" in frozen(CLI_EXE, ["--help"], env):
        pdf = tmp / "h.pdf"
        frozen(CLI_EXE, ["export-pdf", "--db", str(db), "--fiscal-year", DEMO_YEAR, "--out", str(pdf)], env)
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF") or pdf.stat().st_size < 10_000:
            raise SmokeFailure(f"{pdf}: PDF ができていません")
        print(f"    handout PDF {pdf.stat().st_size // 1024} KiB")
    else:
        print("  note: this CLI has no export-pdf subcommand yet; handout PDF export skipped")
    # the Excel round trip: openpyxl writes, python-calamine reads (a lazily imported native module)
    book = tmp / "r6.xlsx"
    frozen(CLI_EXE, ["export-excel", "--db", str(db), "--fiscal-year", DEMO_YEAR, "--out", str(book)], env)
    frozen(CLI_EXE, ["import-excel", str(book), "--db", str(tmp / "fresh.db"), "--create-prior",
                     "--fiscal-year", str(int(DEMO_YEAR) + 1)], env)
    # the GUI: offscreen, quits by itself; once on the demo database, once on the default (empty) one
    for label, args in (("demo database", ["--db", str(db)]), ("default database", [])):
        data = tmp / f"data-{len(args)}"
        shot = shots / f"smoke-window-{len(args)}.png"
        shot.unlink(missing_ok=True)
        gui_env = dict(env, QT_QPA_PLATFORM="offscreen", ASAHI_DESK_SMOKE_QUIT_MS="1500",
                       ASAHI_DESK_DATA_DIR=str(data), ASAHI_DESK_SMOKE_SCREENSHOT=str(shot))
        frozen(GUI_EXE, args, gui_env)
        log = (data / "asahi-desk.log").read_text(encoding="utf-8") if (data / "asahi-desk.log").exists() else ""
        for needed in ("frame shown", "window shown", "window ready", "application font: IPAex"):
            if needed not in log:
                raise SmokeFailure(f"GUI ({label}): ログに「{needed}」がありません\n{log}")
        if "uncaught exception" in log:
            raise SmokeFailure(f"GUI ({label}): 予期しない例外\n{log}")
        if not args and not (data / "asahi-desk.db").is_file():
            raise SmokeFailure(f"GUI ({label}): 既定のデータベースが {data} にできていません")
        if not shot.is_file() or shot.stat().st_size < 5_000:
            raise SmokeFailure(f"GUI ({label}): 画面の保存 {shot} ができていません")
        print(f"    GUI on the {label}: window shown and closed; screenshot {shot.relative_to(ROOT)}")
    # the start as a clerk waits for it (bench/bench_startup.py measures the same from source): the frame
    # painted, then the main window ready, each quitting by itself (ASAHI_DESK_QUIT_AT)
    for stage in ("shown", "ready"):
        started = time.perf_counter()
        frozen(GUI_EXE, ["--db", str(db)], dict(env, QT_QPA_PLATFORM="offscreen", ASAHI_DESK_QUIT_AT=stage,
                                                 ASAHI_DESK_DATA_DIR=str(tmp / "data-quit")))
        print(f"    GUI {stage}: {time.perf_counter() - started:.2f} s (process start to quit)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke-only", action="store_true", help="build nothing; test the existing dist/")
    args = parser.parse_args(argv)
    if not args.smoke_only:
        print(f"building {APP_DIR} …", flush=True)
        try:
            seconds = build()
        except subprocess.CalledProcessError as e:
            print(f"FAILED: PyInstaller exit code {e.returncode}", file=sys.stderr)
            return 1
        print(f"built in {seconds:.0f} s; {folder_size(APP_DIR) / 1e6:.0f} MB", flush=True)
    print("smoke test …", flush=True)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="asahi-desk-smoke-"))
    try:
        WORK.mkdir(parents=True, exist_ok=True)
        smoke(tmp, WORK)
    except SmokeFailure as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
