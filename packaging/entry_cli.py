"""Frozen entry point of the console `asahi-desk-cli` executable (same commands as the installed `asahi-desk`)."""

import sys

from asahi_desk.launcher import main

if __name__ == "__main__":
    sys.exit(main())
