"""init, load-json, dump-json, check, new-year."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from asahi_desk.app import database_url
from asahi_desk.cli.common import EXIT_FINDINGS, EXIT_OK, open_services, say
from asahi_desk.domain.checks import ERROR
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.services.output_files import write_atomic


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("init", help="データベースを作成（--demo で旭区 令和6年度のデモデータを投入）")
    p.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--demo", action="store_true", help="デモデータを読み込む")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("load-json", help="交換形式の JSON（予算・振り返り）を読み込む")
    p.add_argument("file", type=Path, help="読む JSON ファイル（予算または振り返りの交換形式: docs/json-format.md）")
    p.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--replace", action="store_true", help="同じ年度のデータを置き換える")
    p.set_defaults(func=cmd_load_json)

    p = sub.add_parser("dump-json", help="年度の予算（予算がなければ振り返り）を交換形式の JSON で書き出す")
    p.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="書き出す年度（西暦）")
    p.add_argument("--out", type=Path, help="出力ファイル（省略時は標準出力）")
    p.add_argument("--with-ids", action="store_true", help="事業・細事業の識別子（uid）も書き出す")
    p.add_argument("--review", action="store_true", help="その年度の振り返りを書き出す")
    p.set_defaults(func=cmd_dump_json)

    p = sub.add_parser("check", help="整合性チェック（エラーがあれば終了コード 1）")
    p.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--fiscal-year", type=year, metavar="YYYY", help="チェックする年度（西暦、省略時はすべての年度）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new-year", help="翌年度を作成（今年度の予算額が翌年度の前年度額になる）")
    p.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--from", dest="from_year", type=year, required=True, metavar="YYYY",
                   help="もとにする年度（西暦）。その翌年度を作り、会議は次第ごと複写します（会議名と日付は仮）")
    p.set_defaults(func=cmd_new_year)


def cmd_init(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        if args.demo:
            for loaded in services.budgets.load_demo().value:
                say(loaded.describe())
        say(f"データベースを用意しました: {database_url(args.db)}")
    return EXIT_OK


def cmd_load_json(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        say(services.budgets.load_json_file(args.file, replace=args.replace).value.describe())
    return EXIT_OK


def cmd_dump_json(args: argparse.Namespace) -> int:
    with open_services(args.db, read_only=True) as services:
        budgets = services.budgets
        # A year that holds only a review (the 令和4年度 振り返り) dumps that review.
        review = args.review or (args.fiscal_year not in budgets.fiscal_years()
                                 and args.fiscal_year in budgets.review_years())
        data = budgets.dump_review(args.fiscal_year) if review else budgets.dump(args.fiscal_year,
                                                                                with_ids=args.with_ids)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.out, text.encode("utf-8"))
        say(f"{fiscal_year_both(args.fiscal_year)}を書き出しました: {args.out}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    with open_services(args.db, read_only=True) as services:
        if args.fiscal_year is not None and args.fiscal_year not in services.review.years():
            services.budgets.get(args.fiscal_year)  # a clear message when the year is unknown
        findings = services.checks.check(args.fiscal_year)
    for f in findings:
        print(f.line())
    errors = sum(1 for f in findings if f.severity == ERROR)
    say(f"エラー {errors} 件、警告 {len(findings) - errors} 件")
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_new_year(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        new = services.rollover.new_year(args.from_year).value
        meetings = services.meetings.meetings(new)
    say(f"{fiscal_year_both(new)}を{fiscal_year_both(args.from_year)}から作成しました")
    for m in meetings:  # the template copied from the old year's meeting (services/rollover.py)
        say(f"会議「{m.title}」（ID {m.id}）を次第ごと複写しました。会議名と日付（{m.date.isoformat()}）は仮です: "
            f"asahi-desk meeting set --db {args.db} --id {m.id} --title 会議名 --date YYYY-MM-DD で設定してください")
    return EXIT_OK
