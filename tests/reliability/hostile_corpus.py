"""The hostile corpus, made in the tests: files that must each end in exit 2 and one Japanese line.

Each case is (name, path, the phrase the refusal must contain). Generators write into a folder
(tmp_path) so nothing large is kept in the repository.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from asahi_desk.paths import demo_dir

Case = tuple[str, Path, str]


def _budget() -> dict:
    return json.loads((demo_dir() / "asahi-r6-budget.json").read_text(encoding="utf-8"))


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def json_cases(folder: Path) -> list[Case]:
    base = _budget()
    plain = json.dumps(base, ensure_ascii=False, indent=1)
    cases: list[Case] = [
        ("deep", _write(folder, "deep.json", "[" * 100_000 + "]" * 100_000), "入れ子が深すぎます（1行 65列"),
        ("deep70", _write(folder, "deep70.json", '{"format": ' + "[" * 70 + "]" * 70 + "}"), "入れ子が深すぎます"),
        ("surrogate", _write(folder, "surrogate.json", plain.replace('"旭区"', '"\\ud800"', 1)),
         "ward: 対になっていないサロゲート文字（\\ud800）"),
        ("surrogate-key", _write(folder, "surrogate-key.json", '{"\\udfff": 1}'), "サロゲート文字"),
        ("digits", _write(folder, "digits.json", plain.replace('"current": 876702', '"current": ' + "9" * 5000, 1)),
         "数が大きすぎます（5,000桁"),
        ("duplicate", _write(folder, "duplicate.json", plain.replace('"ward": "旭区",', '"ward": "旭区",\n "ward": "中区",', 1)),
         "項目「ward」が2回あります（3行 2列 と 4行 2列）"),
        ("oversize", _write(folder, "oversize.json", plain.replace('"旭区"', '"' + "旭" * 12_000_000 + '"', 1)),
         "ファイルが大きすぎます（32 MB まで）"),
    ]
    for field, value, expect in [("current", 2**63, "数が大きすぎます"), ("number", 2**63, "数が大きすぎます"),
                                 ("current", 10**12, "金額が大きすぎます"),
                                 ("name", "a\x1bb\u202e", "制御文字（\\u001b）"),
                                 ("name", "改\n行", "制御文字（\\n）"),
                                 ("name", "x" * 300_000, "長すぎます（300,000文字、10,000文字まで）")]:
        data = json.loads(plain)
        data["categories"][0]["programs"][0][field] = value
        cases.append((f"{field}-{len(str(value))}", _write(folder, f"{field}-{len(str(value))}.json",
                                                         json.dumps(data, ensure_ascii=False)), expect))
    data = json.loads(plain)
    data["ward"] = "旭" * 101
    cases.append(("ward-length", _write(folder, "ward-length.json", json.dumps(data, ensure_ascii=False)),
                  "長すぎます（101文字、100文字まで）"))
    data = json.loads(plain)
    data["categories"][0]["programs"][0]["purpose"] = "一行目\n二行目\tタブ"
    _write(folder, "multiline-ok.json", json.dumps(data, ensure_ascii=False))  # accepted: see the test
    return cases


def _book(folder: Path, name: str, sheet_xml: bytes | None = None, *, extra: dict[str, bytes] | None = None,
          stored: bool = False, sheet_title: str = "Sheet") -> Path:
    """A small real workbook (openpyxl), its sheet XML replaced and parts added as asked."""
    import openpyxl

    path = folder / name
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title
    ws.append(["事業名", "５年度予算"])
    ws.append(["災害に強い区づくり事業", 12321])
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    if sheet_xml is not None:
        members["xl/worksheets/sheet1.xml"] = sheet_xml
    members.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as zf:
        for part, data in members.items():
            zf.writestr(part, data)
    return path


def _sheet(rows: bytes, dimension: bool = True) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    dim = b'<dimension ref="A1:B3"/>' if dimension else b""
    return head + dim + b"<sheetData>" + rows + b"</sheetData></worksheet>"


_HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>事業名</t></is></c><c r="B1" t="inlineStr"><is><t>５年度予算</t></is></c></row>'.encode()


def xlsx_cases(folder: Path) -> list[Case]:
    """Workbooks for `import-excel`; the phrase each refusal must contain."""
    def bad_cell(name: str, cell: str) -> Path:
        row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>災害に強い区づくり事業</t></is></c>{cell}</row>'
        return _book(folder, name, _sheet(_HEADER_ROW + row.encode()))

    million = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1_048_577))
    cases: list[Case] = [
        ("garbage-number", bad_cell("garbage-number.xlsx", '<c r="B2" t="n"><v>12x3</v></c>'),
         "「Sheet」シート 2行 B列（B2）: 数値として読めない値です（'12x3'）"),
        ("garbage-date", bad_cell("garbage-date.xlsx", '<c r="B2" t="d"><v>2024-99-99zz</v></c>'),
         "「Sheet」シート 2行 B列（B2）: 日付として読めない値です"),
        ("shared-string-range", bad_cell("shared-string-range.xlsx", '<c r="B2" t="s"><v>5</v></c>'),
         "2行 B列（B2）: 共有文字列の番号 5 が範囲外です"),
        ("million-rows", _book(folder, "million-rows.xlsx", _sheet(million, dimension=False)),
         "「Sheet」シートの行が多すぎます（100,000 行を超えています）"),
        ("shared-strings-size", _book(folder, "shared-strings-size.xlsx", stored=True, extra={
            "xl/sharedStrings.xml": b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                                    b'spreadsheetml/2006/main">' + b"<si><t>x</t></si>" * (34 * 1024 * 1024 // 16)
                                    + b"</sst>"}), "ブックの部品が大きすぎます（xl/sharedStrings.xml: 展開後 36 MB、32 MB まで）"),
        ("sheet-name-controls", _book(folder, "sheet-name-controls.xlsx", _sheet(
            _HEADER_ROW + b'<row r="2"><c r="B2" t="n"><v>zz</v></c></row>'), sheet_title="a\u202eb"),
         "「a\\u202eb」シート"),
    ]
    return cases


def _js(code: str) -> object:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)})


def scripted_pdf(path: Path) -> Path:
    """A one-page PDF carrying every active thing: /OpenAction, page /AA, /Names/JavaScript, an embedded
    file, a Launch link, a file-attachment annotation and an XFA form."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    writer.add_attachment("payload.txt", b"secret payload")
    names = writer._root_object["/Names"].get_object()
    names[NameObject("/JavaScript")] = DictionaryObject({NameObject("/Names"): ArrayObject(
        [TextStringObject("hello"), writer._add_object(_js("app.alert('names');"))])})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_js("app.alert('open');"))
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(_js("app.alert('page');"))})
    rect = ArrayObject([FloatObject(10), FloatObject(10), FloatObject(100), FloatObject(100)])
    launch = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
    link = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                             NameObject("/Rect"): rect, NameObject("/A"): launch})
    attached = DictionaryObject({NameObject("/Type"): NameObject("/Annot"),
                                 NameObject("/Subtype"): NameObject("/FileAttachment"), NameObject("/Rect"): rect,
                                 NameObject("/Contents"): TextStringObject("file")})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link), writer._add_object(attached)])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp:xdp/>")})
    with open(path, "wb") as f:
        writer.write(f)
    return path


# PDF names end at a delimiter (/AAAAAA+IPAexGothic, a font subset, is not /AA)
ACTIVE_MARKERS = re.compile(rb"/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|XFA|FileAttachment)(?=[\s/<>\[\]()])"
                            rb"|secret payload")


def active_markers(data: bytes) -> list[bytes]:
    return [m.group() for m in ACTIVE_MARKERS.finditer(data)]


def _blank_pdf(path: Path, pages: int = 1, **page_keys: object) -> Path:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        for key, value in page_keys.items():
            page[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    with open(path, "wb") as f:
        writer.write(f)
    return path


def flate_bomb_pdf(path: Path) -> Path:
    """A page whose content stream inflates to 100 MB (pypdf stops at 75 MB)."""
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data(b" ")
    ref = writer._add_object(stream)
    page[NameObject("/Contents")] = ref
    with open(path, "wb") as f:
        writer.write(f)
    data = path.read_bytes()
    bomb = zlib.compress(b" " * (100 * 1024 * 1024), 9)
    # swap the one-byte stream for the bomb, declaring its real length and filter
    marker = b"stream\n \nendstream"
    head, _, tail = data.partition(marker)
    head = head.replace(b"/Length 1", b"/Filter /FlateDecode /Length %d" % len(bomb), 1)
    path.write_bytes(head + b"stream\n" + bomb + b"\nendstream" + tail)
    return path


def pdf_cases(folder: Path) -> list[Case]:
    from pypdf.generic import ArrayObject, FloatObject, NumberObject

    zero = ArrayObject([FloatObject(0)] * 4)
    return [
        ("mediabox", _blank_pdf(folder / "mediabox.pdf", MediaBox=zero), "1ページ目の用紙サイズ（MediaBox）が正しくありません"),
        ("pages", _blank_pdf(folder / "pages.pdf", pages=1000), "PDFのページが多すぎます（1,000 ページ、300 ページまで）"),
        ("flate-bomb", flate_bomb_pdf(folder / "flate-bomb.pdf"), "展開すると大きすぎる内容があります"),
        ("not-pdf", _write(folder, "not-pdf.pdf", "hello"), "PDFファイルではありません"),
        ("bad-boxes-ok", _blank_pdf(folder / "bad-boxes-ok.pdf", CropBox=zero, Rotate=NumberObject(45)), ""),
    ]
