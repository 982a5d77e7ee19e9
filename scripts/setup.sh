#!/usr/bin/env bash
# Installs everything asahi-desk needs on Debian/Ubuntu: the system libraries Qt loads, poppler
# (PDF checks), Xvfb (screenshots), then a virtual environment in .venv with the app and its tools.
# With --with-postgres it also installs a PostgreSQL server and driver, for the PostgreSQL tests.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_POSTGRES=0
[ "${1:-}" != "--with-postgres" ] || WITH_POSTGRES=1

SYSTEM_PACKAGES=(
  python3 python3-venv python3-pip
  libegl1 libgl1 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxrender1 libxi6 libsm6 libice6
  # the rest of what Qt's xcb platform plugin links (readelf -d libqxcb.so libQt6XcbQpa.so.6: NEEDED);
  # tests/packaging/test_setup_script.py keeps this list complete
  libxcb1 libx11-xcb1 libxcb-render0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  poppler-utils xvfb xauth binutils
)
[ "$WITH_POSTGRES" -eq 0 ] || SYSTEM_PACKAGES+=(postgresql)

# one dpkg-query for all of them (a second run asks apt for nothing)
installed=" $(dpkg-query -W -f='${Package}:${Status}\n' "${SYSTEM_PACKAGES[@]}" 2>/dev/null \
  | sed -n 's/:install ok installed$//p' | tr '\n' ' ' || true) "
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  [[ "$installed" == *" $pkg "* ]] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "システムパッケージを入れます: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "警告: Debian/Ubuntu ではないため入れられません。Qt の実行に要る次のライブラリを入れてください: ${missing[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras="dev"
[ "$WITH_POSTGRES" -eq 0 ] || extras="dev,postgres"
# pip runs only when something changed (scripts/check_installed.py: a marker of pyproject.toml and the
# Python with the extras installed, where more extras than asked satisfy, e.g. demo.sh after test.sh;
# and every requirement still installed in a satisfying version).
if .venv/bin/python scripts/check_installed.py "$extras"; then
  exit 0
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[$extras]"
.venv/bin/python scripts/check_installed.py "$extras" --write
