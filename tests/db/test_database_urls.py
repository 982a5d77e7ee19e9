"""--db URLs a clerk can get wrong: a driver not installed, a server that cannot be reached — one Japanese
line, exit 2, the URL without its password, never an internal error."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from asahi_desk.domain.errors import InputError
from asahi_desk.store.database_errors import translate
from asahi_desk.store.engine import make_engine

PG_URL = os.environ.get("ASAHI_DESK_TEST_PG_URL")
PG = "postgresql+psycopg"


def _check(url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asahi_desk", "check", "--db", url], capture_output=True,
                          text=True, timeout=60)


def _one_japanese_line(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert "内部エラー" not in lines[0] and "failed" not in lines[0] and "Connection" not in lines[0]
    return lines[0]


def test_a_url_whose_driver_is_not_installed_is_refused_naming_the_supported_backends() -> None:
    line = _one_japanese_line(_check("mysql://clerk:secret@dbhost/budget"))
    assert line.startswith("エラー: mysql://clerk:***@dbhost/budget: ")
    assert "secret" not in line
    assert "ドライバ（MySQLdb）がインストールされていません" in line
    assert "SQLite のファイル" in line and "PostgreSQL" in line and ".[postgres]" in line


def test_an_unknown_kind_of_database_names_the_supported_backends() -> None:
    with pytest.raises(InputError) as e:
        make_engine("nosuchdb://clerk:secret@dbhost/budget")
    assert "secret" not in str(e.value)
    assert "この種類のデータベースには対応していません" in str(e.value) and ".[postgres]" in str(e.value)


def test_connection_refused_in_japanese_with_host_and_port() -> None:
    line = _one_japanese_line(_check(f"{PG}://clerk:secret@127.0.0.1:1/budget"))
    assert "secret" not in line
    assert "データベースサーバー 127.0.0.1:1 に接続できません（接続を拒否されました）" in line


def test_unknown_host_in_japanese() -> None:
    line = _one_japanese_line(_check(f"{PG}://clerk@nohost.invalid:5433/budget"))
    assert "ホスト名が見つかりません（nohost.invalid:5433）" in line


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts the connection and never answers (a hung server, a firewall eating replies)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(5)
        yield s.getsockname()[1]


def test_timeout_in_japanese(silent_server: int) -> None:
    line = _one_japanese_line(_check(f"{PG}://clerk@127.0.0.1:{silent_server}/budget?connect_timeout=1"))
    assert f"データベースサーバー 127.0.0.1:{silent_server} から応答がありません（接続がタイムアウトしました）" in line


def test_authentication_failed_in_japanese() -> None:
    # the test server trusts local users, so psycopg's words for a wrong password are given here as it prints them
    engine = make_engine(f"{PG}://clerk:secret@db.example:5432/budget")
    orig = Exception('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  '
                     'password authentication failed for user "clerk"')
    refusal = translate(OperationalError("connect", {}, orig), engine)
    assert refusal is not None
    assert str(refusal) == ("postgresql+psycopg://clerk:***@db.example:5432/budget: データベースサーバー "
                            "db.example:5432 にユーザー「clerk」でログインできません（パスワードが違うか、ユーザーが認められていません）")


@pytest.mark.skipif(not PG_URL, reason="ASAHI_DESK_TEST_PG_URL not set (scripts/test.sh sets it)")
def test_missing_database_and_user_on_a_real_server() -> None:
    assert PG_URL
    url = make_url(PG_URL)
    server = f"{url.host}:{url.port}"
    line = _one_japanese_line(_check(url.set(database="no_such_db").render_as_string(hide_password=False)))
    assert f"データベースサーバー {server} にデータベース「no_such_db」がありません" in line
    line = _one_japanese_line(_check(url.set(username="no_such_clerk").render_as_string(hide_password=False)))
    assert f"データベースサーバー {server} にユーザー「no_such_clerk」がありません" in line


def test_a_file_that_is_not_a_database_in_japanese(tmp_path) -> None:  # noqa: ANN001
    book = tmp_path / "notzip.xlsx"
    book.write_text("not a zip, not a database", encoding="utf-8")
    line = _one_japanese_line(_check(str(book)))
    assert line == f"エラー: {book}: SQLite のデータベースファイルではありません（Excel のブックは取込で読み込みます: import-excel、画面では データ → 前年度Excel取込…）"
