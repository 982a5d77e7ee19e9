"""review new: next year's 振り返り from an earlier one; export-review: the review alone as PDF or Excel."""

from __future__ import annotations

import argparse
from pathlib import Path

from asahi_desk.cli.common import EXIT_OK, open_services, say
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.fiscal import fiscal_year_both

EXPORT_SUFFIXES = (".pdf", ".xlsx")
DB_HELP = "データベースのファイルパスまたは SQLAlchemy URL"


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("review", help="振り返り（区運営方針の振り返り）")
    review_sub = p.add_subparsers(dest="review_command", metavar="COMMAND", required=True,
                                  parser_class=type(p))
    q = review_sub.add_parser("new", help="前の年度の振り返りから年度の振り返りを作成（振り返り欄は空）")
    q.add_argument("--db", required=True, metavar="PATH", help=DB_HELP)
    q.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="作成する振り返りの年度（西暦）")
    q.add_argument("--from", dest="from_year", type=year, required=True, metavar="YYYY",
                   help="元にする振り返りの年度（西暦）")
    q.set_defaults(func=cmd_review_new)

    p = sub.add_parser("export-review", help="振り返りだけを PDF または Excel に書き出す")
    p.add_argument("--db", required=True, metavar="PATH", help=DB_HELP)
    p.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="振り返りの年度（西暦）")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|.xlsx", help="出力ファイル（.pdf または .xlsx）")
    p.set_defaults(func=cmd_export_review)


def cmd_review_new(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        loaded = services.review.new_from(args.fiscal_year, args.from_year)
    say(f"{loaded.ward} {fiscal_year_both(loaded.fiscal_year)}の振り返りを"
        f"{fiscal_year_both(args.from_year)}から作成しました（振り返り欄は空です）")
    return EXIT_OK


def cmd_export_review(args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise InputError("出力ファイルの拡張子は .pdf か .xlsx にしてください", str(args.out))
    with open_services(args.db, read_only=True) as services:
        services.review_export.write(args.fiscal_year, args.out)
    say(f"{fiscal_year_both(args.fiscal_year)}の振り返りを書き出しました: {args.out}")
    return EXIT_OK
