"""Database failures a user can cause (locked, read-only, full, a concurrent write) as Japanese refusals."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from asahi_desk.domain.errors import AsahiError, ConflictError, InputError
from asahi_desk.store import engine as engine_module
from asahi_desk.store.engine import sqlite_path

LOCKED = ("データベースが他の処理で使用中です（{seconds:g}秒待ちましたが空きませんでした）。"
          "ほかの画面やコマンドの書き込みが終わってからやり直してください")
READ_ONLY = "データベースが読み取り専用のため書き込めません（ファイルかフォルダの書き込み権限を確かめてください）"
FULL = "ディスクの空きが足りないため書き込めませんでした（何も書き込んでいません）"
CONCURRENT = "同時に別の処理が同じデータを書き込みました。何も書き込んでいません。やり直してください"


class WriteConflict(ConflictError):
    """Another connection committed rows that collide with this transaction's (a unique key)."""


def place(engine: Engine | None) -> str | None:
    if engine is None:
        return None
    path = sqlite_path(str(engine.url))
    return str(path) if path is not None else engine.url.render_as_string(hide_password=True)


def translate(error: DBAPIError, engine: Engine | None = None) -> AsahiError | None:
    """The refusal for a failure the user's situation caused, or None (a bug: let it through)."""
    text = str(error.orig).lower() if error.orig is not None else str(error).lower()
    if isinstance(error, IntegrityError):
        # a unique key another transaction took first; other integrity failures are bugs
        unique = "unique constraint failed" in text or "duplicate key value" in text
        return WriteConflict(CONCURRENT) if unique else None
    where = place(engine)
    if "database is locked" in text or "database table is locked" in text or "lock timeout" in text:
        return InputError(LOCKED.format(seconds=engine_module.LOCK_WAIT_SECONDS), where)
    if "readonly" in text or "read-only" in text or "read only" in text:
        return InputError(READ_ONLY, where)
    if "disk is full" in text or "no space left" in text or "disk full" in text:
        return InputError(FULL, where)
    return None
