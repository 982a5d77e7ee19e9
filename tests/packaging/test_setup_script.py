"""scripts/setup.sh: the Qt xcb libraries it checks are all Qt links, and pip runs only when needed."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _check_installed():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("check_installed", ROOT / "scripts" / "check_installed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _listed_packages() -> set[str]:
    text = (ROOT / "scripts" / "setup.sh").read_text()
    block = text.split("SYSTEM_PACKAGES=(", 1)[1].split("\n)", 1)[0]
    return {w for line in block.splitlines() for w in line.split("#", 1)[0].split()}


@pytest.mark.skipif(not (shutil.which("readelf") and shutil.which("dpkg")), reason="needs readelf and dpkg")
def test_every_xcb_library_qt_links_is_in_the_checked_list() -> None:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    plugins = [qt / "plugins" / "platforms" / "libqxcb.so", *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))[:1]]
    needed: set[str] = set()
    for lib in plugins:
        dynamic = subprocess.run(["readelf", "-d", str(lib)], capture_output=True, text=True, check=True).stdout
        needed |= {m for m in re.findall(r"\[(lib[^\]]*xcb[^\]]*)\]", dynamic, flags=re.I) if "Qt6" not in m}
    assert "libxcb-cursor.so.0" in needed
    packages: set[str] = set()
    for soname in needed:
        owner = subprocess.run(["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True)
        assert owner.returncode == 0, f"{soname} is not installed by any package"
        packages.add(owner.stdout.split(":", 1)[0])
    assert packages - _listed_packages() == set()


def test_installed_check_passes_here_and_names_what_is_missing(tmp_path: Path) -> None:
    ci = _check_installed()
    assert ci.unmet(["pytest>=1", "psycopg[binary]>=3.1; extra == 'postgres'"], {"dev"}) == []
    assert ci.unmet(["no-such-package-asahi>=1"], {"dev"}) == ["no-such-package-asahi is missing"]
    assert ci.unmet(["pytest<1"], {"dev"})[0].startswith("pytest ")
    assert ci.unmet(["no-such-package-asahi; extra == 'build'"], {"dev"}) == []


def test_marker_follows_pyproject_and_extras(tmp_path: Path) -> None:
    ci = _check_installed()
    pyproject, marker = tmp_path / "pyproject.toml", tmp_path / "marker"
    pyproject.write_text((ROOT / "pyproject.toml").read_text())
    assert ci.problems({"dev"}, pyproject=pyproject, marker=marker)  # never installed: pip runs
    marker.write_text(ci.stamp(pyproject, {"dev"}) + "\n")
    assert ci.problems({"dev"}, pyproject=pyproject, marker=marker) == []
    assert ci.problems({"dev", "postgres"}, pyproject=pyproject, marker=marker)  # other extras
    pyproject.write_text(pyproject.read_text() + "\n# a new dependency line\n")
    assert ci.problems({"dev"}, pyproject=pyproject, marker=marker)  # pyproject changed


def test_second_setup_run_skips_pip_when_up_to_date() -> None:
    if not (Path(sys.prefix) / ".asahi-desk-installed").exists():
        pytest.skip("the venv was not installed by scripts/setup.sh")
    results = [subprocess.run([sys.executable, str(ROOT / "scripts" / "check_installed.py"), extras],
                              capture_output=True, text=True) for extras in ("dev,postgres", "dev")]
    assert any(done.returncode == 0 for done in results), [done.stderr for done in results]
