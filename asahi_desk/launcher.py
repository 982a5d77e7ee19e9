"""The `asahi-desk` entry point: a subcommand runs the CLI, none opens the window.

The window path imports neither the CLI (argparse, every command module) nor anything else the first
paint does not need: `asahi-desk`, `asahi-desk --demo` and `asahi-desk --db PATH` are recognised here.
"""

from __future__ import annotations

import sys


def gui_arguments(argv: list[str]) -> dict[str, object] | None:
    """{"db": …, "demo": …} when argv only opens the window (nothing, --demo, --db PATH, --db=PATH, each once);
    None for anything else (a subcommand, --help, --version, a mistake): the CLI parses and explains those."""
    db: str | None = None
    demo = False
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo" and not demo:
            demo = True
        elif arg == "--db" and db is None and rest and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif arg.startswith("--db=") and db is None and len(arg) > len("--db="):
            db = arg[len("--db="):]
        else:
            return None
    return {"db": db, "demo": demo}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):  # Japanese on any console (Windows cp932 included)
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    window = gui_arguments(argv)
    if window is not None:
        from asahi_desk.ui.startup import run

        return run(db=window["db"], demo=bool(window["demo"]))  # type: ignore[arg-type]
    from asahi_desk.cli import main as cli

    args = cli.parse(argv)
    if args.command is not None:
        return cli.execute(args)
    from asahi_desk.ui.startup import run

    return run(db=args.db, demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
