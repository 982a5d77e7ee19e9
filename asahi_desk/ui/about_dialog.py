"""ヘルプ → バージョン情報: version, data folder, and the licence notices of the bundled fonts and libraries."""

from __future__ import annotations

import platform
from html import escape
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from asahi_desk import __version__
from asahi_desk.paths import fonts_dir

FONT_LICENCE_FILE = "IPA_Font_License_Agreement_v1.0.txt"

# (distribution, what it does here, licence); versions are read from the bundled package metadata
LIBRARIES: tuple[tuple[str, str, str], ...] = (
    ("SQLAlchemy", "データベース", "MIT License"),
    ("alembic", "データベースの更新", "MIT License"),
    ("openpyxl", "Excel の読み書き", "MIT License"),
    ("defusedxml", "安全な XML 読み込み", "Python Software Foundation License"),
    ("reportlab", "PDF 作成", "BSD License"),
    ("pillow", "PDF 内の画像（reportlab が使用）", "MIT-CMU License"),
    ("pypdf", "PDF の結合", "BSD 3-Clause License"),
    ("platformdirs", "データフォルダの場所", "MIT License"),
    ("budoux", "PDF の日本語の改行位置（文節）", "Apache License 2.0"),
)
# listed only when installed (the PostgreSQL driver is an optional extra)
OPTIONAL_LIBRARIES: tuple[tuple[str, str, str], ...] = (
    ("psycopg", "PostgreSQL 接続", "GNU LGPL v3"),
)


def library_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "—"


def font_licence_text() -> str:
    path = fonts_dir() / FONT_LICENCE_FILE
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"（ライセンス文書が見つかりません: {path}）"


def notices_html(data_dir: Path) -> str:
    """The licence notices as HTML (every piece of text escaped)."""
    libraries = LIBRARIES + tuple(row for row in OPTIONAL_LIBRARIES if library_version(row[0]) != "—")
    rows = "".join(
        f"<tr><td>{escape(name)} {escape(library_version(name))}</td><td>{escape(use)}</td>"
        f"<td>{escape(licence)}</td></tr>" for name, use, licence in libraries)
    return (
        "<h3>データフォルダ</h3>"
        f"<p>{escape(str(data_dir))}<br>既定のデータベースとログ（asahi-desk.log）をここに保存します。</p>"
        "<h3>Qt / PySide6</h3>"
        f"<p>Qt {escape(qVersion())}、Qt for Python (PySide6) {escape(pyside_version)} を GNU Lesser General "
        "Public License v3 (LGPLv3) に基づき利用しています。ライブラリは動的リンクで、配布フォルダ内の Qt / "
        "PySide6 のファイルを互換版に差し替えられます。ソースコード: https://code.qt.io/ 、"
        "https://www.qt.io/download-open-source 。ライセンス全文: https://www.gnu.org/licenses/lgpl-3.0.html</p>"
        "<h3>ライブラリ</h3>"
        f"<table cellspacing='0' cellpadding='3' border='1'><tr><th>名前</th><th>用途</th><th>ライセンス</th></tr>"
        f"{rows}</table>"
        f"<p>Python {escape(platform.python_version())}（Python Software Foundation License）</p>"
        "<h3>フォント: IPAexゴシック・IPAex明朝</h3>"
        f"<p style='white-space: pre-wrap'>{escape(font_licence_text())}</p>")


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, db_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("バージョン情報")
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>asahi-desk {escape(__version__)}</h2>"
                       "<p>区づくり推進費の予算編集・会議資料作成</p>", self)
        title.setObjectName("aboutVersion")
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        if db_label:
            db = QLabel(f"データベース: {db_label}", self)
            db.setObjectName("aboutDatabase")
            db.setTextFormat(Qt.TextFormat.PlainText)
            db.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            db.setWordWrap(True)
            layout.addWidget(db)
        self.notices = QTextBrowser(self)
        self.notices.setObjectName("aboutNotices")
        self.notices.setOpenExternalLinks(False)
        self.notices.setHtml(notices_html(data_dir))
        layout.addWidget(self.notices, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("閉じる")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 560)
