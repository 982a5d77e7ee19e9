"""Reading an interchange JSON file within bounds: size, nesting depth, number size, duplicate keys,
lone surrogates. Each refusal is an InputError naming the file and the place (line and column, or the
path of the value), so hostile files end like any other bad input: one Japanese line, exit code 2.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from asahi_desk.domain.error_text import json_syntax, os_error
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.text import shown

MAX_JSON_BYTES = 32 * 1024 * 1024  # the demo budget is 72 KB; a ward's year with photos a few MB
MAX_DEPTH = 64  # the budget format nests 8 deep
MAX_DIGITS = 15  # 999,999,999,999 (the largest amount in 千円) has 12; no field needs more
_CHUNK = 1024 * 1024
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]', re.S)
_SURROGATE = re.compile("[\ud800-\udfff]")


class HugeNumber:
    """An integer literal with more digits than any field takes (kept as text, never converted)."""

    def __init__(self, text: str) -> None:
        self.digits = len(text.lstrip("-"))


class _Duplicate(Exception):
    pass


def read_json(path: Path) -> Any:
    raw = _read_limited(path)
    where = str(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"UTF-8 のテキストではありません（{e.start:,} バイト目）", where) from None
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=_integer)
    except _Duplicate:
        raise InputError(_duplicate_message(text), where) from None
    except RecursionError:
        raise InputError(_depth_message(text), where) from None
    except json.JSONDecodeError as e:
        raise InputError(f"JSON の書式が正しくありません（{json_syntax(e)}）", where) from None
    problem = _walk(data) if _suspect(data) else None
    if problem is not None:
        path_text, message = problem
        if message is None:  # too deep: the scanner finds line and column
            raise InputError(_depth_message(text), where)
        raise InputError(message, f"{where}: {path_text}" if path_text else where)
    return data


def _read_limited(path: Path) -> bytes:
    """The file's bytes, read in chunks and refused at MAX_JSON_BYTES (a device such as /dev/zero or a
    growing pipe is stopped there, never read whole)."""
    parts: list[bytes] = []
    size = 0
    try:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_JSON_BYTES:
                    raise InputError(f"ファイルが大きすぎます（{MAX_JSON_BYTES // 1024 // 1024} MB まで）。"
                                     "読み込みを中止しました", str(path))
                parts.append(chunk)
    except IsADirectoryError:
        raise InputError("ファイルではなくフォルダです", str(path)) from None
    except OSError as e:
        raise InputError(f"ファイルを読めません（{os_error(e)}）", str(path)) from None
    return b"".join(parts)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Duplicate
    return out


def _integer(text: str) -> int | HugeNumber:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else HugeNumber(text)


def _suspect(data: Any) -> bool:
    """Whether _walk could find anything: the same walk without building the path of every value (most
    of its time on a clean 1,000-program year); _walk then locates what this found."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    pop, push, search = stack.pop, stack.append, _SURROGATE.search
    while stack:
        value, depth = pop()
        kind = type(value)
        if kind is dict:
            if depth > MAX_DEPTH:
                return True
            for key, child in value.items():
                if search(key):
                    return True
                push((child, depth + 1))
        elif kind is list:
            if depth > MAX_DEPTH:
                return True
            for child in value:
                push((child, depth + 1))
        elif kind is str:
            if search(value):
                return True
        elif kind not in (int, float, bool, type(None)):
            return True  # a HugeNumber, or anything else: let _walk say what it is
    return False


def _walk(data: Any) -> tuple[str, str | None] | None:
    """(path, message) of the first value no field can take; message None means nested too deep."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                return path, None
            items = value.items() if isinstance(value, dict) else enumerate(value)
            children = []
            for key, child in items:
                if isinstance(key, str) and _SURROGATE.search(key):
                    return path, f"項目名に対になっていないサロゲート文字（{shown(key)}）が含まれています"
                children.append((child, f"{path}.{key}" if isinstance(key, str) and path else
                                 (key if isinstance(key, str) else f"{path}[{key}]"), depth + 1))
            stack.extend(reversed(children))
        elif isinstance(value, str):
            m = _SURROGATE.search(value)
            if m:
                return path, f"対になっていないサロゲート文字（{shown(m.group())}）が含まれています"
        elif isinstance(value, HugeNumber):
            return path, f"数が大きすぎます（{value.digits:,}桁、{MAX_DIGITS}桁まで。金額は 999,999,999,999 千円まで）"
    return None


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"{line}行 {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}列"


def _depth_message(text: str) -> str:
    depth = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in "{[":
            depth += 1
            if depth > MAX_DEPTH:
                return f"入れ子が深すぎます（{_line_col(text, m.start())}、{MAX_DEPTH} 段まで）"
        elif tok in "}]":
            depth -= 1
    return f"入れ子が深すぎます（{MAX_DEPTH} 段まで）"


def _duplicate_message(text: str) -> str:
    """Walk the tokens keeping each open object's keys and where they were: the first key seen twice."""
    frames: list[dict[str, int] | None] = []  # None for an array
    expect_key = False
    pending: tuple[str, int] | None = None
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok == "{":
            frames.append({})
            expect_key = True
        elif tok == "[":
            frames.append(None)
            expect_key = False
        elif tok in "}]":
            if frames:
                frames.pop()
            expect_key = False
        elif tok == ",":
            expect_key = bool(frames) and frames[-1] is not None
        elif tok == ":":
            if pending is not None and frames and frames[-1] is not None:
                key, pos = pending
                if key in frames[-1]:
                    return (f"項目「{shown(key)}」が2回あります（{_line_col(text, frames[-1][key])} と "
                            f"{_line_col(text, pos)}）。どちらを使うか決められないため読み込みません")
                frames[-1][key] = pos
            pending = None
            expect_key = False
        elif expect_key:
            try:
                pending = (json.loads(tok), m.start())
            except ValueError:
                pending = None
    return "同じ項目名が2回あります。どちらを使うか決められないため読み込みません"
