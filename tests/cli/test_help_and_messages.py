"""Every option has Japanese help, --help and argparse's own errors read in Japanese, the README lists every flag."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from asahi_desk.cli.main import build_parser
from asahi_desk.launcher import main

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# English that argparse writes unless told otherwise
ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help",
                    "show program's version", "the following arguments", "invalid choice", "unrecognized",
                    "expected one argument", "error:")


def parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                                                            argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:  # noqa: SLF001 - argparse keeps its tree there
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for name, child in action.choices.items():
                yield from parsers(child, (*path, name))


def all_commands() -> list[tuple[str, ...]]:
    return [path for path, _ in parsers(build_parser())]


def test_every_option_of_every_command_has_japanese_help() -> None:
    missing = []
    for path, parser in parsers(build_parser()):
        for action in parser._actions:  # noqa: SLF001
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                continue
            if not action.help or not JAPANESE.search(action.help):
                missing.append(f"{' '.join(path) or 'asahi-desk'} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


@pytest.mark.parametrize("command", all_commands(), ids=lambda p: " ".join(p) or "top")
def test_help_output_is_japanese(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("使い方:\n  asahi-desk") and "オプション:" in out and "この説明を表示して終了する" in out
    for english in ARGPARSE_ENGLISH:
        assert english not in out, english


@pytest.mark.parametrize(("argv", "expected"), [
    (["import-excel"], "必須の指定がありません: file, --db"),
    (["nosuch"], "COMMAND: 'nosuch' は選べません（選べるのは 'init', "),
    (["check", "--db", "x.db", "--bogus", "1"], "知らない指定です: --bogus 1"),
    (["check", "--db"], "--db のあとに値が必要です"),
    (["check", "--db", "x.db", "--fiscal-year", "abc"], "--fiscal-year: 年度は西暦4桁で指定してください（abc）"),
    (["meeting", "list", "--db", "x.db", "--venue", "v"], "知らない指定です: --venue v"),
    (["export-pdf", "--db", "x.db", "--fiscal-year", "2024", "--out", "o.pdf", "--meeting", "one"],
     "--meeting: 値が正しくありません（'one'）"),
    (["meeting"], "必須の指定がありません: ACTION"),
])
def test_argparse_errors_are_one_japanese_line(argv: list[str], expected: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("エラー: コマンドの指定が正しくありません（"), err
    assert expected in err
    for english in ARGPARSE_ENGLISH:
        assert english not in err


def test_readme_lists_every_flag() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for path, parser in parsers(build_parser()):
        for action in parser._actions:  # noqa: SLF001
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and not re.search(re.escape(option) + r"(?![\w-])", readme):
                    missing.append(f"{' '.join(path) or 'asahi-desk'} {option}")
    assert missing == []
