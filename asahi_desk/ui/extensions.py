"""Menu contributions of the feature dialogs (PDF export, Excel import/export, about …).

Each module listed here has `install(window) -> None`, called once by the main window after its
menus exist. `window` offers: `window.services` (asahi_desk.app.Services), `window.menu(title)`
(the QMenu titled ファイル / 編集 / 表示 / データ / 出力 / ヘルプ), `window.current_fiscal_year()`
(int | None) and `window.refresh()` (reload views after data changed outside the undo stack).
A module that fails to import is a bug: it is not skipped silently.
"""

from __future__ import annotations

import importlib
from typing import Any

EXTENSION_MODULES: tuple[str, ...] = ("asahi_desk.ui.excel_menu", "asahi_desk.ui.pdf_export",
                                       "asahi_desk.ui.help_menu", "asahi_desk.ui.inquiry_menu",
                                       "asahi_desk.ui.version_menu", "asahi_desk.ui.review.menu")


def install_all(window: Any) -> None:
    for name in EXTENSION_MODULES:
        importlib.import_module(name).install(window)
