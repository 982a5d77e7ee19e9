"""Whether the venv is up to date, so setup.sh can skip pip: exit 0 when the marker written after the
last install matches pyproject.toml and this Python and records at least the extras asked for (a venv
installed with dev,postgres serves a plain run that asks for dev), every requirement of asahi-desk (with
those extras) is installed in a satisfying version, and asahi_desk is imported from this tree; else
name what differs (in Japanese) and exit 1. `--write` records the marker after a successful install."""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = Path(sys.prefix) / ".asahi-desk-installed"


def stamp(pyproject: Path) -> str:
    return hashlib.sha256(pyproject.read_bytes() + f"\n{sys.version}".encode()).hexdigest()


def recorded(marker: Path, pyproject: Path) -> set[str] | None:
    """The extras the marker says were installed for this pyproject.toml and Python; None if it is stale."""
    if not marker.exists():
        return None
    lines = marker.read_text().splitlines()
    if not lines or lines[0].strip() != stamp(pyproject):
        return None
    listed = next((line.removeprefix("extras=") for line in lines[1:] if line.startswith("extras=")), "")
    return {e for e in listed.split(",") if e}


def write_marker(extras: set[str], *, pyproject: Path = ROOT / "pyproject.toml", marker: Path = MARKER) -> None:
    """After an install with extras: what was there before for the same pyproject.toml stays installed
    (pip removes nothing), so the record is the union."""
    extras = extras | (recorded(marker, pyproject) or set())
    marker.write_text(f"{stamp(pyproject)}\nextras={','.join(sorted(extras))}\n")


def unmet(requires: list[str], extras: set[str]) -> list[str]:
    from packaging.requirements import Requirement  # pytest's dependency: absent before the first install

    out: list[str] = []
    for text in requires:
        req = Requirement(text)
        if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
            continue
        try:
            version = md.version(req.name)
        except md.PackageNotFoundError:
            out.append(f"{req.name} が入っていません")
            continue
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            out.append(f"{req.name} {version} は {req.specifier} を満たしません")
    return out


def problems(extras: set[str], *, pyproject: Path = ROOT / "pyproject.toml", marker: Path = MARKER) -> list[str]:
    installed = recorded(marker, pyproject)
    if installed is None:
        return ["前回のインストールから pyproject.toml か Python が変わりました"]
    if not extras <= installed:
        return [f"追加の機能（{','.join(sorted(extras - installed))}）がまだ入っていません"]
    try:
        requires = md.requires("asahi-desk") or []
    except md.PackageNotFoundError:
        return ["asahi-desk が入っていません"]
    spec = importlib.util.find_spec("asahi_desk")
    out = unmet(requires, extras)
    if spec is None or spec.origin is None or Path(spec.origin).resolve().parent != ROOT / "asahi_desk":
        out.append(f"asahi_desk が {ROOT} のものではありません")
    return out


def main(argv: list[str]) -> int:
    write = "--write" in argv
    args = [a for a in argv if a != "--write"]
    extras = {e for e in (args[0] if args else "").split(",") if e}
    if write:
        write_marker(extras)
        return 0
    try:
        found = problems(extras, marker=MARKER)
    except ImportError as e:
        found = [str(e)]
    for line in found:
        print(f"setup: {line}。インストールします", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
