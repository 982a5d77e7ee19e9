"""The detail sheets of the app's Excel export: names and columns, shared by the writer and the reader.

reports/excel_export.py writes them and importers/excel/details.py reads them back (those two packages may
not import each other), so the file format is defined here once.
"""

from __future__ import annotations

FORMAT = "asahi-desk excel 1"  # the 年度情報 sheet's B1: a workbook whose detail sheets can be restored
LIST_SHEET = "事業別一覧表"  # the printed list, read back to check it against the detail sheets
INFO_SHEET = "年度情報"
PROGRAMS_SHEET = "事業"
ITEMS_SHEET = "細事業"
INDICATORS_SHEET = "指標"
RELATED_SHEET = "関連事業"
PROGRAM_COLUMNS = ("通し番号", "施策コード", "施策名", "予算区分", "事業コード", "番号", "事業名", "課名", "目的",
                   "予算額", "前年度額", "増▲減", "備考", "uid")
ITEM_COLUMNS = ("通し番号", "事業名", "番号", "細事業名", "金額", "区分", "活動内容", "前年度額", "課名", "uid")
INDICATOR_COLUMNS = ("通し番号", "事業名", "指標", "目標", "単位", "実績")
OPTIONAL_COLUMNS = frozenset({"実績"})  # added after the first release: a workbook exported before still reads
RELATED_COLUMNS = ("通し番号", "事業名", "関連事業名", "所管局", "金額")
# the detail sheets in the order the export adds them (after the 事業別一覧表), with their columns
DETAIL_COLUMNS = {PROGRAMS_SHEET: PROGRAM_COLUMNS, ITEMS_SHEET: ITEM_COLUMNS, INDICATORS_SHEET: INDICATOR_COLUMNS,
                  RELATED_SHEET: RELATED_COLUMNS}
