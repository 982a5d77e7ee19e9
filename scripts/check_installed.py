"""Whether the venv is up to date, so setup.sh can skip pip: exit 0 when the marker written after the
last install matches pyproject.toml, the extras and this Python, every requirement of asahi-desk (with
those extras) is installed in a satisfying version, and asahi_desk is imported from this tree; else
name what differs and exit 1. `--write` records the marker after a successful install."""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = Path(sys.prefix) / ".asahi-desk-installed"


def stamp(pyproject: Path, extras: set[str]) -> str:
    text = pyproject.read_bytes() + f"\nextras={','.join(sorted(extras))}\n{sys.version}".encode()
    return hashlib.sha256(text).hexdigest()


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
            out.append(f"{req.name} is missing")
            continue
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            out.append(f"{req.name} {version} does not satisfy {req.specifier}")
    return out


def problems(extras: set[str], *, pyproject: Path = ROOT / "pyproject.toml", marker: Path = MARKER) -> list[str]:
    if not marker.exists() or marker.read_text().strip() != stamp(pyproject, extras):
        return ["pyproject.toml, the extras or Python changed since the last install"]
    try:
        requires = md.requires("asahi-desk") or []
    except md.PackageNotFoundError:
        return ["asahi-desk is not installed"]
    spec = importlib.util.find_spec("asahi_desk")
    out = unmet(requires, extras)
    if spec is None or spec.origin is None or Path(spec.origin).resolve().parent != ROOT / "asahi_desk":
        out.append(f"asahi_desk is not the one in {ROOT}")
    return out


def main(argv: list[str]) -> int:
    write = "--write" in argv
    args = [a for a in argv if a != "--write"]
    extras = {e for e in (args[0] if args else "").split(",") if e}
    if write:
        MARKER.write_text(stamp(ROOT / "pyproject.toml", extras) + "\n")
        return 0
    try:
        found = problems(extras)
    except ImportError as e:
        found = [str(e)]
    for line in found:
        print(f"setup: {line}; installing", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
