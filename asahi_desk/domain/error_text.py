"""Japanese for the English that Python's own errors carry (JSON syntax, file system), so no message
the product prints leaks English: the clerk reads what is wrong and where (line and column)."""

from __future__ import annotations

import errno
import json
import os
import re

# json.JSONDecodeError.msg as CPython writes it (Lib/json/decoder.py and Modules/_json.c), most specific first
_JSON_MESSAGES = (
    (re.compile(r"Expecting value"), "値がありません（値の書き忘れ、または余分な , があります）"),
    (re.compile(r"Expecting property name enclosed in double quotes"),
     "項目名が必要です（項目名は \" で囲みます。最後の項目のあとの , は不要です）"),
    (re.compile(r"Expecting ':' delimiter"), "項目名のあとに : が必要です"),
    (re.compile(r"Expecting ',' delimiter"), "区切りの , が必要です（, の書き忘れ、または閉じ括弧の不足）"),
    (re.compile(r"Unterminated string starting at"), "文字列が閉じられていません（\" の不足）"),
    (re.compile(r"Invalid control character (.*?) ?at"),
     "文字列の中に改行やタブなどの制御文字があります（改行は \\n と書きます）"),
    (re.compile(r"Invalid \\uXXXX escape"), "\\u のあとは16進4桁で書きます"),
    (re.compile(r"Invalid \\escape(?::\s*(.*))?"), "使えないエスケープ（\\ のあとの文字）があります"),
    (re.compile(r"Extra data"), "JSON の終わりのあとに余分な内容があります"),
    (re.compile(r"Illegal trailing comma before end of (object|array)"), "閉じ括弧の前に余分な , があります"),
)

_OS_MESSAGES = {
    errno.ENOENT: "ファイルまたはフォルダがありません",
    errno.EACCES: "アクセスする権限がありません",
    errno.EPERM: "操作が許可されていません",
    errno.EISDIR: "ファイルではなくフォルダです",
    errno.ENOTDIR: "パスの途中がフォルダではありません",
    errno.ENOSPC: "ディスクの空きがありません",
    errno.EROFS: "読み取り専用の場所です",
    errno.EEXIST: "既にあります",
    errno.EBUSY: "ほかのプログラムが使用中です",
    errno.ENAMETOOLONG: "ファイル名が長すぎます",
    errno.EINVAL: "ファイル名が正しくありません",
}


def file_problem(e: OSError) -> str | None:
    """「ファイル名が長すぎます: PATH」 for an OSError about a named file (a path someone typed or chose: too
    long, missing, not writable …); None when it names no file."""
    if e.filename is None:
        return None
    return f"{os_error(e)}: {os.fsdecode(e.filename)}"


def json_syntax(e: json.JSONDecodeError) -> str:
    """'N行 M列: …' in Japanese for a JSON syntax error."""
    text = next((ja for pattern, ja in _JSON_MESSAGES if pattern.match(e.msg)), "JSON として読めない書き方です")
    return f"{e.lineno}行 {e.colno}列: {text}"


def os_error(e: OSError) -> str:
    """What went wrong with a file, in Japanese (Windows' winerror 32 is a file held open by Excel)."""
    if getattr(e, "winerror", None) == 32:
        return "ほかのプログラム（Excel など）が開いています"
    return _OS_MESSAGES.get(e.errno or 0, f"入出力エラーです（エラー番号 {e.errno}）" if e.errno else "入出力エラーです")
