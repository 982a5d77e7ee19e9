"""Register the bundled IPAex fonts with reportlab once; every style and canvas uses them (no Helvetica)."""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from asahi_desk.domain.errors import InputError
from asahi_desk.paths import fonts_dir

MINCHO = "IPAexMincho"
GOTHIC = "IPAexGothic"
_FILES = {MINCHO: "ipaexm.ttf", GOTHIC: "ipaexg.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Idempotent and thread-safe: the GUI exports from a worker thread."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, file in _FILES.items():
            path = fonts_dir() / file
            if not path.is_file():
                raise InputError("PDF用のフォントが見つかりません（インストールを確認してください）", str(path))
            pdfmetrics.registerFont(TTFont(name, str(path)))
            # Bold/italic markup (<b>) maps to the same face instead of a missing Helvetica-Bold.
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(name, bold, italic, GOTHIC if bold else name)
        _registered = True
