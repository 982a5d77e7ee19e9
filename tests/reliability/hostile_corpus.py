"""The hostile corpus, made in the tests: files that must each end in exit 2 and one Japanese line.

Each case is (name, path, the phrase the refusal must contain). Generators write into a folder
(tmp_path) so nothing large is kept in the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

from asahi_desk.paths import demo_dir

Case = tuple[str, Path, str]


def _budget() -> dict:
    return json.loads((demo_dir() / "asahi-r6-budget.json").read_text(encoding="utf-8"))


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def json_cases(folder: Path) -> list[Case]:
    base = _budget()
    plain = json.dumps(base, ensure_ascii=False, indent=1)
    cases: list[Case] = [
        ("deep", _write(folder, "deep.json", "[" * 100_000 + "]" * 100_000), "入れ子が深すぎます（1行 65列"),
        ("deep70", _write(folder, "deep70.json", '{"format": ' + "[" * 70 + "]" * 70 + "}"), "入れ子が深すぎます"),
        ("surrogate", _write(folder, "surrogate.json", plain.replace('"旭区"', '"\\ud800"', 1)),
         "ward: 対になっていないサロゲート文字（\\ud800）"),
        ("surrogate-key", _write(folder, "surrogate-key.json", '{"\\udfff": 1}'), "サロゲート文字"),
        ("digits", _write(folder, "digits.json", plain.replace('"current": 876702', '"current": ' + "9" * 5000, 1)),
         "数が大きすぎます（5,000桁"),
        ("duplicate", _write(folder, "duplicate.json", plain.replace('"ward": "旭区",', '"ward": "旭区",\n "ward": "中区",', 1)),
         "項目「ward」が2回あります（3行 2列 と 4行 2列）"),
        ("oversize", _write(folder, "oversize.json", plain.replace('"旭区"', '"' + "旭" * 12_000_000 + '"', 1)),
         "ファイルが大きすぎます（32 MB まで）"),
    ]
    for field, value, expect in [("current", 2**63, "数が大きすぎます"), ("number", 2**63, "数が大きすぎます"),
                                 ("current", 10**12, "金額が大きすぎます"),
                                 ("name", "a\x1bb\u202e", "制御文字（\\u001b）"),
                                 ("name", "改\n行", "制御文字（\\n）"),
                                 ("name", "x" * 300_000, "長すぎます（300,000文字、10,000文字まで）")]:
        data = json.loads(plain)
        data["categories"][0]["programs"][0][field] = value
        cases.append((f"{field}-{len(str(value))}", _write(folder, f"{field}-{len(str(value))}.json",
                                                         json.dumps(data, ensure_ascii=False)), expect))
    data = json.loads(plain)
    data["ward"] = "旭" * 101
    cases.append(("ward-length", _write(folder, "ward-length.json", json.dumps(data, ensure_ascii=False)),
                  "長すぎます（101文字、100文字まで）"))
    data = json.loads(plain)
    data["categories"][0]["programs"][0]["purpose"] = "一行目\n二行目\tタブ"
    _write(folder, "multiline-ok.json", json.dumps(data, ensure_ascii=False))  # accepted: see the test
    return cases
