"""The icon files the build needs: PNG sizes, a multi-size .ico Qt can read, and the .desktop entry."""

from __future__ import annotations

import configparser
import struct
from pathlib import Path

import pytest

from asahi_desk.paths import resources_dir
from tests.packaging import load_packaging_script

ROOT = Path(__file__).resolve().parents[2]
make_icons = load_packaging_script("make_icons")

ICONS = resources_dir() / "icons"


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", blob[16:24])


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_png_sizes_exist(size):
    assert png_size((ICONS / make_icons.png_name(size)).read_bytes()) == (size, size)


def test_ico_directory_points_at_each_png():
    blob = (ICONS / "asahi-desk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", blob[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    seen = []
    for i in range(count):
        w, h, _colours, _res, planes, bits, length, offset = struct.unpack("<BBBBHHII", blob[6 + 16 * i: 22 + 16 * i])
        size = w or 256
        assert (w, h, planes, bits) == (w, h, 1, 32) and w == h
        assert png_size(blob[offset: offset + length]) == (size, size)
        seen.append(size)
    assert seen == sorted(make_icons.ICO_SIZES)


def test_ico_bytes_round_trip_through_qt(qapp, tmp_path):
    from PySide6.QtGui import QImageReader

    pngs = make_icons.render_pngs((16, 32, 256))
    path = tmp_path / "t.ico"
    path.write_bytes(make_icons.ico_bytes(pngs))
    reader = QImageReader(str(path))
    assert reader.canRead(), reader.errorString()
    assert reader.imageCount() == 3
    sizes = set()
    for i in range(3):
        reader.jumpToImage(i)
        sizes.add(reader.read().width())
    assert sizes == {16, 32, 256}


def test_rendered_icon_is_not_blank(qapp):
    from PySide6.QtGui import QImage

    image = QImage.fromData(make_icons.render_pngs((64,))[64])
    centre, corner = image.pixelColor(32, 30), image.pixelColor(0, 0)
    assert corner.alpha() == 0  # rounded corner stays transparent
    assert centre.alpha() == 255 and centre.red() > 150  # the sun


def test_desktop_entry():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(ROOT / "packaging" / "asahi-desk.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "asahi-desk"
    assert entry["Terminal"] == "false"
    assert (ICONS / f"{entry['Icon']}.svg").is_file()
    assert entry["Categories"].endswith(";")
