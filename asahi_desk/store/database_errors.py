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
NOT_A_DATABASE = "SQLite のデータベースファイルではありません（Excel のブックは取込で読み込みます: import-excel、画面では データ → 前年度Excel取込…）"
CONCURRENT = "同時に別の処理が同じデータを書き込みました。何も書き込んでいません。やり直してください"


# A database server that cannot be reached or refuses us (psycopg's English, lower-cased) → the Japanese line;
# the first entry whose words all occur wins. {server} is host:port, {user} and {database} come from the URL.
CONNECTION = (
    (("timeout expired",), "データベースサーバー {server} から応答がありません（接続がタイムアウトしました）。"
                           "ネットワークとサーバーの状態を確かめてください"),
    (("connection refused",), "データベースサーバー {server} に接続できません（接続を拒否されました）。"
                              "サーバーが起動しているか、ホスト名とポート番号を確かめてください"),
    (("resolve host",), "データベースサーバーのホスト名が見つかりません（{server}）。URL のホスト名を確かめてください"),
    (("could not translate host name",), "データベースサーバーのホスト名が見つかりません（{server}）。"
                                         "URL のホスト名を確かめてください"),
    (("authentication failed",), "データベースサーバー {server} にユーザー「{user}」でログインできません"
                                 "（パスワードが違うか、ユーザーが認められていません）"),
    (("no password supplied",), "データベースサーバー {server} にログインするにはパスワードが必要です（ユーザー「{user}」）"),
    (('database "', "does not exist"), "データベースサーバー {server} にデータベース「{database}」がありません"),
    (('role "', "does not exist"), "データベースサーバー {server} にユーザー「{user}」がありません"),
    (("connection failed",), "データベースサーバー {server} に接続できません"),
)


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
    if "file is not a database" in text:
        return InputError(NOT_A_DATABASE, where)
    connection = _connection_failure(text, engine)
    if connection is not None:
        return InputError(connection, where)
    if "disk is full" in text or "no space left" in text or "disk full" in text:
        return InputError(FULL, where)
    return None


def _connection_failure(text: str, engine: Engine | None) -> str | None:
    if engine is None or engine.dialect.name == "sqlite":
        return None
    url = engine.url
    server = f"{url.host or 'localhost'}:{url.port or 5432}"
    for words, message in CONNECTION:
        if all(w in text for w in words):
            return message.format(server=server, user=url.username or "", database=url.database or "")
    return None
