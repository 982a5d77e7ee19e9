"""Names every part of the program shows, in a module that imports nothing (the window's first paint reads them)."""

from __future__ import annotations

GRAND_TOTAL_NAME = "個性ある区づくり推進費"  # the total of the classes inside it (domain/rules.py)
