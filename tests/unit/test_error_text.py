"""Python's English error texts (JSON syntax, file system) come out in Japanese, with line and column."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path

import pytest

from asahi_desk.domain.error_text import json_syntax, os_error
from asahi_desk.domain.errors import InputError
from asahi_desk.importers.json_format import read_json_file

BAD_JSON = {
    "": "値がありません",
    '{"a": }': "値がありません",
    "{'a': 1}": "項目名が必要です",
    '{"a": 1,}': "項目名が必要です",
    '{"a" 1}': "項目名のあとに : が必要です",
    '{"a": 1 "b": 2}': "区切りの , が必要です",
    '[1 2]': "区切りの , が必要です",
    '{"a": "abc': "文字列が閉じられていません",
    '{"a": "a\tb"}': "制御文字があります",
    '{"a": "\\q"}': "使えないエスケープ",
    '{"a": "\\u12"}': "16進4桁",
    '{"a": 1} x': "余分な内容があります",
    '[1,]': "値がありません",
}
ENGLISH = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("text", list(BAD_JSON))
def test_every_json_syntax_error_is_japanese(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    message = json_syntax(caught.value)
    assert BAD_JSON[text] in message
    assert message.startswith(f"{caught.value.lineno}行 {caught.value.colno}列: ")
    assert not ENGLISH.search(message.replace("JSON", "")), message


def test_the_control_character_of_the_issue_names_line_and_column(tmp_path: Path) -> None:
    """issue 13: 「…（238行 47列: Invalid control character at）」 leaked English."""
    lines = ["{"] + [f'"k{i}": 1,' for i in range(236)] + ['"title": "行をまたぐ' + "\n" + '文字列"}']
    path = tmp_path / "bad.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_json_file(path)
    text = str(caught.value)
    assert "JSON の書式が正しくありません（238行 16列: 文字列の中に改行やタブなどの制御文字があります" in text
    assert not ENGLISH.search(text.replace(str(path), "").replace("JSON", "")), text


def test_file_errors_are_japanese(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_json_file(tmp_path / "none.json")
    assert "ファイルを読めません（ファイルまたはフォルダがありません）" in str(caught.value)
    with pytest.raises(InputError) as caught:
        read_json_file(tmp_path)
    assert "フォルダです" in str(caught.value)
    assert os_error(OSError(errno.ENOSPC, "No space left on device")) == "ディスクの空きがありません"
    assert not ENGLISH.search(os_error(OSError(errno.EIO, "Input/output error")))
