"""Attached PDFs made safe before they are stored or merged: no actions, scripts, embedded files or forms.

Only the pages are copied into a fresh document (so the source catalog's /OpenAction, /Names with its
/JavaScript and /EmbeddedFiles, /AcroForm with its XFA and /AA never come along); then every copied
object loses /AA, /OpenAction, /JS and any action that runs or fetches something, annotations that carry
files, media or scripts are dropped, and orphaned objects are not written. Page boxes are checked: a
MediaBox that is not a sane rectangle refuses the file, a bad CropBox is dropped (the page shows its
MediaBox), a Rotate that is not a multiple of 90 becomes 0. Limits: MAX_BYTES and MAX_PAGES.
"""

from __future__ import annotations

import io
import math
from typing import Any

from asahi_desk.domain.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 300
MAX_SIDE = 14_400  # points: the largest page PDF allows (200 inches)
_UNSAFE_KEYS = ("/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/XFA", "/Next")
_UNSAFE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Rendition", "/GoToE",
                   "/GoToR", "/Sound", "/Movie", "/RichMediaExecute"}
_UNSAFE_ANNOTS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}


def sanitize(data: bytes, where: str) -> tuple[bytes, int]:
    """(safe PDF bytes, page count), or InputError naming the file and the page."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    if len(data) > MAX_BYTES:
        raise InputError(f"PDFが大きすぎます（{MAX_BYTES // 1024 // 1024} MB まで）", where)
    if data.lstrip()[:5] != b"%PDF-":
        raise InputError("PDFファイルではありません", where)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError("パスワード付きのPDFは添付できません", where)
        pages = len(reader.pages)
        if pages == 0:
            raise InputError("PDFにページがありません", where)
        if pages > MAX_PAGES:
            raise InputError(f"PDFのページが多すぎます（{pages:,} ページ、{MAX_PAGES} ページまで）", where)
        writer = PdfWriter()
        for number, page in enumerate(reader.pages, start=1):
            _check_boxes(page, number, where)
            for content in _contents(page):
                content.get_data()  # decoded once here, within pypdf's output limits: a flate bomb stops now
            writer.add_page(page)
        for ref in list(writer._objects):  # noqa: SLF001 - every object the pages brought along
            if ref is not None:
                _clean(ref)
        for page in writer.pages:
            annots = page.get("/Annots")
            if annots is not None:
                kept = [a for a in annots.get_object() if a.get_object().get("/Subtype") not in _UNSAFE_ANNOTS]
                if kept:
                    from pypdf.generic import ArrayObject, NameObject

                    page[NameObject("/Annots")] = ArrayObject(kept)
                else:
                    del page["/Annots"]
        _drop_orphans(writer)
        out = io.BytesIO()
        writer.write(out)
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError,
            RecursionError, MemoryError, ZeroDivisionError, OverflowError) as e:
        raise InputError(f"PDFを読めません（{_reason(e)}）", where) from None
    return out.getvalue(), pages


def _drop_orphans(writer: Any) -> None:
    """Objects no page refers to any more (the removed actions and files) are not written."""
    try:
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    except TypeError:  # pypdf before 6 names the flags differently
        writer.compress_identical_objects(remove_identicals=False, remove_orphans=True)


def _reason(error: BaseException) -> str:
    if type(error).__name__ == "LimitReachedError":
        return "展開すると大きすぎる内容があります"
    return type(error).__name__


def _contents(page: Any) -> list[Any]:
    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    items = contents if isinstance(contents, list) else [contents]
    return [c.get_object() for c in items if hasattr(c.get_object(), "get_data")]


def _clean(obj: Any) -> None:
    from pypdf.generic import DictionaryObject

    obj = obj.get_object() if hasattr(obj, "get_object") else obj
    if not isinstance(obj, DictionaryObject):
        return
    for key in _UNSAFE_KEYS:
        if key in obj:
            del obj[key]
    action = obj.get("/A")
    if action is not None:
        action = action.get_object()
        if isinstance(action, DictionaryObject) and action.get("/S") in _UNSAFE_ACTIONS:
            del obj["/A"]
    if obj.get("/S") in _UNSAFE_ACTIONS:  # an action object itself (reached some other way): emptied
        for key in list(obj.keys()):
            del obj[key]


def _check_boxes(page: Any, number: int, where: str) -> None:
    from pypdf.generic import NameObject, NumberObject

    media = _rectangle(page.get("/MediaBox"))
    if media is None:
        raise InputError(f"{number}ページ目の用紙サイズ（MediaBox）が正しくありません", where)
    crop = page.get("/CropBox")
    if crop is not None:
        box = _rectangle(crop)
        inside = box is not None and box[0] >= media[0] - 1 and box[1] >= media[1] - 1 \
            and box[2] <= media[2] + 1 and box[3] <= media[3] + 1
        if not inside:
            del page["/CropBox"]  # the page shows its MediaBox instead
    rotate = page.get("/Rotate")
    if rotate is not None:
        value = rotate.get_object()
        ok = isinstance(value, int) and value % 90 == 0
        page[NameObject("/Rotate")] = NumberObject(value % 360 if ok else 0)


def _rectangle(value: Any) -> tuple[float, float, float, float] | None:
    """(left, bottom, right, top) of a sane box, or None."""
    if value is None:
        return None
    try:
        items = [float(v.get_object()) for v in value.get_object()]
    except (TypeError, ValueError, AttributeError):
        return None
    if len(items) != 4 or not all(math.isfinite(v) and abs(v) < 10 * MAX_SIDE for v in items):
        return None
    left, right = sorted(items[0::2])
    bottom, top = sorted(items[1::2])
    if not (1 <= right - left <= MAX_SIDE and 1 <= top - bottom <= MAX_SIDE):
        return None
    return left, bottom, right, top
