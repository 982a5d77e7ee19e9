"""The 担当者名 the history and the refusals name: kept in the settings; the OS login when none is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QWidget

from asahi_desk.services.edit_fields import os_login

if TYPE_CHECKING:
    from asahi_desk.app import Services

CLERK_SETTING = "clerk/name"


def set_clerk_name(name: str) -> None:
    QSettings().setValue(CLERK_SETTING, name)


def apply_clerk_name(services: Services) -> None:
    """The 担当者名 from the settings, else the OS login, is who the operations of these services name."""
    name = str(QSettings().value(CLERK_SETTING, "") or "").strip()
    services.clerk = name or os_login()


def ask_clerk_name(parent: QWidget, services: Services) -> bool:
    """Ask for the 担当者名 (empty: the OS login); True when the clerk confirmed one."""
    name, ok = QInputDialog.getText(parent, "担当者名", "変更履歴に記録する担当者名（空欄のときはログイン名）:",
                                    text=str(QSettings().value(CLERK_SETTING, "") or ""))
    if ok:
        set_clerk_name(name.strip())
        apply_clerk_name(services)
    return ok
