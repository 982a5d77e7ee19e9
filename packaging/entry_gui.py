"""Frozen entry point of the windowed `asahi-desk` executable (same commands as the installed one)."""

import sys

from asahi_desk.launcher import main

if __name__ == "__main__":
    sys.exit(main())
