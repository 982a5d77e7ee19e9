"""Hostile and broken files the Excel import must refuse before parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from tests.importers.workbooks import patch_member

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">\
<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def small_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["事業名", "５年度予算"])
    ws.append(["災害に強い区づくり事業", 12321])
    wb.save(path)
    return path


def not_a_zip(path: Path) -> Path:
    path.write_text("事業名,金額\n災害に強い区づくり事業,12321\n", encoding="utf-8")
    return path


def truncated(path: Path) -> Path:
    data = small_book(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def old_xls(path: Path) -> Path:
    path.write_bytes(OLE + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1024)
    return path


def encrypted(path: Path) -> Path:
    """The shape of a password-protected .xlsx: an OLE container with EncryptionInfo/EncryptedPackage."""
    body = b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(OLE + body + b"\0" * 2048)
    return path


def billion_laughs(path: Path) -> Path:
    small_book(path)
    patch_member(path, "xl/worksheets/sheet1.xml", lambda _old: LAUGHS)
    return path


def huge_dimension(path: Path) -> Path:
    small_book(path)
    patch_member(path, "xl/worksheets/sheet1.xml",
                 lambda xml: xml.replace(b'<dimension ref="A1:B2" />', b'<dimension ref="A1:XFD1048576" />'))
    return path


def zip_bomb(path: Path) -> Path:
    small_book(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (64 * 1024 * 1024))
    return path


def broken_styles(path: Path) -> Path:
    """A package both readers open but openpyxl cannot load: a style with a number format id that is no
    number (its own error is English: "invalid literal for int() …"), and no sheet part for calamine."""
    small_book(path)
    patch_member(path, "xl/styles.xml", lambda _data: (
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<cellXfs count="1"><xf numFmtId="zz"/></cellXfs></styleSheet>'))
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist() if i.filename != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


BROKEN = {
    "not_a_zip": (not_a_zip, "zip 形式でない"),
    "truncated": (truncated, "途中で切れて"),
    "old_xls": (old_xls, "古い .xls 形式です。Excel で .xlsx に保存し直してください"),
    "encrypted": (encrypted, "パスワード"),
    "billion_laughs": (billion_laughs, "DTD"),
    "huge_dimension": (huge_dimension, "大きさが異常"),
    "zip_bomb": (zip_bomb, "圧縮率が異常"),
    "broken_styles": (broken_styles, "Excel ブックとして読めません（ブックの中身が壊れているか、Excel の .xlsx 形式ではありません。"
                                     "Excel で開いて .xlsx に保存し直してください）"),
}
