"""argparse in Japanese: help headings, the help option, and argparse's own usage errors as one line."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from asahi_desk.cli.common import EXIT_BAD_INPUT

# the placeholder after an option in --help when the option names none itself (argparse would print its
# dest in capitals); ASCII as in the issue's own command lines (--db PATH), since argparse aligns the help
# column by characters, not by display width
PLACEHOLDERS = {"db": "PATH", "file": "FILE", "out": "FILE", "title": "T", "venue": "V", "sheet": "NAME",
                "meeting": "ID", "split_dir": "DIR"}


class JapaneseHelpFormatter(argparse.HelpFormatter):
    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        # 使い方 on a line of its own: argparse indents continuation lines by the prefix's characters,
        # and a full-width prefix would be twice as wide as it counts
        if prefix is not None:
            return super()._format_usage(usage, actions, groups, prefix)
        return "使い方:\n" + super()._format_usage(usage, actions, groups, "  ")

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return PLACEHOLDERS.get(action.dest, "VALUE")

    def _get_default_metavar_for_positional(self, action: argparse.Action) -> str:
        return PLACEHOLDERS.get(action.dest, action.dest)


class JapaneseArgumentParser(argparse.ArgumentParser):
    """argparse, but --help reads in Japanese and a usage error is one Japanese line and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", JapaneseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "引数"
        self._optionals.title = "オプション"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="この説明を表示して終了する")

    def error(self, message: str) -> NoReturn:
        print(f"エラー: コマンドの指定が正しくありません（{japanese_usage_error(message)}）。"
              f"{self.prog} --help を参照してください", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


# argparse's own phrases (Lib/argparse.py, Python 3.11-3.13), as the clerk should read them; the rest of
# each message is names and values. Most specific first.
_ARG = r"argument (\S+(?:/\S+)*): "
USAGE_PHRASES = (
    (re.compile(r"the following arguments are required: (.*)"), r"必須の指定がありません: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"知らない指定です: \1"),
    (re.compile(r"one of the arguments (.*) is required"), r"\1 のどれかを指定してください"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"\1 は \2 のどれか決められません。最後まで書いてください"),
    (re.compile(_ARG + r"invalid choice: (.*?) \(choose from (.*)\)"), r"\1: \2 は選べません（選べるのは \3）"),
    (re.compile(_ARG + r"expected one argument"), r"\1 のあとに値が必要です"),
    (re.compile(_ARG + r"expected at most one argument"), r"\1 に指定できる値は1つまでです"),
    (re.compile(_ARG + r"expected at least one argument"), r"\1 のあとに値が1つ以上必要です"),
    (re.compile(_ARG + r"expected (\d+) arguments?"), r"\1 のあとに値が \2 個必要です"),
    (re.compile(_ARG + r"not allowed with argument (.*)"), r"\1 は \2 と一緒には指定できません"),
    (re.compile(_ARG + r"ignored explicit argument (.*)"), r"\1 は値をとりません（\2）"),
    (re.compile(_ARG + r"invalid (\S+) value: (.*)"), r"\1: 値が正しくありません（\3）"),
    (re.compile(_ARG + r"(.*)"), r"\1: \2"),
)


def japanese_usage_error(message: str) -> str:
    for pattern, replacement in USAGE_PHRASES:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message
