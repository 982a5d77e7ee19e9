"""The ward's 事業別一覧表 as a clerk copies the printed PDF into Excel (after the second audit's
generator): 事業名 merged over A:D, a vertical budget-class label in A, categories merged in B, programs
outside any category whose name is merged left of the 事業名 column (統合事務費, 統合事業費,
区庁舎・区民利用施設管理費), names with the PDF's line break, a 合計 per page and the Ⅵ label in A.

flags: rephead (the header and （単位：千円） repeated before each page), totals (subtotal labels as other
ward sheets write them: （小計）, 自主企画事業費　計, 【合計】), new (「新規」/「皆増」 in the ５年度 column),
lost (統合事業費's name cell left empty).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl


def pdf_list(budget_json: dict, path: Path, *flags: str) -> Path:
    cats = budget_json["categories"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事業別一覧表"

    def chg(cur: int, pri: int) -> object:
        c = cur - pri
        return f"▲ {-c:,}" if c < 0 else c

    ws.cell(1, 1, "令和６年度　旭区個性ある区づくり推進費　事 業 別 一 覧 表")
    ws.merge_cells("A1:H1")

    def header(r: int) -> int:
        ws.cell(r, 8, "（単位：千円）")
        r += 1
        ws.cell(r, 1, "事業名")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        for col, label in ((5, "６年度予算"), (6, "５年度予算"), (7, "増▲減"), (8, "課　　名")):
            ws.cell(r, col, label)
        return r + 1

    def amounts(r: int, cur: int, pri: int) -> None:
        ws.cell(r, 5, cur)
        ws.cell(r, 6, pri)
        ws.cell(r, 7, chg(cur, pri))

    r = header(2)
    start = r
    tc = tp = 0
    for c in cats[0:4]:
        first = r
        for p in c["programs"]:
            name = p["name"]
            if name.startswith("地域のつながりづくり"):
                name = "地域のつながりづくりに向けた民生\n委員の活動支援事業"
            if name.startswith("認知症"):
                name = "認知症をみんなでささえるまちづく\nり事業"
            ws.cell(r, 3, p["number"])
            ws.cell(r, 4, name)
            amounts(r, p["current"], p["prior"])
            if "new" in flags and p["name"] == "ＤＶ対策事業":
                ws.cell(r, 6, "新規")
                ws.cell(r, 7, "皆増")
            if "new" in flags and p["name"] == "旭区広報事業":
                ws.cell(r, 6, "－")
            ws.cell(r, 8, "\n".join(p["sections"]))
            tc += p["current"]
            tp += p["prior"]
            r += 1
        ws.cell(first, 2, f"{c['code']}　{c['name']}")
        if r - 1 > first:
            ws.merge_cells(start_row=first, start_column=2, end_row=r - 1, end_column=2)
        if "totals" in flags and c["code"] == "Ⅰ":
            ws.cell(r, 4, "（小計）")
            amounts(r, tc, tp)
            r += 1
    ws.cell(start, 1, "自主企画事業")
    ws.merge_cells(start_row=start, start_column=1, end_row=r - 1, end_column=1)
    ws.cell(r, 1 if "totals" not in flags else 4, "合　計" if "totals" not in flags else "自主企画事業費　計")
    if "totals" not in flags:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    amounts(r, tc, tp)
    r += 2
    if "rephead" in flags:
        r = header(r)
    v = cats[4]
    start = r
    ws.cell(r, 1, "Ⅴ統合事務事業費")
    for p in v["programs"]:
        if not ("lost" in flags and p["name"] == "統合事業費"):
            ws.cell(r, 2, p["name"])
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        amounts(r, p["current"], p["prior"])
        ws.cell(r, 8, p["sections"][0])
        r += 1
    ws.merge_cells(start_row=start, start_column=1, end_row=r - 1, end_column=1)
    ws.cell(r, 1, "【合計】" if "totals" in flags else "合　計")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    amounts(r, sum(p["current"] for p in v["programs"]), sum(p["prior"] for p in v["programs"]))
    r += 2
    if "rephead" in flags:
        r = header(r)
    p = cats[5]["programs"][0]
    ws.cell(r, 1, p["name"])
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    amounts(r, p["current"], p["prior"])
    ws.cell(r, 8, "\n".join(p["sections"]))
    r += 2
    if "rephead" in flags:
        r = header(r)
    p = cats[6]["programs"][0]
    ws.cell(r, 1, "Ⅵ旭区で企画する主な区配事業")
    ws.cell(r, 4, p["name"])
    amounts(r, p["current"], p["prior"])
    ws.cell(r, 8, "\n".join(p["sections"]))
    r += 2
    ws.cell(r, 1, "※　四捨五入の関係で合計が一致しない場合があります。")
    wb.save(path)
    return path


def yen_items(budget_json: dict, path: Path, *, extra: int = 499) -> Path:
    """A system's line-item table in 円 (one row per 細事業, the program in a column): every item is
    x,xxx,499円, so rounding each line before summing loses up to 0.499千円 per line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "予算執行管理システム　細事業別予算一覧"
    ws["A2"] = "対象年度：令和6年度"
    ws["F2"] = "単位：円"
    ws.append([])
    ws.append(["所管課", "細事業名", "2024年度 当初予算額", "事業コード", "事業名", "備考"])
    for c in budget_json["categories"]:
        for p in c["programs"]:
            for li in p["line_items"] or [{"name": p["name"], "amount": p["current"]}]:
                secs = li.get("sections") or p["sections"]
                ws.append(["、".join(secs), li["name"], li["amount"] * 1000 + extra, p["code"], p["name"], None])
    ws.append([])
    ws.append([None, "合計", sum(ws.cell(r, 3).value or 0 for r in range(5, ws.max_row + 1))])
    wb.save(path)
    return path
