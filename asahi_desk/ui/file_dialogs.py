"""File dialogs in Japanese everywhere: Qt's own (non-native) dialog with every label, the type and date columns
(2026/11/27 15:03) and the sizes in Japanese, opening in the last folder used, else the clerk's Documents folder.

The platform's native dialog would follow the OS language, but on a machine whose system locale is not Japanese
(and offscreen) Qt's dialog kept "Look in:", "Files of type:", "Folder" and dates as "27 11 2026".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QHeaderView, QTreeView, QWidget

LAST_FOLDER_KEY = "files/lastFolder"
DATE_FORMAT = "yyyy/MM/dd HH:mm"
COL_SIZE, COL_TYPE, COL_DATE = 1, 2, 3  # QFileSystemModel's columns after the name


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def start_folder() -> Path:
    """The folder the clerk last chose a file in, while it exists; else Documents (else the home folder)."""
    last = QSettings().value(LAST_FOLDER_KEY, "", type=str)
    if last and Path(last).is_dir():
        return Path(last)
    docs = documents_folder()
    return docs if docs.is_dir() else Path.home()


def remember_folder(path: str | Path, *, is_folder: bool = False) -> None:
    folder = Path(path) if is_folder else Path(path).parent
    QSettings().setValue(LAST_FOLDER_KEY, str(folder))


def japanese_size(size: int) -> str:
    return f"{size:,} バイト" if size < 1024 else f"{(size + 1023) // 1024:,} KB"


class JapaneseFileColumns(QIdentityProxyModel):
    """The dialog's file list with the size, type and date columns written the Japanese way."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.column() in (COL_SIZE, COL_TYPE, COL_DATE):
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                info = source.fileInfo(self.mapToSource(index).siblingAtColumn(0))
                if index.column() == COL_DATE:
                    return info.lastModified().toString(DATE_FORMAT)
                if index.column() == COL_TYPE:
                    if info.isDir():
                        return "フォルダ"
                    return f"{info.suffix().upper()} ファイル" if info.suffix() else "ファイル"
                return "" if info.isDir() else japanese_size(info.size())
        return super().data(index, role)


def make_dialog(parent: QWidget | None, title: str, *, mode: str, filters: str = "", suggested: str = "",
                default_suffix: str = "") -> QFileDialog:
    """mode: "open" (an existing file), "save" (a file name, existing or not) or "folder"."""
    folder = start_folder()
    if suggested and Path(suggested).is_absolute() and Path(suggested).parent.is_dir():
        folder = Path(suggested).parent  # a path the clerk typed into the form: its folder is the choice
    dialog = QFileDialog(parent, title, str(folder), filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setProxyModel(JapaneseFileColumns(dialog))
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, "場所:")
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, "ファイルの種類:")
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "キャンセル")
    if mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setLabelText(QFileDialog.DialogLabel.FileName, "フォルダ名:")
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "選択")
    elif mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setLabelText(QFileDialog.DialogLabel.FileName, "ファイル名:")
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "保存")
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setLabelText(QFileDialog.DialogLabel.FileName, "ファイル名:")
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "開く")
    if default_suffix:
        dialog.setDefaultSuffix(default_suffix)
    docs = documents_folder()
    places = [QUrl.fromLocalFile(str(p)) for p in dict.fromkeys((Path.home(), docs, folder)) if p.is_dir()]
    dialog.setSidebarUrls([QUrl("file:"), *places])  # コンピュータ, home, Documents, the folder it opens in
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:  # the whole date and type, the name taking the rest
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (COL_SIZE, COL_TYPE, COL_DATE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    if suggested:
        dialog.selectFile(Path(suggested).name)
    return dialog


def _ask(dialog: QFileDialog, *, is_folder: bool = False) -> str:
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    path = dialog.selectedFiles()[0]
    remember_folder(path, is_folder=is_folder)
    return path


def ask_open_file(parent: QWidget | None, title: str, filters: str) -> str:
    """The chosen existing file, or "" when cancelled."""
    return _ask(make_dialog(parent, title, mode="open", filters=filters))


def ask_save_file(parent: QWidget | None, title: str, suggested: str, filters: str, default_suffix: str = "") -> str:
    """A file name to write (suggested: a name, or a path whose folder is used), or "" when cancelled."""
    return _ask(make_dialog(parent, title, mode="save", filters=filters, suggested=suggested,
                            default_suffix=default_suffix))


def ask_folder(parent: QWidget | None, title: str) -> str:
    return _ask(make_dialog(parent, title, mode="folder"), is_folder=True)
