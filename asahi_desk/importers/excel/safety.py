"""Pre-flight of an .xlsx before any parser sees it: refuse what is not a workbook or could exhaust the PC.

Checked without decompressing the sheets: the file is a zip (not an old .xls, not a password-protected
OLE container), its central directory is whole, the declared decompressed sizes and compression
ratios are sane, and no XML part declares a DTD (the way entity-expansion bombs work; openpyxl also
parses through defusedxml). Sheet dimensions are checked when a sheet is opened (workbook.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from asahi_desk.domain.error_text import os_error
from asahi_desk.domain.errors import InputError

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Stream names of an encrypted OOXML package inside its OLE container (UTF-16LE directory entries).
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

MAX_TOTAL_UNCOMPRESSED = 512 * 1024 * 1024  # far beyond any ward workbook (a 20,000-row sheet is ~3 MB)
MAX_MEMBER_RATIO = 200  # ordinary sheet XML compresses 5-30×; bombs compress 1000×
RATIO_FLOOR = 8 * 1024 * 1024  # small parts may compress arbitrarily well
MAX_MEMBERS = 10_000
# Counted while streaming too (workbook.py): the declared dimension is only a claim. A ward's sheet has
# a few hundred rows; the benchmark's 20,000 rows read in about a second, 100,000 in a few.
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_PROLOGUE_BYTES = 1024 * 1024  # XML declaration, comments and processing instructions before the root
_CHUNK = 64 * 1024
DTD_MESSAGE = "XML に DTD・エンティティ定義が含まれています（{part}）。安全のため読み込みを中止しました"


def preflight(path: Path) -> None:
    """Raise InputError (Japanese, naming the file) unless the file looks like a safe .xlsx."""
    where = str(path)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if head.startswith(OLE_SIGNATURE):
                f.seek(0)
                container = f.read(4 * 1024 * 1024)
                if any(marker in container for marker in _ENCRYPTED_MARKERS):
                    raise InputError("パスワードで保護（暗号化）されたブックは読めません。"
                                     "Excel でパスワードを解除して保存し直してください", where)
                raise InputError("古い .xls 形式です。Excel で .xlsx に保存し直してください", where)
    except OSError as e:
        raise InputError(f"ファイルを読めません（{os_error(e)}）", where) from None
    if not head.startswith(ZIP_SIGNATURES):
        raise InputError("Excel ブック（.xlsx）ではありません（zip 形式でないファイルです）", where)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_sizes(infos, where)
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
                raise InputError("Excel ブック（.xlsx）ではありません（ブックの構成が見つかりません）", where)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _check_prologue(zf, info, where)
    except zipfile.BadZipFile:
        raise InputError("ファイルが壊れているか、途中で切れています（zip として読めません）", where) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as e:
        raise InputError(f"ファイルが壊れているか、対応していない圧縮形式です（{e}）", where) from None


def _check_sizes(infos: list[zipfile.ZipInfo], where: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"ブックの部品が多すぎます（{len(infos)} 個）", where)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            raise InputError(f"圧縮率が異常です（{info.filename}: {info.compress_size:,} バイトが "
                             f"{info.file_size:,} バイトに展開）。読み込みを中止しました", where)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise InputError(f"展開後のサイズが大きすぎます（{total / 1024 / 1024:,.0f} MB）。読み込みを中止しました", where)


def _check_prologue(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    """Walk the prologue up to the root element, however long (a DTD hidden behind 4 KB of comment
    is still found): declarations, comments and processing instructions are skipped; a <!DOCTYPE or
    <!ENTITY before the root refuses the file; a prologue over MAX_PROLOGUE_BYTES is refused as well."""
    with zf.open(info) as member:
        buf = b""
        pos = 0
        eof = False
        while True:
            verdict, pos = _scan_prologue(buf, pos)
            if verdict == "root":
                return
            if verdict == "dtd":
                raise InputError(DTD_MESSAGE.format(part=info.filename), where)
            if eof:
                return  # no root element: the XML parser will say the part is broken
            if len(buf) > MAX_PROLOGUE_BYTES:
                raise InputError(f"XML の先頭部分が長すぎます（{info.filename}）。安全のため読み込みを中止しました", where)
            chunk = member.read(_CHUNK)
            eof = not chunk
            buf += chunk


def _scan_prologue(buf: bytes, pos: int) -> tuple[str, int]:
    """('root' | 'dtd' | 'more', resume position) for the bytes read so far."""
    while True:
        while pos < len(buf) and buf[pos] in b" \t\r\n":
            pos += 1
        if buf.startswith(b"\xef\xbb\xbf", pos):
            pos += 3
            continue
        if pos >= len(buf):
            return "more", pos
        if buf[pos:pos + 1] != b"<":
            return "root", pos  # text before the root: not ours to judge, the XML parser refuses it
        if len(buf) - pos < 4:
            return "more", pos
        rest = buf[pos:pos + 4]
        if rest.startswith(b"<?"):
            end = buf.find(b"?>", pos + 2)
            if end < 0:
                return "more", pos
            pos = end + 2
        elif rest.startswith(b"<!--"):
            end = buf.find(b"-->", pos + 4)
            if end < 0:
                return "more", pos
            pos = end + 3
        elif rest.startswith(b"<!"):
            return "dtd", pos  # <!DOCTYPE, <!ENTITY or anything else declared before the root
        else:
            return "root", pos


def check_dimensions(sheet: str, max_row: int | None, max_col: int | None, where: str) -> None:
    """Refuse a sheet whose declared size is absurd before streaming it."""
    if (max_row or 0) > MAX_ROWS or (max_col or 0) > MAX_COLUMNS:
        raise InputError(f"「{sheet}」シートの大きさが異常です（{max_row or 0:,} 行 × {max_col or 0:,} 列、"
                         f"上限 {MAX_ROWS:,} 行 × {MAX_COLUMNS:,} 列）。読み込みを中止しました", where)
