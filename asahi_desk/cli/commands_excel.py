"""import-excel and export-excel: prior-year amounts from a workbook, and the 事業別一覧表 out."""

from __future__ import annotations

import argparse
from pathlib import Path

from asahi_desk.cli.common import EXIT_FINDINGS, EXIT_OK, open_services, say
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.fiscal import fiscal_year_both


def register(sub: argparse._SubParsersAction, year: type) -> None:
    p = sub.add_parser("import-excel", help="前年度の Excel から前年度額を取り込む（YYYY は前年度額を埋める年度）")
    p.add_argument("file", type=Path, help="読む Excel ブック（.xlsx）")
    p.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--fiscal-year", type=year, metavar="YYYY",
                   help="前年度額を埋める年度（西暦）。省略時はブックの年度ラベルから決めます（最新の金額列の翌年度）")
    p.add_argument("--sheet", help="読むシート名（省略時は予算の表らしいシート）")
    p.add_argument("--dry-run", action="store_true", help="確認だけして書き込まない")
    p.add_argument("--skip-unmatched", action="store_true",
                   help="今年度の事業に一致しない行を取り込まずに進める（読み飛ばした行を表示します）")
    p.add_argument("--accept-totals", action="store_true",
                   help="シートの合計行と読んだ行の合計が合わなくても取り込む（確かめたうえで）")
    p.add_argument("--restore", action="store_true",
                   help="asahi-desk の Excel 出力の詳細シートから、その年度をまるごと復元する（その年度がないときだけ）。"
                        "YYYY がその翌年度でまだないときは、繰り越しで YYYY も作る")
    p.add_argument("--create-prior", action="store_true",
                   help="前年度（YYYY-1）の事業も作成する（前年度がないときだけ）。YYYY もないとき（空のデータベース）は"
                        "YYYY-1 をこのブックから作り、YYYY を繰り越しで作る")
    p.set_defaults(func=cmd_import_excel)

    p = sub.add_parser("export-excel", help="事業別一覧表と詳細シートを Excel に書き出す（詳細シートは読み戻せます）")
    p.add_argument("--db", required=True, help="データベースのファイルパスまたは SQLAlchemy URL")
    p.add_argument("--fiscal-year", type=year, required=True, metavar="YYYY", help="書き出す年度（西暦）")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="出力する Excel ファイル")
    p.set_defaults(func=cmd_export_excel)


def cmd_import_excel(args: argparse.Namespace) -> int:
    from asahi_desk.services.excel_import import UNMATCHED, DecisionNeeded, ImportProblems, TotalMismatch
    from asahi_desk.services.excel_import_plan import RESTORE

    with open_services(args.db) as services:
        svc = services.excel_import
        summary = svc.inspect(args.file, args.fiscal_year)
        if args.fiscal_year is None:  # the wizard's default: the year the workbook's labels point to
            args.fiscal_year = svc.default_year(summary)
            if args.fiscal_year is None:
                raise InputError("ブックの見出しに年度がないため、対象の年度を決められません。--fiscal-year で指定してください",
                                 str(args.file))
            say(f"ブックの年度ラベルから{fiscal_year_both(args.fiscal_year)}を対象にします（--fiscal-year で変えられます）")
        # the same decision as the wizard's (services/excel_import_plan.py); exit 2 when refused
        plan = svc.plan(summary, args.fiscal_year, restore=args.restore, create_prior=args.create_prior,
                        sheet=args.sheet)
        if plan.kind == RESTORE and plan.restore_year is not None:
            try:
                for line in svc.restore_preview(args.file, plan).lines:
                    say(line)
                say(svc.restore(args.file, plan.restore_year, dry_run=args.dry_run,
                                roll_over=plan.roll_over).value.describe())
            except ImportProblems as e:
                for line in e.lines:
                    print(line)
                raise
            return EXIT_OK
        preview = svc.preview(args.file, args.fiscal_year, sheet=args.sheet)
        say(f"「{preview.sheet}」シート（見出し {preview.header.row}行、単位 {preview.mapping.unit}）を"
            f"{fiscal_year_both(args.fiscal_year)}の前年度額として読みます")
        for note in preview.notes:
            say(f"注意: {note}")
        counts = preview.counts()
        say(f"一致 {counts['matched']} 行、該当なし {counts['unmatched']} 行、競合 {counts['conflicting']} 行、"
            f"前年度の行がない事業 {counts['new']} 件、読み飛ばした行 {preview.skipped_rows} 行")
        for line in preview.total_lines():
            say(f"合計: {line}")
        if preview.problems:
            for line in preview.problem_lines():
                print(line)
            # raised, not returned: the CLI's error path also removes a database file this command created
            raise ImportProblems(preview.problem_lines(), str(args.file))
        decisions: dict[int, str | None] = {}
        if args.skip_unmatched and not args.create_prior:
            skipped = [r for r in preview.rows if r.status == UNMATCHED and r.record]
            decisions = {r.record.row: None for r in skipped if r.record}
            for r in skipped:
                say(f"読み飛ばし（--skip-unmatched）: {r.line(preview.sheet)}")
        try:
            result = svc.apply(preview, decisions, create_prior=args.create_prior, dry_run=args.dry_run,
                               accept_totals=args.accept_totals).value
        except TotalMismatch as e:
            for line in e.lines:
                print(line)
            say(f"{e}。行を読み落としていないか確かめ、合計行が誤りなら --accept-totals で取り込めます")
            return EXIT_FINDINGS
        except DecisionNeeded as e:
            for line in e.lines:
                print(line)
            say(f"{e}。画面の取込ウィザードで対応を選ぶか、該当なしの行は --skip-unmatched で読み飛ばしてください")
            return EXIT_FINDINGS
        except ImportProblems as e:
            for line in e.lines:
                print(line)
            raise
        for row in preview.rows:
            if row.status == "new":
                say(row.line(preview.sheet))
        say(result.describe())
    return EXIT_OK


def cmd_export_excel(args: argparse.Namespace) -> int:
    with open_services(args.db, read_only=True) as services:
        services.excel_export.export(args.fiscal_year, args.out)
    say(f"{fiscal_year_both(args.fiscal_year)}を Excel に書き出しました: {args.out}")
    return EXIT_OK
