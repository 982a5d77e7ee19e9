"""The schema head revision, read from the revision files in db/versions: no Alembic, no SQLAlchemy.

The start's first read (store/first_read.py) asks it before SQLAlchemy is loaded; store/migrate asks it before
deciding whether Alembic is needed at all. tests/db/test_migrations.py keeps it equal to Alembic's own answer."""

from __future__ import annotations

import functools
import re

from asahi_desk.paths import migrations_dir

_REVISION = re.compile(r"^revision(?:\s*:\s*[^=]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:\s*[^=]+)?\s*=\s*(.+)$", re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """The one revision of db/versions that no other revision follows (Alembic's head), read from the files'
    `revision = "…"` and `down_revision = "…"` lines; None when that is not one revision (Alembic decides)."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        found = _REVISION.search(text)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN_REVISION.search(text)
        if down is not None:
            followed.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - followed
    return heads.pop() if len(heads) == 1 else None
