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
    assert ci.unmet(["no-such-package-asahi>=1"], {"dev"}) == ["no-such-package-asahi が入っていません"]
    assert ci.unmet(["pytest<1"], {"dev"})[0].startswith("pytest ")
    assert ci.unmet(["no-such-package-asahi; extra == 'build'"], {"dev"}) == []


def test_marker_follows_pyproject_and_extras(tmp_path: Path) -> None:
    ci = _check_installed()
    pyproject, marker = tmp_path / "pyproject.toml", tmp_path / "marker"
    pyproject.write_text((ROOT / "pyproject.toml").read_text())
    assert ci.problems({"dev"}, pyproject=pyproject, marker=marker)  # never installed: pip runs
    ci.write_marker({"dev"}, pyproject=pyproject, marker=marker)
    assert ci.problems({"dev"}, pyproject=pyproject, marker=marker) == []
    assert ci.problems({"dev", "postgres"}, pyproject=pyproject, marker=marker) == [
        "追加の機能（postgres）がまだ入っていません"]  # more extras than installed: pip runs
    pyproject.write_text(pyproject.read_text() + "\n# a new dependency line\n")
    assert ci.problems({"dev"}, pyproject=pyproject, marker=marker)  # pyproject changed


def test_a_superset_of_extras_satisfies_a_subset(tmp_path: Path) -> None:
    """test.sh (dev,postgres) then demo.sh (dev) then test.sh again: pip ran each time (~2.5 s)."""
    ci = _check_installed()
    pyproject, marker = tmp_path / "pyproject.toml", tmp_path / "marker"
    pyproject.write_text((ROOT / "pyproject.toml").read_text())
    ci.write_marker({"dev", "postgres"}, pyproject=pyproject, marker=marker)
    assert ci.problems({"dev"}, pyproject=pyproject, marker=marker) == []
    assert ci.problems({"dev", "postgres"}, pyproject=pyproject, marker=marker) == []
    ci.write_marker({"dev"}, pyproject=pyproject, marker=marker)  # a later plain install keeps the record
    assert ci.problems({"dev", "postgres"}, pyproject=pyproject, marker=marker) == []
    pyproject.write_text(pyproject.read_text() + "\n# changed\n")
    ci.write_marker({"dev"}, pyproject=pyproject, marker=marker)  # … but not across a changed pyproject.toml
    assert ci.problems({"dev", "postgres"}, pyproject=pyproject, marker=marker)


def test_setup_says_what_it_does_in_japanese(tmp_path: Path) -> None:
    script = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    echoes = [line for line in script.splitlines() if line.strip().startswith("echo ")]
    assert echoes and all(re.search("[ぁ-んァ-ン一-龥]", line) for line in echoes), echoes
    marker = tmp_path / "marker"
    out = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import check_installed as c; "
                          "c.MARKER = __import__('pathlib').Path(sys.argv[2]); sys.exit(c.main(['dev']))",
                          str(ROOT / "scripts"), str(marker)], capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.startswith("setup: ") and "インストールします" in out.stderr


def test_second_setup_run_skips_pip_when_up_to_date() -> None:
    marker = Path(sys.prefix) / ".asahi-desk-installed"
    if not marker.exists():
        pytest.skip("the venv was not installed by scripts/setup.sh")
    asked = ["dev"] + (["dev,postgres"] if "postgres" in marker.read_text() else [])
    results = [subprocess.run([sys.executable, str(ROOT / "scripts" / "check_installed.py"), extras],
                              capture_output=True, text=True) for extras in asked]
    assert all(done.returncode == 0 for done in results), [done.stderr for done in results]
