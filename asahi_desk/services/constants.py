"""Names the window's modules read when they are imported, before the database is opened: nothing here
imports the store or SQLAlchemy."""

from __future__ import annotations

DEFAULT_WARD = "旭区"  # the ward of a new database (services/budgets.py)
TYPICAL_NAMES = ("照会前", "要求", "課長査定", "区長査定", "確定")  # the usual names of a saved version (services/versions.py)
