"""compare: 査定状況 / 新旧対照表 of a named version against another or the working year (PDF, Excel or CSV)."""

from __future__ import annotations

import argparse
from pathlib import Path

from asahi_desk.cli.common import EXIT_OK, open_services, say
from asahi_desk.domain.text import shown


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("compare", help="版どうし（または版と現在）の金額と文章を比べる（査定状況・新旧対照表）")
    p.add_argument("--db", required=True, metavar="PATH", help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="年度（西暦）")
    p.add_argument("--from", dest="from_name", required=True, metavar="NAME", help="比べる元の版")
    p.add_argument("--to", dest="to_name", metavar="NAME", help="比べる先の版（省略時は現在の年度）")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="出力ファイル（.pdf / .xlsx / .csv）")
    p.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    with open_services(args.db, read_only=True) as services:
        out = services.comparison.export(args.fiscal_year, args.from_name, args.to_name, args.out)
    say(shown(f"査定状況・新旧対照表を書き出しました: {out}"))  # the path is user text
    return EXIT_OK
