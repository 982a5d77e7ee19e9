"""paths.app_root() under PyInstaller (sys._MEIPASS = dist/asahi-desk/_internal) and the bundle's data layout."""

from __future__ import annotations

import sys
from pathlib import Path

from asahi_desk import __version__, paths
from tests.packaging import load_packaging_script

ROOT = Path(__file__).resolve().parents[2]
build = load_packaging_script("build")


def test_frozen_root_is_meipass(monkeypatch, tmp_path):
    bundle = tmp_path / "_internal"
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.app_root() == bundle
    assert paths.fonts_dir() == bundle / "resources" / "fonts"
    assert paths.demo_dir() == bundle / "resources" / "demo"
    assert paths.migrations_dir() == bundle / "db"


def test_source_root_is_the_repository(monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert paths.app_root() == ROOT
    assert (paths.migrations_dir() / "alembic.ini").is_file()


def test_build_script_reads_the_package_version():
    assert build.version() == __version__


def test_executable_names_follow_the_platform():
    assert build.GUI_EXE.parent == build.CLI_EXE.parent == ROOT / "dist" / "asahi-desk"
    assert build.GUI_EXE.name.startswith("asahi-desk") and build.CLI_EXE.name.startswith("asahi-desk-cli")
    assert build.GUI_EXE.suffix == (".exe" if sys.platform == "win32" else "")


def test_spec_bundles_resources_and_migrations():
    spec = (ROOT / "packaging" / "asahi-desk.spec").read_text(encoding="utf-8")
    assert 'data_files("resources") + data_files("db")' in spec
    assert 'name="asahi-desk", console=False' in spec and 'name="asahi-desk-cli", console=True' in spec
