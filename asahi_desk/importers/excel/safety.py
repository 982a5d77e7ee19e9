"""Pre-flight of an .xlsx before any parser sees it: refuse what is not a workbook or could exhaust the PC.

Whatever reader comes after (openpyxl, python-calamine), it reads nothing this has not bounded first:
the file is a zip (not an old .xls, not a password-protected OLE container) of at most MAX_FILE_BYTES,
its central directory is whole, the decompressed size of every part and of all parts together is
bounded (sharedStrings.xml, which readers load whole, more tightly), compression ratios are sane, no
XML part declares a DTD (the way entity-expansion bombs work), and every worksheet's rows and cells are
counted while streaming its XML (no tree is built) before any reader parses it. The limits are stated
in docs/limits.md. A cell a reader then cannot convert is located by sheet, row and column
(cell_refusal) instead of ending in a traceback.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from asahi_desk.domain.error_text import os_error
from asahi_desk.domain.errors import InputError
from asahi_desk.importers.excel.package import error_cells_in

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Stream names of an encrypted OOXML package inside its OLE container (UTF-16LE directory entries).
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

MAX_FILE_BYTES = 64 * 1024 * 1024  # the .xlsx itself; a ward's workbook is well under 1 MB
MAX_TOTAL_UNCOMPRESSED = 192 * 1024 * 1024  # all parts together (a 20,000-row sheet is ~3 MB of XML)
MAX_PART_UNCOMPRESSED = 96 * 1024 * 1024  # any one part
MAX_SHARED_STRINGS = 32 * 1024 * 1024  # sharedStrings.xml: every reader holds all of it in memory
MAX_CELLS = 2_000_000  # per worksheet, counted while streaming
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


def preflight(path: Path) -> dict[str, bool]:
    """Raise InputError (Japanese, naming the file) unless the file looks like a safe .xlsx. Returns, for
    the worksheet parts whose counting streamed them once, whether they hold error or ISO date cells
    (package.has_error_cells, found in the same pass: the reader need not decompress them again)."""
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
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"ファイルを読めません（{os_error(e)}）", where) from None
    if size > MAX_FILE_BYTES:
        raise InputError(f"ファイルが大きすぎます（{size / 1024 / 1024:,.0f} MB、{MAX_FILE_BYTES // 1024 // 1024} MB まで）。"
                         "読み込みを中止しました", where)
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
            names = sheet_parts(zf)
            error_cells: dict[str, bool] = {}
            for info in infos:
                if _WORKSHEET.fullmatch(info.filename):
                    found = count_rows_and_cells(zf, info, names.get(info.filename, info.filename), where)
                    if found is not None:
                        error_cells[info.filename] = found
            return error_cells
    except zipfile.BadZipFile:
        raise InputError("ファイルが壊れているか、途中で切れています（zip として読めません）", where) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError):  # zipfile's text is English
        raise InputError("ファイルが壊れているか、対応していない圧縮形式です", where) from None
    except OSError as e:
        raise InputError(f"ファイルを読めません（{os_error(e)}）", where) from None


def _check_sizes(infos: list[zipfile.ZipInfo], where: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"ブックの部品が多すぎます（{len(infos)} 個）", where)
    total = 0
    for info in infos:
        total += info.file_size
        limit = MAX_SHARED_STRINGS if info.filename.lower().endswith("sharedstrings.xml") else MAX_PART_UNCOMPRESSED
        if info.file_size > limit:
            raise InputError(f"ブックの部品が大きすぎます（{info.filename}: 展開後 {info.file_size / 1024 / 1024:,.0f} MB、"
                             f"{limit // 1024 // 1024} MB まで）。読み込みを中止しました", where)
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


_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.I)
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """{'xl/worksheets/sheet1.xml': 'シート名'} from workbook.xml and its relationships (both small, and
    already size- and DTD-checked); {} when they cannot be read (the reader will say why)."""
    from defusedxml.ElementTree import fromstring

    try:
        book = fromstring(zf.read("xl/workbook.xml"))
        rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - a broken part is the reader's to report, with its own message
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = target
    out = {}
    for el in book.iter():
        if el.tag.endswith("}sheet"):
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                out[targets[rid]] = el.get("name", "")
    return out


def count_rows_and_cells(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, where: str) -> bool | None:
    """Stream one worksheet's XML (decompressed chunk by chunk, never whole) counting <row> and <c>
    elements; refuse past MAX_ROWS or MAX_CELLS, whatever <dimension> claims or leaves out. Counting
    is by pattern, before any XML parser runs (a 1,048,576-row sheet is refused in well under a second).

    A first pass counts an upper bound with bytes.count ("<row" and ":row", "<c" and ":c": every tag the
    patterns match holds one of them), a few C searches per chunk where the patterns are tried at every
    '<' of the sheet (over half a million in a 20,000-row sheet). Only a sheet whose bound passes a limit
    is counted again by the patterns, exactly, and refused as before when the exact count passes it.

    Returns whether the sheet holds error or ISO date cells (package.error_cells_in, looked for in the
    bound pass), or None when that pass stopped early (the reader then looks itself)."""
    found = _within_limits(zf, info, sheet, where, exact=False)
    if found is None:
        _within_limits(zf, info, sheet, where, exact=True)
    return found


def _within_limits(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, where: str, *, exact: bool) -> bool | None:
    """exact: the pattern counts, refused past a limit; else the bound, None once past a limit. Whether
    error or ISO date cells were seen (the bound pass only, where the sheet is read to its end)."""
    rows = cells = 0
    carry = tail = b""
    errors = False
    with zf.open(info) as member:
        while True:
            chunk = member.read(_CHUNK * 16)
            if not chunk:
                return errors
            buf = carry + chunk
            cut = buf.rfind(b"<")  # a tag cut by the chunk boundary is counted with the next chunk
            cut = len(buf) if cut < 0 or len(buf) - cut > 64 else cut
            body, carry = buf[:cut], buf[cut:]
            if exact:
                rows += len(_ROW.findall(body))
                cells += len(_CELL.findall(body))
            else:
                rows += body.count(b"<row") + body.count(b":row")
                cells += body.count(b"<c") + body.count(b":c")
                if rows > MAX_ROWS or cells > MAX_CELLS:
                    return None
                errors = errors or error_cells_in(tail + body)
                tail = body[-256:]  # a tag split across two chunks (as has_error_cells reads them)
            if rows > MAX_ROWS:
                raise InputError(f"「{sheet}」シートの行が多すぎます（{MAX_ROWS:,} 行を超えています）。"
                                 "読み込みを中止しました", where)
            if cells > MAX_CELLS:
                raise InputError(f"「{sheet}」シートのセルが多すぎます（{MAX_CELLS:,} 個を超えています）。"
                                 "読み込みを中止しました", where)


def check_dimensions(sheet: str, max_row: int | None, max_col: int | None, where: str) -> None:
    """Refuse a sheet whose declared size is absurd before streaming it."""
    if (max_row or 0) > MAX_ROWS or (max_col or 0) > MAX_COLUMNS:
        raise InputError(f"「{sheet}」シートの大きさが異常です（{max_row or 0:,} 行 × {max_col or 0:,} 列、"
                         f"上限 {MAX_ROWS:,} 行 × {MAX_COLUMNS:,} 列）。読み込みを中止しました", where)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell_refusal(path: Path, sheet: str, after_row: int, error: BaseException) -> InputError:
    """The refusal for a cell a reader could not convert: the first cell of the sheet whose stored value
    does not fit its type (a garbage number or date, a shared-string index out of range, a bad boolean),
    named by sheet, row and column; or, if none is found, the row after the last one read."""
    where = str(path)
    try:
        found = _first_bad_cell(path, sheet)
    except Exception:  # noqa: BLE001 - locating is best effort; the fallback below still names the place
        found = None
    if found is not None:
        ref, message = found
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        place = f"{m.group(2)}行 {m.group(1)}列（{ref}）" if m else ref
        return InputError(f"「{sheet}」シート {place}: {message}", where)
    return InputError(f"「{sheet}」シート {after_row + 1}行目付近のセルを読めません（{type(error).__name__}）", where)


def _first_bad_cell(path: Path, sheet: str) -> tuple[str, str] | None:
    from xml.parsers import expat

    with zipfile.ZipFile(path) as zf:
        part = {v: k for k, v in sheet_parts(zf).items()}.get(sheet)
        if part is None:
            return None
        shared = _shared_string_count(zf)
        parser = expat.ParserCreate(namespace_separator=" ")
        state: dict[str, object] = {"cell": None, "type": "n", "text": None, "bad": None}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = name.rsplit(" ", 1)[-1]
            if tag == "c":
                state.update(cell=attrs.get("r", "?"), type=attrs.get("t", "n"), text=None)
            elif tag == "v" and state["cell"] is not None:
                state["text"] = ""

        def data(text: str) -> None:
            if state["text"] is not None:
                state["text"] = str(state["text"]) + text

        def end(name: str) -> None:
            tag = name.rsplit(" ", 1)[-1]
            if tag == "v" and state["text"] is not None and state["bad"] is None:
                problem = _value_problem(str(state["type"]), str(state["text"]).strip(), shared)
                if problem:
                    state["bad"] = (str(state["cell"]), problem)
                    raise _Found
                state["text"] = None

        parser.StartElementHandler, parser.CharacterDataHandler, parser.EndElementHandler = start, data, end
        with zf.open(part) as member:
            try:
                while chunk := member.read(_CHUNK * 16):
                    parser.Parse(chunk, False)
            except _Found:
                pass
        return state["bad"]  # type: ignore[return-value]


class _Found(Exception):
    pass


def _value_problem(kind: str, text: str, shared: int | None) -> str | None:
    shown_text = text[:20].encode("unicode_escape").decode("ascii") if text else ""
    if kind == "n" and not _NUMBER.fullmatch(text):
        return f"数値として読めない値です（'{shown_text}'）"
    if kind == "d" and not _ISO_DATE.fullmatch(text):
        return f"日付として読めない値です（'{shown_text}'）"
    if kind == "b" and text not in ("0", "1"):
        return f"真偽値として読めない値です（'{shown_text}'）"
    if kind == "s":
        if not text.isdigit():
            return f"共有文字列の番号が正しくありません（'{shown_text}'）"
        if shared is not None and int(text) >= shared:
            return f"共有文字列の番号 {int(text):,} が範囲外です（{shared:,} 個しかありません）"
    return None


def _shared_string_count(zf: zipfile.ZipFile) -> int | None:
    name = next((n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return 0
    count = 0
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
    carry = b""
    with zf.open(name) as member:
        while chunk := member.read(_CHUNK * 16):
            buf = carry + chunk
            cut = buf.rfind(b"<")
            cut = len(buf) if cut < 0 or len(buf) - cut > 64 else cut
            count += len(pattern.findall(buf[:cut]))
            carry = buf[cut:]
    return count + len(pattern.findall(carry))
