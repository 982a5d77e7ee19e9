"""The asahi-desk command line: parse, run one command, map errors to exit codes (2 = bad input)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from pathlib import Path

from asahi_desk import __version__
from asahi_desk.cli.common import EXIT_BAD_INPUT, EXIT_OK
from asahi_desk.cli.japanese_argparse import JapaneseArgumentParser
from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import check_fiscal_year

# Each module has register(subparsers, year_type); issues add theirs here.
COMMAND_MODULES = ("asahi_desk.cli.commands_core", "asahi_desk.cli.commands_excel", "asahi_desk.cli.commands_pdf",
                   "asahi_desk.cli.commands_history", "asahi_desk.cli.commands_meeting",
                   "asahi_desk.cli.commands_review")

log = logging.getLogger(__name__)


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
    created = _database_file_to_create(getattr(args, "db", None))
    code = _run(args)
    # A command that did not succeed leaves no trace: not even the new, empty database it opened
    # (exit 1 of import-excel, rows awaiting a decision, writes nothing either).
    if created is not None and code != EXIT_OK:
        _remove_database_file(created)
    return code


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args))
    except AsahiError as e:
        print(f"エラー: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("中断しました", file=sys.stderr)
        return 130
    except Exception as e:  # a bug, not bad input: say so in one line; details with ASAHI_DESK_DEBUG=1
        if os.environ.get("ASAHI_DESK_DEBUG"):
            raise
        log.debug("unexpected error", exc_info=True)
        print(f"エラー: 予期しない内部エラーです（{type(e).__name__}: {e}）", file=sys.stderr)
        return 3


def _database_file_to_create(db: str | None) -> Path | None:
    """The SQLite file a command is about to create (a plain path that does not exist yet), if any."""
    if not db or "://" in db:
        return None
    path = Path(db)
    return None if path.exists() else path


def _remove_database_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.command is None:
        print("エラー: コマンドを指定してください（画面は asahi-desk で開きます）", file=sys.stderr)
        return EXIT_BAD_INPUT
    return execute(args)
