"""The `asahi-desk` entry point: a subcommand runs the CLI, none opens the window."""

from __future__ import annotations

import sys

from asahi_desk.cli import main as cli


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):  # Japanese on any console (Windows cp932 included)
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    args = cli.parse(argv)
    if args.command is not None:
        return cli.execute(args)
    from asahi_desk.ui.startup import run

    return run(db=args.db, demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
