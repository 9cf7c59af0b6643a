#!/bin/sh
# Set up jakdeck on Debian/Ubuntu: system packages (fonts, LibreOffice and poppler for the
# real-client tests), then a virtual environment in .venv with jakdeck and its test tools.
# Safe to run again: it installs only what is missing.
set -eu
cd "$(dirname "$0")"

PACKAGES="python3-venv fonts-liberation fonts-crosextra-carlito fonts-dejavu-core fonts-nanum fonts-droid-fallback libreoffice-impress poppler-utils qpdf libzbar0 chromium"
missing=""
if command -v dpkg >/dev/null 2>&1; then
    for p in $PACKAGES; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
fi
if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "setup: ready (.venv)"
