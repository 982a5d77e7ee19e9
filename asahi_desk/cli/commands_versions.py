"""version save / list / restore: named frozen copies of a fiscal year (照会前, 要求, 課長査定 … 確定)."""

from __future__ import annotations

import argparse

from asahi_desk.cli.common import EXIT_OK, open_services, say
from asahi_desk.domain.fiscal import fiscal_year_both


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("version", help="年度の版（要求・査定・確定など）を保存・一覧・復元する")
    inner = p.add_subparsers(dest="version_command", metavar="ACTION", required=True, parser_class=type(p))
    for name, help_text in (("save", "今の年度を名前を付けて版として保存する（保存した版は変わりません）"),
                            ("list", "年度の版を一覧する"),
                            ("restore", "今の年度を版と同じにする（戻す前の状態も版として保存します）")):
        q = inner.add_parser(name, help=help_text)
        q.add_argument("--db", required=True, metavar="PATH", help="データベースのファイルパスまたは SQLAlchemy URL")
        q.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="年度（西暦）")
        q.add_argument("--name", required=name != "list", metavar="NAME",
                       help="版の名前（年度ごとに一つ。例: 要求、課長査定、確定）。list ではその版だけを表示")
        q.set_defaults(func={"save": cmd_save, "list": cmd_list, "restore": cmd_restore}[name])


def cmd_save(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        info = services.versions.save(args.fiscal_year, args.name)
    say(f"{fiscal_year_both(args.fiscal_year)}を版「{info.name}」として保存しました（事業 {info.programs} 件、"
        f"{info.total:,} 千円）")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        versions = [v for v in services.versions.list(args.fiscal_year) if args.name in (None, v.name)]
    for v in versions:
        print(v.line())
    if not versions:
        say(f"{fiscal_year_both(args.fiscal_year)}の版はまだありません")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        restored = services.versions.restore(args.fiscal_year, args.name)
    say(restored.describe())
    return EXIT_OK
