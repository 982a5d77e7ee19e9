"""meeting add / list / set: the council meetings of a year (次第 and handout header) from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any

from asahi_desk.cli.common import EXIT_OK, open_services, say
from asahi_desk.domain.entities import AgendaItem, Meeting
from asahi_desk.domain.fiscal import fiscal_year_both

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_WEEKDAYS = "月火水木金土日"


def date_arg(text: str) -> dt.date:
    try:
        if not _DATE.fullmatch(text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日付が正しくありません（{text}）。実在する日付を YYYY-MM-DD の形で指定してください（例: 2025-06-10）") from None


def time_arg(text: str) -> dt.time:
    try:
        if not _TIME.fullmatch(text.strip()):
            raise ValueError
        hours, minutes = (int(x) for x in text.strip().split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise argparse.ArgumentTypeError(f"時刻が正しくありません（{text}）。HH:MM の形で指定してください（例: 15:00）") from None


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("meeting", help="会議（次第・会議資料の表紙）を登録・一覧・変更する",
                       description="会議を登録（add）、一覧（list）、変更（set）します。次第の JSON は docs/agenda-json.md を参照。")
    actions = p.add_subparsers(dest="meeting_command", metavar="ACTION", required=True, parser_class=type(p))

    a = actions.add_parser("add", help="会議を登録する（その年度の会議の最後に加わります）")
    a.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    a.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="会議の年度（西暦）")
    a.add_argument("--title", required=True, help="会議名（例: 令和７年第２回 区づくり推進横浜市会議員会議）")
    a.add_argument("--date", type=date_arg, required=True, metavar="YYYY-MM-DD", help="開催日")
    _common(a)
    a.set_defaults(func=cmd_add)

    s = actions.add_parser("set", help="登録済みの会議の項目を変更する（新年度作成で複写した会議の会議名・日付など）")
    s.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    s.add_argument("--id", type=int, required=True, metavar="ID", help="会議 ID（meeting list で表示されます）")
    s.add_argument("--title", help="会議名")
    s.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="開催日")
    _common(s)
    s.set_defaults(func=cmd_set)

    ls = actions.add_parser("list", help="会議を一覧する（ID・日付・時刻・会場・会議名・次第）")
    ls.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    ls.add_argument("--fiscal-year", type=year, metavar="YYYY", help="この年度の会議だけを表示する（省略時はすべての年度）")
    ls.set_defaults(func=cmd_list)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--time", type=time_arg, metavar="HH:MM", help="開始時刻（例: 15:00）")
    p.add_argument("--venue", help="会場")
    p.add_argument("--agenda", type=Path, metavar="FILE.json",
                   help="次第の JSON ファイル（項目の配列。形は docs/agenda-json.md）")


def _agenda(path: Path | None) -> tuple[AgendaItem, ...] | None:
    if path is None:
        return None
    from asahi_desk.importers.json_format import parse_agenda, read_json_file

    return parse_agenda(read_json_file(path), str(path))


def cmd_add(args: argparse.Namespace) -> int:
    agenda = _agenda(args.agenda) or ()
    meeting = Meeting(args.title, args.date, args.time, args.venue or "", agenda)
    with open_services(args.db) as services:
        services.budgets.get(args.fiscal_year)  # a clear message when the year is unknown
        meeting_id = services.meetings.save(args.fiscal_year, meeting).value
        stored = services.meetings.get(meeting_id)
    say(f"{fiscal_year_both(args.fiscal_year)}に会議を登録しました: {line(stored)}")
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {k: v for k, v in (("title", args.title), ("date", args.date), ("start_time", args.time),
                                                ("venue", args.venue), ("agenda", _agenda(args.agenda)))
                              if v is not None}
    with open_services(args.db) as services:
        stored = services.meetings.change(args.id, **fields).value
    say(f"会議を変更しました: {line(stored)}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with open_services(args.db, read_only=True) as services:
        years = [args.fiscal_year] if args.fiscal_year is not None else services.budgets.fiscal_years()
        if args.fiscal_year is not None:
            services.budgets.get(args.fiscal_year)
        found = [(y, m) for y in years for m in services.meetings.meetings(y)]
    for y, m in found:
        print(f"{fiscal_year_both(y)}\t{line(m)}")
    say(f"会議 {len(found)} 件")
    return EXIT_OK


def line(m: Meeting) -> str:
    """One meeting on one line: ID, date and time, venue, title, agenda."""
    when = f"{m.date.isoformat()}（{_WEEKDAYS[m.date.weekday()]}）"
    if m.start_time is not None:
        when += f" {m.start_time.strftime('%H:%M')}"
    materials = f"（{'・'.join(m.materials)}）" if m.materials else ""
    venue = f"、{m.venue}" if m.venue else ""
    return f"ID {m.id}: {m.title}、{when}{venue}、次第 {len(m.agenda)} 項目{materials}"
