"""The review alone and in the handout, read back: PDF text (with and without indicators), Excel cells."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from asahi_desk.launcher import main
from asahi_desk.services.handout import ExportRequest


def _text(pdf: bytes | Path) -> str:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return "".join("".join((p.extract_text() or "").split()) for p in reader.pages)


@pytest.fixture
def linked(services, review_json: dict, budget_json: dict):
    """The demo review as 令和6年度's, its first row linked to Ⅰ-1 whose first indicator has a result."""
    budget = copy.deepcopy(budget_json)
    budget["categories"][0]["programs"][0]["indicators"][0]["actual"] = "80"
    services.budgets.load_data(budget, replace=True)
    review = copy.deepcopy(review_json)
    review["fiscal_year"] = 2024
    review["areas"][0]["initiatives"][0]["rows"][0]["programs"] = ["Ⅰ-1"]
    services.budgets.load_data(review)
    return services


def test_handout_prints_indicators_with_the_option_only(linked, tmp_path: Path) -> None:
    out = tmp_path / "with.pdf"
    linked.handout.export(ExportRequest(2024, out, review_year=2024, review_indicators=True))
    text = _text(out)
    assert "防災訓練・講習会等の実施回数" in text and "84回" in text and "80回" in text and "95.2%" in text
    assert "目標" in text and "実績" in text and "達成率" in text
    plain = tmp_path / "without.pdf"
    linked.handout.export(ExportRequest(2024, plain, review_year=2024))
    text = _text(plain)
    assert "振り返り" in text and "95.2%" not in text and "達成率" not in text and "80回" not in text


def test_export_pdf_command_option(linked, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(linked.url).removeprefix("sqlite:///")
    linked.close()
    out = tmp_path / "h.pdf"
    assert main(["export-pdf", "--db", db, "--fiscal-year", "2024", "--out", str(out), "--review", "2024",
                 "--review-indicators"]) == 0
    assert "95.2%" in _text(out)


def test_export_review_pdf_and_xlsx(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    review_json: dict) -> None:
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    assert main(["export-review", "--db", str(demo_db), "--fiscal-year", "2022", "--out", str(pdf)]) == 0
    text = _text(pdf)
    first = review_json["areas"][0]["initiatives"][0]["rows"][0]
    assert "担当課" in text and "事業内容" in text and "".join(first["results"][0].split()) in text
    assert main(["export-review", "--db", str(demo_db), "--fiscal-year", "2022", "--out", str(xlsx)]) == 0
    ws = load_workbook(xlsx).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(cells) if r[:3] == ["担当課", "事業内容", "振り返り"])
    assert cells[header + 1][0] == review_json["areas"][0]["initiatives"][0]["title"]
    row = cells[header + 2]
    assert row[0] == "\n".join(first["sections"])
    assert row[1] == "\n".join(f"・{p}" for p in first["plan"])
    assert row[2].split("\n") == [f"・{r}" for r in first["results"]]
    rows_written = sum(1 for r in cells if r[1] and str(r[1]).startswith("・") or (r[2] and str(r[2]).startswith("・")))
    total_rows = sum(len(i["rows"]) for a in review_json["areas"] for i in a["initiatives"])
    assert rows_written == total_rows  # one sheet row per 担当課 row
    capsys.readouterr()
    assert main(["export-review", "--db", str(demo_db), "--fiscal-year", "2022", "--out", str(tmp_path / "r.csv")]) == 2
    assert "拡張子は .pdf か .xlsx" in capsys.readouterr().err
    assert main(["export-review", "--db", str(demo_db), "--fiscal-year", "2021", "--out", str(pdf)]) == 2
