"""version save / list / restore: named frozen copies of a fiscal year (照会前, 要求, 課長査定 … 確定)."""

from __future__ import annotations

import argparse

from asahi_desk.cli.common import EXIT_OK, open_services, say
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.domain.text import shown

# version names and clerks are user text: every line goes through shown() (U+202E … escaped)


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("version", help="年度の版（要求・査定・確定など）を保存・一覧・復元する")
    inner = p.add_subparsers(dest="version_command", metavar="ACTION", required=True, parser_class=type(p))
    for name, help_text in (("save", "今の年度を名前を付けて版として保存する（保存した版は変わりません）"),
                            ("list", "年度の版を一覧する"),
                            ("restore", "今の年度を版と同じにする（戻す前の状態も版として保存します）")):
        q = inner.add_parser(name, help=help_text)
        q.add_argument("--db", required=True, metavar="PATH", help="データベースのファイルパスまたは SQLAlchemy URL")
        q.add_argument("--fiscal-year", type=year, required=name != "list", metavar="YYYY",
                       help="年度（西暦）。list で省略するとすべての年度を年度ごとに表示")
        q.add_argument("--name", required=name != "list", metavar="NAME",
                       help="版の名前（年度ごとに一つ。例: 要求、課長査定、確定）。list ではその版だけを表示")
        q.set_defaults(func={"save": cmd_save, "list": cmd_list, "restore": cmd_restore}[name])


def cmd_save(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        info = services.versions.save(args.fiscal_year, args.name)
    say(shown(f"{fiscal_year_both(args.fiscal_year)}を版「{info.name}」として保存しました（事業 {info.programs} 件、"
              f"{info.total:,} 千円）"))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with open_services(args.db, read_only=True) as services:
        years = [args.fiscal_year] if args.fiscal_year is not None else services.versions.years()
        by_year = {y: [v for v in services.versions.list(y) if args.name in (None, v.name)] for y in years}
    if args.fiscal_year is not None:
        for v in by_year[args.fiscal_year]:
            print(v.line())  # its fields escaped, its tabs kept
        if not by_year[args.fiscal_year]:
            say(f"{fiscal_year_both(args.fiscal_year)}の版はまだありません")
        return EXIT_OK
    shown_any = False
    for y, versions in by_year.items():  # every year, oldest first, each under its own heading
        if not versions:
            continue
        print(f"{fiscal_year_both(y)}")
        for v in versions:
            print(f"  {v.line()}")
        shown_any = True
    if not shown_any:
        say("版はまだありません")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        restored = services.versions.restore(args.fiscal_year, args.name)
    say(shown(restored.describe()))
    return EXIT_OK
