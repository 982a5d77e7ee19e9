"""The asahi-desk command line: parse, run one command, map errors to exit codes (2 = bad input)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from pathlib import Path

from asahi_desk import __version__
from asahi_desk.cli import new_database
from asahi_desk.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_BUG,
    EXIT_OK,
    quiet_libraries,
    staging_of,
    write_bug_report,
)
from asahi_desk.cli.japanese_argparse import JapaneseArgumentParser
from asahi_desk.domain.error_text import file_problem
from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import check_fiscal_year
from asahi_desk.domain.text import shown
from asahi_desk.paths import migrations_dir, resources_dir

EXIT_PIPE_CLOSED = 128 + 13  # what a shell reports for a process stopped by SIGPIPE (`… | head -1`)

# Each module has register(subparsers, year_type); issues add theirs here.
COMMAND_MODULES = ("asahi_desk.cli.commands_core", "asahi_desk.cli.commands_excel", "asahi_desk.cli.commands_pdf",
                   "asahi_desk.cli.commands_meeting",
                   "asahi_desk.cli.commands_history",
                   "asahi_desk.cli.commands_inquiry",
                   "asahi_desk.cli.commands_versions",
                   "asahi_desk.cli.commands_compare",
                   "asahi_desk.cli.commands_review")


def fiscal_year_arg(text: str) -> int:
    try:
        return check_fiscal_year(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度は西暦4桁で指定してください（{text}）") from None


def build_parser() -> argparse.ArgumentParser:
    parser = JapaneseArgumentParser(
        prog="asahi-desk",
        description="区づくり推進費の予算編集・会議資料作成。サブコマンドなしで画面を開きます。")
    parser.add_argument("--version", action="version", version=f"asahi-desk {__version__}",
                        help="バージョンを表示して終了する")
    parser.add_argument("--db", help="開くデータベース（ファイルパスまたは SQLAlchemy URL）")
    parser.add_argument("--demo", action="store_true", help="デモデータベースの一時コピーで画面を開く")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=JapaneseArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, fiscal_year_arg)
    return parser


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def execute(args: argparse.Namespace) -> int:
    """Run a parsed command; every expected failure becomes one Japanese line and exit code 2."""
    quiet_libraries()
    target = new_database.target(getattr(args, "db", None))
    if target is None:
        return _run(args)
    # A new database is built under a temporary name beside the target and renamed into place only when
    # the command succeeded: a failing command leaves nothing, and never removes a file someone else made.
    with new_database.staged(target) as staging:
        out, err = io.StringIO(), io.StringIO()
        with staging_of(args.db, staging.path), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = _run(args)
        if code == EXIT_OK:
            try:
                staging.promote()
            except AsahiError as e:
                return _refuse(e)
        try:
            sys.stdout.write(out.getvalue())
            sys.stdout.flush()
        except BrokenPipeError:
            return _stdout_closed()
        sys.stderr.write(err.getvalue())
        return code


def _run(args: argparse.Namespace) -> int:
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except AsahiError as e:
        return _refuse(e)
    except BrokenPipeError:
        return _stdout_closed()
    except KeyboardInterrupt:
        print("中断しました", file=sys.stderr)
        return 130
    except (RecursionError, MemoryError) as e:  # what hostile input can still provoke: input, not a bug
        print(f"エラー: 入力が大きすぎるか深すぎるため処理できません（{type(e).__name__}）", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:
        # a path the clerk gave that the system refuses (a name too long, a missing folder …) is input; a
        # file of the app's own install that cannot be read is a bug
        problem = file_problem(e)
        if problem is None or _own_file(e.filename):
            return _bug(e)
        print(shown(f"エラー: {problem}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as e:  # a bug, not bad input: one line, the details in a log file
        return _bug(e)


def _own_file(name: object) -> bool:
    """Whether the file is part of the app itself (its code or its resources)."""
    try:
        path = Path(os.fsdecode(name)).resolve()  # type: ignore[arg-type]
        return any(path.is_relative_to(folder)
                   for folder in (Path(__file__).resolve().parents[1], resources_dir(), migrations_dir()))
    except (OSError, TypeError, ValueError):
        return False


def _bug(e: BaseException) -> int:
    if os.environ.get("ASAHI_DESK_DEBUG"):
        raise e
    log_file = write_bug_report(e)
    where = f"詳細: {log_file}" if log_file else "詳細を記録できませんでした"
    print(shown(f"エラー: 予期しない内部エラーです（{type(e).__name__}: {e}）。{where}"), file=sys.stderr)
    return EXIT_BUG


def _stdout_closed() -> int:
    """The reader closed stdout (`asahi-desk check … | head -1`): normal use, so no message and no log.
    What is still buffered goes to devnull (the SIGPIPE note in Python's signal docs), else the flush at
    exit raises again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_PIPE_CLOSED


def _refuse(error: AsahiError) -> int:
    print(shown(f"エラー: {error}"), file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.command is None:
        print("エラー: コマンドを指定してください（画面は asahi-desk で開きます）", file=sys.stderr)
        return EXIT_BAD_INPUT
    return execute(args)
