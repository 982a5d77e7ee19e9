"""export-pdf: the meeting handout (次第, 資料1, the review, attached PDFs) as one PDF and per material."""

from __future__ import annotations

import argparse
from pathlib import Path

from asahi_desk.cli.common import EXIT_OK, open_services, say
from asahi_desk.domain.errors import InputError


def attach_arg(text: str) -> tuple[str, Path]:
    label, sep, file = text.partition("=")
    if not sep or not label.strip() or not file.strip():
        raise argparse.ArgumentTypeError(f"--attach は 資料2=ファイル.pdf の形で指定してください（{text}）")
    return label.strip(), Path(file.strip())


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("export-pdf", help="会議資料（次第・資料1 執行計画・添付資料）を PDF に書き出す")
    p.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="会議資料にする年度（西暦）")
    p.add_argument("--out", type=Path, required=True, help="全資料をまとめた PDF")
    p.add_argument("--meeting", type=int, help="会議 ID（省略時はその年度の最初の会議）")
    p.add_argument("--attach", type=attach_arg, action="append", default=[], metavar="資料N=FILE.pdf",
                   help="添付する PDF（各ページに資料番号を押します。会議に保存され次回も使われます）")
    p.add_argument("--split-dir", type=Path, help="資料ごとの PDF（次第.pdf、資料1.pdf …）を書くフォルダ")
    p.add_argument("--review", type=year, metavar="YYYY", help="この年度の振り返りを次の資料番号で加える")
    p.add_argument("--review-indicators", action="store_true",
                   help="振り返りの各行の下に関連事業の事業指標（目標・実績・達成率）を加える")
    p.add_argument("--no-stored-attachments", action="store_true", help="会議に保存済みの添付資料を使わない")
    p.add_argument("--no-store", action="store_true", help="--attach のファイルを会議に保存しない")
    p.set_defaults(func=cmd_export_pdf)


def cmd_export_pdf(args: argparse.Namespace) -> int:
    from asahi_desk.services.handout import ExportRequest

    if args.review_indicators and args.review is None:
        raise InputError("--review-indicators は振り返りに事業指標を加える指定です。--review YYYY と一緒に指定してください",
                         "--review-indicators")
    attach: dict[str, Path] = {}
    for label, path in args.attach:
        if label in attach:
            raise InputError(f"{label}が2回指定されています", "--attach")
        attach[label] = path
    # only reads unless --attach files are to be kept on the meeting
    with open_services(args.db, read_only=not (attach and not args.no_store)) as services:
        result = services.handout.export(ExportRequest(
            fiscal_year=args.fiscal_year, out=args.out, meeting_id=args.meeting, attach=attach,
            split_dir=args.split_dir, review_year=args.review, review_indicators=args.review_indicators,
            use_stored_attachments=not args.no_stored_attachments, store_attachments=not args.no_store))
    say(result.describe())
    return EXIT_OK
