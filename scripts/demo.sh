#!/usr/bin/env bash
# Install everything, then open asahi-desk on a fresh copy of the demo database (旭区 令和6年度).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/asahi-desk --demo "$@"
