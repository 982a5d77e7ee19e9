"""inquiry export / import: the 課's 照会票 out, their answers merged back (three-state, all or nothing)."""

from __future__ import annotations

import argparse
from pathlib import Path

from asahi_desk.cli.common import EXIT_FINDINGS, EXIT_OK, open_services, say
from asahi_desk.domain.fiscal import fiscal_year_both
from asahi_desk.domain.text import shown

# Every line below holds user text (課, program and item names, answers, file names): printed through shown(),
# so a control or bidi override character (U+202E …) is seen as \u202e and cannot reorder the terminal line.


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("inquiry", help="課への照会票（Excel）を作る・回答を取り込む")
    inner = p.add_subparsers(dest="inquiry_command", metavar="ACTION", required=True, parser_class=type(p))

    e = inner.add_parser("export", help="課ごとの照会票を書き出す")
    e.add_argument("--db", required=True, metavar="PATH", help="データベースのファイルパスまたは SQLAlchemy URL")
    e.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="照会する年度（西暦）")
    which = e.add_mutually_exclusive_group(required=True)
    which.add_argument("--section", metavar="課", help="この課の照会票を1つ書き出す")
    which.add_argument("--all", action="store_true", help="すべての課の照会票をフォルダに書き出す")
    e.add_argument("--out", type=Path, required=True, metavar="PATH", help="出力ファイル（--all のときはフォルダ）")
    e.set_defaults(func=cmd_export)

    i = inner.add_parser("import", help="回答済みの照会票を取り込む（照会時・現在・回答の3つを比べて）")
    i.add_argument("files", nargs="+", type=Path, metavar="FILE", help="回答済みの照会票（.xlsx、いくつでも）")
    i.add_argument("--db", required=True, metavar="PATH", help="データベースのファイルパスまたは SQLAlchemy URL")
    i.add_argument("--dry-run", action="store_true", help="確認だけして書き込まない")
    i.add_argument("--accept-deletions", action="store_true", help="回答で消された細事業・指標を削除する")
    i.add_argument("--prefer", choices=("answer", "database"),
                   help="競合（照会後に両方で違う値に変わった項目）を回答とデータベースのどちらに揃えるか")
    i.add_argument("--fiscal-year", type=year, metavar="YYYY", help="この年度の照会票であることを確かめる（省略可）")
    i.set_defaults(func=cmd_import)


def cmd_export(args: argparse.Namespace) -> int:
    with open_services(args.db) as services:
        if args.all:
            paths = services.inquiry.export_all(args.fiscal_year, args.out)
        else:
            paths = [services.inquiry.export_section(args.fiscal_year, args.section, args.out)]
    for path in paths:
        print(shown(str(path)))
    say(f"{fiscal_year_both(args.fiscal_year)}の照会票を {len(paths)} 件書き出しました")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from asahi_desk.services.inquiry import ImportProblems

    with open_services(args.db) as services:
        try:
            result = services.inquiry.import_answers(args.files, dry_run=args.dry_run,
                                                     accept_deletions=args.accept_deletions, prefer=args.prefer,
                                                     fiscal_year=args.fiscal_year)
        except ImportProblems as e:
            for line in e.lines:
                print(shown(line))
            raise
    for line in result.lines():
        print(shown(line))
    for note in result.notes:
        say(shown(f"注意: {note}"))
    say(shown(result.summary()))
    if result.needs_decision:  # name only the flags that decide what is left (each one does)
        if result.conflicts:
            say("競合は --prefer answer（回答に揃える）か --prefer database（データベースのまま）で決められます")
        if result.deletions and not result.accept_deletions:
            say("削除は確かめたうえで --accept-deletions を付けると行われます")
        return EXIT_FINDINGS
    return EXIT_OK
