"""compare: 査定状況 / 新旧対照表 read back from the PDF, the Excel and the CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from openpyxl.cell.rich_text import CellRichText

from asahi_desk.app import build_services
from asahi_desk.domain.comparison import char_diff, marked
from asahi_desk.launcher import main


@pytest.fixture
def changed_db(demo_db: Path) -> Path:
    """A version 要求 of the demo, then: one amount and one activity changed, a purpose reworded, one line item
    added, one deleted."""
    s = build_services(demo_db)
    try:
        s.versions.save(2024, "要求")
        programs = s.budgets.get(2024).programs()
        p, other = programs[0], programs[1]
        s.editing.update_line_item(p.line_items[0].id, amount=800,
                                   activities=["区内 19 の連合町内会が主催する防災訓練の開催（６月～12 月）"])
        s.editing.update_program(p.id, purpose=p.purpose.replace("自主防災力の向上", "自主防災力の大幅な向上"))
        s.editing.add_line_item(p.id, "避難所開設訓練", 50)
        s.editing.delete_line_item(next(li for li in other.line_items if li.name == "地域防犯推進事業").id)
        s.versions.save(2024, "課長査定")
    finally:
        s.close()
    return demo_db


def export(capsys: pytest.CaptureFixture[str], db: Path, out: Path, *extra: str) -> None:
    code = main(["compare", "--db", str(db), "--fiscal-year", "2024", "--from", "要求", "--out", str(out), *extra])
    _, err = capsys.readouterr()
    assert code == 0, err


def test_char_diff_marks_only_the_changed_characters() -> None:
    old, new = char_diff("防災力の向上", "防災力の一層の向上")
    assert marked(old) == "防災力の向上" and marked(new) == "防災力の【一層の】向上"


def test_csv_reads_back_amounts_rollups_new_gone_and_marked_texts(changed_db: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "査定.csv"
    export(capsys, changed_db, out)
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    amounts = {(r["区分"], r["名称"]): r for r in rows if r["種別"] == "金額"}
    item = amounts[("細事業", "防災訓練事業")]
    assert (item["旧"], item["新"], item["差額"], item["率"]) == ("725", "800", "75", "10.3")
    assert amounts[("細事業", "避難所開設訓練")]["新廃"] == "新" and amounts[("細事業", "避難所開設訓練")]["旧"] == ""
    gone = amounts[("細事業", "地域防犯推進事業")]
    assert gone["新廃"] == "廃" and gone["新"] == "" and gone["差額"] == "-2666"
    program = amounts[("事業", "Ⅰ-1 災害に強い区づくり事業")]
    assert int(program["差額"]) == 75 + 50
    category = next(r for r in rows if r["区分"] == "施策計" and r["施策"] == "安全・安心")
    assert int(category["差額"]) == 125 - 2666
    total = next(r for r in rows if r["区分"] == "合計")
    assert int(total["新"]) - int(total["旧"]) == int(total["差額"]) == 125 - 2666
    texts = {(r["名称"], r["項目"]): r for r in rows if r["種別"] == "新旧対照"}
    purpose = texts[("災害に強い区づくり事業", "目的")]
    assert "自主防災力の【大幅な】向上" in purpose["新"] and "【" not in purpose["旧"]
    assert "【支援】" in texts[("防災訓練事業", "主な活動")]["旧"]


def test_excel_reads_back_with_rich_text_marks(changed_db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "査定.xlsx"
    export(capsys, changed_db, out, "--to", "課長査定")
    wb = openpyxl.load_workbook(out, rich_text=True)
    ws = wb["査定状況"]
    assert [ws.cell(3, c).value for c in range(1, 7)] == ["区分", "要求", "課長査定", "差額", "率", "新／廃"]
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "防災訓練事業")
    assert row[1:4] == (725, 800, 75) and abs(row[4] - 0.103) < 1e-9
    assert ws.page_setup.paperSize in (9, "9")
    tx = wb["新旧対照表"]
    purpose = next(r for r in tx.iter_rows(min_row=2) if r[2].value == "目的")
    new = purpose[4].value
    assert isinstance(new, CellRichText)
    changed = [b.text for b in new if hasattr(b, "font") and b.font.u == "single"]
    assert changed == ["大幅な"]


def test_pdf_reads_back_with_the_figures_and_both_texts(changed_db: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "査定.pdf"
    export(capsys, changed_db, out)
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        fonts = {c["fontname"] for page in pdf.pages for c in page.chars}
        last = pdf.pages[-1]
        # the 新 column (right half): the new purpose reads whole, its added characters underlined in blue
        left = 48 + (last.width - 96) * 0.63 + 6  # past the margin, the first three columns and a hanging 、
        new_column = (last.crop((left, 0, last.width, last.height)).extract_text(y_tolerance=5) or "").replace("\n", "")
        underlines = [ln for ln in last.lines + last.rects if ln.get("stroking_color") or ln.get("non_stroking_color")]
    assert "査定状況（要求 → 現在）" in text and "新旧対照表" in text
    assert "防災訓練事業 725 800 75 10.3%" in text
    assert "地域防犯推進事業 2,666 ▲2,666 ▲100.0% 廃" in text
    assert "避難所開設訓練 50 50 ― 新" in text
    assert "自主防災力の大幅な向上" in new_column
    assert underlines  # the marks are drawn, not only described
    assert fonts and all("IPAex" in f for f in fonts)  # embedded Japanese fonts only


def test_unknown_version_or_suffix_exits_2(changed_db: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--db", str(changed_db), "--fiscal-year", "2024", "--from", "無い",
                 "--out", str(tmp_path / "x.csv")]) == 2
    assert main(["compare", "--db", str(changed_db), "--fiscal-year", "2024", "--from", "要求",
                 "--out", str(tmp_path / "x.txt")]) == 2
    err = capsys.readouterr().err
    assert "版「無い」はありません" in err and ".pdf" in err
    assert not (tmp_path / "x.csv").exists()
