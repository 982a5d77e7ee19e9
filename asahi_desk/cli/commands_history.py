"""history: the 変更履歴 of a database, one change a line (or CSV), newest first."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

from asahi_desk.cli.common import EXIT_OK, open_services, say
from asahi_desk.domain.errors import InputError, NotFoundError
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.domain.operations import SOURCE_LABELS, HistoryEntry, value_text

CSV_HEADER = ("日時", "担当者", "年度", "種別", "事業", "細事業", "項目", "変更前", "変更後", "操作")


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("history", help="変更履歴を新しい順に表示する（1行に1件の変更）")
    p.add_argument("--db", required=True, metavar="PATH", help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--fiscal-year", type=year, help="この年度の変更だけ（西暦）")
    p.add_argument("--since", type=_date, help="この日（YYYY-MM-DD）以降の変更だけ")
    p.add_argument("--csv", action="store_true", help="CSV（UTF-8、見出し行つき）で出力する")
    p.set_defaults(func=cmd_history)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください（{text}）") from None


def _fields(e: HistoryEntry) -> tuple[str, ...]:
    old = "" if not e.field and e.old is None else value_text(e.table, e.field, e.old)
    new = "" if not e.field and e.new is None else value_text(e.table, e.field, e.new)
    return (e.at.strftime("%Y-%m-%d %H:%M:%S"), e.clerk, str(e.fiscal_year or ""),
            SOURCE_LABELS.get(e.source, e.source), e.program_name or "", e.row_name,
            e.field_label if e.field else ("追加" if e.old is None else "削除") + f"（{e.field_label}）",
            old, new, e.label)


def line(e: HistoryEntry) -> str:
    """「2026-11-27 09:41:05 山田 災害に強い区づくり事業 / 防災講演会 金額: 451 → 500（編集）」"""
    at, clerk, _year, source, program, item, what, old, new, _label = _fields(e)
    row = " / ".join(x for x in (program, item) if x) or e.field_label
    if not e.field:
        return f"{at} {clerk} {row} {what}: {old or new}（{source}）"
    return f"{at} {clerk} {row} {what}: {old} → {new}（{source}）"


def cmd_history(args: argparse.Namespace) -> int:
    if "://" not in args.db and not Path(args.db).exists():
        raise InputError("データベースがありません", args.db)
    with open_services(args.db, read_only=True) as services:
        entries = services.history.entries(fiscal_year=args.fiscal_year, since=args.since)
        years = services.budgets.fiscal_years()
    if args.fiscal_year is not None and args.fiscal_year not in years and not entries:
        # the same refusal as every command naming a year (a deleted year's history is still shown)
        registered = "、".join(str(y) for y in years) or "なし"
        raise NotFoundError(f"{fiscal_year_both(args.fiscal_year)}のデータがありません（登録済み: {registered}）")
    if not entries:
        say("変更履歴はありません")  # on stderr, as every command's remarks: stdout stays the data
    if args.csv:
        sys.stdout.write("\ufeff")  # UTF-8 with BOM like compare's .csv: Excel on Japanese Windows needs it
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(_fields(e) for e in entries)
    else:
        for e in entries:
            print(line(e))
    return EXIT_OK
