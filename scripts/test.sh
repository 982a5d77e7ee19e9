#!/usr/bin/env bash
# Install everything, then run the checks CI runs: ruff, the layer contracts, the test suite
# (on SQLite files, and on a throwaway local PostgreSQL server for the PostgreSQL tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-postgres
export QT_QPA_PLATFORM=offscreen
pg_dir=$(mktemp -d /tmp/asahi-desk-pg.XXXXXX)
trap 'bash scripts/pg_test_server.sh stop "$pg_dir"' EXIT
ASAHI_DESK_TEST_PG_URL=$(bash scripts/pg_test_server.sh start "$pg_dir")
export ASAHI_DESK_TEST_PG_URL
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
